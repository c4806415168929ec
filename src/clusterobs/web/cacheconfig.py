"""``CACHES`` from one URL (env ``CLUSTEROBS_CACHE_URL``), so several web workers can share Django's cache.

Django's cache holds what must agree between workers: the login-throttling counters of the registry
(``accounts.throttle``). The default keeps it in each process's memory (one worker: enough). Forms accepted:

* ``locmem://`` (default) — in the process;
* ``redis://[:password@]host[:port][/db]`` and ``rediss://…`` — Django's Redis backend (the ``redis`` package);
* ``db://table_name`` — Django's database cache in the portal database (``clusterobs serve`` creates the table).

The computed answers and selector results are not here: they live in ``web.cache``, per process and per dataset
version, and need no sharing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from clusterobs.errors import ClusterobsError

KEY_PREFIX = "clusterobs"
# locmem and the database cache cull a third of their entries beyond MAX_ENTRIES (Django's default 300): a burst of
# login attempts for many accounts would then erase throttle slots. Redis keeps every key until it expires.
MAX_ENTRIES = 100_000


class CacheURLError(ClusterobsError):
    """``CLUSTEROBS_CACHE_URL`` is not one of the accepted forms."""


def caches_from_url(url: str | None) -> dict[str, dict[str, Any]]:
    """Django's ``CACHES`` for ``url`` (None or empty: ``locmem://``)."""
    url = (url or "locmem://").strip()
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        default: dict[str, Any] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": parts.netloc or "clusterobs", "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES}}
    elif parts.scheme in ("redis", "rediss"):
        if not parts.hostname:
            raise CacheURLError(f"CLUSTEROBS_CACHE_URL {url!r}: a Redis URL needs a host, e.g. redis://127.0.0.1:6379/0")
        default = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    elif parts.scheme == "db":
        table = parts.netloc or parts.path.lstrip("/")
        if not table.replace("_", "").isalnum():
            raise CacheURLError(f"CLUSTEROBS_CACHE_URL {url!r}: db:// needs a table name of letters, digits and _, "
                                "e.g. db://clusterobs_cache")
        default = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table,
                   "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES}}
    else:
        raise CacheURLError(f"CLUSTEROBS_CACHE_URL {url!r}: use locmem://, redis://host:port/db or db://table")
    return {"default": {**default, "KEY_PREFIX": KEY_PREFIX}}
