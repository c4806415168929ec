"""Honest gaps in the web app and the API: cells that cannot be ranked, no-data regions, headline figures from the
engine, the caveat box, and emerging industries labelled as such.

Unit tests on small frames first, then the real computed store (the session's ``web_store``)."""

from __future__ import annotations

import contextlib
import math
import re
from html import unescape

import pandas as pd
import pytest
from store_views import latest_year_connection

from clusterobs.charts.specs.text import cell_caveat
from clusterobs.mapping.categories import MAX_SPLIT_SHARE, MIN_CELL_COVERAGE
from clusterobs.mapping.headlines import headline
from clusterobs.web.labels import T, category_display_names, region_no_data_words
from clusterobs.web.mapping import selectors


@pytest.fixture(scope="module")
def duck(web_store):
    with contextlib.closing(latest_year_connection(web_store)) as con:
        yield con


def figure(response, name: str) -> dict:
    import json

    m = re.search(rf'id="chart-{name}-data">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(m.group(1))


def text(response) -> str:
    return unescape(response.content.decode())


# ---- small frames ----------------------------------------------------------------------------------------------


def test_emerging_industries_sharing_a_traded_name_are_labelled():
    cats = pd.DataFrame({
        "category": ["medical_devices", "emerging_medical_devices", "biopharmaceuticals",
                     "emerging_biopharmaceuticals", "emerging_blue_growth", "local_health"],
        "name": ["Medical Devices", "Medical devices", "Biopharmaceuticals", "Biopharmaceuticals", "Blue growth",
                 "Local Health Services"],
        "kind": ["traded", "emerging", "traded", "emerging", "emerging", "local"]})
    names = category_display_names(cats)
    assert names["emerging_medical_devices"] == "Medical devices (emerging)"  # the same name but for the case
    assert names["emerging_biopharmaceuticals"] == "Biopharmaceuticals (emerging)"
    assert names["medical_devices"] == "Medical Devices" and names["biopharmaceuticals"] == "Biopharmaceuticals"
    assert names["emerging_blue_growth"] == "Blue growth"  # a name of its own: no label
    assert len(set(names.values())) == len(names)


def test_cell_and_region_caveats_in_words():
    words = {"min_coverage": MIN_CELL_COVERAGE, "max_split": MAX_SPLIT_SHARE}
    assert cell_caveat(T, 100.0, True, 1.0, 0.0, **words) == ""
    assert cell_caveat(T, None, False, 0.0, 0.0, **words).startswith("No data: employment missing")
    assert cell_caveat(T, 100.0, False, 0.58, 0.0, **words) == (
        "Not ranked: the data cover 58% of the category's industries (below 80%)")
    assert cell_caveat(T, 100.0, False, 1.0, 1.0, **words).startswith("Not ranked: the region was split")
    assert cell_caveat(T, 100.0, pd.NA, 1.0, math.nan, **words) == "Not ranked"
    assert region_no_data_words(None, max_split=0.5) == ""
    assert region_no_data_words({"no_data": False, "split_share": 1.0}, max_split=0.5) == ""
    assert region_no_data_words({"no_data": True, "split_share": 1.0}, max_split=0.5).startswith(
        "No data: the region was split from an older NUTS region by population")
    assert region_no_data_words({"no_data": True, "split_share": 0.0, "traded_rankable": 9, "traded_categories": 46},
                                max_split=0.5) == ("No data: only 9 of 46 traded categories can be ranked (fewer than "
                                                   "half: too little data or coverage).")


def test_ranked_mask_leaves_out_unrankable_cells_and_no_data_regions():
    rows = pd.DataFrame({"employment": [1.0, None, 2.0, 3.0, 4.0], "rankable": [True, False, False, True, pd.NA],
                         "region_no_data": [False, False, False, True, False]})
    assert selectors.ranked_mask(rows).tolist() == [True, False, False, False, False]
    assert selectors.star_values(pd.DataFrame({"stars": pd.array([3, None, 0], dtype="Int64")})).isna().tolist() == [
        False, True, False]


def test_starred_at_least_from_region_headlines():
    heads = pd.DataFrame({"stars_3": [2, 0], "stars_2": [1, 0], "stars_1": [4, 1], "clusters": [40, 9]})
    assert selectors.starred_at_least(heads, 0).tolist() == [40, 9]
    assert selectors.starred_at_least(heads, 1).tolist() == [7, 1]
    assert selectors.starred_at_least(heads, 2).tolist() == [3, 0]
    assert selectors.starred_at_least(heads, 3).tolist() == [2, 0]
    assert selectors.starred_at_least(heads, 4).tolist() == [0, 0]


@pytest.mark.parametrize("flag", [True, "high"])
def test_flagged_region_caveats_take_a_bool_or_a_label(flag):
    other = False if flag is True else None
    rows = pd.DataFrame({"nuts_version": [2021, 2021, 2021, 2016], "level": [2, 2, 1, 2], "region": ["FR10"] * 4,
                         "year": [2015] * 4, "sector": ["B-E", "F", "B-E", "B-E"], "ratio": [2.7, 1.1, 2.5, 2.7],
                         "flag": [flag, other, flag, flag], "caveat": ["head offices", None, "level 1", "2016"]})
    out = selectors.flagged_caveats(rows, level=2, year=2015)
    assert out["caveat"].tolist() == ["head offices"]
    assert selectors.flagged_caveats(rows.drop(columns="flag")).empty


# ---- the computed store ------------------------------------------------------------------------------------------


def test_headline_api_and_home_page_are_the_engines_headline(client):
    for kind in ("traded", "local", "emerging"):
        expected = headline(selectors.measures(), kind=kind, quality=selectors.region_quality())
        api = client.get(f"/api/headline?kind={kind}").json()
        assert api["kind"] == kind
        assert api["by_stars"] == {str(k): v for k, v in expected["by_stars"].items()}
        assert (api["clusters"], api["no_data"], api["not_rankable"], api["excluded_regions"]) == (
            expected["clusters"], expected["no_data"], expected["not_rankable"], expected["excluded_regions"])
        assert api["starred_share"] == pytest.approx(expected["starred_share"])
    assert client.get("/api/headline").json()["kind"] == "traded"  # traded unless asked
    assert client.get("/api/headline?kind=global").status_code == 400
    local = selectors.headline(kind="local")
    page = text(client.get("/?kind=local"))
    assert "local clusters with 3 stars" in page and f"{local['by_stars'][3]}</dd>" in page


def test_compare_and_region_counts_are_the_engines(client, duck):
    page = text(client.get("/compare/?regions=DE11,HU11"))
    de11 = duck.execute("SELECT stars_3, stars_2, stars_1 FROM region_headlines WHERE scheme = 'eco2007' AND "
                        "nuts_version = 2021 AND level = 2 AND year = 2015 AND region = 'DE11' AND kind = 'traded'"
                        ).fetchone()
    row = re.search(r"<tr><th scope=\"row\"><a href=\"/regions/DE11/.*?</tr>", page, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells[1:4] == [str(n) for n in de11]  # after the traded employment: ★★★, ★★, ★
    hu = re.search(r"<tr><th scope=\"row\"><a href=\"/regions/HU11/.*?</tr>", page, re.S).group(0)
    assert "no data" in hu and re.findall(r'<td class="num">([^<]*)</td>', hu)[1:4] == [":", ":", ":"]
    region = text(client.get("/regions/DE11/"))
    line = re.search(r'id="region-headline">(.*?)</p>', region, re.S).group(1)
    assert [int(n) for n in re.findall(r":</span> (\d+)", line)] == list(de11)


def test_irish_region_page_shows_the_caveat_box(client, duck):
    reason = duck.execute("SELECT no_data_reason FROM region_data_quality WHERE nuts_version = 2021 AND level = 2 "
                          "AND year = 2015 AND region = 'IE04'").fetchone()[0]
    assert reason.startswith("split from an older NUTS region")
    page = text(client.get("/regions/IE04/"))
    box = re.search(r'<aside class="caveats".*?</aside>', page, re.S).group(0)
    assert "Read these figures with care" in box
    assert 'data-caveat="no_data"' in box and "split from an older NUTS region by population" in box
    assert 'data-caveat="coverage"' in box  # and the categories below the coverage threshold, named
    assert "has no stars: it is a no-data region" in page
    assert "Read these figures with care" in text(client.get("/regions/IE04/portfolio/"))
    # a region with nothing to say has no box
    assert '<aside class="caveats"' not in text(client.get("/regions/AT13/"))


def test_region_caveats_table_is_shown_when_present(client, monkeypatch):
    flagged = pd.DataFrame({"sector": ["B-E"], "sector_name": ["Industry (except construction)"],
                            "sbs_employment": [1_000_000.0], "lfs_employment": [370_000.0], "ratio": [2.7],
                            "flag": ["high"], "caveat": ["SBS employment 2.7 times the LFS figure: head offices"]})
    monkeypatch.setattr(selectors, "region_caveats", lambda code, **_: flagged if code == "FR10" else flagged.head(0))
    page = text(client.get("/regions/FR10/"))
    box = re.search(r'<aside class="caveats".*?</aside>', page, re.S).group(0)
    assert 'data-caveat="sbs_lfs"' in box and "count 2.7 times the employment the Labour Force Survey" in box


def test_the_map_page_draws_split_regions_as_no_data_with_the_reason(client):
    r = client.get("/map/?category=automotive&measure=stars")
    fig = figure(r, "strength-map")
    no_data = next(t for t in fig["data"] if t["name"].startswith("No data"))
    assert {"HU11", "PL91", "IE04"} <= set(no_data["locations"])
    detail = dict(zip(no_data["locations"], (cd[3] for cd in no_data["customdata"]), strict=True))
    assert detail["HU11"].startswith("No data: the region was split from an older NUTS region by population")
    # a cell below the coverage threshold in a region that is not no-data: grey, with the coverage on hover
    assert detail["DE60"].startswith("Not ranked: the data cover 53% of the category's industries")
    # the legend counts only what is drawn: every region of the layer once, in one entry
    shown = [t for t in fig["data"] if t.get("locations") and t.get("showlegend", True) is not False
             and t["name"].endswith(")")]
    counts = [int(re.search(r"\((\d+)\)$", t["name"]).group(1)) for t in shown]
    assert counts == [len(t["locations"]) for t in shown] and sum(counts) == 334
    table = re.search(r'<details class="chart-table">.*?</details>', r.content.decode(), re.S).group(0)
    assert "HU11" in table and "split from an older NUTS region" in unescape(table)


def test_sector_page_ranks_only_rankable_cells(client):
    page = text(client.get("/sectors/automotive/"))
    rows = re.findall(r"<tr[^>]*>\s*<td class=\"num\">(\d*)</td><td><a href=\"/regions/(\w+)/", page)
    ranks = {code: rank for rank, code in rows}
    assert ranks["HU11"] == "" and ranks["DE60"] == "" and ranks["DE11"] != ""
    api = {r["region"]: r["rank"] for r in client.get("/api/categories/automotive/regions").json()["results"]}
    assert {c: (int(v) if v else None) for c, v in ranks.items()} == api
    assert "not ranked" in page
    top = figure(client.get("/sectors/automotive/"), "sector-top")
    assert not {"HU11", "PL91", "DE60"} & {lab.split("(")[-1].rstrip(")") for t in top["data"]
                                          for lab in (t.get("y") or [])}


def test_portfolio_tops_never_list_a_cell_that_cannot_be_ranked(client):
    r = client.get("/api/regions/DE60/portfolio?top=50").json()
    bad = {x["category"] for x in r["results"] if not x["rankable"]}
    assert bad and not bad & {x["category"] for k in ("largest", "most_specialised") for x in r[k]}
    assert any("cannot be ranked" in n for n in r["notes"])
    page = text(client.get("/regions/DE60/portfolio/"))
    assert page.count('class="not-ranked"') == len([x for x in r["results"] if not x["rankable"] and
                                                   x["employment"] is not None])


def test_emerging_labels_are_distinct_from_traded_ones(client, duck):
    cats = client.get("/api/categories").json()["results"]
    names = [c["name"] for c in cats]
    assert len(names) == len(set(names))
    by_key = {c["category"]: c["name"] for c in cats}
    assert by_key["emerging_medical_devices"] == "Medical devices (emerging)"
    assert by_key["emerging_biopharmaceuticals"] == "Biopharmaceuticals (emerging)"
    assert by_key["biopharmaceuticals"] == "Biopharmaceuticals"
    rows = client.get("/api/measures?region=DE11&limit=200").json()["results"]
    assert len({r["category_name"] for r in rows}) == len(rows)
    # the region's star strip has one row per category, the traded and the emerging ones apart
    region = duck.execute("SELECT s.region FROM cluster_stars s WHERE s.scheme = 'eco2007' AND s.nuts_version = 2021 "
                          "AND s.level = 2 AND s.category IN ('biopharmaceuticals', 'emerging_biopharmaceuticals') "
                          "AND s.stars > 0 GROUP BY 1 HAVING count(*) = 2 ORDER BY 1 LIMIT 1").fetchone()[0]
    fig = figure(client.get(f"/regions/{region}/"), "region-stars")
    rows_drawn = {y for t in fig["data"] for y in (t.get("y") or [])}
    assert {"Biopharmaceuticals", "Biopharmaceuticals (emerging)"} <= rows_drawn
    assert "Medical devices (emerging)" in text(client.get("/categories/"))
