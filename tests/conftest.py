"""Shared fixtures: where the mirror is, and one real ingest (and compute) of it for the whole run.

Under pytest-xdist (``make test`` runs ``pytest -n 2``) the real store is built once per run, not once per worker
(``shared_store``): a child process started by the first worker builds it in the run's shared temporary directory
while the workers run the tests that need no store, and each worker then works on its own copy (a test may write
into its store's data directory). With ``--dist loadgroup``, the Spark tests' modules share one worker (one JVM, no
two Spark jobs at once), and the tests of a module that uses a module-scoped fixture share one (the fixture is
built once); the others are spread one by one.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterobs.config import Settings
from shared_store import copy_store, shared_compute, shared_ingest, start_background_build

REPO = Path(__file__).resolve().parents[1]


def is_spark(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("spark")) or "spark" in getattr(item, "fixturenames", ())


def needs_store(item: pytest.Item) -> bool:
    return "ingested" in getattr(item, "fixturenames", ())


def has_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a module- or class-scoped fixture of the suite's own (one per worker running it)."""
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.values() if info else ()
    return any(d[-1].scope in ("module", "class") and d[-1].baseid for d in defs if d)  # baseid "": a plugin's


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's worker reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The ``portal_db`` mark on every test that reaches the portal database (``make test`` runs them again on
    PostgreSQL). One xdist group per item at most: every test of a module with a Spark test in ``spark`` (one worker,
    one JVM, no two Spark jobs at once); else a test using a module-scoped fixture in its module's group (built
    once). Under xdist, the tests that need no real store first: the workers run them while it is built."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=needs_store)  # stable: the same order on every worker, as xdist requires
    spark_modules = {item.path for item in items if is_spark(item)}
    for item in items:
        if reaches_portal_db(item):
            item.add_marker(pytest.mark.portal_db)
        if item.path in spark_modules:
            item.add_marker(pytest.mark.xdist_group("spark"))
        elif item.get_closest_marker("xdist_group") is None and has_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.path.relative_to(REPO).as_posix()))


#: grouped tests pytest-xdist did not put in their group (``pytest_collection_finish``)
UNGROUPED: set[str] = set()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Under ``--dist loadgroup``, note every grouped test whose id pytest-xdist did not give its ``@group``: with
    pytest 9.2 it silently ignored every group (pytest-dev/pytest-xdist#1386), so module fixtures were built on both
    workers and two Spark JVMs ran at once. Each such test then fails, saying why (``pytest_runtest_setup``)."""
    if os.environ.get("PYTEST_XDIST_WORKER") and session.config.getoption("loadgroup", False):
        UNGROUPED.update(item.nodeid for item in session.items if item.get_closest_marker("xdist_group") is not None
                         and "@" not in item.nodeid.rpartition("]")[2])


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.nodeid in UNGROUPED:
        pytest.fail("--dist loadgroup did not put this test in its xdist_group: this pytest and pytest-xdist do not "
                    "group (pytest-dev/pytest-xdist#1386; pyproject.toml keeps pytest below 9.2)", pytrace=False)


def reaches_portal_db(item: pytest.Item) -> bool:
    """Whether a test can reach the portal database: pytest-django's ``django_db`` mark, or a fixture that needs
    the test database (``db``, ``transactional_db``, ``live_server``, ``django_db_setup``…: all of them request
    ``django_db_setup``), directly or through the test's own fixtures (a registry test's ``people``)."""
    return item.get_closest_marker("django_db") is not None or "django_db_setup" in getattr(item, "fixturenames", ())


def run_shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The directory every xdist worker of this run sees, where the real store is built once; None outside xdist.

    ``CLUSTEROBS_TEST_SHARED`` names one that outlives the run: ``make test`` gives both its passes the same, so the
    PostgreSQL pass reuses the store the first pass built (the Makefile empties it first)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    if chosen := os.environ.get("CLUSTEROBS_TEST_SHARED"):
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.getbasetemp().parent


def mirror_path() -> Path:
    """The offline mirror: env CLUSTEROBS_MIRROR, else ../shared/data beside the repository."""
    return Path(os.environ.get("CLUSTEROBS_MIRROR") or REPO.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_path()
    if not path.is_dir():
        pytest.fail(f"the offline mirror is not at {path}: set CLUSTEROBS_MIRROR")
    return path


@pytest.fixture(scope="session", autouse=True)
def _store_in_background(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Under xdist, the first worker starts building the run's real store in a child process at once, when a test
    of the run needs it (``shared_store``); it waits for the child at its end."""
    shared, mirror = run_shared_dir(tmp_path_factory), mirror_path()
    if shared is None or os.environ.get("PYTEST_XDIST_WORKER") != "gw0" or not mirror.is_dir() or \
            not any(needs_store(item) for item in request.session.items):
        yield
        return
    child = start_background_build(shared, mirror, shared / "store-build.log")
    yield
    try:
        child.wait(timeout=900)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory, mirror: Path):
    """A data directory holding one published ingest of the real mirror."""
    from clusterobs.ingest import run_ingest
    from clusterobs.store import Store

    home = tmp_path_factory.mktemp("home")
    shared = run_shared_dir(tmp_path_factory)
    if shared is None:
        return Store(home), run_ingest(Settings(home=home, mirror=mirror))
    built, summary = shared_ingest(shared, mirror)
    copy_store(built, home)
    return Store(home), summary


@pytest.fixture(scope="session")
def computed(ingested, tmp_path_factory: pytest.TempPathFactory, mirror: Path):
    """The ingested store after ``clusterobs compute``: (Store, ComputeSummary)."""
    from clusterobs.compute import run_compute

    store, _ = ingested
    shared = run_shared_dir(tmp_path_factory)
    if shared is None:
        return store, run_compute(store)
    built, summary = shared_compute(shared, mirror)
    copy_store(built, store.home)  # the computed version beside the worker's ingest, published
    return store, summary


@pytest.fixture
def wide_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's consoles 400 columns wide in this test: Rich folds a long temporary path (pytest-xdist's are longer)
    inside a file name or a table cell otherwise."""
    from clusterobs import cli

    for console in (cli.console, cli.err):
        monkeypatch.setattr(console, "width", 400)


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession (2 threads, temporary warehouse) for every Spark test of the run."""
    from clusterobs.mapping.backends import java_version, spark_available, spark_backend

    reason = spark_available()
    if reason:
        pytest.skip(reason)
    if java_version() is None:
        pytest.fail("PySpark is installed but no Java runtime was found (java on PATH or JAVA_HOME): "
                    "install openjdk-17-jre-headless; CI must run the Spark parity tests")
    from clusterobs.spark_cluster import QUICK_JVM

    # C1-only JIT, serial GC, no verification of Spark's jars: the JVM starts and warms up on less CPU
    backend = spark_backend("local[2]", conf={"spark.driver.extraJavaOptions": QUICK_JVM})
    yield backend
    backend.disconnect()


@pytest.fixture(scope="session")
def symlink_mirror(mirror: Path):
    """Make a mirror of symlinks to the real one, whose files a test can replace one by one."""

    def make(dest: Path) -> Path:
        dest.mkdir()
        for folder in mirror.iterdir():
            if folder.is_dir():
                (dest / folder.name).mkdir()
                for f in folder.iterdir():
                    (dest / folder.name / f.name).symlink_to(f)
        return dest

    return make
