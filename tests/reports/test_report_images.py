"""The kaleido browser with Plotly's partial bundle: a scorecard needs nothing more, and a figure it cannot draw
goes to a full-bundle browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import plotly.graph_objects as go
import pytest

from clusterobs.charts import plotlyjs
from clusterobs.reports import images

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and shutil.which("chromium") is None,
                                    reason="no chromium (`.ci/run` installs Debian's package)")


def test_every_scorecard_chart_is_drawn_by_the_basic_bundle_the_cli_starts(scorecard):
    """``clusterobs report region`` starts kaleido with the basic bundle (reports.cli.BROWSERS)."""
    report, _ = scorecard
    basic = plotlyjs.by_name("basic")
    assert basic.name == "basic" and report.charts
    for chart in report.charts:
        assert basic.covers(plotlyjs.trace_types(chart.fig)), (chart.name, plotlyjs.trace_types(chart.fig))


@needs_chromium
def test_a_figure_the_partial_bundle_cannot_draw_goes_to_a_full_bundle_browser():
    images.stop()
    try:
        browser = images.start(1, bundle="basic")
        assert browser.bundle.name == "basic"
        bar = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"height": 300})
        radar = go.Figure(go.Scatterpolar(r=[1, 2, 3], theta=["x", "y", "z"], fill="toself"), layout={"height": 300})
        bar_svg = images.image(bar, fmt="svg", width=400).decode()
        assert images._full is None  # the basic browser drew the bars
        assert 'class="bars"' in bar_svg or "class=\"point\"" in bar_svg
        radar_svg = images.image(radar, fmt="svg", width=400).decode()
        assert images._full is not None and images._full.bundle is plotlyjs.FULL
        assert "polarlayer" in radar_svg  # drawn by the full bundle: the basic one has no polar traces
    finally:
        images.stop()


class _HangingOnce:
    """A stand-in for ``kaleido.Kaleido`` whose first browser never gets ready (as seen once with Chromium)."""

    opened = 0
    closed = 0

    def __init__(self, **_: object) -> None:
        pass

    async def open(self) -> None:
        import asyncio

        type(self).opened += 1
        if type(self).opened == 1:
            await asyncio.sleep(3600)

    async def close(self) -> None:
        type(self).closed += 1

    async def calc_fig(self, fig, opts):
        return b"image"


def test_a_browser_that_never_gets_ready_is_started_again(monkeypatch):
    import kaleido

    monkeypatch.setattr(kaleido, "Kaleido", _HangingOnce)
    monkeypatch.setattr(images, "START_TIMEOUT", 0.2)
    images.stop()
    try:
        fig = go.Figure(go.Bar(x=["a"], y=[1]))
        assert images.image(fig, fmt="png") == b"image"
        assert (_HangingOnce.opened, _HangingOnce.closed) == (2, 1)
    finally:
        images.stop()


def test_a_browser_that_never_gets_ready_twice_is_an_error_not_a_hang(monkeypatch):
    import asyncio

    import kaleido

    class Never(_HangingOnce):
        async def open(self) -> None:
            await asyncio.sleep(3600)

    monkeypatch.setattr(kaleido, "Kaleido", Never)
    monkeypatch.setattr(images, "START_TIMEOUT", 0.2)
    images.stop()
    try:
        from clusterobs.reports.chromium import BrowserStartError

        with pytest.raises(BrowserStartError, match=r"did not get ready in 0\.2 s, 2 times"):
            images.submit(go.Figure(go.Bar(x=["a"], y=[1])), fmt="png").result(timeout=10)
    finally:
        images.stop()
