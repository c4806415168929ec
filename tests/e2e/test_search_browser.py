"""The region search box in a real browser: typing "Munich" suggests Oberbayern (DE21) as a city match, and
choosing the suggestion by keyboard opens DE21's page; the suggestions come from the site itself."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_typing_munich_in_the_search_box_lands_on_oberbayern(page, server):
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url) if "/api/places" in req.url else None)
    page.goto("/")
    box = page.locator("#site-search")
    box.click()
    box.press_sequentially("Munich", delay=40)
    option = page.locator("#site-search-suggestions [role=option]").first
    option.wait_for(state="visible")
    assert option.get_attribute("data-code") == "DE21"
    assert "Munich → city in Oberbayern (DE21)" in option.text_content()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/regions/DE21/$"))
    assert "Oberbayern" in page.locator("h1").first.text_content()
    assert asked and all(url.startswith(server.url + "/api/places?") for url in asked)
    assert not page.js_errors


@pytest.mark.parametrize(("query", "code"), [
    ("Toulouse", "FRJ2"), ("Munich", "DE21"), ("Lombardy", "ITC4"), ("Haute-Garonne", "FRJ2"),
    ("Île-de-France", "FR10"), ("ile de france", "FR10"),
])
def test_the_places_people_name_land_on_their_region(page, server, query, code):
    """The issue's five searches (and the example without its accents): the first suggestion is the region, and
    choosing it by keyboard opens the region's page."""
    page.goto("/")
    box = page.locator("#site-search")
    box.click()
    box.fill(query)
    option = page.locator("#site-search-suggestions [role=option]").first
    option.wait_for(state="visible")
    assert option.get_attribute("data-code") == code, option.text_content()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/regions/{code}/$"))
    assert not page.js_errors
