"""The French region page in a real browser: what Chromium draws (the page's text and every chart's SVG text, axis
labels, legends and hover-free annotations) holds no English category name; the names come from the API in English."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_the_french_region_page_draws_no_english_category_name(context, server, api):
    answer = api.get("/api/categories", headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    english = {c["name"] for c in answer.json()["results"]}
    french = {c["name"] for c in api.get("/api/categories", headers={"Accept-Language": "fr"}).json()["results"]}
    assert "Automotive" in english and "Automobile" in french and not english & french  # every name translated
    context.add_cookies([{"name": "django_language", "value": "fr", "url": server.url}])
    page = context.new_page()
    page.goto("/regions/DE11/")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"
    drawn = page.evaluate("document.body.textContent")
    svg = page.evaluate("[...document.querySelectorAll('.js-plotly-plot svg text')].map(t => t.textContent)"
                        ".join('\\n')")
    assert svg.strip(), "no chart drew any text"
    found = sorted(n for n in english if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", drawn + "\n" + svg))
    assert found == []
    assert "Automobile" in drawn + svg
