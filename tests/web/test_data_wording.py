"""The pages say what the data hold (issue 16 follow-up): on the real eight-year store (SBS 2008–2015 with wages and
local units) no text claims one year or no wages, the charts cite both SBS sources, the map and the sector page offer
growth (fixed classes around 0) and productivity, and the portfolio lists the most productive clusters; on a store
built with one year the texts say one year."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pandas as pd
import pytest

from clusterobs.charts.classing import GROWTH_BREAKS
from clusterobs.web.mapping import selectors

STALE = ("SBS 2015 has one", "SBS 2015 lacks", "have one (2015)", "SBS 2015 employment converted",
         "SBS 2015 regional data", "SBS 2015 regional statistics", "SBS 2015 is published", "have no wages")
CITE_2015 = "Source: Eurostat, sbs_r_nuts06_r2 (SBS regional data, persons employed, 2015)"
CITE_HISTORY = "Source: Eurostat, sbs_r_nuts06_r2 (SBS regional data, 2008-2015, bulk download of about August 2017)"
PAGES = ["/regions/DE11/", "/regions/DE11/portfolio/", "/sectors/automotive/", "/map/?category=automotive",
         "/map/?category=automotive&measure=growth", "/sectors/automotive/?measure=productivity", "/methodology/",
         "/regions/DE11/clusters/automotive/", "/"]


def body(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, url
    return unescape(r.content.decode())


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def figure(html: str, name: str) -> dict:
    import json

    m = re.search(rf'<script type="application/json" id="chart-{name}-data">(.*?)</script>', html, re.S)
    assert m, f"chart {name} not on the page"
    return json.loads(m.group(1))


def test_the_real_store_has_eight_years_with_wages_and_local_units():
    years = list(range(2008, 2016))
    assert selectors.data().years == years
    assert selectors.years_with("productivity") == years and selectors.years_with("establishments") == years
    assert selectors.years_with("growth") == years[1:]


@pytest.mark.parametrize("url", PAGES)
def test_no_page_says_one_year_or_no_wages(client, url):
    page = body(client, url)
    for stale in STALE:
        assert stale not in page, f"{url}: {stale!r}"
    # the English words of the web's wording in any chart of the page too (captions are JSON in the page)
    assert "needs two years of data; SBS" not in page


@pytest.mark.parametrize("url,chart", [("/map/?category=automotive", "strength-map"),
                                       ("/regions/DE11/portfolio/", "portfolio"),
                                       ("/sectors/automotive/", "sector-top"), ("/regions/DE11/", "region-stars")])
def test_sbs_charts_cite_both_sbs_sources(client, url, chart):
    fig = figure(body(client, url), chart)
    source = fig["layout"]["meta"]["source"]
    assert CITE_2015 in source and CITE_HISTORY in source, source
    notes = " ".join(fig["layout"]["meta"].get("notes", []))
    if chart != "sector-top" or "NUTS" in notes:
        assert "SBS 2015" not in notes


def test_methodology_states_the_years_wages_and_local_units(client):
    page = text(body(client, "/methodology/"))
    assert ("Industry data: Eurostat structural business statistics (SBS), 2008–2015: persons employed by NUTS "
            "region and NACE division") in page
    assert "Wages and salaries: 2008–2015." in page and "Local units (establishments): 2008–2015." in page
    assert "Wages and salaries per person employed (EUR), from the SBS wages of 2008–2015" in page
    assert "before 2013 in some countries under NUTS 2006 or 2010 codes" in page


def test_map_offers_growth_with_classes_around_zero(client):
    page = body(client, "/map/?category=automotive&measure=growth&scheme=eco2007&year=2015&level=2")
    menu = re.search(r'<select id="f-measure" name="measure">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', menu) == ["stars", "lq", "employment", "focus", "share_europe",
                                                          "growth", "productivity"]
    assert '<option value="growth" selected>' in menu
    fig = figure(page, "strength-map")
    notes = " ".join(fig["layout"]["meta"]["notes"])
    assert "fixed breaks around 0 (no growth)" in notes
    classes = [t for t in fig["data"] if t["type"] == "choroplethmap"
               and not t["name"].startswith(("No data", "Outlined"))]
    assert len(classes) == 6
    # each class holds the regions whose growth (API: the same selector) falls in it, by hand from the breaks
    vals = selectors.region_map_values(category="automotive", measure="growth", year=2015)
    growth = pd.to_numeric(vals.set_index("code")["value"], errors="coerce").dropna()
    edges = [-float("inf"), *GROWTH_BREAKS, float("inf")]
    by_hand = [sorted(growth[(growth >= lo) & (growth < hi)].index) for lo, hi in itertools.pairwise(edges)]
    assert [sorted(t["locations"]) for t in classes] == by_hand
    assert sum(len(c) for c in by_hand) == len(growth) > 200
    assert any(g < 0 for g in growth) and any(g > 0 for g in growth)


def test_growth_map_says_the_window_and_marks_breaks(client):
    """The hover of a region on the growth map gives the growth's window and, where Eurostat flags a break in
    series inside it, says so (the API's geojson carries growth_base_year and growth_break)."""
    page = body(client, "/map/?category=automotive&measure=growth&scheme=eco2007&year=2015&level=2")
    fig = figure(page, "strength-map")
    texts = [str(x) for t in fig["data"] for c in (t.get("customdata") or []) if isinstance(c, list) for x in c]
    vals = selectors.region_map_values(category="automotive", measure="growth", year=2015)
    shown = vals[vals["value"].notna()]
    breaks = shown[shown["growth_break"].fillna(False).astype(bool)]
    assert 0 < len(breaks) < len(shown)
    assert sum("b: a break in series (Eurostat) lies inside the window" in t for t in texts) == len(breaks)
    assert sum("Growth 2010–2015" in t for t in texts) == int((shown["growth_base_year"] == 2010).sum()) > 200


def test_map_offers_productivity_with_reader_classes(client):
    page = body(client, "/map/?category=automotive&measure=productivity&scheme=eco2007&year=2014&level=2")
    assert '<option value="productivity" selected>' in page
    assert 'name="method"' in page  # classes and method chosen by the reader, as focus
    fig = figure(page, "strength-map")
    hovers = [c[2] for t in fig["data"] for c in (t.get("customdata") or []) if isinstance(c, list) and len(c) > 2]
    assert any(h.endswith(" EUR") for h in hovers)


def test_sector_page_ranks_by_productivity_with_its_column(client):
    page = body(client, "/sectors/automotive/?measure=productivity&scheme=eco2007&year=2014&level=2")
    rows = selectors.category_regions("automotive", year=2014, measure="productivity")
    top = rows.iloc[0]
    assert top["rank"] == 1 and top["productivity"] == rows["productivity"].where(rows["rank"].notna()).max()
    table = text(page[page.index('id="rank-title"'):])
    assert "Wages per person" in table or "Productivity" in table
    from clusterobs.web.labels import value_text

    assert f"1 {top['region']} {top['region_name']}" in table
    assert value_text("productivity", top["productivity"]) in table
    growth = body(client, "/sectors/automotive/?measure=growth&scheme=eco2007&year=2015&level=2")
    assert '<option value="growth" selected>' in growth


def test_portfolio_most_productive_has_data(client):
    page = body(client, "/regions/DE11/portfolio/?scheme=eco2007&year=2014")
    section = text(page[page.index('id="prod-title"'):page.index('id="spec-title"')])
    assert "Not available" not in section
    pf = selectors.region_portfolio("DE11", year=2014)
    rows = pf["rows"]
    traded = rows[(rows["kind"] == "traded") & selectors.ranked_mask(rows) & rows["productivity"].notna()]
    best = traded.sort_values(["productivity", "category"], ascending=[False, True]).iloc[0]
    assert best["productivity"] == pytest.approx(traded["productivity"].max())
    from clusterobs.web.labels import value_text

    assert f"{best['category_name']} {value_text('productivity', best['productivity'])}" in section


@pytest.fixture(scope="module")
def one_year_store(computed, tmp_path_factory):
    """The session's store cut to 2015 with no wages, growth or local units: a store of the SBS 2015 extract alone."""
    import contextlib
    import shutil

    from clusterobs.store import Store

    source, _ = computed
    home = tmp_path_factory.mktemp("one_year")
    version = source.current()
    (home / "versions").mkdir(parents=True)
    shutil.copyfile(source.path(version), home / "versions" / f"{version}.duckdb")
    store = Store(home)
    store.publish(version)
    with store.derive(label="one year") as writer:
        con = writer.con
        tables = {r[0] for r in con.execute("SELECT name FROM _tables").fetchall()}
        for table in ("cluster_measures", "cluster_stars", "cluster_star_tests", "region_totals",
                      "region_data_quality", "region_headlines"):
            if table in tables:
                con.execute(f"DELETE FROM {table} WHERE year <> 2015")
        con.execute("UPDATE cluster_measures SET wages = NULL, productivity = NULL, relative_productivity = NULL, "
                    "establishments = NULL, avg_size = NULL, growth = NULL, growth_window = NULL, growth_yoy = NULL")
        writer.publish()
    with contextlib.suppress(OSError):
        (home / "versions" / f"{version}.duckdb").unlink()
    return store


@pytest.fixture
def one_year(settings, one_year_store):
    settings.CLUSTEROBS_HOME = one_year_store.home
    return one_year_store


def test_one_year_store_without_wages_reads_correctly(client, one_year):
    assert selectors.data().years == [2015] and selectors.years_with("productivity") == []
    page = text(body(client, "/methodology/"))
    assert "Industry data: Eurostat structural business statistics (SBS), 2015: persons employed" in page
    assert "Wages and salaries:" not in page
    assert "Wages per person employed; needs wage data, which this dataset does not have." in page
    assert "Regions: the SBS regional data are published in NUTS 2013; they are converted" in page
    portfolio = text(body(client, "/regions/DE11/portfolio/"))
    assert "Not available: productivity needs wages, and this dataset has none." in portfolio
    assert "Growth needs two years of data; the dataset has one." in portfolio
    # growth and productivity are not offered, the map says why when asked through the URL
    page = body(client, "/map/?category=automotive&measure=employment")
    menu = re.search(r'<select id="f-measure" name="measure">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', menu) == ["stars", "lq", "employment", "focus", "share_europe"]
    page = text(body(client, "/map/?category=automotive&measure=productivity"))
    assert "the SBS regional data of this dataset have no wages." in page
    page = text(body(client, "/map/?category=automotive&measure=growth"))
    assert "growth needs two years of data and the dataset has one (2015)." in page
    stars = figure(body(client, "/regions/DE11/"), "region-stars")["layout"]["meta"]
    assert ("EOCIC 2019's productivity test needs wages, which the data do not have: at most two stars."
            in stars["notes"])
    assert "SBS data converted from NUTS 2013 to NUTS 2021 with the JRC converter's population weights." in stars[
        "notes"]
