"""Login throttling under concurrency and behind proxies (issue 17, item 1): the attempt is counted before the password
is checked, per account at one address, with a higher ceiling per address; the admin's login and the password change
draw on the same budget. The acceptance probe: concurrent login POSTs with threads against the live test server."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import threading
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import RequestFactory
from django.urls import reverse

from clusterobs.web.accounts import throttle
from clusterobs.web.cacheconfig import caches_from_url

#: the Redis cases share a Redis database with the other Redis tests: one xdist worker runs them all
pytestmark = pytest.mark.xdist_group("redis")

PASSWORD = "correct horse battery staple 42"  # as in conftest.py
THROTTLED = "Too many failed logins"
WRONG = re.compile(r"Please enter (a|the) correct username and password")


@pytest.fixture(autouse=True)
def _observatory_home(settings, tmp_path):
    """No store: the account pages do not need one (overrides the web suite's, which builds the real store)."""
    settings.CLUSTEROBS_HOME = tmp_path


@pytest.fixture
def checks(monkeypatch):
    """Every password checked, in order: (the password, whether it was right)."""
    seen: list[tuple[str, bool]] = []
    lock = threading.Lock()
    check = AbstractBaseUser.check_password

    def counting(self, raw_password):
        ok = check(self, raw_password)
        with lock:
            seen.append((raw_password, ok))
        return ok

    monkeypatch.setattr(AbstractBaseUser, "check_password", counting)
    return seen


class Browser:
    """One client of the live server: its own cookies and CSRF token, as a browser that opened the login page."""

    def __init__(self, base: str, path: str, forwarded_for: str | None = None) -> None:
        self.url = base + path
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        page = self.opener.open(urllib.request.Request(self.url, headers=self.headers), timeout=60).read().decode()
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username: str, password: str) -> tuple[int, str]:
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.csrf}).encode()
        request = urllib.request.Request(self.url, data=data, headers={**self.headers, "Referer": self.url})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:  # the 302 of a login (redirects are not followed)
            return exc.code, ""


def concurrent_logins(base: str, username: str, passwords: list[str], path: str = "/accounts/login/",
                      forwarded_for: str | None = None) -> list[tuple[int, str]]:
    """POST every password at once (one thread and one session each, released together by a barrier)."""
    browsers = [Browser(base, path, forwarded_for) for _ in passwords]
    barrier = threading.Barrier(len(passwords))

    def post(i: int) -> tuple[int, str]:
        barrier.wait(timeout=60)
        return browsers[i].login(username, passwords[i])

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(post, range(len(passwords))))


def outcome(answer: tuple[int, str]) -> str:
    status, body = answer
    if status == 302:
        return "in"
    assert status == 200, answer
    if THROTTLED in body:
        return "throttled"
    assert WRONG.search(body), body[:500]
    return "wrong"


CACHES = ["locmem://", "db://clusterobs_throttle_test", "redis://127.0.0.1:6379/14"]
#: tests that call the throttle from several threads at once (besides those on the live server)
THREADED = {"test_reserve_hands_out_exactly_the_limit_to_concurrent_callers"}


@pytest.fixture(params=CACHES)
def shared_cache(request, settings, transactional_db):
    """The throttle's cache: in the process, in the portal database, in Redis (skipped without one)."""
    url = request.param
    if url.startswith("redis"):
        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        except OSError:
            pytest.skip("no Redis at 127.0.0.1:6379")
    before = settings.CACHES
    from django.db import connection

    threads = "live_server" in request.fixturenames or request.node.originalname in THREADED
    if url.startswith("db") and threads and connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("concurrent threads share the in-memory SQLite test database's one connection, so one "
                    "thread's rollback undoes another's cache row; served, each has its own (PostgreSQL runs it)")
    caches = caches_from_url(url)
    if url.startswith("redis"):
        # Redis is the machine's, shared with any other run of the suite (a fresh-clone check beside a developer's
        # run): keys of this test's own, and no FLUSHDB, which would erase another run's slots in the middle of it
        caches["default"]["KEY_PREFIX"] = f"test-throttle-{uuid.uuid4().hex}"
    settings.CACHES = caches
    from django.core.cache import cache
    from django.core.management import call_command

    if url.startswith("db"):
        call_command("createcachetable", verbosity=0)
    if url.startswith("redis"):
        yield url  # a new key prefix: nothing of it to clear before
        _clear_prefix(cache)
    else:
        cache.clear()  # this process's memory, or this test database's table
        yield url
        cache.clear()
    settings.CACHES = before  # while the database is still open (the suite's cache clearing comes after)


def _clear_prefix(cache) -> None:
    """Delete this test's keys from Redis (those under its key prefix), leaving any other run's."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def owner(_fast_hashing, transactional_db, django_user_model):
    return django_user_model.objects.create_user("owner", "owner@example.org", PASSWORD)


@pytest.fixture(scope="module")
def _server(django_db_setup, django_db_blocker):
    """pytest-django's live server, listening with a deeper queue: with Django's 10, some of 40 simultaneous
    connections are reset before the server reads them."""
    from django.core.servers.basehttp import WSGIServer
    from pytest_django.live_server_helper import LiveServer

    queue = WSGIServer.request_queue_size
    WSGIServer.request_queue_size = 128
    try:
        with django_db_blocker.unblock():
            server = LiveServer("localhost")
    finally:
        WSGIServer.request_queue_size = queue
    yield server
    server.stop()


@pytest.fixture
def live_server(_server, owner):
    """The live server, with the account ``owner`` in a database it sees."""
    return _server


def test_39_concurrent_wrong_passwords_check_at_most_the_limit_then_the_right_one_is_refused(
        live_server, settings, checks, shared_cache):
    settings.LOGIN_FAILURE_LIMIT = 5
    answers = concurrent_logins(live_server.url, "owner", ["wrong"] * 39)
    outcomes = [outcome(a) for a in answers]
    assert len(checks) == 5  # (before: 25 of the 39 were checked)
    assert outcomes.count("wrong") == 5 and outcomes.count("throttled") == 34
    right = Browser(live_server.url, "/accounts/login/").login("owner", PASSWORD)
    assert outcome(right) == "throttled" and len(checks) == 5  # refused without checking it


def test_40_concurrent_logins_39_wrong_1_right(live_server, settings, checks, shared_cache):
    settings.LOGIN_FAILURE_LIMIT = 5
    passwords = ["wrong"] * 20 + [PASSWORD] + ["wrong"] * 19
    outcomes = [outcome(a) for a in concurrent_logins(live_server.url, "owner", passwords)]
    wrong_checked = [p for p, ok in checks if not ok]
    assert len(wrong_checked) <= 5 and outcomes.count("wrong") == len(wrong_checked)
    right_checked = [i for i, (_, ok) in enumerate(checks) if ok]
    if outcomes[20] == "in":  # the right one got one of the 5 slots: at most 4 failures were checked before it
        assert right_checked and right_checked[0] < 5
    else:  # or it came once the 5 were taken: refused without a check
        assert outcomes[20] == "throttled" and not right_checked and len(checks) == 5
    assert outcomes.count("throttled") == 40 - len(checks)


def test_the_admin_login_is_throttled_too(live_server, settings, checks):
    settings.LOGIN_FAILURE_LIMIT = 3
    outcomes = [outcome(a) for a in concurrent_logins(live_server.url, "owner", ["wrong"] * 12, "/admin/login/")]
    assert len(checks) == 3 and outcomes.count("throttled") == 9
    # the site's login draws on the same budget
    assert outcome(Browser(live_server.url, "/accounts/login/").login("owner", PASSWORD)) == "throttled"


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_budget(live_server, settings, checks):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    # the client writes a false address first; the proxy appends the real one (the live server's REMOTE_ADDR is
    # 127.0.0.1 for every request, like a proxy's)
    answers = concurrent_logins(live_server.url, "owner", ["wrong"] * 6, forwarded_for="10.0.0.99, 203.0.113.7")
    assert len(checks) == 2 and [outcome(a) for a in answers].count("throttled") == 4
    other = Browser(live_server.url, "/accounts/login/", forwarded_for="10.0.0.99, 198.51.100.8")
    assert outcome(other.login("owner", PASSWORD)) == "in"


def test_without_trusted_proxies_the_forwarded_header_is_ignored(live_server, settings, checks):
    settings.LOGIN_FAILURE_LIMIT = 2
    for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        Browser(live_server.url, "/accounts/login/", forwarded_for=forged).login("owner", "wrong")
    assert len(checks) == 2  # one address (127.0.0.1), whatever the header says


# ---- one address, several accounts (the test client sets REMOTE_ADDR) ------------------------------------------


def post_login(client, username: str, password: str, address: str) -> str:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password},
                           REMOTE_ADDR=address)
    return "in" if response.status_code == 302 else ("throttled" if THROTTLED in response.content.decode()
                                                     else "wrong")


def test_failures_for_one_user_do_not_lock_out_another_at_the_same_address(people, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert [post_login(client, "owner", "wrong", "10.0.0.1") for _ in range(3)] == ["wrong", "wrong", "throttled"]
    assert post_login(client, "owner", PASSWORD, "10.0.0.1") == "throttled"
    assert post_login(client, "other", PASSWORD, "10.0.0.1") == "in"  # (before: locked out by owner's failures)
    client.logout()
    assert post_login(client, "owner", PASSWORD, "10.0.0.2") == "in"  # owner from elsewhere


def test_the_address_ceiling_blocks_every_account_after_n_failures(people, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 7
    sprayed = [post_login(client, name, "wrong", "10.0.0.5")
               for name in ("owner", "other", "requester", "nobody", "ghost", "someone", "anyone")]
    assert sprayed == ["wrong"] * 7
    assert post_login(client, "curator", PASSWORD, "10.0.0.5") == "throttled"  # never failed, but the address did
    assert post_login(client, "curator", PASSWORD, "10.0.0.6") == "in"


def test_a_success_gives_back_its_slot_but_keeps_earlier_failures(people, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    assert post_login(client, "owner", "wrong", "10.0.0.7") == "wrong"
    for _ in range(5):  # successes do not use up the account's or the address's budget
        assert post_login(client, "owner", PASSWORD, "10.0.0.7") == "in"
        client.logout()
    assert [post_login(client, "owner", "wrong", "10.0.0.7") for _ in range(3)] == ["wrong", "wrong", "throttled"]


def test_password_change_checks_the_old_password_under_the_same_budget(people, login, settings, checks):
    settings.LOGIN_FAILURE_LIMIT = 2
    client = login(people.owner)
    url = reverse("accounts:password_change")
    new = {"new_password1": "another long passphrase 7", "new_password2": "another long passphrase 7"}
    for _ in range(2):
        page = client.post(url, {"old_password": "wrong", **new}, REMOTE_ADDR="10.0.0.8").content.decode()
        assert "Your old password was entered incorrectly" in page
    page = client.post(url, {"old_password": PASSWORD, **new}, REMOTE_ADDR="10.0.0.8").content.decode()
    assert THROTTLED in page and len(checks) == 2
    people.owner.refresh_from_db()
    assert people.owner.check_password(PASSWORD)  # unchanged


# ---- the client address --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "address"), [
    (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # the header is not read by default
    (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
    (1, "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged first entry is ignored
    (2, "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
    (2, "10.0.0.2", "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies: the leftmost
    (1, "10.0.0.1", "", "10.0.0.1"),  # no header: the peer
    (0, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),  # IPv6 counts per /64
    (0, "::ffff:192.0.2.9", "", "192.0.2.9"),
])
def test_client_address(settings, trusted, remote, forwarded, address):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_address(request) == address


def test_reserve_hands_out_exactly_the_limit_to_concurrent_callers(settings, shared_cache):
    settings.LOGIN_FAILURE_LIMIT = 4
    username = f"u-{uuid.uuid4().hex}"
    barrier = threading.Barrier(16)

    def attempt(_: int) -> bool:
        barrier.wait(timeout=30)
        try:
            throttle.reserve(None, username)
        except throttle.LoginThrottled:
            return False
        finally:
            from django.db import connection

            connection.close()
        return True

    with ThreadPoolExecutor(16) as pool:
        granted = list(pool.map(attempt, range(16)))
    assert granted.count(True) == 4 and throttle.blocked(None, username)


def test_an_operator_unlocks_an_account_at_an_address(people, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert [post_login(client, "owner", "wrong", "203.0.113.7") for _ in range(3)] == ["wrong", "wrong", "throttled"]
    throttle.reset("owner", "203.0.113.7")
    assert post_login(client, "owner", PASSWORD, "203.0.113.7") == "in"
