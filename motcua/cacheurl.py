"""``MOTCUA_CACHE_URL``: where counters shared between server processes live (the public
look-up's rate limit). Read by settings, before Django is set up.

- empty or ``locmem://``: each process counts alone (zero set-up; a limit of N per minute
  becomes N per minute per process);
- ``file:///var/cache/motcua``: shared by the processes of one machine (Django's file cache;
  counts may run a little low under heavy concurrency, never high);
- ``redis://host:6379/0``: shared by several machines (needs the ``redis`` package:
  ``pip install 'motcua[redis]'``);
- ``memcached://host:11211``: the same with memcached (needs ``pymemcache``).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
}


def cache_from_url(url: str) -> dict:
    """Django's ``CACHES["default"]`` for ``url``."""
    parts = urlsplit(url.strip() or "locmem://")
    if parts.scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"MOTCUA_CACHE_URL: không hỗ trợ “{parts.scheme}://”; dùng một trong "
            + ", ".join(f"{name}://" for name in BACKENDS)
            + "."
        )
    config = {"BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("MOTCUA_CACHE_URL: file:// cần một thư mục tuyệt đối.")
        config["LOCATION"] = parts.path
    elif parts.scheme == "redis":
        config["LOCATION"] = url.strip()
    elif parts.scheme == "memcached":
        config["LOCATION"] = parts.netloc
    return config
