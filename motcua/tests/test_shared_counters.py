"""MOTCUA_CACHE_URL: where the public look-up's rate limit is counted."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from motcua import ratelimit
from motcua.cacheurl import cache_from_url


@pytest.mark.parametrize(
    "url, backend, location",
    [
        ("", "locmem.LocMemCache", None),
        ("file:///var/cache/motcua", "filebased.FileBasedCache", "/var/cache/motcua"),
        ("redis://10.0.0.5:6379/1", "redis.RedisCache", "redis://10.0.0.5:6379/1"),
        ("memcached://10.0.0.6:11211", "memcached.PyMemcacheCache", "10.0.0.6:11211"),
    ],
)
def test_cache_urls(url, backend, location):
    config = cache_from_url(url)
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config.get("LOCATION") == location


@pytest.mark.parametrize("url", ["mysql://x", "file://"])
def test_a_wrong_cache_url_stops_with_a_vietnamese_message(url):
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_CACHE_URL"):
        cache_from_url(url)


def test_a_file_cache_counts_the_limit_across_processes(tmp_path, settings, monkeypatch):
    settings.PUBLIC_LOOKUP_PER_MINUTE = 4
    # Two server processes: two cache objects over the same directory.
    processes = [FileBasedCache(str(tmp_path), {}) for _ in range(2)]
    request = RequestFactory().get("/tra-cuu/", REMOTE_ADDR="203.0.113.7")
    answers = []
    for i in range(6):
        monkeypatch.setattr(ratelimit, "cache", processes[i % 2])
        answers.append(ratelimit.public_lookup_allowed(request))
    assert answers == [True, True, True, True, False, False]
