"""``CLUSTEROBS_CACHE_URL``: Django's cache from one URL, so web workers share the login-throttling counters."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings

from clusterobs.web.accounts import throttle
from clusterobs.web.cacheconfig import CacheURLError, caches_from_url

#: the Redis cases share a Redis database with the other Redis tests: one xdist worker runs them all
pytestmark = pytest.mark.xdist_group("redis")

REDIS = ("127.0.0.1", 6379)


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize(("url", "backend", "location"), [
    (None, "locmem.LocMemCache", "clusterobs"),
    ("", "locmem.LocMemCache", "clusterobs"),
    ("locmem://", "locmem.LocMemCache", "clusterobs"),
    ("redis://127.0.0.1:6379/2", "redis.RedisCache", "redis://127.0.0.1:6379/2"),
    ("rediss://:secret@cache.example:6380/0", "redis.RedisCache", "rediss://:secret@cache.example:6380/0"),
    ("db://clusterobs_cache", "db.DatabaseCache", "clusterobs_cache"),
])
def test_accepted_urls(url, backend, location):
    default = caches_from_url(url)["default"]
    assert default["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert default["LOCATION"] == location and default["KEY_PREFIX"] == "clusterobs"


@pytest.mark.parametrize(("url", "says"), [
    ("memcached://127.0.0.1:11211", "use locmem://, redis://host:port/db or db://table"),
    ("redis://", "needs a host"),
    ("db://drop table;", "table name of letters, digits and _"),
])
def test_other_urls_are_refused_with_the_reason(url, says):
    with pytest.raises(CacheURLError, match=says):
        caches_from_url(url)


WORKER = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "clusterobs.web.settings"
import django
django.setup()
from clusterobs.web.accounts import throttle
for _ in range(int(sys.argv[2])):
    throttle.reserve(None, sys.argv[1])  # a failed attempt keeps its slot
print(throttle.blocked(None, sys.argv[1]))
"""


def another_worker(url: str, username: str, failures: int) -> str:
    """A second process with the same settings records ``failures`` failed logins for ``username``."""
    env = {**os.environ, "CLUSTEROBS_CACHE_URL": url}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", WORKER, username, str(failures)], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    return out.stdout.strip()


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_two_workers_on_redis_count_the_same_failures(settings):
    url = "redis://127.0.0.1:6379/15"
    username = f"someone-{uuid.uuid4().hex}@example.org"
    with override_settings(CACHES=caches_from_url(url), LOGIN_FAILURE_LIMIT=5):
        throttle.reserve(None, username)  # one failure here
        assert another_worker(url, username, 3) == "False"  # 4 in all: not yet
        assert not throttle.blocked(None, username)
        assert another_worker(url, username, 1) == "True"  # the 5th, in the other process
        assert throttle.blocked(None, username)  # seen here too
        with pytest.raises(throttle.LoginThrottled):
            throttle.reserve(None, username)
        throttle.reset(username)
        assert not throttle.blocked(None, username)


def test_with_the_default_each_process_counts_its_own(settings):
    username = f"someone-{uuid.uuid4().hex}@example.org"
    assert another_worker("locmem://", username, 5) == "True"
    assert not throttle.blocked(None, username)  # the other process's counts are not seen here


@pytest.mark.django_db(transaction=True)
def test_database_cache_holds_the_counters_in_the_portal_database():
    with override_settings(CACHES=caches_from_url("db://clusterobs_cache_test"), LOGIN_FAILURE_LIMIT=2):
        call_command("createcachetable", verbosity=0)
        username = "db-cache@example.org"
        throttle.reserve(None, username)
        assert not throttle.blocked(None, username)
        throttle.reserve(None, username)
        assert throttle.blocked(None, username)
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM clusterobs_cache_test")
            assert cur.fetchone()[0] >= 1


def test_a_burst_over_many_accounts_does_not_cull_the_counters():
    """Django's locmem and database caches drop a third of their entries beyond 300 by default: 400 accounts'
    failures would erase the first ones' slots."""
    with override_settings(CACHES=caches_from_url("locmem://cull-test"), LOGIN_FAILURE_LIMIT=1):
        names = [f"sprayed-{i}" for i in range(400)]
        for name in names:
            throttle.reserve(None, name)
        assert all(throttle.blocked(None, name) for name in names)
