"""The counters shared by every server process: where they live, and that no hit is lost
when processes count at once."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from motcua.cacheurl import counters_from_url
from motcua.ratelimit.store import CacheStore, DatabaseStore

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "url, store, backend, location",
    [
        ("", "database", "locmem.LocMemCache", None),
        ("db://", "database", "locmem.LocMemCache", None),
        ("locmem://", "cache", "locmem.LocMemCache", None),
        ("redis://10.0.0.5:6379/1", "cache", "redis.RedisCache", "redis://10.0.0.5:6379/1"),
        ("memcached://10.0.0.6:11211", "cache", "memcached.PyMemcacheCache", "10.0.0.6:11211"),
    ],
)
def test_cache_urls(url, store, backend, location):
    where, config = counters_from_url(url)
    assert where == store
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config.get("LOCATION") == location


@pytest.mark.parametrize("url", ["mysql://x", "file:///var/cache/motcua"])
def test_a_wrong_cache_url_stops_with_a_vietnamese_message(url):
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_CACHE_URL"):
        counters_from_url(url)


def test_the_default_store_is_the_database(settings):
    from motcua.ratelimit.store import counter_store

    assert settings.COUNTER_STORE == "database"
    assert isinstance(counter_store(), DatabaseStore)


@pytest.fixture(params=["database", "cache"])
def store(request, db):
    return DatabaseStore() if request.param == "database" else CacheStore()


def test_a_counter_counts_its_window_and_starts_again_after_it(store, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    counts = [store.hit("k", window=60)[0].value for _ in range(3)]
    assert counts == [1, 2, 3]
    now[0] += 30
    count, _ = store.hit("k", window=60)
    assert (count.value, count.retry_after()) == (4, 30)  # the window runs from the first hit
    if isinstance(store, DatabaseStore):
        now[0] += 31
    else:  # the cache server expires the key itself
        from django.core.cache import cache

        cache.delete_many(["k", "k:expires"])
    count, _ = store.hit("k", window=60)
    assert (count.value, count.retry_after()) == (1, 60)


def test_a_hit_can_read_another_counter_without_counting_it(store):
    _, seen = store.hit("a", window=60, peek="b")
    assert seen is None
    store.hit("b", window=3600)
    store.hit("b", window=3600)
    _, seen = store.hit("a", window=60, peek="b")
    assert seen.value == 2 and 3590 < seen.retry_after() <= 3600
    assert store.hit("b", window=3600)[0].value == 3  # peeking did not count


def test_an_expired_counter_is_not_read(store, monkeypatch):
    store.hit("b", window=10)
    later = time.time() + 11
    monkeypatch.setattr(time, "time", lambda: later)
    if isinstance(store, CacheStore):
        from django.core.cache import cache

        cache.delete_many(["b", "b:expires"])
    assert store.hit("a", window=60, peek="b")[1] is None


HAMMER = """
import json, pathlib, sys, time
import django
django.setup()
from motcua.ratelimit.store import DatabaseStore
store = DatabaseStore()
store.hit("warm-up", window=600)
here, everyone = pathlib.Path(sys.argv[2]), int(sys.argv[3])
(here / f"ready-{sys.argv[4]}").touch()
while len(list(here.glob("ready-*"))) < everyone:  # start together
    time.sleep(0.001)
print(json.dumps([store.hit("shared", window=600)[0].value for _ in range(int(sys.argv[1]))]))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_counting_at_once_lose_no_hit(tmp_path):
    """Each increment is atomic: two server processes hitting one counter together get every
    number from 1 to the total exactly once."""
    if connection.vendor == "postgresql":
        env = {"MOTCUA_DATABASE_URL": _url_of_test_database()}
    else:  # the test database is in memory: give the processes a file of their own
        env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'counters.sqlite3'}"}
        _run(["manage.py", "migrate", "ratelimit", "-v0"], env)
    per_process = 1500
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, str(per_process), str(tmp_path), "2", str(i)],
            cwd=ROOT,
            env=_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    seen = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        seen += json.loads(out)
    assert sorted(seen) == list(range(1, 2 * per_process + 1))


def _url_of_test_database() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _env(extra: dict) -> dict:
    return {
        **os.environ,
        "MOTCUA_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        **extra,
    }


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=_env(env), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="UNLOGGED is PostgreSQL's")
def test_counters_skip_the_write_ahead_log_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'ratelimit_counter'")
        assert cursor.fetchone() == ("u",)
