"""``MOTCUA_CACHE_URL``: where counters shared between server processes live (the rate limits
of the public look-up). Read by settings, before Django is set up.

- empty or ``db://`` (the default): a table of the project's database, shared by every
  process that uses that database — ``make run``, gunicorn's workers on one server, and
  several servers too. Each hit is one atomic ``INSERT … ON CONFLICT DO UPDATE`` (an
  ``UNLOGGED`` table on PostgreSQL); ``motcua/ratelimit/store.py``;
- ``redis://host:6379/0``: a redis server, to take the writes off the database on a busy
  site (needs the ``redis`` package: ``pip install 'motcua[redis]'``);
- ``memcached://host:11211``: the same with memcached (needs ``pymemcache``);
- ``locmem://``: each process counts alone (a limit of N becomes N per process): tests and
  experiments only.

``file://`` is refused: Django's file cache reads, adds one and writes back, so processes
counting at once lose hits — a brute-force bound it cannot keep.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
}


def counters_from_url(url: str) -> tuple[str, dict]:
    """(``"database"`` or ``"cache"``: where the counters live, Django's
    ``CACHES["default"]``) for ``url``."""
    parts = urlsplit(url.strip() or "db://")
    if parts.scheme == "db":
        return "database", {"BACKEND": CACHE_BACKENDS["locmem"]}
    if parts.scheme == "file":
        raise ImproperlyConfigured(
            "MOTCUA_CACHE_URL: file:// không còn được dùng: bộ nhớ đệm tệp của Django không "
            "tăng bộ đếm một cách nguyên tử giữa các tiến trình, nên giới hạn tần suất bị đếm "
            "thiếu. Bỏ trống biến này (bộ đếm nằm trong cơ sở dữ liệu) hoặc dùng redis://."
        )
    if parts.scheme not in CACHE_BACKENDS:
        raise ImproperlyConfigured(
            f"MOTCUA_CACHE_URL: không hỗ trợ “{parts.scheme}://”; dùng db://, "
            + ", ".join(f"{name}://" for name in CACHE_BACKENDS)
            + "."
        )
    config = {"BACKEND": CACHE_BACKENDS[parts.scheme]}
    if parts.scheme == "redis":
        config["LOCATION"] = url.strip()
    elif parts.scheme == "memcached":
        config["LOCATION"] = parts.netloc
    return "cache", config
