"""The related-clusters network in a real browser: a category deep link draws the network the API gives, and a
click on a related category opens its own network; the threshold filter lives in the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

FIGURE_JS = """
() => {
  const gd = document.querySelector('#chart-related-network .js-plotly-plot');
  if (!gd) return null;
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  return gd.data.map((t) => ({mode: t.mode || null, name: t.name || null, text: plain(t.text) || null,
                              x: plain(t.x), customdata: t.customdata || null}));
}
"""


def _network(page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response is not None and response.status == 200
    page.wait_for_selector("#chart-related-network .js-plotly-plot .main-svg", state="visible")
    page.wait_for_function("(() => { const gd = document.querySelector('#chart-related-network .js-plotly-plot');"
                           " return gd && gd.data && gd.data.length > 0; })()")
    return page.evaluate(FIGURE_JS)


def test_network_chart_renders_for_a_category_deep_link(page, api):
    url = "/linkages/related/automotive/?method=colocation_share&year=2015&threshold=90"
    traces = _network(page, url)
    nodes = [t for t in traces if t["mode"] == "markers+text"]
    assert nodes[0]["text"] == ["Automotive"]
    expected = api.get("/api/linkages/relatedness", params={"category": "automotive", "year": 2015,
                                                            "threshold": 90}).json()
    others = {r["name_j"] if r["category_i"] == "automotive" else r["name_i"] for r in expected["results"]}
    assert set(nodes[1]["text"]) == others and len(others) >= 3
    links = [t for t in traces if t["mode"] == "lines"]
    assert len(links) >= len(others)  # one to the centre per related category, plus links between them
    assert page.locator("#chart-related-network svg.main-svg").count() >= 1
    # hovering a related category dims every link that does not touch it
    page.wait_for_function("document.querySelector('#chart-related-network .js-plotly-plot').dataset.dimming")
    dimmed = page.evaluate("""() => {
      const gd = document.querySelector('#chart-related-network .js-plotly-plot');
      const k = gd.data.map((d) => d.mode).lastIndexOf('markers+text');
      const id = gd.data[k].ids[0];
      gd.emit('plotly_hover', {points: [{data: gd.data[k], pointNumber: 0}]});
      return gd.data.filter((d) => d.mode === 'lines').map((d) => [d.meta.includes(id), d.opacity]);
    }""")
    assert all(op == 1 for touches, op in dimmed if touches) and any(touches for touches, _ in dimmed)
    assert all(op < 0.1 for touches, op in dimmed if not touches)
    assert not page.js_errors


def test_clicking_a_related_category_opens_its_network(page):
    _network(page, "/linkages/related/automotive/?method=colocation_share&year=2015&threshold=90")
    target = page.evaluate("""() => {
      const gd = document.querySelector('#chart-related-network .js-plotly-plot');
      const k = gd.data.map((d) => d.mode).lastIndexOf('markers+text');  // the related categories
      const point = {curveNumber: k, pointNumber: 0, customdata: gd.data[k].customdata[0]};
      gd.emit('plotly_click', {points: [point]});
      return point.customdata[0];
    }""")
    page.wait_for_url(lambda u: "/linkages/related/" in u and "/automotive/" not in u)
    assert urlsplit(page.url).path == urlsplit(target).path
    assert parse_qs(urlsplit(page.url).query)["threshold"] == ["90"]
