"""The history in a real browser, on the multi-year store built in code (``tests/history_store.py``) served by its
own ``clusterobs serve``: a region × category timeline draws the API's values year by year with the flagged years
marked, and the strength map at two different years draws each year's values; the map's year slider moves the page
to another year by keyboard.

What the page drew is read from Plotly's figure data in the page (``gd.data``), compared with the API's JSON.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from history_store import build_history_store

#: this folder's conftest (its server helpers), loaded by path: several conftest modules share the name
_spec = importlib.util.spec_from_file_location("e2e_conftest_helpers", Path(__file__).with_name("conftest.py"))
_helpers = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(_helpers)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REGION, CATEGORY = "DE11", "automotive"
TIMELINE_URL = f"/regions/{REGION}/clusters/{CATEGORY}/?scheme=eco2007&year=2015"

#: per chart slot: its traces (name, x, y, text) as plain arrays
TRACES_JS = """
(slot) => {
  const gd = document.querySelector('#' + slot + ' .js-plotly-plot');
  const plain = (v, full) => {
    if (v && typeof v === 'object' && v.bdata !== undefined) v = full;
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (Array.isArray(v)) return v.map((x) => (ArrayBuffer.isView(x) ? Array.from(x) : x));
    return v === undefined ? null : v;
  };
  return (gd.data || []).map((t, i) => {
    const f = (gd._fullData || []).find((x) => x.index === i) || {};
    const m = t.marker || {}; const fm = f.marker || {};
    return {name: t.name === undefined ? null : String(t.name), type: t.type || f.type, x: plain(t.x, f.x),
            y: plain(t.y, f.y), text: plain(t.text, f.text), size: plain(m.size, fm.size)};
  });
}
"""


@pytest.fixture(scope="module")
def server(computed, tmp_path_factory) -> Iterator[Any]:
    """This module's ``clusterobs serve``, over the multi-year store (it replaces the suite's server here, so the
    suite's ``context`` and ``page`` open this one, with their guard against requests leaving the machine)."""
    store, _ = computed
    home = tmp_path_factory.mktemp("history-serve")
    build_history_store(store, home / "data")
    srv = _helpers.start_server(home / "data", home / "serve.log")
    yield srv
    _helpers.stop_server(srv)


@pytest.fixture(scope="module")
def hapi(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60.0, trust_env=False) as client:
        yield client


def drawn(page, slot: str) -> list[dict[str, Any]]:
    page.wait_for_selector(f"#{slot} .js-plotly-plot .main-svg", state="visible")
    page.wait_for_function("(slot) => { const gd = document.querySelector('#' + slot + ' .js-plotly-plot'); "
                           "return !!(gd && gd.data && gd.data.length > 0); }", arg=slot)
    return page.evaluate(TRACES_JS, slot)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def test_the_timeline_draws_the_api_values_year_by_year(page, hapi):
    api = hapi.get("/api/timeline", params={"region": REGION, "category": CATEGORY, "scheme": "eco2007"}).json()
    response = page.goto(TIMELINE_URL)
    assert response is not None and response.status == 200
    traces: dict[str, dict[str, Any]] = {}
    for t in drawn(page, "chart-cluster-timeline"):
        traces.setdefault(t["name"], t)  # the first panel's (the flagged years are marked, with letters, there)
    rows = api["results"]
    assert api["years"] == [2013, 2014, 2015]
    employment = traces["Employment"]
    assert employment["x"] == api["years"]
    assert all(close(y, r["employment"]) for y, r in zip(employment["y"], rows, strict=True))
    assert all(close(y, r["lq"]) for y, r in zip(traces["LQ"]["y"], rows, strict=True))
    assert all(close(y, r["productivity"]) for y, r in zip(traces["Wage per person employed"]["y"], rows, strict=True))
    stars = traces["Stars, ECO 2007"]["y"]
    assert [None if s is None else int(s) for s in stars] == [r["stars"] for r in rows]
    flagged = traces["Flagged year (Eurostat flag)"]
    assert flagged["x"] == [r["year"] for r in rows if r["flags"] or r["growth_break"]] == [2014, 2015]
    assert flagged["text"] == ["b", "p"]
    # the table under the chart shows the same employment, formatted
    for r in rows:
        cell = page.locator(f"#timeline-table tr[data-year='{r['year']}'] td[data-measure='employment']")
        assert cell.inner_text().replace(",", "") == str(round(r["employment"]))
    assert page.locator("#timeline-table tr.highlight th").inner_text() == "2015"
    assert not page.js_errors, page.js_errors


def map_values(page, url: str) -> dict[str, float]:
    """region → employment the symbol map draws (circle area ∝ value: the marker sizes are the values)."""
    response = page.goto(url)
    assert response is not None and response.status == 200
    out: dict[str, float] = {}
    for t in drawn(page, "chart-strength-map"):
        if t["type"] == "scattermap" and t["text"]:
            out.update(dict(zip(t["text"], t["size"], strict=True)))
    return out


@pytest.mark.parametrize("year", [2013, 2015])
def test_the_map_draws_each_year_from_the_api(page, hapi, year):
    url = f"/map/?category={CATEGORY}&measure=employment&scheme=eco2007&level=2&year={year}"
    values = map_values(page, url)
    layer = hapi.get("/api/geojson", params={"category": CATEGORY, "measure": "employment", "scheme": "eco2007",
                                             "level": 2, "year": year}).json()
    expected = {f["properties"]["code"]: f["properties"]["value"] for f in layer["features"]
                if f["properties"]["value"] is not None}
    assert set(values) == set(expected)
    assert all(close(values[c], v) for c, v in expected.items())
    assert close(values[REGION], {2013: 100_000, 2015: 121_000}[year])


def test_the_year_slider_moves_the_map_to_another_year(page, hapi):
    url = f"/map/?category={CATEGORY}&measure=employment&scheme=eco2007&level=2&year=2015"
    before = map_values(page, url)
    slider = page.locator("#f-year-range")
    assert slider.is_visible() and slider.get_attribute("min") == "2013" and slider.get_attribute("max") == "2015"
    slider.focus()
    page.keyboard.press("ArrowLeft")  # 2015 → 2014, applied when the slider changes
    page.wait_for_url(lambda u: "year=2014" in u)
    page.wait_for_load_state("load")
    assert page.locator("#f-year").input_value() == "2014"
    after = map_values(page, page.url)
    assert close(after[REGION], 110_000) and close(before[REGION], 121_000)
    other = next(c for c in after if c not in ("DE11", "DE12", "DE21", "FR10", "ITC4"))
    assert close(after[other], 0.9 * before[other])  # a copied cell: 2015 × 0.9
    assert not page.js_errors, page.js_errors
