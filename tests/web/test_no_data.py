"""A region × category cell without employment is "no data", never 0 stars: in the headline, the map layer and the
category profile. Values checked by hand against the store (2015, ECO 2007, NUTS 2 of 2021)."""

from __future__ import annotations

import contextlib
import math

import pandas as pd
import pytest
from store_views import latest_year_connection

from clusterobs.web.mapping import selectors


@pytest.fixture(scope="module")
def duck(web_store):
    with contextlib.closing(latest_year_connection(web_store)) as con:
        yield con


def test_headline_leaves_cells_without_employment_out_of_the_star_counts(monkeypatch):
    """Four traded cells and one local: A 3 stars (100 persons), B no employment (no stars), C 0 stars (300 persons),
    D 1 star (100 persons); by hand: 0 stars ×1, 1 ×1, 3 ×1, no data 1, share 200/500. The local cell is not counted
    (traded unless asked)."""
    rows = pd.DataFrame({
        "region": ["R1", "R1", "R2", "R2", "R2"], "category": ["a", "b", "a", "d", "loc"],
        "kind": ["traded", "traded", "traded", "traded", "local"], "year": [2015] * 5,
        "stars": pd.array([3, None, 0, 1, 2], dtype="Int64"), "employment": [100.0, math.nan, 300.0, 100.0, 50.0],
        "rankable": [True, False, True, True, True]})
    monkeypatch.setattr(selectors, "measures", lambda **_: rows)
    monkeypatch.setattr(selectors, "region_quality", lambda **_: pd.DataFrame(
        {"region": ["R1", "R2"], "no_data": [False, False], "no_data_reason": [None, None]}))
    monkeypatch.setattr(selectors, "check_year", lambda year: 2015)
    head = selectors.headline.__wrapped__()
    assert head["by_stars"] == {0: 1, 1: 1, 3: 1}
    assert head["no_data"] == 1 and head["clusters"] == 3 and head["not_rankable"] == 0
    assert head["starred_share"] == pytest.approx(200 / 500)
    assert (head["regions"], head["categories"], head["year"], head["kind"]) == (2, 2, 2015, "traded")
    local = selectors.headline.__wrapped__(kind="local")
    assert (local["by_stars"], local["clusters"], local["starred_share"]) == ({2: 1}, 1, pytest.approx(1.0))


def test_headline_leaves_unrankable_cells_and_no_data_regions_out(monkeypatch):
    """R1: A 3 stars (100), B 1 star but coverage 50% (not rankable: no stars, 200 persons); R2 a no-data region
    (split by population) with C 2 stars in the frame (500 persons): only A counts, share 100/100."""
    rows = pd.DataFrame({
        "region": ["R1", "R1", "R2"], "category": ["a", "b", "c"], "kind": ["traded"] * 3, "year": [2015] * 3,
        "stars": pd.array([3, None, 2], dtype="Int64"), "employment": [100.0, 200.0, 500.0],
        "rankable": [True, False, True]})
    quality = pd.DataFrame({"region": ["R1", "R2"], "no_data": [False, True],
                            "no_data_reason": [None, "split from an older NUTS region by population"]})
    monkeypatch.setattr(selectors, "measures", lambda **_: rows)
    monkeypatch.setattr(selectors, "region_quality", lambda **_: quality)
    monkeypatch.setattr(selectors, "check_year", lambda year: 2015)
    head = selectors.headline.__wrapped__()
    assert head["by_stars"] == {3: 1} and head["clusters"] == 1 and head["starred_share"] == pytest.approx(1.0)
    assert head["not_rankable"] == 2 and head["excluded_regions"] == ["R2"] and head["regions"] == 1


def test_headline_on_the_store_is_the_engines(duck):
    """The page's headline is ``clusterobs.mapping.headlines.headline`` on the same cells, and agrees with the
    counts read from the store by hand: traded cells with employment, rankable, outside the no-data regions."""
    from clusterobs.mapping.headlines import headline

    head = selectors.headline()
    m = selectors.measures()
    assert head == {**headline(m, kind="traded", quality=selectors.region_quality()), "scheme": "eco2007",
                    "level": 2, "year": 2015}
    nodata, not_ranked, ranked = duck.execute(
        "SELECT count(*) FILTER (m.employment IS NULL), "
        "count(*) FILTER (m.employment IS NOT NULL AND NOT (m.rankable AND NOT coalesce(q.no_data, false))), "
        "count(*) FILTER (m.employment IS NOT NULL AND m.rankable AND NOT coalesce(q.no_data, false)) "
        "FROM cluster_measures m JOIN cluster_stars s USING (nuts_version, level, region, category, year) "
        "JOIN categories c USING (category) LEFT JOIN region_data_quality q USING (nuts_version, level, region, year) "
        "WHERE s.scheme = 'eco2007' AND m.nuts_version = 2021 AND m.level = 2 AND m.year = 2015 "
        "AND c.kind = 'traded'").fetchone()
    assert head["no_data"] == nodata == 212
    assert head["not_rankable"] == not_ranked == 766
    assert sum(head["by_stars"].values()) == head["clusters"] == ranked == 12072
    assert {"HU11", "PL91", "IE04", "FRY5"} <= set(head["excluded_regions"])
    # the stored region_headlines add up to the same figures over the regions that are not no-data
    stars_3, clusters = duck.execute(
        "SELECT sum(stars_3), sum(clusters) FROM region_headlines WHERE scheme = 'eco2007' AND nuts_version = 2021 "
        "AND level = 2 AND year = 2015 AND kind = 'traded' AND NOT no_data").fetchone()
    assert (stars_3, clusters) == (head["by_stars"][3], head["clusters"])


def test_home_page_says_how_many_pairs_had_no_data(client):
    head = selectors.headline()
    page = client.get("/").content.decode()
    assert "without employment data" in page and f"<dd>{head['no_data']}</dd>" in page
    assert "cannot be ranked" in page and f"<dd>{head['not_rankable']}</dd>" in page


def test_geojson_cell_without_employment_is_null_not_zero_stars(client, duck):
    # a cell whose employment is missing or confidential in SBS 2015 (in a region that is not no-data): no stars
    # (the engine's NULL), no data, never 0 stars
    region, category, stars, rankable, caveat = duck.execute(
        "SELECT m.region, m.category, s.stars, m.rankable, m.caveat FROM cluster_measures m JOIN cluster_stars s "
        "USING (nuts_version, level, region, category, year) JOIN region_data_quality q "
        "USING (nuts_version, level, region, year) WHERE s.scheme = 'eco2007' AND m.nuts_version = 2021 "
        "AND m.level = 2 AND m.year = 2015 AND m.employment IS NULL AND NOT q.no_data "
        "ORDER BY m.category, m.region LIMIT 1").fetchone()
    assert stars is None and rankable is False and caveat == "no data"
    fc = client.get(f"/api/geojson?category={category}&measure=stars").json()
    props = {f["id"]: f["properties"] for f in fc["features"]}
    cell = props[region]
    assert (cell["value"], cell["stars"], cell["in_statistics"], cell["region_no_data"]) == (None, None, True, False)
    assert cell["no_data"].startswith("no stars: employment not available")
    assert props["AL01"]["in_statistics"] is False and props["AL01"]["value"] is None
    zero = [p for p in props.values() if p["value"] == 0]
    assert zero and all(p["employment"] is not None and p["rankable"] for p in zero)


def test_geojson_starred_cluster_counts_skip_categories_without_data(client, duck):
    props = {f["id"]: f["properties"] for f in client.get("/api/geojson?min_stars=3").json()["features"]}
    # Stuttgart: 45 traded categories mapped, 2 without employment and 1 below the coverage threshold (construction
    # products and services); 2 three-star clusters among the 42 ranked (the engine's region_headlines)
    de11 = props["DE11"]
    assert (de11["value"], de11["categories_with_data"], de11["categories_not_ranked"],
            de11["categories_without_data"]) == (2, 43, 1, 2)
    ranked, stars_3 = duck.execute(
        "SELECT clusters, stars_3 FROM region_headlines WHERE scheme = 'eco2007' AND nuts_version = 2021 "
        "AND level = 2 AND year = 2015 AND region = 'DE11' AND kind = 'traded'").fetchone()
    assert (ranked, stars_3) == (43 - 1, 2)
    # Mayotte: no traded category has employment → no data, not "0 three-star clusters"
    fry5 = props["FRY5"]
    assert (fry5["value"], fry5["categories_with_data"], fry5["categories_without_data"]) == (None, 0, 45)
    assert fry5["in_statistics"] is True and fry5["no_data"].startswith("no employment for any traded category")
    assert fry5["region_no_data"] is True and fry5["no_data_reason"].startswith("0 of 45 traded categories")
    n = duck.execute("SELECT count(*) FROM cluster_measures m JOIN categories c USING (category) "
                     "WHERE m.nuts_version = 2021 AND m.level = 2 AND m.year = 2015 AND m.region = 'FRY5' "
                     "AND c.kind = 'traded' AND m.employment IS NOT NULL").fetchone()[0]
    assert n == 0


@pytest.mark.parametrize("code", ["HU11", "PL91"])
def test_split_regions_are_no_data_on_the_nuts2_map_never_ranked_without_stars(client, duck, code):
    reason = duck.execute("SELECT no_data_reason FROM region_data_quality WHERE nuts_version = 2021 AND level = 2 "
                          "AND year = 2015 AND region = ? AND no_data", [code]).fetchone()[0]
    assert reason.startswith("split from an older NUTS region by population")
    props = {f["id"]: f["properties"] for f in client.get("/api/geojson?min_stars=3").json()["features"]}
    p = props[code]
    assert (p["value"], p["region_no_data"], p["no_data_reason"]) == (None, True, reason)
    assert p["no_data"] == f"no-data region: {reason}"
    # never ranked, in any category; every cell listed without stars
    rows = client.get(f"/api/measures?region={code}&limit=1000").json()["results"]
    assert len(rows) == 67 and all(r["stars"] is None and r["region_no_data"] for r in rows)
    assert all(r["rankable"] is False and r["split_share"] == 1.0 for r in rows)
    for category in ("automotive", "business_services"):
        ranked = client.get(f"/api/categories/{category}/regions").json()["results"]
        mine = next(r for r in ranked if r["region"] == code)
        assert mine["rank"] is None and mine["caveat"].startswith("region split")
    profile = client.get(f"/api/regions/{code}").json()
    assert profile["data_quality"]["no_data"] is True and profile["data_quality"]["no_data_reason"] == reason
    assert profile["starred_clusters"] == [] and profile["headline"]["no_data"] is True
    assert code in client.get("/api/headline").json()["excluded_regions"]
    tests = client.get(f"/api/regions/{code}/clusters/automotive/tests").json()
    assert (tests["stars"], tests["tests_evaluated"], tests["rankable"]) == (None, 0, False)


def test_a_cell_below_the_coverage_threshold_is_listed_with_its_caveat_and_no_rank(client, duck):
    region, category, coverage, caveat = duck.execute(
        "SELECT m.region, m.category, m.coverage, m.caveat FROM cluster_measures m JOIN categories c USING (category) "
        "LEFT JOIN region_data_quality q USING (nuts_version, level, region, year) WHERE m.nuts_version = 2021 "
        "AND m.level = 2 AND m.year = 2015 AND m.employment IS NOT NULL AND m.coverage < 0.8 AND c.kind = 'traded' "
        "AND m.split_share = 0 AND NOT q.no_data ORDER BY m.coverage DESC, m.region, m.category LIMIT 1").fetchone()
    assert caveat == f"coverage {math.floor(coverage * 100)}% of the category's industries (below 80%)"
    ranked = client.get(f"/api/categories/{category}/regions").json()["results"]
    row = next(r for r in ranked if r["region"] == region)
    assert (row["rank"], row["stars"], row["rankable"], row["caveat"]) == (None, None, False, caveat)
    assert row["coverage"] == pytest.approx(coverage) and row["employment"] is not None
    # listed after every ranked region
    assert ranked.index(row) >= sum(r["rank"] is not None for r in ranked)
    portfolio = client.get(f"/api/regions/{region}/portfolio?top=50").json()
    tops = {r["category"] for key in ("largest", "most_specialised") for r in portfolio[key]}
    assert category not in tops
    assert any(r["category"] == category and r["caveat"] == caveat for r in portfolio["results"])
    page = client.get(f"/sectors/{category}/").content.decode()
    assert "not ranked" in page


def test_home_map_shows_a_region_without_any_employment_as_no_data(client):
    from test_pages import figure

    fig = figure(client.get("/"), "stars-map")
    no_data = next(t for t in fig["data"] if t["name"].startswith("No data"))
    zero = next(t for t in fig["data"] if t["name"].startswith("0 ("))
    assert {"FRY5", "HU11", "PL91"} <= set(no_data["locations"]) and "FRY5" not in zero["locations"]
    detail = {loc: cd[3] for t in fig["data"] for loc, cd in zip(t["locations"], t.get("customdata") or [],
                                                                strict=False)}
    assert "2 traded categories without employment data" in detail["DE11"]
    assert "1 traded category that cannot be ranked" in detail["DE11"]
    assert detail["HU11"].startswith("No data: the region was split from an older NUTS region by population")
    # the legend counts what is drawn: its "No data (n)" is the number of grey regions
    assert no_data["name"] == f"No data ({len(no_data['locations'])})"


def test_category_profile_counts_regions_ranked_only(client):
    r = client.get("/api/categories/food_processing_and_manufacturing").json()
    assert sum(r["regions_by_stars"].values()) == r["regions_ranked"] < r["regions_with_employment"] < r["regions"]
    assert r["regions_ranked"] + r["regions_not_ranked"] == r["regions_with_employment"]
