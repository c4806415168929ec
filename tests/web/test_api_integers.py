"""Integer parameters take whole numbers written with digits only.

Pydantic's lax mode took ``limit=+0.0`` for an integer, which the schema forbids: schemathesis found it on a fresh
clone once (``GET /api/registry/profiles``). Every integer query and path parameter of the OpenAPI schema is checked
here, so a new endpoint with a plain ``int`` parameter fails this test.
"""

from __future__ import annotations

import re

import pytest

from clusterobs.web.api import api
from clusterobs.web.mapping import selectors

pytestmark = pytest.mark.django_db

NOT_WHOLE = ["+0.0", "1.0", " 5", "5 ", "1_000", "+5", "0x10", "٣"]
# a value in range for each parameter: the check is about the writing, not about the range
IN_RANGE = {"year": "2015", "level": "2", "threshold": "90", "top": "5", "limit": "5", "offset": "0",
            "min_stars": "1", "pk": "1", "request": "1"}
PATH_VALUES = {"code": "DE11", "category": "automotive", "industry": "digital", "fmt": "html"}
#: the required query parameters of an endpoint, given valid values so that the one checked is the one at fault
REQUIRED_QUERY = {"/api/scoreboard/strengths": {"region": "DE21"},
                  "/api/timeline": {"region": "DE11", "category": "automotive"},
                  "/api/places": {"q": "Munich"}}


def integer_parameters() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema()
    out = []
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None or op.get("security"):  # token-only reads answer 401 before reading parameters
            continue
        for param in op.get("parameters", []):
            s = param.get("schema", {})
            if "integer" in {s.get("type"), *(a.get("type") for a in s.get("anyOf", []))}:
                out.append((path, param["in"], param["name"]))
    return out


def url(path: str, where: str, name: str, value: str) -> str:
    filled = re.sub(r"\{(\w+)\}", lambda m: value if (where, m[1]) == ("path", name) else PATH_VALUES.get(
        m[1], IN_RANGE.get(m[1], "1")), path)
    query = [f"{k}={v}" for k, v in REQUIRED_QUERY.get(path, {}).items()]
    if where == "query":
        query.append(f"{name}={value}")
    return f"{filled}?{'&'.join(query)}" if query else filled


def test_the_schema_has_integer_parameters_to_check():
    params = integer_parameters()
    assert len(params) >= 40
    assert ("/api/registry/profiles", "query", "limit") in params
    assert ("/api/registry/profiles/{pk}", "path", "pk") in params


@pytest.mark.parametrize(("path", "where", "name"), integer_parameters())
def test_an_integer_parameter_refuses_what_is_not_a_whole_number(client, path, where, name):
    for bad in NOT_WHOLE:
        r = client.get(url(path, where, name, bad))
        assert r.status_code == 400, (path, name, bad, r.status_code)
        assert r.json()["error"]["parameter"] == name
    if path.startswith("/api/reports/"):
        return  # a whole number there generates a report (tests/web/test_reports_web.py)
    r = client.get(url(path, where, name, IN_RANGE[name]))
    assert r.status_code < 500
    if r.status_code == 400:
        assert r.json()["error"]["parameter"] != name, r.json()


def test_registry_lists_refuse_a_page_size_out_of_range_and_say_the_limits(client):
    assert client.get("/api/registry/profiles?limit=-1").status_code == 400
    assert client.get("/api/registry/profiles?limit=501").status_code == 400
    assert client.get("/api/registry/profiles?limit=500").status_code == 200
    limit = next(p for p in api.get_openapi_schema()["paths"]["/api/registry/events"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 500)


def test_parameter_bounds_are_written_as_json_schema_says():
    """``minimum``/``maximum``: pydantic wrote ``ge``/``le`` (which no client reads) for optional integers."""
    schema = api.get_openapi_schema()

    def keys(node):
        if isinstance(node, dict):
            yield from node
            for v in node.values():
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    raw = [(path, p["name"]) for path, ops in schema["paths"].items() for op in ops.values()
           for p in op.get("parameters", []) if {"ge", "le", "gt", "lt"} & set(keys(p["schema"]))]
    assert raw == []
    # the years the published version holds, read from the store when the schema is built (web/api.py with_years)
    years = selectors.data().years
    year = next(p for p in schema["paths"]["/api/regions/{code}"]["get"]["parameters"] if p["name"] == "year")
    assert {k: v for k, v in year["schema"]["anyOf"][0].items() if k != "description"} == {
        "type": "integer", "minimum": years[0], "maximum": years[-1]}


def test_without_a_store_the_year_keeps_its_static_bounds():
    """No published version (a fresh install): the schema still builds, with the bounds the code declares."""
    from clusterobs.web.api import with_years

    schema = with_years(_static_schema(), [])
    year = next(p for p in schema["paths"]["/api/regions/{code}"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"]["anyOf"][0] == {"type": "integer", "minimum": 1900, "maximum": 2100}


def _static_schema():
    from ninja import NinjaAPI

    return NinjaAPI.get_openapi_schema(api)


def test_a_list_of_codes_refuses_an_empty_value(client):
    """``region=`` violates the schema (items have a minimum length); it was read as "every region"."""
    r = client.get("/api/scoreboard/scores?region=&format=csv")
    assert r.status_code == 400
    assert r.json()["error"]["parameter"] == "region"
    assert client.get("/api/scoreboard/scores?region=DE21").status_code == 200
