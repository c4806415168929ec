"""Honest gaps in a real browser: a region split from an older NUTS region by population (Budapest, HU11) is drawn
as no data on the maps with its reason on hover and in the chart's table, an Irish region's page opens with the
caveat box, and a cell that cannot be ranked is listed, marked, never ranked. Every value is checked against the
API's answer for the same view."""

from __future__ import annotations

import re

import pytest
from test_modules import api_json, figure, map_classes, open_module

from clusterobs.charts.palette import NO_DATA

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

YEAR = 2015
SPLIT = "HU11"  # Budapest: its 2015 structure is the old HU10's shared out by population
MAP_URL = f"/map/?category=automotive&measure=stars&scheme=eco2007&year={YEAR}&level=2"

#: a point inside each region hovered (lon, lat): the map is zoomed there first, as a user would, since a NUTS 2
#: region like Budapest is a pixel or two wide at the map's European view
POINTS = {"HU11": (19.07, 47.50), "PL91": (21.01, 52.23), "DE60": (10.00, 53.55)}

ZOOM_JS = """
async ([slot, lon, lat]) => {
  const gd = document.querySelector(`#${slot} .js-plotly-plot`);
  await Plotly.relayout(gd, {'map.zoom': 8, 'map.center': {lon, lat}});
}
"""
POINT_JS = """
([slot, lon, lat]) => {
  const gd = document.querySelector(`#${slot} .js-plotly-plot`);
  const map = gd._fullLayout.map._subplot.map;
  const p = map.project([lon, lat]);
  const box = map.getContainer().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y];
}
"""


def hover(page, slot: str, code: str) -> str:
    """Zoom the map of ``slot`` on ``code``, move the pointer over it and return the hover label's text."""
    lon, lat = POINTS[code]
    page.evaluate(ZOOM_JS, [slot, lon, lat])
    # the map's middle (where the region now is) in the middle of the window
    page.evaluate("(slot) => document.querySelector(`#${slot} .js-plotly-plot`).scrollIntoView({block: 'center'})",
                  slot)
    page.wait_for_timeout(800)  # MapLibre redraws the tiles of the new view
    x, y = page.evaluate(POINT_JS, [slot, lon, lat])
    page.mouse.move(x - 2, y - 2)
    page.mouse.move(x, y)
    label = page.locator(f"#{slot} .hoverlayer")
    page.wait_for_function("(slot) => document.querySelector(`#${slot} .hoverlayer`).textContent.length > 0",
                           arg=slot)
    return label.text_content()


def hover_data(page, slot: str, code: str) -> list:
    """The hover text the figure carries for ``code`` (its trace's customdata)."""
    return page.evaluate("""([slot, code]) => {
      const gd = document.querySelector(`#${slot} .js-plotly-plot`);
      for (const t of gd.data) {
        const j = Array.from(t.locations || []).indexOf(code);
        if (j >= 0) return [t.name, ...t.customdata[j]];
      }
      return null;
    }""", [slot, code])


def chart_table_row(page, slot: str, code: str) -> str:
    """The row of ``code`` in the chart's Table (the accessible alternative of the map), opened as a user would."""
    details = page.locator(f"#{slot} details.chart-table")
    details.locator("summary").click()
    row = details.locator("tbody tr", has=page.locator("td", has_text=re.compile(rf"^{code}$")))
    assert row.count() == 1, f"{code} is not in the table of {slot}"
    return row.inner_text()


def test_map_draws_a_split_region_as_no_data_with_its_reason(page, api):
    figures = open_module(page, MAP_URL)
    fig = figure(figures, "strength-map")
    layer = api_json(api, "/api/geojson", category="automotive", measure="stars", scheme="eco2007", year=YEAR,
                     level=2)
    props = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    hu = props[SPLIT]
    assert (hu["value"], hu["stars"], hu["region_no_data"], hu["rankable"]) == (None, None, True, False)
    assert hu["no_data_reason"].startswith("split from an older NUTS region by population")
    # grey, in the "No data" class, never in a star class
    drawn = map_classes(fig)
    assert drawn[SPLIT] == NO_DATA.lower()
    grey = {c for c, colour in drawn.items() if colour == NO_DATA.lower()}
    assert grey == {c for c, p in props.items() if p["value"] is None}
    assert hover_data(page, "chart-strength-map", SPLIT)[0].startswith("No data (")
    # the chart's table (its accessible alternative) says why
    row = chart_table_row(page, "chart-strength-map", SPLIT)
    assert ":" in row and "split from an older NUTS region by population" in row
    # and so does the hover, in words (a real pointer over Budapest)
    text = hover(page, "chart-strength-map", SPLIT)
    assert "Budapest" in text and "No data" in text
    assert "split from an older NUTS region by population" in text, text
    # a cell below the coverage threshold (Hamburg's automotive, 45%) is grey too, with its coverage on hover
    de60 = props["DE60"]
    assert (de60["value"], de60["rankable"], de60["region_no_data"]) == (None, False, False)
    assert drawn["DE60"] == NO_DATA.lower()
    text = hover(page, "chart-strength-map", "DE60")
    assert f"{round(100 * de60['coverage'])}%" in text and "Not ranked" in text, text


def test_home_map_counts_no_data_regions_apart(page, api):
    figures = open_module(page, "/")
    fig = figures[0]
    layer = api_json(api, "/api/geojson", min_stars=3)
    props = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    drawn = map_classes(fig)
    assert drawn[SPLIT] == drawn["PL91"] == NO_DATA.lower()
    assert props[SPLIT]["value"] is None and props[SPLIT]["region_no_data"]
    assert "split from an older NUTS region by population" in hover_data(page, "chart-stars-map", SPLIT)[4]
    # the headline figures on the page are the API's (the engine's), and name the regions left out
    head = api_json(api, "/api/headline")
    figures_text = page.locator("#headline-figures").inner_text()
    for stars in ("3", "2", "1"):
        n = head["by_stars"][stars]
        assert f"{n:,}" in figures_text, (stars, n, figures_text)
    excluded = page.locator("#excluded-regions").inner_text()
    assert all(code in excluded for code in head["excluded_regions"]) and SPLIT in excluded


def test_irish_region_page_opens_with_the_caveat_box(page, api):
    page.goto(f"/regions/IE04/?scheme=eco2007&year={YEAR}")
    box = page.locator("aside.caveats")
    assert box.is_visible()
    profile = api_json(api, "/api/regions/IE04", scheme="eco2007", year=YEAR)
    quality = profile["data_quality"]
    assert quality["no_data"] is True and quality["split_share"] == 1.0
    text = box.inner_text()
    assert "Read these figures with care" in text
    assert "split from an older NUTS region by population" in text
    # the categories below the coverage threshold named in the box are the API's
    rows = api_json(api, "/api/measures", region="IE04", scheme="eco2007", year=YEAR, limit=500)["results"]
    low = [r for r in rows if r["employment"] is not None and r["coverage"] < 0.8]
    assert low and f"{len(low)} categories have too few of their industries" in text
    for r in low:
        assert f"{r['category_name']} ({round(100 * r['coverage'])}%)" in text
    assert all(r["stars"] is None for r in rows) and profile["starred_clusters"] == []
    assert page.locator("text=has no stars: it is a no-data region").count() == 1


def test_sector_table_lists_a_split_region_unranked_with_its_reason(page, api):
    page.goto(f"/sectors/automotive/?scheme=eco2007&year={YEAR}&level=2")
    page.wait_for_selector("table.sortable")
    ranked = {r["region"]: r for r in api_json(api, "/api/categories/automotive/regions", scheme="eco2007",
                                                   year=YEAR, level=2)["results"]}
    row = page.locator("table.sortable tbody tr", has=page.locator(f"a[href^='/regions/{SPLIT}/']"))
    assert row.count() == 1
    rank = row.locator("td").first.inner_text().strip()
    assert rank == "" and ranked[SPLIT]["rank"] is None
    mark = row.locator(".not-ranked")
    assert mark.count() == 1 and "not ranked" in mark.inner_text()
    assert "split from an older NUTS region by population" in mark.get_attribute("title")
    # Stuttgart is ranked, with the API's rank
    de11 = page.locator("table.sortable tbody tr", has=page.locator("a[href^='/regions/DE11/']"))
    assert de11.locator("td").first.inner_text().strip() == str(ranked["DE11"]["rank"])
