"""Report pages in a real browser: the page shows the report itself in its frame (it was an empty grey frame while
the report's HTML was sent with ``X-Frame-Options: DENY``)."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REPORTS = {"region": "region/DE11", "country": "country/FR", "europe": "europe"}
GENERATION_TIMEOUT = 900.0


def report_html(api, stem: str) -> str:
    """The report's HTML from the API, waiting while it is being generated (202)."""
    deadline = time.monotonic() + GENERATION_TIMEOUT
    while True:
        response = api.get(f"/api/reports/{stem}.html")
        if response.status_code == 200:
            return response.text
        assert response.status_code == 202, f"{stem}: HTTP {response.status_code} {response.text[:300]}"
        assert time.monotonic() < deadline, f"{stem}: still being generated after {GENERATION_TIMEOUT:.0f} s"
        time.sleep(int(response.headers.get("Retry-After", "5")))


def first_heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the report has no <h1>"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


@pytest.mark.parametrize("name", list(REPORTS))
def test_the_report_page_shows_the_report_in_its_frame(page, api, name):
    stem = REPORTS[name]
    heading = first_heading(report_html(api, stem))  # generated and cached: the page is "ready" at once
    response = page.goto(f"/reports/{stem}/")
    assert response is not None and response.status == 200
    frame = page.frame_locator("iframe.report-frame")
    shown = frame.locator("h1").first
    shown.wait_for(state="visible", timeout=30_000)
    assert " ".join(shown.inner_text().split()) == heading
    box = page.locator("iframe.report-frame").bounding_box()
    assert box is not None and box["height"] > 300
    assert not page.js_errors, page.js_errors
