"""Every chart of the pages is one captioned figure, drawn in the browser and exported at /api/figures/."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from django.utils import translation

from clusterobs.web import chart_registry
from clusterobs.web.query import Query

#: the export starts Chromium through kaleido (BROWSER_PATH, Debian's /usr/bin/chromium, or chromium on PATH)
needs_chromium = pytest.mark.skipif(
    not (os.environ.get("BROWSER_PATH") or Path("/usr/bin/chromium").exists() or shutil.which("chromium")),
    reason="no Chromium for kaleido")



@pytest.fixture(autouse=True)
def _english():
    """Charts built outside a request take the active language: pin it (a French page test may run before)."""
    with translation.override("en"):
        yield


SAMPLES = {
    "stars-map": {},
    "strength-map": {"category": "automotive", "measure": "lq"},
    "locator": {"region": "DE11"},
    "region-stars": {"region": "DE11"},
    "portfolio": {"region": "DE11"},
    "sector-top": {"category": "automotive", "measure": "employment"},
    "sector-distribution": {"category": "automotive", "measure": "lq", "region": "DE11"},
    "compare-stars": {"regions": ("DE11", "FR10")},
    "compare-measure": {"regions": ("DE11", "FR10"), "measure": "lq"},
    "cluster-timeline": {"region": "DE11", "category": "automotive"},
    # the linkages app's charts (scheme-free: their file names carry the method or nothing instead)
    "related-network": {"category": "automotive", "method": "colocation_share", "extra": {"threshold": "90"}},
    "opportunities": {"region": "DE11"},
    "emerging-composition": {"category": "emerging_digital"},
    "emerging-map": {"category": "emerging_digital"},
    # the complexity app's charts (scheme-free)
    "growth-opportunities": {"region": "DE11", "extra": {"y": "pci"}},
    "industry-space": {"region": "DE11"},
    "eci-map": {},
    "eci-years": {"region": "DE11"},
    "scoreboard-map": {"extra": {"dimension": "governance"}},
    "scoreboard-profile": {"region": "DE21"},
    "scoreboard-ranks": {"region": "DE21"},
    "scoreboard-gaps": {"region": "DE21", "extra": {"peers": "AT13,FR10", "dimension": "knowledge_skills"}},
}
SCHEME_FREE = {"related-network", "opportunities", "emerging-composition", "emerging-map", "growth-opportunities",
               "industry-space", "eci-map", "eci-years"}


def test_every_registered_chart_has_a_sample():
    assert set(SAMPLES) == set(chart_registry.CHARTS)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_chart_is_captioned_with_source_and_summary(name):
    q = Query(year=2015, **SAMPLES[name])
    out = chart_registry.build(name, q)
    layout = out.fig.layout
    assert out.title and out.title in layout.title.text
    assert layout.meta["title"] == out.title and layout.meta["subtitle"]
    footer = next(a for a in layout.annotations if a.name == "caption-footer")
    assert "clusterobs dataset" in footer.text
    assert ("Eurostat" in footer.text) or ("GISCO" in footer.text)
    assert out.summary.endswith(".")
    assert len(out.table) > 1 and all(len(r) == len(out.table[0]) for r in out.table)
    assert out.filename.startswith(name) and "2015" in out.filename
    assert name in SCHEME_FREE or "eco2007" in out.filename
    json.loads(out.fig.to_json())  # what the page embeds


def test_imputed_regions_are_outlined_and_counted_in_the_notes():
    out = chart_registry.build("strength-map", Query(year=2015, category="automotive", measure="lq"))
    outline = [t for t in out.fig.data if t.name.startswith("Outlined") and t.type == "choroplethmap"]
    assert outline and outline[0].marker.line.width > 0
    assert any("imputed" in n for n in out.notes)


@pytest.mark.parametrize(("path", "status"), [
    ("/api/figures/no-such-chart.svg", 404),
    ("/api/figures/sector-top.gif?category=automotive", 404),
    ("/api/figures/sector-top.svg?category=no_such_category", 404),
    ("/api/figures/locator.svg?region=XX99", 404),
    ("/api/figures/sector-top.svg?category=automotive&level=9", 400),
    ("/api/figures/strength-map.svg?category=financial_services", 404),
])
def test_figure_errors_are_json_without_starting_a_browser(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert r.json()["error"]["message"]


@pytest.mark.browser
@needs_chromium
def test_svg_export_carries_the_chart_title_and_caption(client):
    r = client.get("/api/figures/sector-top.svg?category=automotive&measure=employment&scheme=eco2007&year=2015"
                   "&level=2")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    assert 'filename="sector-top_automotive_employment_nuts2_eco2007_2015.svg"' in r["Content-Disposition"]
    svg = r.content.decode()
    assert svg.startswith("<svg")
    assert "Automotive: top regions by employment" in svg
    assert "Stuttgart (DE11)" in svg
    assert "sbs_r_nuts06_r2" in svg  # the source line is part of the image


@pytest.mark.browser
@needs_chromium
def test_png_export_of_the_map(client):
    r = client.get("/api/figures/stars-map.png?scheme=eco2007&year=2015&level=2")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(r.content) > 50_000
