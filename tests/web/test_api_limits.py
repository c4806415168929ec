"""The OpenAPI schema states the bounds the API enforces on ``year``, ``limit`` and ``offset``, and the API refuses
the value just outside each (400 naming the parameter): a client reading the schema knows what will be refused."""

from __future__ import annotations

import re

import pytest

from clusterobs.web.api import api

BOUNDED = ("year", "limit", "offset")
REQUIRED_QUERY = {"/api/scoreboard/strengths": "region=DE21", "/api/timeline": "region=DE11&category=automotive",
                  "/api/places": "q=Munich"}
PATH_VALUES = {"code": "DE11", "category": "automotive", "industry": "digital", "fmt": "html", "pk": "1"}


@pytest.fixture(autouse=True)
def _observatory_home(settings, tmp_path):
    """No store: parameters are checked before anything is read (overrides the web suite's, which builds one)."""
    settings.CLUSTEROBS_HOME = tmp_path


def bounded_parameters() -> list[tuple[str, str, dict]]:
    out = []
    for path, ops in api.get_openapi_schema()["paths"].items():
        op = ops.get("get")
        if op is None or op.get("security"):  # token-only reads answer 401 before reading parameters
            continue
        for param in op.get("parameters", []):
            if param["in"] == "query" and param["name"] in BOUNDED:
                schema = param["schema"]
                out.append((path, param["name"], next(s for s in (schema, *schema.get("anyOf", []))
                                                      if s.get("type") == "integer")))
    return out


def test_every_year_limit_and_offset_states_its_bounds():
    params = bounded_parameters()
    assert {name for _, name, _ in params} == set(BOUNDED)
    assert len([p for p in params if p[1] == "year"]) >= 14  # (before: the three reports' year had none)
    missing = [(path, name) for path, name, s in params if "minimum" not in s or "maximum" not in s]
    assert missing == []
    for path, name, s in params:
        if name == "year":
            assert (s["minimum"], s["maximum"]) == (1900, 2100), path
        if name == "limit":
            # suggestions for a search box stop at 50; lists at 500; tables at 100,000 rows
            assert s["minimum"] == 1 and s["maximum"] == (50 if path == "/api/places" else s["maximum"]), path
            assert s["maximum"] in (50, 500, 100_000), path


@pytest.mark.parametrize(("path", "name", "bounds"), bounded_parameters())
def test_the_api_refuses_the_value_just_outside_the_stated_bounds(client, path, name, bounds):
    filled = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)
    for value in (bounds["minimum"] - 1, bounds["maximum"] + 1):
        query = "&".join(q for q in (REQUIRED_QUERY.get(path, ""), f"{name}={value}") if q)
        response = client.get(f"{filled}?{query}")
        assert response.status_code == 400, (path, name, value, response.status_code)
        assert response.json()["error"]["parameter"] == name
