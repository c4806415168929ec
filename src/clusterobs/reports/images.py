"""SVG images of the report's figures: one kaleido server (system Chromium) for every chart of a process.

kaleido starts Chromium once (``start_sync_server``, about 2 s) and then renders an image in about 0.2 s (a map
of the NUTS-2 regions takes about 1.8 s). MathJax is off, so the browser loads nothing from the network.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import plotly.graph_objects as go

WIDTH = 1000
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

_lock = threading.Lock()
_started = False


def _kaleido():
    global _started
    if "BROWSER_PATH" not in os.environ and DEBIAN_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(DEBIAN_CHROMIUM)
    import kaleido

    if not _started:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _started = True
    return kaleido


def svg(fig: go.Figure, *, width: int = WIDTH) -> bytes:
    """The SVG of a figure at its own height (the caption is part of it)."""
    height = int(fig.layout.height or 500)
    with _lock:  # the sync server answers one call at a time
        return _kaleido().calc_fig_sync(fig, opts={"format": "svg", "width": width, "height": height})
