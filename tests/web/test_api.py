"""The REST API's JSON answers hold the store's numbers: each figure is read back from the DuckDB file directly.

The API serves NUTS 2021; Stuttgart (DE11) has the same code and borders in 2013, 2016 and 2021.
"""

from __future__ import annotations

import contextlib

import pytest
from store_views import latest_year_connection


@pytest.fixture(scope="module")
def duck(web_store):
    """A read-only DuckDB connection on the published version, to check the API against."""
    with contextlib.closing(latest_year_connection(web_store)) as con:
        yield con


def one(duck, sql: str, *params):
    return duck.execute(sql, list(params)).fetchone()


def test_docs_and_schema_are_served(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = set(schema.json()["paths"])
    assert {"/api/linkages/relatedness", "/api/emerging"} <= paths  # feature apps add their own endpoints
    assert paths >= {"/api/regions", "/api/regions/{code}", "/api/regions/{code}/portfolio",
                     "/api/regions/{code}/clusters/{category}/tests", "/api/categories", "/api/categories/{category}",
                     "/api/categories/{category}/regions", "/api/measures", "/api/geojson", "/api/versions",
                     "/api/sources", "/api/scoreboard/scores", "/api/scoreboard/ranks", "/api/scoreboard/intervals",
                     "/api/scoreboard/values", "/api/scoreboard/indicators", "/api/scoreboard/strengths"}
    assert client.get("/api/docs").status_code == 200


# ---- regions ---------------------------------------------------------------------------------------------------


def test_region_list_filters_and_pages(client, duck):
    codes = [r[0] for r in duck.execute("SELECT code FROM regions WHERE nuts_version = 2021 AND level = 2 "
                                        "AND country = 'DE' ORDER BY code").fetchall()]
    assert len(codes) == 38
    r = client.get("/api/regions?level=2&country=DE&limit=10&offset=10").json()
    assert r["count"] == len(codes)
    assert [x["code"] for x in r["results"]] == codes[10:20]
    assert r["next"].endswith("/api/regions?level=2&country=DE&limit=10&offset=20")
    assert r["previous"].endswith("offset=0")
    last = client.get(r["next"].replace("offset=20", "offset=30")).json()
    assert [x["code"] for x in last["results"]] == codes[30:]
    assert last["next"] is None


def test_region_search_puts_the_best_match_first(client):
    r = client.get("/api/regions?q=stuttgart").json()
    assert r["results"][0]["code"] == "DE11"
    assert client.get("/api/regions?q=DE11").json()["results"][0]["code"] == "DE11"


def test_region_detail_of_stuttgart(client, duck):
    assert one(duck, "SELECT name, parent, country FROM regions WHERE nuts_version = 2021 AND code = 'DE11'") == (
        "Stuttgart", "DE1", "DE")
    r = client.get("/api/regions/DE11").json()
    assert (r["name"], r["level"], r["parent"], r["country"], r["nuts_version"]) == ("Stuttgart", 2, "DE1", "DE", 2021)
    gdp, gdp_year = one(duck, "SELECT value, year FROM regional_indicators WHERE region = 'DE11' "
                              "AND indicator = 'gdp_per_capita_eur' ORDER BY year DESC LIMIT 1")
    context = {c["indicator"]: c for c in r["context"]}
    assert context["gdp_per_capita_eur"]["value"] == pytest.approx(gdp)
    assert context["gdp_per_capita_eur"]["year"] == gdp_year == 2018
    assert context["region_population"]["unit"] == "persons"
    n_starred = one(duck, "SELECT count(*) FROM cluster_stars WHERE scheme = 'eco2007' AND nuts_version = 2021 "
                          "AND level = 2 AND region = 'DE11' AND year = 2015 AND stars >= 1")[0]
    starred = r["starred_clusters"]
    assert len(starred) == n_starred
    assert [s["stars"] for s in starred] == sorted((s["stars"] for s in starred), reverse=True)
    auto = next(s for s in starred if s["category"] == "automotive")
    assert auto["stars"] == 3
    assert auto["tests_passed"] == ["size", "specialisation", "focus"]


# ---- measures --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "stars", "passed"), [("eco2007", 3, ["size", "specialisation", "focus"]),
                                                         ("eocic2019", 3, ["size", "specialisation", "productivity"]),
                                                         ("uscmp", 1, ["strong"])])
def test_measures_of_stuttgart_automotive(client, duck, scheme, stars, passed):
    # DE11 exists in NUTS 2021 and has the stars it had in NUTS 2013
    by_version = dict(duck.execute(
        "SELECT nuts_version, stars FROM cluster_stars WHERE scheme = ? AND level = 2 AND region = 'DE11' "
        "AND category = 'automotive' AND year = 2015", [scheme]).fetchall())
    assert by_version == {2013: stars, 2016: stars, 2021: stars}
    emp, lq, imputed_share, focus, coverage, rankable = one(
        duck, "SELECT employment, lq, imputed_share, focus, coverage, rankable FROM cluster_measures "
              "WHERE nuts_version = 2021 AND level = 2 AND region = 'DE11' AND category = 'automotive' AND year = 2015")
    r = client.get(f"/api/measures?region=DE11&category=automotive&year=2015&scheme={scheme}&level=2").json()
    assert r["count"] == 1
    row = r["results"][0]
    assert (row["region"], row["category"], row["scheme"], row["nuts_version"]) == ("DE11", "automotive", scheme, 2021)
    assert row["stars"] == stars
    assert row["tests_passed"] == passed
    assert row["employment"] == pytest.approx(emp)
    # employment-weighted concordance and imputation capped by national residuals: 117,032.0 (was 126,714.1 with
    # the count-rule concordance, 126,605.7 with the cap alone)
    assert row["employment"] == pytest.approx(117032.0, abs=0.1)
    assert (row["coverage"], row["rankable"], row["caveat"], row["region_no_data"]) == (
        pytest.approx(coverage), rankable, None, False)
    assert row["coverage"] == 1.0 and row["rankable"] is True
    assert row["lq"] == pytest.approx(lq)
    assert row["focus"] == pytest.approx(focus)
    assert row["imputed_share"] == pytest.approx(imputed_share)
    assert row["imputed"] is (imputed_share > 0)


def test_measures_total_pages_and_sort(client, duck):
    total = one(duck, "SELECT count(*) FROM cluster_stars WHERE scheme = 'eco2007' AND nuts_version = 2021 "
                      "AND level = 2 AND year = 2015")[0]
    assert total == 19430  # 290 regions × 67 mapped categories (68 with the count-rule concordance)
    r = client.get("/api/measures?limit=50&offset=100").json()
    assert (r["count"], r["limit"], r["offset"], len(r["results"])) == (total, 50, 100, 50)
    assert "offset=150" in r["next"] and "offset=50" in r["previous"]
    top = client.get("/api/measures?sort=-employment&limit=3").json()["results"]
    region, category, emp = one(duck, "SELECT region, category, employment FROM cluster_measures "
                                      "WHERE nuts_version = 2021 AND level = 2 AND year = 2015 "
                                      "ORDER BY employment DESC NULLS LAST LIMIT 1")
    assert (top[0]["region"], top[0]["category"]) == (region, category)
    assert top[0]["employment"] == pytest.approx(emp)
    assert top[0]["employment"] >= top[1]["employment"] >= top[2]["employment"]
    # missing values sort last, whatever the direction
    tail = client.get(f"/api/measures?sort=employment&offset={total - 1}").json()["results"]
    assert tail[0]["employment"] is None


def test_measures_filters(client, duck):
    three = one(duck, "SELECT count(*) FROM cluster_stars WHERE scheme = 'eco2007' AND nuts_version = 2021 "
                      "AND level = 2 AND year = 2015 AND stars = 3")[0]
    assert three == 160  # ECO 2007's focus pooled across categories, rankable cells only (was 503; 535 weighted)
    r = client.get("/api/measures?min_stars=3&limit=1").json()
    assert r["count"] == three
    pairs = {(g, c) for g in ("DE11", "DE12") for c in ("automotive", "biopharmaceuticals")}
    two = client.get("/api/measures?region=DE11,DE12&category=automotive,biopharmaceuticals").json()
    assert {(x["region"], x["category"]) for x in two["results"]} == pairs
    repeated = client.get("/api/measures?region=DE11&region=DE12&category=automotive&category=biopharmaceuticals")
    assert {(x["region"], x["category"]) for x in repeated.json()["results"]} == pairs
    de = client.get("/api/measures?country=DE&kind=traded&limit=1").json()
    n_de = one(duck, "SELECT count(*) FROM cluster_measures m JOIN regions r ON r.code = m.region "
                     "AND r.nuts_version = m.nuts_version JOIN categories c USING (category) "
                     "WHERE m.nuts_version = 2021 AND m.level = 2 AND r.country = 'DE' AND c.kind = 'traded'")[0]
    assert de["count"] == n_de
    level0 = client.get("/api/measures?level=0&region=DE&category=automotive").json()["results"][0]
    assert level0["level"] == 0
    assert level0["employment"] == pytest.approx(one(
        duck, "SELECT employment FROM cluster_measures WHERE nuts_version = 2021 AND level = 0 AND region = 'DE' "
              "AND category = 'automotive'")[0])


def test_missing_employment_is_null_not_zero(client, duck):
    region, category = one(duck, "SELECT region, category FROM cluster_measures WHERE nuts_version = 2021 "
                                 "AND level = 2 AND employment IS NULL ORDER BY region, category LIMIT 1")
    row = client.get(f"/api/measures?region={region}&category={category}").json()["results"][0]
    assert row["employment"] is None
    assert row["imputed_share"] is None and row["imputed"] is None


# ---- portfolio, one category across regions, star tests ---------------------------------------------------------


def test_portfolio_of_stuttgart(client, duck):
    r = client.get("/api/regions/DE11/portfolio").json()
    n = one(duck, "SELECT count(*) FROM cluster_measures WHERE nuts_version = 2021 AND level = 2 "
                  "AND region = 'DE11' AND year = 2015")[0]
    assert r["count"] == len(r["results"]) == n == 67
    traded = ("FROM cluster_measures m JOIN categories c USING (category) WHERE m.nuts_version = 2021 "
              "AND m.level = 2 AND m.region = 'DE11' AND c.kind = 'traded'")
    largest = one(duck, f"SELECT category, employment {traded} ORDER BY employment DESC NULLS LAST LIMIT 1")
    assert (r["largest"][0]["category"], r["largest"][0]["employment"]) == (largest[0], pytest.approx(largest[1]))
    assert largest[0] == "business_services"
    special = one(duck, f"SELECT category, lq {traded} ORDER BY lq DESC NULLS LAST LIMIT 1")
    assert (r["most_specialised"][0]["category"], r["most_specialised"][0]["lq"]) == (
        special[0], pytest.approx(special[1]))
    # with the employment-weighted concordance trailers, motor homes and appliances (12.5% of C29) edges out
    # automotive (LQ 3.91 against 3.42); with the count-rule concordance automotive was the most specialised
    assert special[0] == "trailers_motor_homes_and_appliances"
    assert len(r["largest"]) == len(r["most_specialised"]) == 5
    # wages of 2015 (the bulk vintage): the most productive by wage per person employed
    prod = duck.execute(f"SELECT category, productivity {traded} AND productivity IS NOT NULL "
                        "ORDER BY productivity DESC LIMIT 5").fetchall()
    assert [(x["category"], x["productivity"]) for x in r["most_productive"]] == [
        (c, pytest.approx(v)) for c, v in prod]
    assert len(prod) == 5 and 40_000 < prod[0][1] < 150_000  # EUR of wages per person employed


def test_category_across_regions_ranked(client, duck):
    r = client.get("/api/categories/automotive/regions").json()
    # the ranked rows first (rankable cell, region not no-data), by employment; then the others, rank null
    rows = duck.execute(
        "SELECT m.region, m.employment, coalesce(m.rankable, false) AND NOT coalesce(q.no_data, false) AS ranked "
        "FROM cluster_measures m LEFT JOIN region_data_quality q USING (nuts_version, level, region, year) "
        "WHERE m.nuts_version = 2021 AND m.level = 2 AND m.category = 'automotive' AND m.year = 2015 "
        "ORDER BY ranked DESC, m.employment DESC NULLS LAST, m.region").fetchall()
    assert r["count"] == len(rows) == 290
    assert [x["region"] for x in r["results"]] == [x[0] for x in rows]
    assert r["results"][0]["rank"] == 1
    assert r["results"][0]["employment"] == pytest.approx(rows[0][1])
    ranked = [x for x in r["results"] if x["rank"] is not None]
    assert [x["rank"] for x in ranked] == list(range(1, len(ranked) + 1)) and len(ranked) == 273
    assert all(x["rankable"] and not x["region_no_data"] for x in ranked)
    unranked = [x for x in r["results"] if x["rank"] is None]
    assert len(unranked) == sum(1 for x in rows if not x[2]) == 17
    # 4 without employment, 16 with employment that cannot be ranked: each says why
    assert sum(x["employment"] is None for x in unranked) == sum(1 for x in rows if x[1] is None) == 4
    assert all(x["caveat"] or x["region_no_data"] for x in unranked)
    assert {"HU11", "PL91"} <= {x["region"] for x in unranked}
    by_lq = client.get("/api/categories/automotive/regions?measure=lq").json()["results"]
    assert [x["lq"] for x in by_lq[:5]] == sorted((x["lq"] for x in by_lq[:5]), reverse=True)
    forestry = client.get("/api/categories/forestry/regions").json()
    assert forestry["count"] == 0 and "not mapped" in forestry["note"]


def test_why_the_stars(client, duck):
    r = client.get("/api/regions/DE11/clusters/automotive/tests?scheme=eco2007").json()
    rows = duck.execute("SELECT test, condition, value, threshold, passed FROM cluster_star_tests "
                        "WHERE scheme = 'eco2007' AND nuts_version = 2021 AND level = 2 AND region = 'DE11' "
                        "AND category = 'automotive' AND year = 2015 ORDER BY test, condition").fetchall()
    got = [(c["test"], c["condition"], c["value"], c["threshold"], c["passed"]) for c in r["conditions"]]
    assert got == [(t, cond, pytest.approx(v), pytest.approx(th), p) for t, cond, v, th, p in rows]
    # ECO 2007's focus: "top 10% of clusters by the share of their region's total employment", categories pooled
    assert {c["condition"] for c in r["conditions"]} == {"employment >= p90", "lq >= 2", "focus >= p90 of all cells"}
    assert (r["rankable"], r["caveat"], r["coverage"], r["region_no_data"]) == (True, None, 1.0, False)
    assert r["stars"] == 3 and all(c["passed"] for c in r["conditions"])
    # eocic2019: wage per person employed (63,415 EUR in 2015) in the top 10% of the category's regions
    eocic = client.get("/api/regions/DE11/clusters/automotive/tests?scheme=eocic2019").json()
    prod = next(c for c in eocic["conditions"] if c["test"] == "productivity")
    m = one(duck, "SELECT productivity FROM cluster_measures WHERE nuts_version = 2021 AND level = 2 "
                  "AND region = 'DE11' AND category = 'automotive'")[0]
    assert prod["value"] == pytest.approx(m) and 60_000 < m < 70_000
    assert prod["passed"] is True and prod["value"] >= prod["threshold"]
    assert eocic["stars"] == 3


# ---- categories, map, provenance --------------------------------------------------------------------------------


def test_categories_with_coverage(client, duck):
    assert client.get("/api/categories").json()["count"] == one(duck, "SELECT count(*) FROM categories")[0] == 77
    traded = client.get("/api/categories?kind=traded").json()
    assert traded["count"] == 51 and {c["kind"] for c in traded["results"]} == {"traded"}
    status = dict(duck.execute("SELECT category, status FROM category_data_coverage WHERE nuts_version = 2021 "
                               "AND level = 2").fetchall())
    assert {c["category"]: c["status"] for c in client.get("/api/categories").json()["results"]} == status
    assert status["forestry"] == "not covered"


def test_category_detail(client, duck):
    r = client.get("/api/categories/automotive").json()
    assert (r["name"], r["kind"], r["cmp_code"], r["status"], r["mapped"]) == (
        "Automotive", "traded", 4, "covered", True)
    # regions whose automotive employment is missing (4) or whose cell cannot be ranked (13: coverage, split regions,
    # no-data regions) have no stars, never 0: the counts are of the 273 regions ranked
    counts = dict(duck.execute("SELECT s.stars::VARCHAR, count(*) FROM cluster_stars s JOIN cluster_measures m "
                               "USING (nuts_version, level, region, category, year) LEFT JOIN region_data_quality q "
                               "USING (nuts_version, level, region, year) WHERE s.scheme = 'eco2007' "
                               "AND s.nuts_version = 2021 AND s.level = 2 AND s.category = 'automotive' "
                               "AND m.employment IS NOT NULL AND m.rankable AND NOT coalesce(q.no_data, false) "
                               "GROUP BY ALL").fetchall())
    assert r["regions_by_stars"] == counts == {"0": 194, "1": 45, "2": 24, "3": 10}
    assert (r["regions"], r["regions_with_employment"], r["regions_ranked"], r["regions_not_ranked"]) == (
        290, 286, 273, 13)


def test_category_detail_lists_the_divisions_feeding_it(client, duck):
    r = client.get("/api/categories/automotive").json()
    store = {row[0]: row[1:] for row in duck.execute(
        "SELECT division, weight, classes, us_employment, us_employment_share FROM category_divisions "
        "WHERE category = 'automotive'").fetchall()}
    got = {d["division"]: (d["weight"], d["classes"], d["us_employment"], d["us_employment_share"])
           for d in r["divisions"]}
    assert got.keys() == store.keys()
    for division, values in store.items():
        assert got[division] == pytest.approx(values), division
    shares = [d["us_employment_share"] for d in r["divisions"]]
    assert shares == sorted(shares, reverse=True)
    assert next(d for d in r["divisions"] if d["division"] == "C29")["in_sbs"] is True
    # the download endpoint answers the same rows
    assert client.get("/api/categories/automotive/divisions").json()["results"] == r["divisions"]
    aero = client.get("/api/categories/aerospace_vehicles_and_defense").json()["divisions"]
    assert aero[0]["division"] == "C30"
    assert aero[0]["us_employment_share"] == max(d["us_employment_share"] for d in aero)
    # finance is outside the SBS business economy
    finance = client.get("/api/categories/financial_services").json()["divisions"]
    assert finance and all(d["in_sbs"] is (d["division"][0] != "K") for d in finance)


def test_geojson_keeps_regions_without_data(client, duck):
    r = client.get("/api/geojson?level=2&category=automotive&scheme=eco2007&year=2015&measure=stars")
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    fc = r.json()
    shapes = one(duck, "SELECT count(*) FROM nuts_geometries WHERE nuts_version = 2021 AND level = 2 "
                       "AND kind = 'region' AND scale = '60M'")[0]
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == shapes == 334
    props = {f["id"]: f["properties"] for f in fc["features"]}
    assert props["DE11"]["value"] == 3 and props["DE11"]["no_data"] is None
    assert props["DE11"]["employment"] == pytest.approx(one(
        duck, "SELECT employment FROM cluster_measures WHERE nuts_version = 2021 AND level = 2 AND region = 'DE11' "
              "AND category = 'automotive'")[0])
    without = [p for p in props.values() if p["value"] is None]
    unranked = one(duck, "SELECT count(*) FROM cluster_measures m LEFT JOIN region_data_quality q USING (nuts_version, "
                         "level, region, year) WHERE m.nuts_version = 2021 AND m.level = 2 AND m.year = 2015 AND "
                         "m.category = 'automotive' AND (m.employment IS NULL OR NOT m.rankable OR q.no_data)")[0]
    # 44 regions without automotive measures, 4 whose automotive employment is missing and 13 whose cell cannot be
    # ranked (coverage, split by population, no-data region): no stars, not 0, each with its reason
    assert len(without) == 334 - 290 + unranked == 334 - 290 + 17 and all(p["no_data"] for p in without)
    assert sum(not p["in_statistics"] for p in without) == 44
    hu11 = props["HU11"]
    assert (hu11["value"], hu11["stars"], hu11["rankable"], hu11["region_no_data"]) == (None, None, False, True)
    assert hu11["no_data"].startswith("not ranked: region split") and hu11["no_data_reason"].startswith("split from")
    assert fc["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_geojson_counts_starred_clusters_without_a_category(client, duck):
    n = one(duck, "SELECT count(*) FROM cluster_stars s JOIN categories c USING (category) WHERE s.scheme = 'eco2007' "
                  "AND s.nuts_version = 2021 AND s.level = 2 AND s.region = 'DE11' AND s.stars = 3 "
                  "AND c.kind = 'traded'")[0]
    props = {f["id"]: f["properties"] for f in client.get("/api/geojson?min_stars=3").json()["features"]}
    assert props["DE11"]["measure"] == "starred_clusters"
    # the engine's count (region_headlines), the same as counting the three-star traded cells
    head = one(duck, "SELECT stars_3 FROM region_headlines WHERE scheme = 'eco2007' AND nuts_version = 2021 "
                     "AND level = 2 AND year = 2015 AND region = 'DE11' AND kind = 'traded'")[0]
    assert props["DE11"]["value"] == n == head == 2


def test_versions_and_sources(client, duck, web_store):
    v = client.get("/api/versions").json()
    assert v["published"] == web_store.current()
    assert [x["version"] for x in v["results"] if x["published"]] == [web_store.current()]
    s = client.get("/api/sources").json()
    sums = dict(duck.execute("SELECT file, sha256 FROM sources").fetchall())
    assert {x["file"]: x["sha256"] for x in s["results"]} == sums
    assert s["count"] == len(sums) and s["version"] == web_store.current()
