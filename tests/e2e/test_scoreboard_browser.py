"""The scoreboard pages in the real browser: every chart draws without script errors, nothing scrolls sideways
at 320 px, and the peer chooser puts the peers in the URL."""

from __future__ import annotations

import pytest
from test_modules import OVERFLOW_JS, open_module

PAGES = {
    "overview": "/scoreboard/?dimension=knowledge_skills",
    "region overall": "/scoreboard/DE21/",
    "region by indicator": "/scoreboard/DE21/?view=detail",
    "region scorecard": "/scoreboard/DE21/?view=scorecard&peers=AT13,FR10",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_scoreboard_pages_draw_and_fit_320_px(context, name):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    figures = open_module(page, PAGES[name])
    assert all(f["traces"] for f in figures if f["slot"].startswith("chart-")), name
    assert not errors, errors
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_timeout(500)
    out = page.evaluate(OVERFLOW_JS)
    assert out["scroll"] <= out["viewport"], f"{name}: {out['scroll']} px wide at 320 px; {out['offenders']}"


def test_peer_chooser_puts_the_peers_in_the_url(page):
    open_module(page, "/scoreboard/DE21/?view=scorecard")
    page.fill("#f-peers", "AT13, FR10")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("load")
    assert "peers=AT13" in page.url and "view=scorecard" in page.url
