"""The web tests read the real mirror's computed store; the portal database is SQLite or, with
DATABASE_URL, PostgreSQL (``make test`` runs them on both)."""

from __future__ import annotations

import pytest
from django.test import Client


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
