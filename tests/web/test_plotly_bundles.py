"""Each page loads the smallest plotly.js bundle that draws all of its charts (clusterobs.charts.plotlyjs)."""

from __future__ import annotations

import hashlib
import json
import re

import plotly.graph_objects as go
import plotly.offline
import pytest

from clusterobs.charts import plotlyjs
from clusterobs.charts.plotlyjs import FULL, bundle_for, bundle_for_slots, chart_slots, trace_types

SCRIPT = re.compile(r'<script src="(?P<src>[^"]+)" defer id="plotly-js" data-bundle="(?P<name>[a-z]+)"'
                    r'(?: data-traces="(?P<traces>[a-z ]+)")?></script>')
FIGURE = re.compile(r'<script type="application/json" id="chart-[a-z0-9-]+-data">(.*?)</script>', re.S)


def page_bundle(html: str) -> tuple[str | None, set[str] | None, set[str]]:
    """(bundle name, trace types it lists, trace types of every figure on the page)."""
    m = SCRIPT.search(html)
    need = {t.get("type", "scatter") for body in FIGURE.findall(html) for t in json.loads(body)["data"]}
    if not m:
        return None, None, need
    return m["name"], set(m["traces"].split()) if m["traces"] else None, need


def test_the_smallest_bundle_covering_the_traces_is_chosen():
    assert bundle_for({"bar", "scatter"}).name == "basic"
    assert bundle_for({"scatter"}).name == "basic"
    assert bundle_for({"choroplethmap", "scattermap", "scatter"}).name == "map"
    assert bundle_for({"scatterpolar"}) is FULL  # the radar: no partial bundle has it
    assert bundle_for({"choroplethmap", "bar"}) is FULL  # a map beside a bar chart: no partial bundle has both


def test_trace_types_of_figures_and_dicts():
    fig = go.Figure([go.Bar(x=[1], y=[2]), go.Choroplethmap(locations=["a"], z=[1])])
    assert trace_types(fig) == {"bar", "choroplethmap"}
    assert trace_types({"data": [{"x": [1]}, {"type": "scatterpolar"}]}) == {"scatter", "scatterpolar"}


def test_slots_are_found_in_nested_context_and_downloads_are_not_slots():
    drawn = {"json": "{}", "png": "/a.png", "svg": "/a.svg", "traces": ["bar"]}
    downloads = {"json": "/api/x?format=json", "csv": "/api/x?format=csv"}  # a download block: not a chart
    ctx = [{"sections": [{"chart": drawn}], "downloads": downloads, "rows": [[1, 2], [3, 4]]}]
    assert list(chart_slots(ctx)) == [drawn]
    assert bundle_for_slots([drawn]).name == "basic"
    assert bundle_for_slots([{"json": "", "png": "/e.png", "empty": "no data"}]) is None  # nothing drawn
    assert bundle_for_slots([{**drawn, "traces": None}]) is FULL  # a slot that does not say: the full bundle


def test_vendored_bundles_are_plotlys_own_files_of_the_version_the_package_writes_for():
    manifest = json.loads(plotlyjs.MANIFEST.read_text(encoding="utf-8"))
    assert manifest["version"] == plotly.offline.get_plotlyjs_version()
    assert set(manifest["files"]) == set(plotlyjs.PARTIAL)
    for name, entry in manifest["files"].items():
        path = plotlyjs.VENDOR_DIR / entry["name"]
        data = path.read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert plotlyjs.banner_version(path) == (name, manifest["version"])
        assert set(entry["traces"]) == plotlyjs.PARTIAL[name]
    assert "MIT License" in (plotlyjs.VENDOR_DIR / "LICENSE").read_text(encoding="utf-8")


def test_a_plotly_upgrade_without_new_bundles_falls_back_to_the_full_one(monkeypatch):
    monkeypatch.setattr(plotly.offline, "get_plotlyjs_version", lambda: "99.0.0")
    plotlyjs.available.cache_clear()
    try:
        assert plotlyjs.available() == ()
        assert bundle_for({"bar"}) is FULL
    finally:
        monkeypatch.undo()
        plotlyjs.available.cache_clear()
    assert bundle_for({"bar"}).name == "basic"


EXPECTED = {
    "/": "map",
    "/regions/DE11/": "map",
    "/regions/DE11/portfolio/": "basic",
    "/sectors/automotive/": "basic",
    "/map/?category=automotive&measure=stars": "map",
    "/compare/?regions=DE11,DE21,FR10": "basic",
    "/linkages/related/automotive/": "basic",
    "/linkages/opportunities/DE21/": "basic",
    "/scoreboard/": "map",
    "/scoreboard/DE21/": "basic",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(EXPECTED))
def test_each_page_loads_a_bundle_that_draws_every_chart_on_it(client, path):
    r = client.get(path)
    assert r.status_code == 200
    name, traces, need = page_bundle(r.content.decode())
    assert need, f"{path} has no chart"
    assert name == EXPECTED[path], (path, need)
    assert traces is not None and need <= traces, (path, need, traces)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/categories/", "/methodology/", "/registry/", "/reports/"])
def test_a_page_without_charts_loads_no_plotly(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert 'id="plotly-js"' not in r.content.decode()
