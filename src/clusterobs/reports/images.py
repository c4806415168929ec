"""Images of Plotly figures: one kaleido browser (system Chromium) per process, shared by the reports and the web's
image export, drawing several figures at once.

kaleido starts Chromium once (about 2 s; ``start`` does it in the background, so a caller can start it before it
builds its figures) and keeps ``TABS`` tabs (``start(tabs)``: each tab adds about 1.5 s to the start), each drawing
one figure at a time: a figure takes about 0.2-0.3 s (a MapLibre map about 1.5 s), and after each one kaleido reloads
the tab. Each tab loads plotly.js: the full bundle by default; ``start(bundle="basic")`` loads Plotly's partial
bundle of bar, pie and scatter traces instead (``charts.plotlyjs``: the browser opens in about 0.6 s instead of 1.5 s
and draws a scorecard's six charts in 0.9 s instead of 1.1 s). A figure the running browser's bundle cannot draw
goes to a second browser with the full bundle, started for it. The browser runs on an event loop of its own
thread: ``submit`` may be called from any thread (the web's requests and the report generator), each call gets
a future. MathJax is off, so the browser loads nothing from the network.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import threading
from typing import TYPE_CHECKING, Any, TypeAlias

from clusterobs.charts import plotlyjs
from clusterobs.charts.plotlyjs import FULL, Bundle
from clusterobs.reports import chromium
from clusterobs.reports.timings import mark

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger(__name__)

WIDTH = 1000
TABS = 2
#: seconds for kaleido's Chromium and tabs to get ready (about 0.6-3 s), then it is started again, once more
START_TIMEOUT = float(os.environ.get("CLUSTEROBS_CHROMIUM_START_TIMEOUT", "30"))
START_ATTEMPTS = 2

#: a figure or its Plotly JSON dict
Spec: TypeAlias = "go.Figure | dict[str, Any]"
#: a tab of a browser with a bundle of SVG traces only (``basic``) is reloaded after this many figures, not after
#: each one as kaleido does (see ``_kaleido_class``)
RELOAD_EVERY = 25


class _Browser:
    """A ``kaleido.Kaleido`` open on an event loop run by a daemon thread."""

    def __init__(self, tabs: int, bundle: Bundle = FULL) -> None:
        self.tabs = tabs
        self.bundle = bundle
        self.ready: concurrent.futures.Future[bool] = concurrent.futures.Future()
        self.loop = asyncio.new_event_loop()
        self.kaleido: Any = None
        self.profile: chromium.Profile | None = None
        self.closing = threading.Lock()
        self.closed: concurrent.futures.Future[None] | None = None
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
            path = chromium.browser_path()  # ChromiumMissing at once, saying what to install
            import kaleido

            partial = self.bundle.traces is not None
            cls = _kaleido_class(kaleido.Kaleido) if self.bundle.traces and self.bundle.traces <= SVG_TRACES \
                else kaleido.Kaleido
            for attempt in range(1, START_ATTEMPTS + 1):
                self.kaleido = cls(n=self.tabs, mathjax=False, path=str(path),
                                   plotlyjs=str(self.bundle.file) if partial else None)
                self.kaleido.tabs_up = self._ready
                self._own_profile()
                try:
                    await asyncio.wait_for(self.kaleido.open(), timeout=START_TIMEOUT)
                    break
                except TimeoutError:  # seen once in many runs: Chromium up, its tab never ready; start afresh
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(self.kaleido.close(), timeout=10)
                    self._remove_profile()
                    if attempt == START_ATTEMPTS:
                        raise chromium.BrowserStartError(f"Chromium ({path}) did not get ready in {START_TIMEOUT:g} "
                                                         f"s, {START_ATTEMPTS} times") from None
        except BaseException as exc:  # handed to every caller through the future
            with contextlib.suppress(Exception):
                self._remove_profile()
            if not isinstance(exc, chromium.ChromiumMissing | chromium.BrowserStartError | asyncio.CancelledError):
                exc = chromium.BrowserStartError(f"Chromium could not start: {exc}")
            if self.ready.done():  # its tab was up (``_ready``) before ``open`` failed: the figures' calls fail
                log.warning("Chromium failed after its tab was ready: %s", exc)
            else:
                self.ready.set_exception(exc)
        else:
            self._ready()

    def _ready(self) -> None:
        """The browser draws from now on (once: when its first tab has loaded the page, or when it is open)."""
        if not self.ready.done():
            mark("chromium")
            self.ready.set_result(True)

    def _own_profile(self) -> None:
        """Chromium's profile in a ``chromium.Profile`` that the browser library leaves in place when it closes:
        ``_remove_profile`` removes it once every Chromium process has exited."""
        impl = getattr(self.kaleido, "_browser_impl", None)
        if impl is None:  # a browser library without that hook (or a stand-in): it keeps its own profile
            return
        self.profile = profile = chromium.Profile()

        def pre_open() -> None:
            impl.tmp_dir = profile

        impl.pre_open = pre_open

    def _remove_profile(self) -> None:
        profile, self.profile = self.profile, None
        if profile is None:
            return
        process = getattr(self.kaleido, "subprocess", None)
        # the browser's wrapper leads a session of its own: its process group holds every Chromium process
        pgid = process.pid if process is not None else None
        # on this thread, not an executor's: at interpreter exit (atexit's close) executors take no more work
        chromium.remove_after_exit(profile, pgid)

    def submit(self, fig: Spec, opts: dict[str, Any]) -> concurrent.futures.Future[bytes]:
        """The image's future, at once: drawn when the browser is ready (its error if Chromium could not start)."""
        out: concurrent.futures.Future[bytes] = concurrent.futures.Future()

        def draw(ready: concurrent.futures.Future[bool]) -> None:
            if ready.exception() is not None:
                out.set_exception(ready.exception())  # type: ignore[arg-type]
            else:
                _chain(asyncio.run_coroutine_threadsafe(self.kaleido.calc_fig(fig, opts=opts), self.loop), out)

        self.ready.add_done_callback(draw)
        return out

    def close(self, *, wait: bool = True) -> None:
        """Close Chromium and stop the loop, once it has started; ``wait=False`` returns at once."""
        with self.closing:
            if self.closed is None:
                self.closed = concurrent.futures.Future()
                self.ready.add_done_callback(self._close_when_ready)
        if wait:
            with contextlib.suppress(Exception):
                self.closed.result(timeout=30)
            self.thread.join(timeout=5)

    def _close_when_ready(self, ready: concurrent.futures.Future[bool]) -> None:
        assert self.closed is not None
        if ready.exception() is not None:
            self.closed.set_result(None)
            return
        job = asyncio.run_coroutine_threadsafe(self._close(), self.loop)
        job.add_done_callback(lambda _: self.closed.set_result(None))  # type: ignore[union-attr]

    async def _close(self) -> None:
        try:
            await self.kaleido.close()
        finally:
            with contextlib.suppress(Exception):  # only once every Chromium process has exited
                self._remove_profile()
            self.loop.call_soon(self.loop.stop)


#: trace types drawn as SVG by plotly.js (no WebGL, no map): a figure of these leaves nothing behind in its tab
SVG_TRACES = frozenset({"bar", "pie", "scatter"})
_classes: dict[type, type] = {}


def _kaleido_class(base: type) -> type:
    """``base`` (``kaleido.Kaleido``) ready as soon as its first tab has loaded the page (``tabs_up``), and whose
    tabs are reloaded after every ``RELOAD_EVERY`` figures instead of after each one. kaleido reloads a tab, and with
    it plotly.js (0.1-0.3 s of Chromium's time on 2 cores), before it returns each image; its page draws a figure
    with ``Plotly.toImage`` on a detached element that is purged, so figures of SVG traces (``SVG_TRACES``) leave
    nothing to reset. The reload every ``RELOAD_EVERY`` figures bounds what a long-running process (the web's image
    export) could accumulate. A ``base`` without kaleido's ``_return_kaleido_tab`` and ``_conform_tabs`` (another
    kaleido version, a test's stand-in) is used as it is."""
    if not (hasattr(base, "_return_kaleido_tab") and hasattr(base, "_conform_tabs")):
        return base
    if base not in _classes:

        class Kaleido(base):  # type: ignore[misc, valid-type]
            #: called once the first tabs have loaded the page (``_Browser._ready``): ``open`` then still sleeps
            #: 0.1 s (choreographer polls for the tab) before it returns
            tabs_up: Any = None

            async def _conform_tabs(self, tabs: Any = None) -> None:
                await super()._conform_tabs(tabs)
                # not before a tab is in the queue: Chromium's headless shell opens with no tab, so kaleido's first
                # call conforms none and its tab is created after (a figure sent then: "you must await open")
                if self.tabs_up is not None and not self.tabs_ready.empty():
                    self.tabs_up()

            async def _return_kaleido_tab(self, tab: Any) -> None:
                drawn = getattr(tab, "_clusterobs_drawn", 0) + 1
                if drawn >= RELOAD_EVERY:
                    tab._clusterobs_drawn = 0
                    await super()._return_kaleido_tab(tab)
                else:
                    tab._clusterobs_drawn = drawn
                    await self.tabs_ready.put(tab)

        _classes[base] = Kaleido
    return _classes[base]


def _chain(source: concurrent.futures.Future[bytes], target: concurrent.futures.Future[bytes]) -> None:
    def copy(done: concurrent.futures.Future[bytes]) -> None:
        if done.cancelled():
            target.cancel()
        elif done.exception() is not None:
            target.set_exception(done.exception())  # type: ignore[arg-type]
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


_lock = threading.Lock()
_browser: _Browser | None = None
_full: _Browser | None = None  # for figures the process browser's partial bundle cannot draw


def _failed(browser: _Browser | None) -> bool:
    return browser is not None and browser.ready.done() and browser.ready.exception() is not None


def start(tabs: int = TABS, *, bundle: str = "full") -> _Browser:
    """The process's browser, started in the background with ``tabs`` tabs and the plotly.js ``bundle`` ("full",
    "basic" or "map", see ``charts.plotlyjs``) if it is not running (returns at once; a running one is kept)."""
    global _browser
    with _lock:
        if _browser is None or _failed(_browser):
            _browser = _Browser(tabs, plotlyjs.by_name(bundle))
            atexit.register(_browser.close)
        return _browser


def _browser_for(fig: Spec) -> _Browser:
    """The process's browser if its bundle draws ``fig``'s traces, else the full-bundle one (started if needed)."""
    global _full
    browser = start()
    if browser.bundle.covers(plotlyjs.trace_types(fig)):
        return browser
    with _lock:
        if _full is None or _failed(_full):
            _full = _Browser(1)
            atexit.register(_full.close)
        return _full


def stop(*, wait: bool = True) -> None:
    """Close the process's browsers (a one-shot command does it as soon as its charts are drawn, while it writes
    the PDF: ``wait=False``); the next ``submit`` starts a new one."""
    global _browser, _full
    with _lock:
        browsers, _browser, _full = [_browser, _full], None, None
    for browser in browsers:
        if browser is not None:
            browser.close(wait=wait)
            if not wait:
                atexit.register(browser.close)


def _height(fig: Spec, height: int | None) -> int:
    """``height``, else the figure's own (500 CSS pixels when it has none)."""
    figure = not isinstance(fig, dict)  # a go.Figure (plotly.graph_objects is imported only by its builders)
    layout = fig.layout if figure else fig.get("layout", {})
    return height or int((layout.height if figure else layout.get("height")) or 500)


def pixels(fig: Spec, *, width: int = WIDTH, height: int | None = None, scale: float = 1) -> tuple[int, int]:
    """The size in pixels of ``fig``'s raster image (png, jpg) as ``submit`` draws it with the same arguments."""
    return round(width * scale), round(_height(fig, height) * scale)


def submit(fig: Spec, *, fmt: str, width: int = WIDTH, height: int | None = None,
           scale: float = 1) -> concurrent.futures.Future[bytes]:
    """Start drawing ``fig`` (a figure or its Plotly JSON dict) as ``fmt`` (png, jpg, svg) at ``width`` x its own
    height (or ``height``) CSS pixels times ``scale`` (a raster image is ``pixels`` in size); the future's result is
    the image's bytes."""
    h = _height(fig, height)
    return _browser_for(fig).submit(fig, {"format": fmt, "width": width, "height": h, "scale": scale})


def image(fig: Spec, *, fmt: str, width: int = WIDTH, height: int | None = None, scale: float = 1) -> bytes:
    """The image's bytes (blocking): ``submit`` and wait."""
    return submit(fig, fmt=fmt, width=width, height=height, scale=scale).result()
