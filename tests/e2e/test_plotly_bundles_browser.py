"""In the browser: a page loads only its partial plotly.js bundle and draws with it; a figure the bundle cannot
draw makes ``site.js`` load the full bundle and draw it anyway."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

DRAWN_JS = """() => Array.from(document.querySelectorAll('figure.chart.drawn .js-plotly-plot'))
  .map((gd) => gd.data.map((t) => t.type || 'scatter'))"""


def plotly_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url.rsplit("/", 1)[-1]) if "plotly" in r.url else None)
    return seen


@pytest.mark.parametrize(("path", "bundle"), [
    ("/regions/DE11/portfolio/?scheme=eco2007&year=2015", "plotly-basic.min."),
    ("/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2", "plotly-map.min."),
])
def test_a_page_draws_with_its_partial_bundle_only(page, path, bundle):
    seen = plotly_requests(page)
    page.goto(path)
    page.wait_for_selector("figure.chart.drawn", timeout=20_000)
    drawn = page.evaluate(DRAWN_JS)
    assert drawn and all(types for types in drawn)
    assert [s for s in seen if s.endswith(".js")] and all(s.startswith(bundle) for s in seen if s.endswith(".js"))
    assert page.js_errors == []


def test_a_figure_the_bundle_cannot_draw_loads_the_full_bundle(page):
    """The page says its bundle draws only pies: the portfolio's scatter needs the full bundle, which site.js loads."""

    def narrower(route):
        response = route.fetch()
        body = response.text()
        assert 'data-traces="bar pie scatter"' in body
        route.fulfill(response=response, body=body.replace('data-traces="bar pie scatter"', 'data-traces="pie"'))

    seen = plotly_requests(page)
    page.route("**/regions/DE11/portfolio/**", narrower)
    page.goto("/regions/DE11/portfolio/?scheme=eco2007&year=2015")
    page.wait_for_selector("figure.chart.drawn", timeout=20_000)
    types = page.evaluate(DRAWN_JS)[0]
    assert types and set(types) == {"scatter"}
    assert any(s.startswith("plotly.min.") for s in seen), seen
    assert page.locator("#plotly-js-full").count() == 1
    assert page.js_errors == []
