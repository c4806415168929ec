"""The history in the API: ``/api/timeline`` on a small multi-year store built in code (``tests/history_store.py``),
its values computed by hand here; every ``year`` parameter's schema stating the store's years; the same endpoint on
the real store, whatever years it has."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from openpyxl import load_workbook

from clusterobs.web.mapping import selectors

TIMELINE = "/api/timeline?region=DE11&category=automotive"


def close(a, b, rel=1e-9):
    return a is not None and b is not None and math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def real_2015(client, **query):
    """The session store's 2015 row of a cell (what the history store keeps as 2015, and copies to 2013/2014)."""
    r = client.get("/api/measures", {"year": 2015, "limit": 1, **query})
    assert r.status_code == 200, r.content
    return r.json()["results"][0]


@pytest.fixture
def real_de11(client):
    return real_2015(client, region="DE11", category="automotive")


def test_one_row_per_year_with_the_hand_set_values(client, real_de11, history):
    body = client.get(TIMELINE).json()
    assert body["years"] == [2013, 2014, 2015] and body["count"] == 3
    assert (body["region"], body["category"], body["level"], body["scheme"]) == ("DE11", "automotive", 2, "eco2007")
    assert body["region_name"] == "Stuttgart" and body["category_name"] == "Automotive"
    y13, y14, y15 = body["results"]
    assert [r["year"] for r in (y13, y14, y15)] == [2013, 2014, 2015]
    assert [r["employment"] for r in (y13, y14, y15)] == [100_000, 110_000, 121_000]
    # growth: compound annual over the window since 2013 (1 then 2 years), and on the previous year
    assert y13["growth"] is None and y13["growth_window"] is None and y13["growth_yoy"] is None
    assert close(y14["growth"], 110_000 / 100_000 - 1) and y14["growth_window"] == 1
    assert close(y15["growth"], (121_000 / 100_000) ** (1 / 2) - 1) and y15["growth_window"] == 2
    assert close(y15["growth_yoy"], 121_000 / 110_000 - 1)
    # wage per person employed: wages (million EUR) × 10^6 / persons employed
    assert [r["wages"] for r in (y13, y14, y15)] == [4000, 4400, 5082]
    assert close(y13["productivity"], 4000e6 / 100_000) and close(y13["productivity"], 40_000)
    assert close(y15["productivity"], 5082e6 / 121_000) and close(y15["productivity"], 42_000)
    assert [r["establishments"] for r in (y13, y14, y15)] == [500, 510, 520]
    # focus: employment over the region's traded total (1,000,000 in every year)
    assert [round(r["focus"], 12) for r in (y13, y14, y15)] == [0.1, 0.11, 0.121]
    assert (y13["lq"], y14["lq"]) == (2.5, 2.75) and close(y15["lq"], real_de11["lq"])
    # flags of the inputs and the break inside the growth window
    assert [r["flags"] for r in (y13, y14, y15)] == [None, "b", "p"]
    assert [r["growth_break"] for r in (y13, y14, y15)] == [None, True, True]
    # the scheme's stars year by year (2015: the real ones)
    assert [r["stars"] for r in (y13, y14)] == [1, 2] and y15["stars"] == real_de11["stars"]
    assert y13["tests_passed"] == ["size"] and y14["tests_passed"] == ["size", "specialisation"]
    assert y15["tests_passed"] == real_de11["tests_passed"]
    assert all(r["rankable"] is True and r["in_statistics"] and not r["region_no_data"] for r in (y13, y14, y15))


def test_the_copied_years_are_the_2015_cell_scaled(client, history):
    """A cell not set by hand: 2013 and 2014 are copies of 2015 with employment × 0.8 and × 0.9, no growth."""
    body = client.get("/api/timeline?region=FR10&category=biopharmaceuticals&scheme=uscmp").json()
    y13, y14, y15 = body["results"]
    assert close(y13["employment"], 0.8 * y15["employment"]) and close(y14["employment"], 0.9 * y15["employment"])
    assert y13["lq"] == y15["lq"] and y13["stars"] == y15["stars"]
    assert all(r["scheme"] == "uscmp" and r["growth"] is None for r in (y13, y14, y15))


def test_a_cell_that_cannot_be_ranked_has_no_stars_and_says_why(client, history):
    rows = client.get("/api/timeline?region=DE12&category=automotive").json()["results"]
    y15 = rows[-1]
    assert y15["rankable"] is False and y15["stars"] is None and y15["tests_passed"] == []
    assert "coverage 50%" in y15["caveat"]
    assert y15["employment"] == 22_500 and close(y15["growth"], (22_500 / 10_000) ** 0.5 - 1)


def test_files_hold_the_same_rows(client, history):
    json_rows = client.get(TIMELINE).json()["results"]
    r = client.get(TIMELINE + "&format=csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert 'filename="timeline_DE11_automotive_eco2007_nuts2_2013-2015.csv"' in r["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [int(x["year"]) for x in rows] == [2013, 2014, 2015]
    assert [float(x["employment"]) for x in rows] == [x["employment"] for x in json_rows]
    assert rows[0]["growth"] == "" and rows[0]["flags"] == ""  # missing is an empty cell, never 0
    assert rows[2]["tests_passed"] == ",".join(json_rows[2]["tests_passed"])
    x = client.get(TIMELINE + "&format=xlsx")
    assert x.status_code == 200 and x["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(x.content))
    assert {"data", "metadata", "readme"} <= set(book.sheetnames)
    sheet = list(book["data"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert [r[header.index("employment")] for r in sheet[1:]] == [100_000, 110_000, 121_000]
    assert [r[header.index("flags")] for r in sheet[1:]] == [None, "b", "p"]


@pytest.mark.parametrize(("query", "status", "parameter"), [
    ("region=XX99&category=automotive", 404, "region"),
    ("region=DE11&category=no_such_thing", 404, "category"),
    ("category=automotive", 400, "region"),
    ("region=DE11", 400, "category"),
    ("region=&category=automotive", 400, "region"),
    ("region=DE11&category=automotive&scheme=nope", 400, "scheme"),
    ("region=DE11&category=automotive&level=1", 400, "level"),
    ("region=DE11&category=automotive&level=7", 400, "level"),
    ("region=DE11&category=automotive&format=pdf", 400, "format"),
])
def test_errors_in_the_one_envelope(client, history, query, status, parameter):
    r = client.get(f"/api/timeline?{query}")
    assert r.status_code == status, r.content
    err = r.json()["error"]
    assert err["status"] == status and err["parameter"] == parameter and err["message"]


def test_the_answer_is_cached_with_an_etag(client, history):
    first = client.get(TIMELINE)
    assert first["Cache-Control"].startswith("public") and first["ETag"]
    assert client.get(TIMELINE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_every_year_parameter_states_the_store_years(client, history):
    schema = client.get("/api/openapi.json").json()
    seen = []
    for path, ops in schema["paths"].items():
        for op in ops.values():
            for param in op.get("parameters", []):
                if param["name"] == "year" and param["in"] == "query":
                    seen.append(path)
                    assert "2013–2015" in param["description"], path
                    ints = [s for s in [param["schema"], *param["schema"].get("anyOf", [])]
                            if s.get("type") == "integer"]
                    assert ints and all((s["minimum"], s["maximum"]) == (2013, 2015) for s in ints), path
    assert {"/api/measures", "/api/geojson", "/api/headline", "/api/regions/{code}/portfolio"} <= set(seen)
    assert "/api/timeline" in schema["paths"]


def test_every_year_of_the_store_is_accepted_and_others_are_400(client, history):
    for year, employment in ((2013, 100_000), (2014, 110_000), (2015, 121_000)):
        row = client.get(f"/api/measures?region=DE11&category=automotive&year={year}").json()["results"][0]
        assert row["employment"] == employment and row["year"] == year
    r = client.get("/api/measures?year=2012")
    assert r.status_code == 400
    assert r.json()["error"] == {"status": 400, "parameter": "year",
                                 "message": "`year` must be one of 2013, 2014, 2015; got 2012."}


# ---- the real store, whatever years it has --------------------------------------------------------------------


def test_on_the_real_store_one_row_per_year_and_no_history_columns_needed(client):
    """The session's store may predate ``wages``, ``growth_yoy``, ``growth_break`` and ``flags``: they are null."""
    years = selectors.data().years
    body = client.get(TIMELINE).json()
    assert body["years"] == years and [r["year"] for r in body["results"]] == years
    last = body["results"][-1]
    assert last["employment"] > 0 and last["stars"] in (0, 1, 2, 3)
    if len(years) == 1:
        assert all(r["growth"] is None and r["growth_yoy"] is None for r in body["results"])


def test_on_the_real_store_the_schema_names_its_years(client):
    years = selectors.data().years
    schema = client.get("/api/openapi.json").json()
    param = next(p for p in schema["paths"]["/api/measures"]["get"]["parameters"] if p["name"] == "year")
    ints = [s for s in param["schema"]["anyOf"] if s.get("type") == "integer"]
    assert (ints[0]["minimum"], ints[0]["maximum"]) == (years[0], years[-1])
    assert str(years[-1]) in param["description"]


def test_on_the_real_store_growth_over_several_years(client):
    years = selectors.data().years
    if len(years) < 2:
        pytest.skip(f"the store has one year ({years[0]}): growth needs two (SBS 2008-2015 not ingested yet)")
    rows = client.get(TIMELINE).json()["results"]
    with_growth = [r for r in rows if r["growth"] is not None]
    assert with_growth, "DE11 automotive has no growth in any year"
    for r in with_growth:
        assert 1 <= r["growth_window"] <= 5
        base = next(x for x in rows if x["year"] == r["year"] - r["growth_window"])
        assert close(r["growth"], (r["employment"] / base["employment"]) ** (1 / r["growth_window"]) - 1, 1e-6)


def test_every_endpoint_refuses_the_years_just_outside_the_stated_ones(client, history):
    """Each ``year`` the schema bounds by the store's years (2013-2015 here) refuses 2012 and 2016 with a 400
    naming ``year``, the reports included (they named no parameter)."""
    values = {"code": "DE11", "category": "automotive", "industry": "emerging_digital", "fmt": "html"}
    required = {"/api/scoreboard/strengths": "region=DE21&", "/api/timeline": "region=DE11&category=automotive&",
                "/api/emerging/{industry}": "part=regions&"}  # (the composition has no year)
    schema = client.get("/api/openapi.json").json()
    checked = []
    for path, ops in schema["paths"].items():
        op = ops.get("get", {})
        if op.get("security") or not any(p["name"] == "year" for p in op.get("parameters", [])):
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], path)
        for year in (2012, 2016):
            response = client.get(f"{url}?{required.get(path, '')}year={year}")
            assert response.status_code == 400, (path, year, response.status_code)
            assert response.json()["error"]["parameter"] == "year", (path, response.json())
        checked.append(path)
    assert len(checked) >= 14 and "/api/reports/region/{code}.{fmt}" in checked
