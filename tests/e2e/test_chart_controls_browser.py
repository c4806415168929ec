"""Chart controls in a real browser: no control of any chart points off the site. plotly.js 4 adds a "Share
chart..." button by default that posts the figure to Plotly's cloud (``plotlyServerURL``); the site's one chart
config (``static/clusterobs/site.js``) turns it and every other outbound control off."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PAGES = {
    "region": "/regions/DE11/?scheme=eco2007&year=2015",
    "map": "/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2",
}
#: each drawn chart: its modebar buttons (name and tooltip), the links inside it, the config Plotly used
CONTROLS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => ({
  id: (gd.closest('[id^="chart-"]') || gd).id,
  buttons: Array.from(gd.querySelectorAll('.modebar-btn')).map((b) => ({
    title: b.getAttribute('data-title') || '', attr: b.getAttribute('data-attr') || '',
    val: b.getAttribute('data-val') || ''})),
  links: Array.from(gd.querySelectorAll('a[href]')).map((a) => a.href),
  config: {showSendToCloud: gd._context.showSendToCloud, plotlyServerURL: gd._context.plotlyServerURL,
           displaylogo: gd._context.displaylogo},
}))
"""
OUTBOUND_WORDS = ("share", "cloud", "chart studio", "plotly")


@pytest.mark.parametrize("name", list(PAGES))
def test_no_chart_control_points_off_the_site(page, server, name):
    page.goto(PAGES[name])
    page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
    page.wait_for_load_state("networkidle")
    page.locator(".js-plotly-plot").first.hover()  # the modebar shows on hover
    charts = page.evaluate(CONTROLS_JS)
    assert charts, "no chart drawn"
    buttons = [b for c in charts for b in c["buttons"]]
    assert any(b["title"] for b in buttons), "no modebar drawn: nothing was checked"
    for chart in charts:
        outbound = [b["title"] for b in chart["buttons"] if any(w in b["title"].lower() for w in OUTBOUND_WORDS)]
        assert not outbound, f"{chart['id']}: {outbound}"
        off_site = [u for u in chart["links"] if not (u.startswith(server.url + "/") or u.startswith("javascript:"))]
        assert not off_site, f"{chart['id']}: links off the site {off_site}"
        assert chart["config"] == {"showSendToCloud": False, "plotlyServerURL": "", "displaylogo": False}, chart
    assert not page.js_errors, page.js_errors
