"""Login throttling on Django's cache, counted *before* a password is checked, so concurrent attempts cannot overrun it.

Two budgets, each of slots in the cache:

* one account from one client address: ``LOGIN_FAILURE_LIMIT`` (5) attempts within ``LOGIN_FAILURE_WINDOW`` (900 s);
* one client address, whatever the accounts: ``LOGIN_ADDRESS_FAILURE_LIMIT`` (50) attempts in the same window.

An attempt first takes a free slot in both (``reserve``: ``cache.add`` of a slot key, atomic on every cache backend,
including the database cache whose ``incr`` is not); with none free it is refused (``LoginThrottled``) and the
password is not checked. A failed attempt keeps its slots until they expire, ``LOGIN_FAILURE_WINDOW`` after it; a
successful one gives its own slots back (``Reservation.release``) but does not erase earlier failures. So at most
the limit of passwords are checked per account and address in any window, however many arrive together; another
address, or another user behind the same address, is not locked out by them.

Every password check goes through here: ``ThrottledModelBackend`` (the site's login and the admin's, anything that
calls ``django.contrib.auth.authenticate``) and ``ThrottledPasswordChangeForm`` (the old password).

The counters live in the default cache: with several web workers, set ``CLUSTEROBS_CACHE_URL`` to a shared cache
(``redis://host:port/db`` or ``db://table``, see ``web.cacheconfig``). The client address is ``REMOTE_ADDR``, or,
with ``TRUSTED_PROXY_COUNT`` = N > 0, the address the outermost of N trusted proxies saw (``client_address``). IPv6
addresses count per /64 network.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "accounts:login"


class LoginThrottled(Exception):
    """Too many recent attempts: the password was not checked. ``wait`` seconds until a slot frees."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"too many failed logins; retry in {math.ceil(wait)} s")
        self.wait = wait

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait / 60))


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with ``TRUSTED_PROXY_COUNT`` = N > 0 the N-th address from the
    right of ``X-Forwarded-For`` (each trusted proxy appends the address it received from; entries further left were
    written by the client and are ignored). IPv6 is reduced to its /64 network. None without a request."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if hops:
            address = hops[-trusted] if len(hops) >= trusted else hops[0]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or None
    if ip.version == 6 and not ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def budgets(request: HttpRequest | None, username: str) -> list[tuple[str, int]]:
    """(key prefix, limit) of each budget an attempt draws on: the account at this address, then the address."""
    return _budgets(client_address(request), username)


def _budgets(address: str | None, username: str) -> list[tuple[str, int]]:
    account = username.strip().lower()
    out = [(f"{PREFIX}:acct:{_digest(account, address or '')}", settings.LOGIN_FAILURE_LIMIT)]
    if address:
        out.append((f"{PREFIX}:addr:{_digest(address)}", settings.LOGIN_ADDRESS_FAILURE_LIMIT))
    return out


def _slots(prefix: str, limit: int) -> list[str]:
    return [f"{prefix}:{i}" for i in range(limit)]


def _take_slot(prefix: str, limit: int) -> str | None:
    """A free slot of the budget, taken atomically (``cache.add``); None when all are held."""
    names = _slots(prefix, limit)
    held = cache.get_many(names)  # also purges expired rows of the database cache, so ``add`` inserts
    window = settings.LOGIN_FAILURE_WINDOW
    for name in names:
        if name not in held and cache.add(name, time.time() + window, window):
            return name
    return None


def _wait(prefix: str, limit: int) -> float:
    expiries = [v for v in cache.get_many(_slots(prefix, limit)).values() if isinstance(v, int | float)]
    return max(0.0, min(expiries) - time.time()) if expiries else float(settings.LOGIN_FAILURE_WINDOW)


@dataclass
class Reservation:
    """The slots one attempt holds. A failure leaves them held; ``release`` after a success."""

    keys: list[str] = field(default_factory=list)

    def release(self) -> None:
        cache.delete_many(self.keys)


def reserve(request: HttpRequest | None, username: str) -> Reservation:
    """Take a slot of each budget before checking a password, or raise ``LoginThrottled`` (nothing held)."""
    taken = Reservation()
    for prefix, limit in budgets(request, username):
        slot = _take_slot(prefix, limit)
        if slot is None:
            taken.release()
            raise LoginThrottled(_wait(prefix, limit))
        taken.keys.append(slot)
    return taken


def blocked(request: HttpRequest | None, username: str) -> bool:
    """Whether an attempt now would be refused (every slot of one budget held); takes nothing."""
    return any(len(cache.get_many(_slots(prefix, limit))) >= limit for prefix, limit in budgets(request, username))


def reset(username: str, address: str | None = None) -> None:
    """Clear the budget of the account at ``address`` (as ``client_address`` gives it), and that address's own:
    an operator unlocking someone before the window passes."""
    cache.delete_many([slot for prefix, limit in _budgets(address, username) for slot in _slots(prefix, limit)])


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, taking a throttle slot before it checks the password (``LoginThrottled`` when none
    is free: it leaves ``authenticate()``, so the login forms can say why)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if username is None:
            from django.contrib.auth import get_user_model

            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        reservation = reserve(request, str(username))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            reservation.release()
        return user
