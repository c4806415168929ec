"""A region × category cell without employment is "no data", never 0 stars: in the headline, the map layer and the
category profile. Values checked by hand against the store (2015, ECO 2007, NUTS 2 of 2021)."""

from __future__ import annotations

import contextlib
import math

import pandas as pd
import pytest

from clusterobs.web import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def duck(web_store):
    with contextlib.closing(web_store.connect()) as con:
        yield con


def test_headline_leaves_cells_without_employment_out_of_the_star_counts(monkeypatch):
    """Four traded cells and one local: A 3 stars (100 persons), B no employment (the engine's 0 stars),
    C 0 stars (300 persons), D 1 star (100 persons); by hand: 0 stars ×1, 1 ×1, 3 ×1, no data 1, share 200/500."""
    rows = pd.DataFrame({
        "region": ["R1", "R1", "R2", "R2", "R2"], "category": ["a", "b", "a", "d", "loc"],
        "kind": ["traded", "traded", "traded", "traded", "local"], "year": [2015] * 5,
        "stars": [3, 0, 0, 1, 2], "employment": [100.0, math.nan, 300.0, 100.0, 50.0]})
    monkeypatch.setattr(selectors, "measures", lambda **_: rows)
    head = selectors.headline.__wrapped__()
    assert head["by_stars"] == {0: 1, 1: 1, 3: 1}
    assert head["no_data"] == 1 and head["clusters"] == 3
    assert head["starred_share"] == pytest.approx(200 / 500)
    assert (head["regions"], head["categories"], head["year"]) == (2, 2, 2015)


def test_headline_on_the_store_counts_no_data_apart(duck):
    head = selectors.headline()
    nodata, with_data = duck.execute(
        "SELECT count(*) FILTER (m.employment IS NULL), count(*) FILTER (m.employment IS NOT NULL) "
        "FROM cluster_measures m JOIN cluster_stars s USING (nuts_version, level, region, category, year) "
        "JOIN categories c USING (category) WHERE s.scheme = 'eco2007' AND m.nuts_version = 2021 AND m.level = 2 "
        "AND m.year = 2015 AND c.kind = 'traded'").fetchone()
    assert head["no_data"] == nodata == 645
    assert sum(head["by_stars"].values()) == head["clusters"] == with_data == 12405


def test_home_page_says_how_many_pairs_had_no_data(client):
    page = client.get("/").content.decode()
    assert "without employment data" in page and "<dd>645</dd>" in page


def test_geojson_cell_without_employment_is_null_not_zero_stars(client, duck):
    # Salzburg's food processing employment is confidential in SBS 2015: the engine gives it 0 stars
    emp, stars = duck.execute(
        "SELECT m.employment, s.stars FROM cluster_measures m JOIN cluster_stars s "
        "USING (nuts_version, level, region, category, year) WHERE s.scheme = 'eco2007' AND m.nuts_version = 2021 "
        "AND m.level = 2 AND m.year = 2015 AND m.region = 'AT32' AND m.category = 'food_processing_and_manufacturing'"
    ).fetchone()
    assert emp is None and stars == 0
    fc = client.get("/api/geojson?category=food_processing_and_manufacturing&measure=stars").json()
    props = {f["id"]: f["properties"] for f in fc["features"]}
    at32 = props["AT32"]
    assert (at32["value"], at32["stars"], at32["in_statistics"]) == (None, None, True)
    assert at32["no_data"].startswith("no stars: employment not available")
    assert props["AL01"]["in_statistics"] is False and props["AL01"]["value"] is None
    zero = [p for p in props.values() if p["value"] == 0]
    assert zero and all(p["employment"] is not None for p in zero)


def test_geojson_starred_cluster_counts_skip_categories_without_data(client, duck):
    props = {f["id"]: f["properties"] for f in client.get("/api/geojson?min_stars=3").json()["features"]}
    # Stuttgart: 45 traded categories mapped, 5 of them without employment; 3 three-star clusters among the 40
    de11 = props["DE11"]
    assert (de11["value"], de11["categories_with_data"], de11["categories_without_data"]) == (3, 40, 5)
    # Mayotte: no traded category has employment → no data, not "0 three-star clusters"
    fry5 = props["FRY5"]
    assert (fry5["value"], fry5["categories_with_data"], fry5["categories_without_data"]) == (None, 0, 45)
    assert fry5["in_statistics"] is True and fry5["no_data"].startswith("no employment for any traded category")
    n = duck.execute("SELECT count(*) FROM cluster_measures m JOIN categories c USING (category) "
                     "WHERE m.nuts_version = 2021 AND m.level = 2 AND m.year = 2015 AND m.region = 'FRY5' "
                     "AND c.kind = 'traded' AND m.employment IS NOT NULL").fetchone()[0]
    assert n == 0


def test_home_map_shows_a_region_without_any_employment_as_no_data(client):
    from test_pages import figure

    fig = figure(client.get("/"), "stars-map")
    no_data = next(t for t in fig["data"] if t["name"].startswith("No data"))
    zero = next(t for t in fig["data"] if t["name"].startswith("0 ("))
    assert "FRY5" in no_data["locations"] and "FRY5" not in zero["locations"]
    detail = {loc: cd[3] for t in fig["data"] for loc, cd in zip(t["locations"], t.get("customdata") or [],
                                                                strict=False)}
    assert "5 traded categories without employment data" in detail["DE11"]


def test_category_profile_counts_regions_with_data_only(client):
    r = client.get("/api/categories/food_processing_and_manufacturing").json()
    assert sum(r["regions_by_stars"].values()) == r["regions_with_employment"] < r["regions"]
