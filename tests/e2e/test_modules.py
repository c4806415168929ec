"""The Cluster Mapping Tool in a real browser: each module opened from a deep link draws the regions and values
the API gives for the same query; a filter changes the URL and the chart; CSV and PNG downloads hold what they say;
the filters are reachable by keyboard and labelled; nothing scrolls sideways at 320 px.

What the page drew is read from Plotly's own figure data in the page (``gd.data`` of each ``.js-plotly-plot``),
never from the HTML around it, and compared with the API's JSON for the same view. Classes on the maps and the
star markers are told apart by their colours, taken from ``clusterobs.charts.palette``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import struct
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from clusterobs.charts.classing import lq_classes
from clusterobs.charts.palette import NO_DATA, STAR_COLOURS

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

YEAR = 2015
REGION = "DE11"  # Stuttgart: three-star automotive cluster
CATEGORY = "automotive"
MAP_QUERY = f"category={CATEGORY}&measure=stars&scheme=eco2007&year={YEAR}&level=2"
MAP_URL = f"/map/?{MAP_QUERY}"
MODULES = {
    "home": "/",
    "region overview": f"/regions/{REGION}/?scheme=eco2007&year={YEAR}",
    "portfolio": f"/regions/{REGION}/portfolio/?scheme=eco2007&year={YEAR}",
    "data by sector": f"/sectors/{CATEGORY}/?scheme=eco2007&year={YEAR}&level=2",
    "cluster strength map": MAP_URL,
    "region comparison": f"/compare/?regions={REGION},FR10,ITC4&scheme=eco2007&year={YEAR}",
}
STAR_OF_COLOUR = {c.lower(): s for s, c in STAR_COLOURS.items()}

#: every Plotly chart of the page: its slot id, layout title and traces with plain arrays (typed arrays and
#: Plotly's base64 "bdata" arrays decoded through _fullData)
FIGURES_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const plain = (v, full) => {
    if (v && typeof v === 'object' && v.bdata !== undefined) v = full;
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (Array.isArray(v)) return v.map((x) => (ArrayBuffer.isView(x) ? Array.from(x) : x));
    return v === undefined ? null : v;
  };
  const slot = gd.closest('[id^="chart-"]') || gd;
  const title = gd.layout && gd.layout.title ? (gd.layout.title.text || gd.layout.title) : '';
  const yaxis = (gd.layout && gd.layout.yaxis) || {};
  return {
    id: gd.id || slot.id, slot: slot.id, title: String(title), ycategories: plain(yaxis.categoryarray, null),
    traces: (gd.data || []).map((t, i) => {
      const f = (gd._fullData || []).find((x) => x.index === i) || {};
      const marker = t.marker || {};
      const fm = f.marker || {};
      return {
        type: t.type || f.type, name: t.name === undefined ? null : String(t.name),
        locations: plain(t.locations, f.locations), z: plain(t.z, f.z),
        x: plain(t.x, f.x), y: plain(t.y, f.y), text: plain(t.text, f.text),
        customdata: plain(t.customdata, f.customdata),
        colorscale: t.colorscale || f.colorscale || null,
        color: plain(marker.color, fm.color), size: plain(marker.size, fm.size),
      };
    }),
  };
})
"""


# ---- helpers ----------------------------------------------------------------------------------------------------


def open_module(page, url: str) -> list[dict[str, Any]]:
    """Open ``url``, wait until a Plotly chart is drawn with traces, and return every chart's figure data."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
    page.wait_for_function("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".some((gd) => gd.data && gd.data.length > 0)")
    figures = page.evaluate(FIGURES_JS)
    assert figures and any(f["traces"] for f in figures), f"{url}: no chart with traces"
    return figures


def figure(figures: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The chart of slot ``chart-<name>``."""
    for f in figures:
        if name in (f["slot"], f["id"]) or f["slot"] == f"chart-{name}" or f["id"] == f"chart-{name}":
            return f
    raise AssertionError(f"no chart {name!r} on the page; charts: {[(f['slot'], f['id']) for f in figures]}")


def colour_of(trace: dict[str, Any]) -> str:
    """The fill of a single-colour map class trace (a two-stop colorscale of one colour)."""
    scale = trace["colorscale"]
    assert scale and scale[0][1] == scale[-1][1], trace["name"]
    return str(scale[0][1]).lower()


def map_classes(fig: dict[str, Any]) -> dict[str, str]:
    """region code → fill colour, from the choropleth traces (the outline-only imputed overlay left out)."""
    out: dict[str, str] = {}
    for t in fig["traces"]:
        if t["type"] != "choroplethmap" or not t["locations"]:
            continue
        colour = colour_of(t)
        if colour.startswith("rgba(0,0,0,0") or colour == "transparent":
            continue  # the imputed overlay: outline only
        for code in t["locations"]:
            assert code not in out, f"{code} drawn in two classes"
            out[code] = colour
    return out


def api_json(api, path: str, **params: Any) -> Any:
    r = api.get(path, params=params)
    assert r.status_code == 200, f"{path} {params}: HTTP {r.status_code} {r.text[:300]}"
    return r.json()


def expected_map(api, **query: Any) -> dict[str, float | None]:
    """region → value of the map layer for the query: ``None`` for no data (stars need employment: a cell
    without employment has no stars to show, as the page says)."""
    layer = api_json(api, "/api/geojson", **query)
    out: dict[str, float | None] = {}
    for f in layer["features"]:
        p = f["properties"]
        value = p["value"]
        if query.get("measure", "stars") == "stars" and p.get("employment") is None:
            value = None
        out[p["code"]] = value
    return out


def switch(page, name: str, value: str) -> None:
    """Choose ``value`` in the filter ``name``; submit its form if choosing alone does not reload the page."""
    control = page.locator(f"select[name='{name}']").first
    url = page.url
    control.select_option(value)
    try:
        page.wait_for_url(lambda u: u != url and f"{name}={value}" in u, timeout=2_000)
    except PlaywrightTimeout:  # no script submits on change: press the form's button
        form = control.locator("xpath=ancestor::form[1]")
        form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
        page.wait_for_url(lambda u: u != url and f"{name}={value}" in u)
    page.wait_for_load_state("load")


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def download_link(page, scope: str, fmt: str):
    """The first download link of ``fmt`` (csv, png, ...) inside ``scope`` (a CSS selector)."""
    pattern = {"csv": "format=csv", "xlsx": "format=xlsx", "png": ".png", "svg": ".svg"}[fmt]
    link = page.locator(f"{scope} a[href*='{pattern}']").first
    assert link.count(), f"no {fmt} download link in {scope}"
    return link


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def close(a: float, b: float, rel: float = 1e-6) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-9)


# ---- module 4: cluster strength by sector (the map) -----------------------------------------------------------


def test_map_deep_link_draws_the_api_regions_and_stars(page, api):
    figures = open_module(page, MAP_URL)
    fig = figure(figures, "strength-map")
    assert "Automotive" in fig["title"]
    drawn = map_classes(fig)
    expected = expected_map(api, category=CATEGORY, measure="stars", scheme="eco2007", year=YEAR, level=2)
    # every region of the level is on the map, with or without data (absence is information)
    assert set(drawn) == set(expected)
    no_data = {c for c, v in expected.items() if v is None}
    assert {c for c, colour in drawn.items() if colour == NO_DATA.lower()} == no_data
    for code, value in expected.items():
        if value is not None:
            assert STAR_OF_COLOUR.get(drawn[code]) == int(value), f"{code}: drawn {drawn[code]}, API {value} stars"
    assert STAR_OF_COLOUR[drawn[REGION]] == 3
    # the legend counts the regions of each class
    for t in fig["traces"]:
        m = re.search(r"\((\d+)\)\s*$", t["name"] or "")
        if m and t["locations"]:
            assert int(m.group(1)) == len(t["locations"]), t["name"]
    assert not page.js_errors


def test_map_switching_the_measure_changes_the_url_and_the_chart(page, api):
    before = map_classes(figure(open_module(page, MAP_URL), "strength-map"))
    switch(page, "measure", "lq")
    q = query_of(page.url)
    assert q["measure"] == "lq" and q["category"] == CATEGORY and q["year"] == str(YEAR)
    fig = figure(page.evaluate(FIGURES_JS), "strength-map")
    after = map_classes(fig)
    assert after != before
    assert re.search(r"\blq\b|location quotient", fig["title"].lower()), fig["title"]
    # the LQ classes: same region set, each region's class holds its LQ from the API
    expected = expected_map(api, category=CATEGORY, measure="lq", scheme="eco2007", year=YEAR, level=2)
    assert set(after) == set(expected)
    classing = lq_classes()
    for code, value in expected.items():
        if value is None:
            assert after[code] == NO_DATA.lower(), code
        else:
            b = classing.bins[int(classing.assign(pd.Series([value])).iloc[0])]
            assert after[code] == b.colour.lower(), f"{code}: LQ {value} drawn {after[code]}, class {b.label}"
    # Back restores the stars view from the URL alone
    page.go_back()
    page.wait_for_function("document.querySelector('.js-plotly-plot') && "
                           "document.querySelector('.js-plotly-plot').data")
    assert query_of(page.url)["measure"] == "stars"
    assert map_classes(figure(page.evaluate(FIGURES_JS), "strength-map")) == before


def test_map_switching_the_category(page, api):
    before = map_classes(figure(open_module(page, MAP_URL), "strength-map"))
    switch(page, "category", "biopharmaceuticals")
    q = query_of(page.url)
    assert q["category"] == "biopharmaceuticals" and q["measure"] == "stars"
    fig = figure(page.evaluate(FIGURES_JS), "strength-map")
    assert "Biopharmaceuticals" in fig["title"]
    after = map_classes(fig)
    assert after != before
    expected = expected_map(api, category="biopharmaceuticals", measure="stars", scheme="eco2007", year=YEAR,
                            level=2)
    for code, value in expected.items():
        if value is not None:
            assert STAR_OF_COLOUR.get(after[code]) == int(value), code


def download_csv(page, link) -> tuple[str, list[dict[str, str]]]:
    """Click a CSV link; (suggested file name, rows)."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return download.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def test_map_csv_downloads_hold_the_view(page, api):
    open_module(page, MAP_URL)
    links = page.locator("main a[href*='format=csv']")
    assert links.count() >= 2, "the map offers the values as shown and the full indicator"
    # 1. "as shown": one row per region on the map, the value drawn, missing as an empty cell with the reason
    name, rows = download_csv(page, links.nth(0))
    assert name.endswith(".csv") and CATEGORY in name and "stars" in name, name
    for column in ("code", "name", "category", "year", "measure", "value", "no_data"):
        assert column in rows[0], list(rows[0])
    by_code = {r["code"]: r for r in rows}
    layer = expected_map(api, category=CATEGORY, measure="stars", scheme="eco2007", year=YEAR, level=2)
    assert set(by_code) == set(layer)
    assert by_code[REGION]["value"] == "3" and by_code[REGION]["year"] == str(YEAR)
    assert {r["measure"] for r in rows} == {"stars"} and {r["category"] for r in rows} == {CATEGORY}
    blank = [r for r in rows if r["value"] == ""]
    assert blank and all(r["no_data"] for r in blank), "a region without data needs its reason"
    assert "0" not in {r["value"] for r in blank}
    # 2. "full indicator": every measure of the category, one row per region, as the API has it
    name, rows = download_csv(page, links.nth(1))
    for column in ("region", "category", "year", "stars", "employment", "lq"):
        assert column in rows[0], list(rows[0])
    mine = [r for r in rows if r["region"] == REGION]
    assert len(mine) == 1 and mine[0]["category"] == CATEGORY and int(mine[0]["stars"]) == 3
    api_row = api_json(api, "/api/measures", region=REGION, category=CATEGORY, scheme="eco2007", year=YEAR,
                       level=2)["results"][0]
    assert close(float(mine[0]["employment"]), api_row["employment"])
    assert close(float(mine[0]["lq"]), api_row["lq"])
    assert close(float(mine[0]["growth"]), api_row["growth"])  # 2010-2015, the longest window of at most 5 years
    assert mine[0]["growth_window"] == str(api_row["growth_window"]) == "5"
    # a cell that cannot be ranked has no growth: empty, never 0
    unranked = [r for r in rows if r["rankable"] == "False"]
    assert unranked and all(r["growth"] == "" for r in unranked)


def test_map_png_download(page):
    open_module(page, MAP_URL)
    link = download_link(page, "main", "png")
    href = link.get_attribute("href")
    assert href and "/api/figures/strength-map.png" in href
    q = query_of(href)
    assert q.get("category") == CATEGORY and q.get("measure") == "stars" and q.get("year") == str(YEAR)
    with page.expect_download(timeout=90_000) as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".png")
    data = Path(download.path()).read_bytes()
    width, height = png_size(data)
    assert width >= 1000 and height >= 400, (width, height)
    assert len(data) > 20_000  # a drawn map with its caption, not an empty frame


# ---- module 1: region overview --------------------------------------------------------------------------------


def test_region_overview_deep_link(page, api):
    figures = open_module(page, MODULES["region overview"])
    profile = api_json(api, f"/api/regions/{REGION}", scheme="eco2007", year=YEAR)
    assert profile["name"] == "Stuttgart"
    assert "Stuttgart" in page.locator("h1").first.inner_text()
    # the locator map highlights the region
    loc = figure(figures, "locator")
    highlighted = [t for t in loc["traces"] if t["locations"] == [REGION]]
    assert highlighted, "the region is not drawn on its own in the locator map"
    # the star strip: each starred cluster of the API with its stars in the scheme's column
    strip = figure(figures, "region-stars")
    assert "Stuttgart" in strip["title"]
    cells: dict[tuple[str, str], int] = {}
    for t in strip["traces"]:
        colour = t["color"] if isinstance(t["color"], str) else None
        stars = STAR_OF_COLOUR.get((colour or "").lower())
        for x, y in zip(t["x"] or [], t["y"] or [], strict=True):
            if stars is not None and stars > 0:
                cells[(str(y), str(x))] = stars
    starred = {r["category_name"]: r["stars"] for r in profile["starred_clusters"]}
    assert starred, "the API lists no starred cluster for Stuttgart"
    eco = [col for (_, col) in cells if "ECO" in col.upper() or "2007" in col]
    assert eco, f"no ECO 2007 column in the star strip: {sorted({c for _, c in cells})}"
    column = eco[0]
    # every starred cell drawn in the scheme's column has the API's stars ...
    for (name, col), stars in cells.items():
        if col == column:
            assert starred.get(name) == stars, f"{name}: strip {stars} stars, API {starred.get(name)}"
    # ... and the strongest clusters (2 and 3 stars) are all drawn (the strip may cut the long tail of 1 star)
    for name, stars in starred.items():
        if stars >= 2:
            assert cells.get((name, column)) == stars, f"{name}: API {stars} stars, strip {cells.get((name, column))}"


# ---- module 2: regional cluster portfolio ---------------------------------------------------------------------


def test_portfolio_deep_link_bubbles_match_the_api(page, api):
    figures = open_module(page, MODULES["portfolio"])
    fig = figure(figures, "portfolio")
    assert "Stuttgart" in fig["title"]
    pf = api_json(api, f"/api/regions/{REGION}/portfolio", scheme="eco2007", year=YEAR)
    rows = {r["category"]: r for r in pf["results"] if r["kind"] == "traded"}
    bubbles = 0
    for t in fig["traces"]:
        if t["type"] not in ("scatter", None) or not t["customdata"]:
            continue
        stars = STAR_OF_COLOUR.get(str(t["color"]).lower())
        for x, y, custom in zip(t["x"], t["y"], t["customdata"], strict=True):
            category = re.search(r"/sectors/([^/]+)/", custom[0]).group(1)
            row = rows[category]
            assert close(y, row["lq"]), f"{category}: y {y}, API LQ {row['lq']}"
            x_api = row["growth"] if row["growth"] is not None else row["employment"]
            assert close(x, x_api), f"{category}: x {x}, API {x_api}"
            assert stars == row["stars"], f"{category}: colour of {stars} stars, API {row['stars']}"
            bubbles += 1
    # only the clusters that can be ranked are drawn (a cell below the coverage threshold has no stars to colour)
    drawn = [r for r in rows.values() if r["lq"] and r["lq"] > 0 and r["employment"] and r["employment"] > 0
             and r["rankable"] and not r["region_no_data"]]
    assert bubbles == len(drawn)
    assert any(not r["rankable"] and r["employment"] for r in rows.values())  # Stuttgart has one left out
    # the sortable table below lists the same categories
    assert page.locator("table").count() >= 1


# ---- module 3: data by sector ---------------------------------------------------------------------------------


def test_sector_deep_link_ranks_the_api_regions(page, api):
    figures = open_module(page, MODULES["data by sector"])
    top = figure(figures, "sector-top")
    assert "Automotive" in top["title"]
    ranked = api_json(api, f"/api/categories/{CATEGORY}/regions", scheme="eco2007", year=YEAR, level=2,
                      measure="employment")["results"]
    # the top 15 of the regions ranked (rank not null: rankable, not a no-data region)
    have = sorted((r for r in ranked if r["employment"] is not None and r["rank"] is not None),
                  key=lambda r: (-r["employment"], r["region"]))[:15]
    assert [r["rank"] for r in have] == list(range(1, 16))
    drawn: dict[str, float] = {}
    stars_of: dict[str, int | None] = {}
    for t in top["traces"]:
        if t["type"] != "bar":
            continue
        for label, value in zip(t["y"], t["x"], strict=True):
            drawn[label] = value
            stars_of[label] = STAR_OF_COLOUR.get(str(t["color"]).lower())
    assert len(drawn) == len(have)
    for r in have:
        label = next((lab for lab in drawn if f"({r['region']})" in lab), None)
        assert label, f"{r['region']} missing from the top 15"
        assert close(drawn[label], r["employment"])
        assert stars_of[label] == r["stars"], f"{label}: bar colour of {stars_of[label]} stars, API {r['stars']}"
    # largest on top: Plotly lists a horizontal bar chart's categories bottom-up
    order = top["ycategories"] or sorted(drawn, key=drawn.get)
    assert f"({have[0]['region']})" in order[-1]
    figure(figures, "sector-distribution")


def test_sector_switching_the_measure(page):
    open_module(page, MODULES["data by sector"])
    before = figure(page.evaluate(FIGURES_JS), "sector-top")
    switch(page, "measure", "lq")
    assert query_of(page.url)["measure"] == "lq"
    after = figure(page.evaluate(FIGURES_JS), "sector-top")

    def bars(fig):
        return sorted(x for t in fig["traces"] if t["type"] == "bar" for x in t["x"])

    assert bars(after) != bars(before)
    assert max(bars(after)) < 100, "LQ values expected after the switch, not employment"
    assert "lq" in after["title"].lower() or "location quotient" in after["title"].lower(), after["title"]


def test_sector_csv_download(page, api):
    open_module(page, MODULES["data by sector"])
    link = download_link(page, "main", "csv")
    with page.expect_download() as info:
        link.click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert {"region", "category", "employment"} <= set(rows[0])
    assert {r["category"] for r in rows} == {CATEGORY}
    mine = next(r for r in rows if r["region"] == REGION)
    api_row = api_json(api, "/api/measures", region=REGION, category=CATEGORY, scheme="eco2007", year=YEAR,
                       level=2)["results"][0]
    assert close(float(mine["employment"]), api_row["employment"])


# ---- home and comparison ----------------------------------------------------------------------------------------


def test_home_map_of_three_star_clusters(page, api):
    figures = open_module(page, "/")
    fig = figures[0]
    drawn = map_classes(fig)
    layer = api_json(api, "/api/geojson", min_stars=3)
    assert set(drawn) == {f["properties"]["code"] for f in layer["features"]}
    grey = {c for c, colour in drawn.items() if colour == NO_DATA.lower()}
    assert grey == {f["properties"]["code"] for f in layer["features"] if f["properties"]["value"] is None}


def test_compare_deep_link(page, api):
    figures = open_module(page, MODULES["region comparison"])
    strip = figure(figures, "compare-stars")
    columns = {str(x) for t in strip["traces"] for x in (t["x"] or [])}
    for code in (REGION, "FR10", "ITC4"):
        assert any(c.startswith(code) for c in columns), (code, columns)
    rows = api_json(api, "/api/measures", region=f"{REGION},FR10,ITC4", scheme="eco2007", year=YEAR, level=2,
                    min_stars=1, limit=500)["results"]
    cells = {}
    for t in strip["traces"]:
        stars = STAR_OF_COLOUR.get(str(t["color"]).lower())
        for x, y in zip(t["x"], t["y"], strict=True):
            cells[(str(x).split()[0], str(y))] = stars
    for r in rows:
        if r["employment"] is not None and (r["region"], r["category_name"]) in cells:
            assert cells[(r["region"], r["category_name"])] == r["stars"], r


# ---- every module: keyboard, labels, small screens, no script errors ---------------------------------------------


def focusable_filters(page) -> list[str]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('main select, main input:not([type=hidden])'))
        .filter((el) => !el.disabled && el.offsetParent !== null).map((el) => el.name || el.id)""")


def test_keyboard_reaches_the_filters_and_controls_have_labels(page):
    open_module(page, MAP_URL)
    filters = set(focusable_filters(page))
    assert {"category", "measure"} <= filters, filters
    reached: set[str] = set()
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        name = page.evaluate("() => { const e = document.activeElement; return e ? (e.name || e.id || '') : ''; }")
        if name in filters:
            reached.add(name)
        if reached >= {"category", "measure"}:
            break
    assert {"category", "measure"} <= reached, f"Tab reached {reached}"
    # the focused control shows it: a visible outline or box shadow
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
    assert style[0] != "none" or style[2] != "none", style
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
        'select, input:not([type=hidden]):not([type=submit]):not([type=button]), textarea'))
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.getAttribute('title'))
        .map((el) => el.outerHTML.slice(0, 120))""")
    assert not unlabelled, unlabelled


#: elements sticking out to the right of the viewport, outside any box that scrolls or clips them itself
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > vw + 1 && !contained(el)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
               + (typeof el.className === 'string' && el.className.trim()
                  ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
               + ' (right edge ' + Math.round(r.right) + ' px)');
    }
  }
  return {scroll: document.documentElement.scrollWidth, viewport: vw, offenders: out.slice(0, 8)};
}"""


@pytest.mark.parametrize("module", list(MODULES))
def test_no_horizontal_scroll_at_320_px(context, module):
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(MODULES[module])
    assert response is not None and response.status == 200
    page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
    page.wait_for_timeout(500)  # Plotly's responsive relayout
    out = page.evaluate(OVERFLOW_JS)
    assert out["scroll"] <= out["viewport"], (
        f"{module}: the page scrolls sideways at 320 px ({out['scroll']} px wide); widest: {out['offenders']}")


@pytest.mark.parametrize("module", list(MODULES))
def test_every_module_draws_without_script_errors(page, module):
    figures = open_module(page, MODULES[module])
    assert all(f["traces"] for f in figures if f["slot"].startswith("chart-")), module
    assert not page.js_errors, page.js_errors


# ---- the other pages: open in the browser, nothing leaves the machine, no sideways scroll --------------------------

OTHER_PAGES = ["/categories/", "/search/?q=Stuttgart", "/methodology/", "/sources/", "/help/", "/api/docs"]


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_other_pages_open_locally(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    assert not page.js_errors, page.js_errors
    if path.startswith("/api/docs"):
        page.wait_for_selector(".swagger-ui, #swagger-ui, redoc", state="attached")
        return
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_timeout(200)
    out = page.evaluate(OVERFLOW_JS)
    assert out["scroll"] <= out["viewport"], f"{path}: {out['scroll']} px wide at 320 px; widest: {out['offenders']}"


def test_search_finds_the_region(page):
    page.goto("/search/?q=Stuttgart")
    link = page.locator(f"main a[href*='/regions/{REGION}/']").first
    assert link.count(), "no link to Stuttgart's page in the results"
    link.click()
    page.wait_for_url(f"**/regions/{REGION}/**")
    page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
