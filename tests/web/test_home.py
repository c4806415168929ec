"""The home page renders headline figures from the data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_clusters_by_stars(client):
    r = client.get("/")
    assert r.status_code == 200
    assert b"European Cluster Observatory" in r.content
