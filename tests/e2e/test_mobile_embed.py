"""Phones and embedding in a real browser: at 390 px the filters fold into a drawer opened by keyboard; a view
embedded with its snippet (an iframe of the page with ``embed=1``) loads inside another page."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MAP_URL = "/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2"
PHONE = {"width": 390, "height": 844}


def test_filters_fold_into_a_drawer_at_390_px_and_open_by_keyboard(context):
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(MAP_URL)
    page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
    summary = page.locator("details.filter-drawer > summary")
    category = page.locator("select[name='category']")
    assert summary.is_visible() and not category.is_visible()
    assert "automotive" in summary.inner_text()  # the folded drawer says what is selected
    box = summary.bounding_box()
    assert box is not None and box["height"] >= 24  # touch target (WCAG 2.5.8)
    # keyboard: Tab reaches the drawer's toggle, Enter opens it, Tab goes on into the filters
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('details.filter-drawer > summary')"):
            break
    else:
        pytest.fail("Tab never reached the filter drawer's toggle")
    page.keyboard.press("Enter")
    assert page.locator("details.filter-drawer").evaluate("d => d.open") and category.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "category"
    # choosing a filter in the drawer still changes the view and the URL
    url = page.url
    category.select_option("biopharmaceuticals")
    page.locator("details.filter-drawer button[type=submit]").click()
    page.wait_for_url(lambda u: u != url and "category=biopharmaceuticals" in u)
    page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
    assert not page.locator("select[name='category']").is_visible()  # folded again on the new page
    # nothing sticks out sideways with the drawer open
    page.locator("details.filter-drawer > summary").click()
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_filters_are_open_without_a_toggle_on_wide_screens(page):
    page.goto(MAP_URL)
    assert page.locator("select[name='category']").is_visible()
    assert not page.locator("details.filter-drawer > summary").is_visible()


def test_embed_snippet_frames_the_view_without_the_site_chrome(context, server):
    page = context.new_page()
    page.goto(MAP_URL)
    code = page.locator("#embed-code").input_value()
    src = re.search(r'src="([^"]+)"', code).group(1).replace("&amp;", "&")
    assert src.startswith(server.url + "/map/?") and "embed=1" in src and "category=automotive" in src
    host = context.new_page()
    host.set_content(code)  # the snippet as pasted into another page
    frame = host.frame_locator("iframe")
    frame.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible", timeout=30_000)
    assert frame.locator("header.site").count() == 0 and frame.locator("body.embed").count() == 1
