"""Login throttling on Django's cache: after ``LOGIN_FAILURE_LIMIT`` failed logins for one username, or from one
client address, within ``LOGIN_FAILURE_WINDOW`` seconds, further attempts are refused (even with the right password)
until the window has passed since the last failure. A success clears the username's counter.

The counters live in the default cache: with several web workers, set ``CLUSTEROBS_CACHE_URL`` to a shared cache
(``redis://host:port/db`` or ``db://table``, see ``web.cacheconfig``) so they count together. The client address
is ``REMOTE_ADDR`` (behind a proxy, have the proxy set it).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    keys = [f"registry:login-fail:user:{name}"]
    if request is not None and request.META.get("REMOTE_ADDR"):
        keys.append(f"registry:login-fail:ip:{request.META['REMOTE_ADDR']}")
    return keys


def login_blocked(request: HttpRequest | None, username: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any(cache.get(key, 0) >= limit for key in _keys(request, username))


def login_failed(request: HttpRequest | None, username: str) -> None:
    for key in _keys(request, username):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
        cache.touch(key, settings.LOGIN_FAILURE_WINDOW)


def login_succeeded(request: HttpRequest | None, username: str) -> None:
    cache.delete(_keys(None, username)[0])
