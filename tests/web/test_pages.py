"""Every page of the Cluster Mapping Tool renders from the computed store, with the real values, in its deep link.

The numbers asserted are read from the selectors (the same store the page reads), so the tests check that the page
shows them, formatted, rather than restating the engine's results.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from clusterobs.web import api_formats, dataset
from clusterobs.web.cache import Memo
from clusterobs.web.labels import num, sig_pct
from clusterobs.web.mapping import selectors


def text(response) -> str:
    return unescape(response.content.decode())


def figure(response, name: str) -> dict:
    """The Plotly figure a page embeds for chart ``name``."""
    m = re.search(rf'<script type="application/json" id="chart-{name}-data">(.*?)</script>', response.content.decode(),
                  re.S)
    assert m, f"chart {name} not on the page"
    return json.loads(m.group(1))


def trace_names(fig: dict) -> list[str]:
    return [t.get("name", "") for t in fig["data"]]


PAGES = ["/", "/regions/DE11/", "/regions/DE11/portfolio/", "/sectors/automotive/", "/map/",
         "/compare/?regions=DE11,FR10", "/categories/", "/search/?q=stuttgart", "/methodology/", "/sources/", "/help/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_navigation_and_language_switcher(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    page = text(r)
    assert '<main id="main">' in page
    assert 'action="/i18n/setlang/"' in page
    for link in ("/map/", "/categories/", "/regions/", "/compare/", "/methodology/", "/sources/", "/help/"):
        assert f'href="{link}"' in page
    assert "plotly.min.js" in page  # the full bundle (fallback) from the plotly package, never a CDN
    assert "cdn.plot.ly" not in page and "cdn.jsdelivr" not in page


def test_home_headline_figures_and_three_star_map(client):
    head = selectors.headline()
    r = client.get("/")
    page = text(r)
    assert "European Cluster Observatory" in page
    assert head["kind"] == "traded"  # headline counts are of traded categories, and say so
    for stars in (3, 2, 1):
        assert f"{num(head['by_stars'][stars])}</dd>" in page
        assert f"traded clusters with {stars} star" in page
    assert f"{round(100 * head['starred_share'])}%" in page
    fig = figure(r, "stars-map")
    assert fig["layout"]["map"]["style"] == "white-bg"
    assert {t["type"] for t in fig["data"]} == {"choroplethmap"}
    counts = selectors.stars_by_region(stars=3)
    counts = counts[~counts["no_data"]]
    best = counts.sort_values(["count", "region"], ascending=[False, True]).iloc[0]
    assert f"{best['region_name']} ({int(best['count'])})" in page  # the summary sentence names the leader
    assert any(n.startswith("No data (") for n in trace_names(fig))
    for entry in ("/regions/", "/categories/", "/map/", "/compare/"):
        assert f'href="{entry}' in page


def test_region_overview_context_starred_clusters_and_why(client):
    r = client.get("/regions/DE11/")
    page = text(r)
    assert "Stuttgart" in page and "DE11" in page
    context = selectors.region_context("DE11")
    assert num(context["region_population"]["value"]) in page
    assert str(context["region_population"]["year"]) in page
    m = selectors.measures(region="DE11")
    auto = m[m["category"] == "automotive"].iloc[0]
    assert int(auto["stars"]) == 3
    assert num(auto["employment"]) in page
    assert "size, specialisation, focus" in page
    tests = selectors.star_tests(region="DE11", category="automotive")
    threshold = tests.loc[tests["test"] == "size", "threshold"].iloc[0]
    assert f"{num(auto['employment'])} ≥ {num(threshold)} (p90)" in page  # why: the value against the threshold
    assert "locator" in page and figure(r, "locator")["layout"]["map"]["style"] == "white-bg"
    strip = figure(r, "region-stars")
    assert "Automotive" in json.dumps(strip["data"], ensure_ascii=False)
    assert "/api/measures?" in page and "region=DE11" in page and "format=csv" in page and "format=xlsx" in page


def test_region_without_measures_says_why(client):
    r = client.get("/regions/CH01/")
    assert r.status_code == 200
    assert "outside the SBS regional statistics of 2015" in text(r)


def test_lowercase_region_code_redirects(client):
    r = client.get("/regions/de11/?scheme=uscmp")
    assert r.status_code == 302
    assert r["Location"] == "/regions/DE11/?scheme=uscmp"


def test_portfolio_lists_bubble_chart_and_sortable_table(client):
    r = client.get("/regions/DE11/portfolio/")
    page = text(r)
    # the SBS wages of 2015: the most productive traded clusters are listed with their wage per person employed
    assert "Not available: productivity needs wages" not in page
    pf = selectors.region_portfolio("DE11")
    top_prod = pf["most_productive"].iloc[0]
    assert f"{top_prod['category_name']}</a> {num(top_prod['productivity'], 0)} EUR" in page
    top_lq = pf["most_specialised"].iloc[0]
    assert top_lq["category_name"] in page and num(top_lq["lq"], 2) in page
    fig = figure(r, "portfolio")
    assert fig["layout"]["yaxis"]["type"] == "log"
    # several years: x is the growth of employment (linear, around 0); with one year it would be employment (log)
    assert fig["layout"]["xaxis"].get("type") != "log"
    urls = [c[0] for t in fig["data"] for c in t["customdata"]]
    assert all(u.startswith("/sectors/") for u in urls)  # a click opens the sector page
    assert 'aria-sort="descending"' in page
    assert "/api/regions/DE11/portfolio?" in page and "format=xlsx" in page


def test_portfolio_sort_is_in_the_url(client):
    by_lq = text(client.get("/regions/DE11/portfolio/?sort=lq&dir=desc"))
    by_name = text(client.get("/regions/DE11/portfolio/?sort=category_name&dir=asc"))
    first = re.compile(r'<tbody><tr>\s*<th scope="row"><a href="/sectors/([a-z_]+)/')
    pf = selectors.region_portfolio("DE11")["rows"]
    assert first.search(by_lq).group(1) == pf.sort_values("lq", ascending=False).iloc[0]["category"]
    assert first.search(by_name).group(1) == pf.sort_values("category_name").iloc[0]["category"]


def test_sector_page_ranked_table_distribution_and_top_regions(client):
    r = client.get("/sectors/automotive/")
    page = text(r)
    rows = selectors.category_regions("automotive", measure="employment")
    first = rows.sort_values("employment", ascending=False).iloc[0]
    assert first["region"] == "DE11"
    assert num(first["employment"]) in page
    top = figure(r, "sector-top")
    assert top["data"][0]["type"] == "bar"
    labels = [y for t in top["data"] for y in t["y"]]
    assert "Stuttgart (DE11)" in labels
    dist = figure(r, "sector-distribution")
    assert dist["data"][0]["type"] == "bar"
    assert "/api/categories/automotive/regions?" in page and "format=csv" in page


def test_sector_measure_and_highlight_come_from_the_link(client):
    r = client.get("/sectors/automotive/?measure=lq&region=DE12")
    page = text(r)
    assert '<option value="lq" selected>' in page
    assert '<tr class="highlight">' in page
    assert "top regions by LQ" in figure(r, "sector-top")["layout"]["title"]["text"]


def store_divisions(web_store, category: str) -> dict[str, tuple[float, float | None]]:
    """``category_divisions`` of the store, read with DuckDB: division → (weight, us_employment_share)."""
    with contextlib.closing(web_store.connect()) as con:
        rows = con.execute("SELECT division, weight, us_employment_share FROM category_divisions WHERE category = ?",
                           [category]).fetchall()
    return {d: (w, share) for d, w, share in rows}


DIVISION_ROW = re.compile(r'<tr>\s*<td>([A-Z]\d\d)</td><th scope="row">[^<]*</th><td class="num">([^<]*)</td>'
                          r'<td class="num">([^<]*)</td><td>(yes|no)</td>')


def test_sector_page_shows_the_divisions_feeding_the_category(client, web_store):
    page = text(client.get("/sectors/automotive/"))
    section = page[page.index("What this category is made of"):]
    shown = {d: (w, share, sbs) for d, w, share, sbs in DIVISION_ROW.findall(section)}
    store = store_divisions(web_store, "automotive")
    assert set(shown) == set(store)
    weight, share = store["C29"]
    assert shown["C29"] == (sig_pct(weight), sig_pct(share), "yes")  # motor vehicles: in the SBS business economy
    order = [d for d, *_ in DIVISION_ROW.findall(section)]
    shares = [store[d][1] for d in order]
    assert shares == sorted(shares, reverse=True)  # largest share of the category's US employment first
    assert "U.S. Census Bureau, County Business Patterns 2012" in section and 'href="/methodology/"' in section
    assert "/api/categories/automotive/divisions?format=csv" in section
    assert "/api/categories/automotive/divisions?format=xlsx" in section


def test_sector_page_division_download(client, web_store):
    r = client.get("/api/categories/aerospace_vehicles_and_defense/divisions?format=csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    store = store_divisions(web_store, "aerospace_vehicles_and_defense")
    assert rows[0]["division"] == "C30" == max(store, key=lambda d: store[d][1] or 0)
    assert {row["division"]: float(row["weight"]) for row in rows} == {d: w for d, (w, _) in store.items()}
    xlsx = client.get("/api/categories/aerospace_vehicles_and_defense/divisions?format=xlsx")
    sheet = list(load_workbook(io.BytesIO(xlsx.content))["data"].iter_rows(values_only=True))
    assert sheet[0] == tuple(rows[0]) and [row[0] for row in sheet[1:]] == [row["division"] for row in rows]


def test_sector_page_in_french_says_what_the_category_is_made_of(client):
    page = text(client.get("/sectors/automotive/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Ce qui compose cette catégorie" in page and "Part de l’emploi aux États-Unis" in page


@pytest.fixture
def older_dataset(monkeypatch):
    """The published version as an older store without ``category_divisions`` (fresh memo and API answers)."""
    obs = selectors.data()
    monkeypatch.setitem(obs.__dict__, "tables", obs.tables - {"category_divisions"})
    monkeypatch.setattr(obs, "memo", Memo(dataset.MEMO_SIZE, dataset.MEMO_BYTES))
    api_formats.RESPONSES.clear()
    yield
    api_formats.RESPONSES.clear()


def test_older_dataset_without_divisions_shows_nothing_for_them(client, older_dataset):
    r = client.get("/sectors/automotive/")
    assert r.status_code == 200
    assert "What this category is made of" not in text(r) and "/divisions?" not in text(r)
    assert client.get("/api/categories/automotive").json()["divisions"] == []
    assert client.get("/api/categories/automotive/divisions").json()["results"] == []


def test_not_covered_category_says_why(client):
    r = client.get("/sectors/financial_services/")
    assert r.status_code == 200
    assert "is not mapped: the SBS business statistics cover only" in text(r)


def test_map_default_is_stars_with_a_no_data_entry_distinct_from_zero(client):
    r = client.get("/map/")
    page = text(r)
    fig = figure(r, "strength-map")
    names = trace_names(fig)
    assert any(n.startswith("0 stars (") for n in names)
    assert any(n.startswith("No data (") for n in names)
    no_data = next(t for t in fig["data"] if t["name"].startswith("No data"))
    zero = next(t for t in fig["data"] if t["name"].startswith("0 stars"))
    assert no_data["colorscale"][0][1] != zero["colorscale"][0][1]
    # a region whose employment is missing is "no data", never "0 stars"
    m = selectors.measures(category="automotive")
    missing = set(m.loc[m["employment"].isna(), "region"])
    assert missing and missing <= set(no_data["locations"])
    assert not missing & set(zero["locations"])
    assert '<option value="automotive" selected>' in page
    assert fig["data"][0]["customdata"][0][0].startswith("/regions/")  # click-through to the region


def test_map_deep_links_change_the_view(client):
    lq = figure(client.get("/map/?category=biopharmaceuticals&measure=lq&level=2"), "strength-map")
    assert "Biopharmaceuticals: LQ by region" in lq["layout"]["title"]["text"]
    assert any(n.startswith("LQ < 0.5 (") for n in trace_names(lq))
    assert any("0.8 ≤ LQ < 1.25" in n for n in trace_names(lq))
    level1 = figure(client.get("/map/?category=automotive&measure=lq&level=1"), "strength-map")
    codes = {c for t in level1["data"] for c in t.get("locations", [])}
    assert "DE1" in codes and "DE11" not in codes
    share = figure(client.get("/map/?category=automotive&measure=share_europe&classes=7&method=quantile"),
                   "strength-map")
    assert len([n for n in trace_names(share) if n.startswith(("x <", "x ≥")) or " ≤ x < " in n]) == 7
    emp = figure(client.get("/map/?category=automotive&measure=employment"), "strength-map")
    assert "scattermap" in {t["type"] for t in emp["data"]}  # counts as circles, not a choropleth


def test_map_downloads_and_share_link_carry_the_query(client):
    page = text(client.get("/map/?category=automotive&measure=lq&scheme=uscmp"))
    assert "/api/geojson?" in page and "category=automotive" in page and "measure=lq" in page
    assert "scheme=uscmp" in page
    share = re.search(r'id="share-link" type="text" readonly value="([^"]+)"', page).group(1)
    assert "category=automotive" in share and "measure=lq" in share and "scheme=uscmp" in share
    assert f"release={selectors.data().version}" in share
    assert "/api/figures/strength-map.png?" in page and "/api/figures/strength-map.svg?" in page


def test_map_without_data_for_the_filter_says_why(client):
    assert "not mapped" in text(client.get("/map/?category=financial_services"))
    # the first year has no earlier one: growth needs two years, and the map says so
    first = selectors.data().years[0]
    assert "needs an earlier year with employment data" in text(
        client.get(f"/map/?category=automotive&measure=growth&year={first}"))


def test_compare_regions_on_shared_axes(client):
    r = client.get("/compare/?regions=DE11,FR10,ITC4&measure=lq")
    page = text(r)
    for name in ("Stuttgart", "Ile-de-France", "Lombardia"):
        assert name in page
    bars = figure(r, "compare-measure")
    assert [t["name"] for t in bars["data"]] == ["DE11 Stuttgart", "FR10 Ile-de-France", "ITC4 Lombardia"]
    assert "xaxis2" not in bars["layout"]  # one shared axis
    strip = figure(r, "compare-stars")
    assert strip["layout"]["xaxis"]["categoryarray"] == ["DE11 Stuttgart", "FR10 Ile-de-France", "ITC4 Lombardia"]
    assert "Add a peer" in page and "regions=DE11%2CFR10%2CITC4%2CDE" in page
    two = text(client.get("/compare/?regions=DE11,FR10"))
    assert "Lombardia" not in two


def test_compare_limits_and_empty_state(client):
    assert "No regions chosen yet" in text(client.get("/compare/"))
    eleven = ",".join(["DE11", "DE12", "DE13", "DE14", "DE21", "DE22", "DE23", "DE24", "DE25", "DE26", "DE27"])
    assert client.get(f"/compare/?regions={eleven}").status_code == 400


def test_category_index(client):
    page = text(client.get("/categories/"))
    counts = selectors.category_star_counts()
    auto = counts[counts["category"] == "automotive"].iloc[0]
    assert 'href="/sectors/automotive/?' in page
    assert f'<td class="num">{int(auto["stars_3"])}</td>' in page
    assert "Financial Services" in page and "not covered" in page
    traded_only = text(client.get("/categories/?kind=traded"))
    assert "Local Health Services" not in traded_only and "Automotive" in traded_only


def test_search_by_name_and_code(client):
    by_name = text(client.get("/search/?q=stuttgart"))
    assert 'href="/regions/DE11/"' in by_name
    by_code = text(client.get("/search/?q=FR10"))
    assert 'class="highlight"><td><a href="/regions/FR10/">FR10</a>' in by_code
    assert "No region matches" in text(client.get("/search/?q=zzzzqq"))


def test_methodology_generated_from_the_schemes_as_configured(client):
    page = text(client.get("/methodology/"))
    schemes = selectors.data().schemes
    for condition in schemes["condition"]:
        assert condition in page
    assert "ours" in page and "published threshold is not public" in page
    assert "optional: skipped" in page
    assert "90th percentile" in page


def test_sources_page_lists_provenance_and_checksums(client):
    page = text(client.get("/sources/"))
    src = selectors.sources()
    for sha in src["sha256"]:
        assert sha in page
    assert selectors.data().version in page
    assert "CC BY 4.0" in page or src["licence"].iloc[0] in page


@pytest.mark.parametrize(("path", "says"), [
    ("/regions/XX99/", "There is no NUTS 2021 region with the code “XX99”"),
    ("/regions/XX99/portfolio/", "There is no NUTS 2021 region"),
    ("/sectors/no_such_category/", "There is no category “no_such_category”"),
    ("/compare/?regions=DE11,XX99", "Unknown region codes: XX99"),
    ("/nowhere/", "There is no page at /nowhere/"),
])
def test_unknown_codes_are_404_pages_that_say_why(client, path, says):
    r = client.get(path)
    assert r.status_code == 404
    page = text(r)
    assert says in page
    assert 'action="/search/"' in page  # a way on: the search form


@pytest.mark.parametrize("path", ["/map/?level=9", "/map/?scheme=nope", "/map/?measure=nope", "/map/?year=1900",
                                  "/sectors/automotive/?sort=nope", "/map/?classes=12"])
def test_bad_parameters_are_400_pages_naming_the_parameter(client, path):
    r = client.get(path)
    assert r.status_code == 400
    assert re.search(r"`\w+` must be", text(r))


def test_embed_hides_the_site_chrome(client):
    page = text(client.get("/map/?embed=1"))
    assert '<header class="site">' not in page and 'class="embed"' in page


def test_release_notice_when_the_link_names_another_release(client):
    assert "This link was made with data release 19990101T000000" in text(
        client.get("/map/?release=19990101T000000"))
    assert "This link was made" not in text(client.get(f"/map/?release={selectors.data().version}"))


def test_plotly_js_is_served_from_the_package(client):
    r = client.get("/static/plotly/plotly.min.js")
    assert r.status_code == 200
    head = b"".join(r.streaming_content)[:2000] if r.streaming else r.content[:2000]
    assert b"plotly.js" in head
