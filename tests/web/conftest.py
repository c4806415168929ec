"""The web tests read the real mirror's computed store; the portal database is SQLite or, with
DATABASE_URL, PostgreSQL (``make test`` runs them on both)."""

from __future__ import annotations

import os
import shutil

import pytest
from django.test import Client
from django.utils import translation

from clusterobs.store import Store
from clusterobs.web import dataset, pagecache


@pytest.fixture(scope="session")
def web_store(computed):
    store, _ = computed
    return store


@pytest.fixture(autouse=True)
def _observatory_home(settings, web_store):
    settings.CLUSTEROBS_HOME = web_store.home


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture(scope="session")
def history_store(computed, tmp_path_factory):
    """A multi-year store (2013-2015) built in code from the session's store (``tests/history_store.py``)."""
    from history_store import build_history_store

    store, _ = computed
    return build_history_store(store, tmp_path_factory.mktemp("history"))


@pytest.fixture
def history(settings, history_store):
    """Serve the multi-year store in this test (instead of the session's real one)."""
    settings.CLUSTEROBS_HOME = history_store.home
    return history_store


@pytest.fixture(autouse=True)
def _no_kept_pages():
    """Each test renders its pages afresh: a page kept by an earlier test (before a monkeypatched selector, or
    of another store) is not served to the next (``pagecache.PAGES``, the public pages' cache)."""
    pagecache.PAGES.clear()
    yield
    pagecache.PAGES.clear()


@pytest.fixture
def two_versions(settings, tmp_path, web_store, monkeypatch):
    """A data directory with two versions (the session's, linked under two ids), the first published."""
    monkeypatch.setattr(dataset, "_current", dataset._current)  # the session's Observatory comes back after
    source = web_store.path(web_store.current())
    (tmp_path / "versions").mkdir()
    ids = ("20300101T000000", "20300101T000000-2")
    for version in ids:
        target = tmp_path / "versions" / f"{version}.duckdb"
        try:
            os.link(source, target)
        except OSError:  # another file system: a copy
            shutil.copyfile(source, target)
    store = Store(tmp_path)
    store.publish(ids[0])
    settings.CLUSTEROBS_HOME = tmp_path
    return store, ids


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a test that activates French must not leave it active for
    the next test its xdist worker runs (``test_honest_gaps`` once read a French caveat so)."""
    translation.deactivate()
    yield
    translation.deactivate()
