"""Images of Plotly figures: one kaleido browser (system Chromium) per process, shared by the reports and the web's
image export, drawing several figures at once.

kaleido starts Chromium once (about 2 s; ``start`` does it in the background, so a caller can start it before it
builds its figures) and keeps ``TABS`` tabs, each drawing one figure at a time: a figure takes about 0.2 s (a
MapLibre map about 1.5 s), and after each one kaleido reloads the tab, so two tabs draw a report's charts in about
the time of the map alone. The browser runs on an event loop of its own thread: ``submit`` may be called from any
thread (the web's requests and the report generator), each call gets a future. MathJax is off, so the browser
loads nothing from the network.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import os
import threading
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

WIDTH = 1000
TABS = 2
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

Spec = go.Figure | dict[str, Any]


class _Browser:
    """A ``kaleido.Kaleido`` open on an event loop run by a daemon thread."""

    def __init__(self, tabs: int) -> None:
        self.tabs = tabs
        self.ready: concurrent.futures.Future[bool] = concurrent.futures.Future()
        self.loop = asyncio.new_event_loop()
        self.kaleido: Any = None
        self.thread = threading.Thread(target=self._run, name="kaleido", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._open())
        if self.ready.exception() is None:
            self.loop.run_forever()
        self.loop.close()

    async def _open(self) -> None:
        try:
            if "BROWSER_PATH" not in os.environ and DEBIAN_CHROMIUM.exists():
                os.environ["BROWSER_PATH"] = str(DEBIAN_CHROMIUM)
            import kaleido

            self.kaleido = kaleido.Kaleido(n=self.tabs, mathjax=False)
            await self.kaleido.open()
        except BaseException as exc:  # handed to every caller through the future
            self.ready.set_exception(exc)
        else:
            self.ready.set_result(True)

    def submit(self, fig: Spec, opts: dict[str, Any]) -> concurrent.futures.Future[bytes]:
        self.ready.result()  # raises when Chromium could not start
        return asyncio.run_coroutine_threadsafe(self.kaleido.calc_fig(fig, opts=opts), self.loop)

    def close(self) -> None:
        if self.ready.done() and self.ready.exception() is None and self.loop.is_running():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self.kaleido.close(), self.loop).result(timeout=10)
            self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


_lock = threading.Lock()
_browser: _Browser | None = None


def start() -> _Browser:
    """The process's browser, started in the background if it is not running (returns at once)."""
    global _browser
    with _lock:
        failed = _browser is not None and _browser.ready.done() and _browser.ready.exception() is not None
        if _browser is None or failed:
            _browser = _Browser(TABS)
            atexit.register(_browser.close)
        return _browser


def submit(fig: Spec, *, fmt: str, width: int = WIDTH, height: int | None = None,
           scale: float = 1) -> concurrent.futures.Future[bytes]:
    """Start drawing ``fig`` (a figure or its Plotly JSON dict) as ``fmt`` (png, jpg, svg) at ``width`` x its own
    height (or ``height``) CSS pixels times ``scale``; the future's result is the image's bytes."""
    layout = fig.layout if isinstance(fig, go.Figure) else fig.get("layout", {})
    h = height or int((layout.height if isinstance(fig, go.Figure) else layout.get("height")) or 500)
    return start().submit(fig, {"format": fmt, "width": width, "height": h, "scale": scale})


def image(fig: Spec, *, fmt: str, width: int = WIDTH, height: int | None = None, scale: float = 1) -> bytes:
    """The image's bytes (blocking): ``submit`` and wait."""
    return submit(fig, fmt=fmt, width=width, height=height, scale=scale).result()
