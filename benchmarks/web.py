"""Benchmark: the web observatory's latency under load and its time to first chart.

Goals, on a 2-core machine, under 20 concurrent clients on loopback: p95 latency under 50 ms for the JSON
endpoints of the region profile (``/api/regions/DE11``) and the sector map
(``/api/geojson?category=automotive&measure=stars``) (issue 4); p95 under 150 ms for the region page
``/regions/DE11/`` and under 300 ms (twice that) for a page of every other module: home, portfolio, sector, map,
compare, linkages, growth opportunities, ECI map, scoreboard, reports (issue 22, the pages' cache); and the first
chart of each module painted in headless chromium under 1.5 s after navigation start (issue 4).

The real server (``clusterobs serve``: waitress + WhiteNoise) runs in a child process over an existing store
(``--home``, default ``$CLUSTEROBS_HOME`` or ``./var``); without a computed store there, one is built with
``clusterobs ingest`` and ``clusterobs compute`` into a temporary directory first (about 15 s). The load comes from
ApacheBench (``ab -k -c 20``, Debian's apache2-utils) when it is installed, else (or with ``--client httpx``) from a
pool of threads each with its own keep-alive ``httpx`` client, for ``--seconds`` per endpoint (or ``--requests`` in
all), after a warm-up, asking as a browser does (``Accept-Encoding: gzip, deflate``); latency is measured by the
client from sending the request to reading the whole body. The client shares the 2 cores with the server: 20 httpx
threads in one Python process queue for their own GIL and use about as much CPU as the server, so their figures
are the client's as much as the server's; ab, a C program, adds little.

Time to first chart: Playwright drives Debian's chromium (``/usr/bin/chromium``, headless, the sandbox flags of
shared/STACK-NOTES.md; never ``playwright install``). A script installed before the page's own records
``performance.now()`` (milliseconds since navigation start) when the first figure is marked ``drawn`` by the
site's script (``Plotly.newPlot`` resolved: for a map, once MapLibre has drawn its regions; the graded figure),
when the first ``.js-plotly-plot .main-svg`` is in the document with a non-empty box (axes, legend) and two
animation frames after that (painted). Each module is opened
``--visits`` times in a fresh context (empty cache: the first visit of a user) and once more in the same context
(the bundle and GeoJSON cached); the medians are shown, the goal is checked on the first visit. Requests to
anything but 127.0.0.1 are aborted and counted. Usage::

    python benchmarks/web.py [--home DIR] [--clients 20] [--seconds 20 | --requests N] [--client ab|httpx] [--visits 3]
                             [--no-load] [--no-browser] [--strict] [--screenshot docs/img/map-module.png]
                             [--json PATH]

``--screenshot`` also saves the README's picture of the map module, taken from the same running app. ``--json PATH``
also writes the table's figures for ``benchmarks/results.py`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

GOAL_P95_MS = 50.0  # the JSON endpoints
GOAL_PAGE_P95_MS = 150.0  # the region page
GOAL_MODULE_PAGE_P95_MS = 2 * GOAL_PAGE_P95_MS  # a page of every other module
GOAL_FIRST_CHART_MS = 1500.0
LOOPBACK = "127.0.0.1"
#: answered by the app (WhiteNoise inside Django) without touching the data: the server is up
READY_PATH = "/static/clusterobs/site.css"
CHROMIUM = Path(os.environ.get("CLUSTEROBS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
#: (label, path, goal: p95 ms at --clients) measured under load
ENDPOINTS = [
    ("region profile, JSON", "/api/regions/DE11", GOAL_P95_MS),
    ("region profile, page", "/regions/DE11/", GOAL_PAGE_P95_MS),
    ("sector map, GeoJSON", "/api/geojson?category=automotive&measure=stars", GOAL_P95_MS),
    ("home, page", "/", GOAL_MODULE_PAGE_P95_MS),
    ("portfolio, page", "/regions/DE11/portfolio/", GOAL_MODULE_PAGE_P95_MS),
    ("sector, page", "/sectors/automotive/", GOAL_MODULE_PAGE_P95_MS),
    ("strength map, page", "/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2",
     GOAL_MODULE_PAGE_P95_MS),
    ("comparison, page", "/compare/?regions=DE11,DE21,FR10", GOAL_MODULE_PAGE_P95_MS),
    ("related clusters (linkages), page", "/linkages/related/automotive/", GOAL_MODULE_PAGE_P95_MS),
    ("growth opportunities (complexity), page", "/regions/DE11/opportunities/", GOAL_MODULE_PAGE_P95_MS),
    ("ECI map (complexity), page", "/complexity/eci/", GOAL_MODULE_PAGE_P95_MS),
    ("scoreboard, page", "/scoreboard/", GOAL_MODULE_PAGE_P95_MS),
    ("scoreboard region, page", "/scoreboard/DE11/", GOAL_MODULE_PAGE_P95_MS),
    ("reports, page", "/reports/", GOAL_MODULE_PAGE_P95_MS),
]
#: (module, path) opened in the browser
MODULES = [
    ("home", "/"),
    ("region overview", "/regions/DE11/"),
    ("regional cluster portfolio", "/regions/DE11/portfolio/"),
    ("data by sector", "/sectors/automotive/"),
    ("cluster strength map", "/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2"),
    ("region comparison", "/compare/?regions=DE11,DE21,FR10"),
]
#: the README screenshot (``--screenshot PATH``)
SCREENSHOT_PATH = "/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2"
SCREENSHOT_VIEWPORT = {"width": 1280, "height": 800}
#: runs in every page before its own scripts: when does the first Plotly chart appear, and get painted?
FIRST_CHART_PROBE = """
(() => {
  const found = () => {
    for (const svg of document.querySelectorAll('.js-plotly-plot .main-svg')) {
      const box = svg.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) return true;
    }
    return false;
  };
  const check = () => {
    if (window.__firstChart !== undefined || !found()) return false;
    window.__firstChart = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__firstChartPainted = performance.now(); }));
    return true;
  };
  // drawn: site.js marks a figure `drawn` when Plotly.newPlot has resolved (a map's MapLibre layer loaded)
  const drawn = () => {
    if (window.__firstChartDrawn === undefined && document.querySelector('figure.chart.drawn')) {
      window.__firstChartDrawn = performance.now();
    }
    return window.__firstChartDrawn !== undefined;
  };
  const observer = new MutationObserver(() => { const a = check() || window.__firstChart !== undefined;
    if (drawn() && a) observer.disconnect(); });
  observer.observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
})();
"""


# --------------------------------------------------------------------------------------------
# The store and the server
# --------------------------------------------------------------------------------------------

def computed_store(home: Path) -> bool:
    """Does ``home`` hold a published version with the cluster stars computed?"""
    from clusterobs.store import Store

    store = Store(home)
    try:
        return store.current() is not None and "cluster_stars" in set(store.tables()["name"])
    except Exception:
        return False


def cli() -> list[str]:
    script = Path(sys.executable).with_name("clusterobs")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from clusterobs.cli import app; app()"]


def build_store(home: Path) -> float:
    """``clusterobs ingest`` then ``compute`` into ``home``; returns the wall time."""
    start = time.perf_counter()
    for command in ("ingest", "compute"):
        out = subprocess.run([*cli(), command, "--home", str(home)], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"`clusterobs {command}` failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def peak_rss(pid: int) -> int | None:
    """Linux ``VmHWM`` of a living process, in bytes."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    started: float = 0.0
    peak_bytes: int | None = None  # the server process's peak RSS (Linux VmHWM), read when it stops

    def stop(self) -> None:
        if self.process.poll() is None:
            self.peak_bytes = peak_rss(self.process.pid)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(home: Path, log: Path, threads: int | None) -> Server:
    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLUSTEROBS_HOME"] = str(home)
    cmd = [*cli(), "serve", "--home", str(home), "--host", LOOPBACK, "--port", str(port)]
    if threads:
        cmd += ["--threads", str(threads)]
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    server = Server(f"http://{LOOPBACK}:{port}", proc, log)
    with httpx.Client(timeout=10, trust_env=False) as client:
        while True:
            if proc.poll() is not None:
                sys.exit(f"`clusterobs serve` exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if client.get(server.url + READY_PATH).status_code:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() - start > 120:
                server.stop()
                sys.exit(f"`clusterobs serve` did not answer in 120 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    server.started = time.perf_counter() - start
    return server


# --------------------------------------------------------------------------------------------
# Latency under load
# --------------------------------------------------------------------------------------------

@dataclass
class Load:
    label: str
    path: str
    goal_ms: float  # p95 at the benchmark's number of clients
    clients: int = 1
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    bytes: int = 0
    status: int | None = None
    load: tuple[float, float] | None = None  # load average before and after

    client: str = "httpx"
    ab_count: int = 0  # requests ab completed (ab reports percentiles, not each latency)
    ab_pcts: dict[int, float] = field(default_factory=dict)  # ms by percentile 0..100, from ab -e
    sent_bytes: int = 0  # one response body as transferred (gzip-coded when the server compressed it)

    @property
    def count(self) -> int:
        return self.ab_count if self.ab_pcts else len(self.latencies)

    def pct(self, q: float) -> float:
        if self.ab_pcts:
            return self.ab_pcts[int(q)]
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, max(0, round(q / 100 * len(xs)) - 1))] * 1000 if xs else float("nan")

    def max_ms(self) -> float:
        return self.ab_pcts[100] if self.ab_pcts else max(self.latencies) * 1000


#: what a browser sends: the server gzips JSON/GeoJSON/CSV answers once and serves the compressed copy
ACCEPT_ENCODING = "gzip, deflate"


def first_answer(base: str, load: Load, warmup: int) -> bool:
    """Ask ``load.path`` once (status, body size as read and as sent) and ``warmup`` times more; False unless 200."""
    import httpx

    with httpx.Client(base_url=base, timeout=30, trust_env=False, headers={"Accept-Encoding": ACCEPT_ENCODING}) as c:
        first = c.get(load.path)
        load.status, load.bytes = first.status_code, len(first.content)
        load.sent_bytes = int(first.headers.get("Content-Length", len(first.content)))
        if first.status_code != 200:
            return False
        for _ in range(warmup):
            c.get(load.path)
    return True


def ab_hammer(base: str, load: Load, *, clients: int, seconds: float, requests: int | None, warmup: int = 20) -> Load:
    """The same load from ApacheBench (``ab``, Debian's apache2-utils): ``clients`` concurrent keep-alive
    connections from a C program, so the latency is the server's and not the Python client's queue for its GIL
    (20 httpx threads in one process on 2 cores spend about as much CPU as the server)."""
    load.clients, load.client = clients, "ab"
    before = os.getloadavg()[0]
    if not first_answer(base, load, warmup):
        return load
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "pct.csv"
        limit = ["-n", str(requests)] if requests else ["-t", f"{seconds:g}", "-n", "10000000"]
        cmd = ["ab", "-q", "-k", "-c", str(clients), *limit, "-H", f"Accept-Encoding: {ACCEPT_ENCODING}",
               "-e", str(table), base + load.path]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0 or not table.exists():
            load.errors[f"ab exit {out.returncode}"] = 1
            return load
        running = 0.0  # ab's table can dip below the previous percentile with few requests: keep it monotone
        for line in table.read_text().splitlines()[1:]:
            q, ms = line.split(",")
            running = max(running, float(ms))
            load.ab_pcts[int(float(q))] = running

    def field_of(name: str) -> str:
        return next((ln.split(":", 1)[1].strip() for ln in out.stdout.splitlines() if ln.startswith(name)), "0")

    load.ab_count = int(field_of("Complete requests"))
    load.wall = float(field_of("Time taken for tests").split()[0])
    failed = int(field_of("Failed requests")) + int(field_of("Non-2xx responses") or 0)
    if failed:
        load.errors["failed or non-2xx"] = failed
    load.load = (before, os.getloadavg()[0])
    return load


def hammer(base: str, load: Load, *, clients: int, seconds: float, requests: int | None, warmup: int = 20) -> Load:
    """``clients`` threads, each with a keep-alive client, request ``load.path`` until time or count is out."""
    import httpx

    load.clients = clients
    before = os.getloadavg()[0]
    if not first_answer(base, load, warmup):
        return load
    lock = threading.Lock()
    left = [requests] if requests else None
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        errs: dict[str, int] = {}
        with httpx.Client(base_url=base, timeout=30, trust_env=False,
                          headers={"Accept-Encoding": ACCEPT_ENCODING}) as client:
            while True:
                if left is not None:
                    with lock:
                        if left[0] <= 0:
                            break
                        left[0] -= 1
                elif time.perf_counter() >= deadline:
                    break
                t0 = time.perf_counter()
                try:
                    r = client.get(load.path)
                    _ = r.content
                    ok = r.status_code == 200
                    key = f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, key = False, type(exc).__name__
                dt = time.perf_counter() - t0
                if ok:
                    mine.append(dt)
                else:
                    errs[key] = errs.get(key, 0) + 1
        with lock:
            load.latencies.extend(mine)
            for k, v in errs.items():
                load.errors[k] = load.errors.get(k, 0) + v

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for f in [pool.submit(worker) for _ in range(clients)]:
            f.result()
    load.wall = time.perf_counter() - start
    load.load = (before, os.getloadavg()[0])
    return load


# --------------------------------------------------------------------------------------------
# Time to first chart
# --------------------------------------------------------------------------------------------

@dataclass
class Paint:
    module: str
    path: str
    status: int | None = None
    cold: list[float] = field(default_factory=list)  # ms, first chart visible
    cold_painted: list[float] = field(default_factory=list)
    drawn: list[float] = field(default_factory=list)  # ms, the first chart's Plotly.newPlot resolved (cold)
    bundle_name: str = ""  # the plotly.js file the page loaded
    html: list[float] = field(default_factory=list)  # ms, the page's HTML received (cold)
    bundle: list[float] = field(default_factory=list)  # ms, plotly.js received (cold)
    warm: list[float] = field(default_factory=list)
    kib: list[float] = field(default_factory=list)  # transferred on the cold visit
    error: str = ""
    load: tuple[float, float] | None = None

    @staticmethod
    def median(xs: list[float]) -> float | None:
        return statistics.median(xs) if xs else None


#: what the page timed: first chart, painted, HTML received, the Plotly bundle received, bytes transferred
TIMINGS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const bundle = res.find((e) => /plotly[^/]*\\.js/.test(e.name));
  return {first: window.__firstChart, painted: window.__firstChartPainted, html: nav ? nav.responseEnd : null,
          drawn: window.__firstChartDrawn === undefined ? null : window.__firstChartDrawn,
          bundle: bundle ? bundle.responseEnd : null,
          bundleName: bundle ? bundle.name.split('/').pop().replace(/\\.[0-9a-f]{12}\\.js$/, '.js') : null,
          kib: [nav, ...res].reduce((s, e) => s + ((e && e.transferSize) || 0), 0) / 1024};
}"""


def visit(page, url: str, timeout_ms: float) -> tuple[int | None, dict[str, float | None]]:
    """Open ``url``; (HTTP status, the page's timings in ms since navigation start, see ``TIMINGS_JS``)."""
    response = page.goto(url, wait_until="commit")
    status = response.status if response else None
    if status != 200:
        return status, {}
    page.wait_for_function("window.__firstChartPainted !== undefined && window.__firstChartDrawn !== undefined",
                           timeout=timeout_ms)
    return status, page.evaluate(TIMINGS_JS)


def launch(pw):
    return pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)


def local_only(outside: list[str]):
    """A route handler that lets 127.0.0.1 through and aborts (and records) anything else."""

    def route(r) -> None:
        parts = urlsplit(r.request.url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname == LOOPBACK:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort("blockedbyclient")

    return route


def screenshot(base: str, path: Path, outside: list[str]) -> tuple[int, int]:
    """The README picture: the cluster strength map module at 1280×800, once MapLibre has drawn the regions,
    scrolled to its filters so that they and the map fill the screen."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        ctx = browser.new_context(viewport=SCREENSHOT_VIEWPORT, device_scale_factor=1, locale="en-GB",
                                  service_workers="block")
        ctx.route("**/*", local_only(outside))
        page = ctx.new_page()
        page.goto(base + SCREENSHOT_PATH)
        page.wait_for_selector(".js-plotly-plot .main-svg", state="visible")
        page.wait_for_function("""() => { const gd = document.querySelector('.js-plotly-plot');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            return sub && sub.map && sub.map.loaded(); }""", timeout=30_000)
        # the filters and the map in one screen: scroll the filter form to the top, a little margin above it
        page.evaluate("""() => { const f = document.querySelector('form.filters') || document.querySelector('main');
            window.scrollTo(0, Math.max(0, f.getBoundingClientRect().top + window.scrollY - 12)); }""")
        page.wait_for_timeout(800)
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        browser.close()
    return SCREENSHOT_VIEWPORT["width"], SCREENSHOT_VIEWPORT["height"]


def paint_times(base: str, visits: int, timeout_ms: float) -> tuple[list[Paint], list[str], str]:
    """Every module, ``visits`` cold visits and one warm one; (results, requests aborted, browser version)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    route = local_only(outside)
    results: list[Paint] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        version = browser.version
        for module, path in MODULES:
            res = Paint(module, base + path)
            results.append(res)
            before = os.getloadavg()[0]
            for i in range(visits):
                ctx = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
                ctx.route("**/*", route)
                ctx.add_init_script(FIRST_CHART_PROBE)
                page = ctx.new_page()
                try:
                    res.status, t = visit(page, res.path, timeout_ms)
                    if res.status != 200:
                        res.error = f"HTTP {res.status}"
                        break
                    res.cold.append(t["first"])
                    res.cold_painted.append(t["painted"])
                    res.drawn.append(t["drawn"])
                    res.bundle_name = t["bundleName"] or ""
                    res.kib.append(t["kib"])
                    res.html.append(t["html"])
                    if t["bundle"] is not None:
                        res.bundle.append(t["bundle"])
                    if i == visits - 1:  # the same context again: bundle, styles and GeoJSON from the cache
                        _, t = visit(page, res.path, timeout_ms)
                        res.warm.append(t["first"])
                except PlaywrightError as exc:
                    res.error = f"no chart in {timeout_ms / 1000:.0f} s" if "Timeout" in str(exc) else str(exc)[:80]
                    break
                finally:
                    ctx.close()
            res.load = (before, os.getloadavg()[0])
        browser.close()
    return results, outside, version


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    text = f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"
    try:
        with open("/proc/pressure/cpu") as f:
            some = f.readline().split()
        text += f", CPU pressure {float(some[2].split('=')[1]):.0f} % (avg60)"
    except (OSError, IndexError, ValueError):
        pass
    return text


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("  ".join(c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))))
        if k == 0:
            print("  ".join("-" * w for w in widths))


def report(loads: list[Load], paints: list[Paint], args) -> bool:
    """Print the table; True when every goal measured is met."""
    rows = [("measure", "what", "n", "req/s", "p50 ms", "p95 ms", "max ms", "KiB", "goal", "")]
    ok_all = True
    for ld in loads:
        what = ld.path
        who = f"latency, {ld.clients} client{'s' if ld.clients > 1 else ''}"
        graded = ld.clients == args.clients
        goal = f"p95 < {ld.goal_ms:g} ms" if graded else ""
        if ld.status != 200:
            rows.append((who, f"{ld.label}: {what}", "-", "-", "-", "-", "-", "-", goal, f"HTTP {ld.status}"))
            ok_all = False
            continue
        p95 = ld.pct(95)
        ok = p95 < ld.goal_ms and not ld.errors if graded else None
        ok_all &= ok is not False
        errs = f" ({sum(ld.errors.values())} errors)" if ld.errors else ""
        kib = f"{ld.bytes / 1024:,.0f}" + (f" ({ld.sent_bytes / 1024:,.0f} sent)"
                                           if ld.sent_bytes and ld.sent_bytes != ld.bytes else "")
        rows.append((who, f"{ld.label}: {what}", f"{ld.count:,}",
                     f"{ld.count / ld.wall:,.0f}", f"{ld.pct(50):.1f}", f"{p95:.1f}",
                     f"{ld.max_ms():.0f}", kib, goal,
                     ("" if ok is None else ("pass" if ok else "FAIL")) + errs))
    for p in paints:
        goal = f"< {GOAL_FIRST_CHART_MS:g} ms"
        if p.error or not p.cold:
            rows.append(("first chart, cold", f"{p.module}: {urlsplit(p.path).path}", "-", "", "-", "-", "-", "-",
                         goal, p.error or "no visit"))
            ok_all = False
            continue
        drawn = Paint.median(p.drawn)  # graded: the chart is on screen with its data (a map's regions included)
        ok = drawn < GOAL_FIRST_CHART_MS
        ok_all &= ok
        rows.append(("first chart drawn, cold", f"{p.module}: {urlsplit(p.path).path}", str(len(p.drawn)), "",
                     f"{drawn:.0f}", "", f"{max(p.drawn):.0f}", f"{Paint.median(p.kib):,.0f}", goal,
                     "pass" if ok else "FAIL"))
        rows.append(("  first chart's svg in place, cold", "", str(len(p.cold)), "", f"{Paint.median(p.cold):.0f}",
                     "", f"{max(p.cold):.0f}", "", "", ""))
        rows.append(("  painted (two frames later), cold", "", str(len(p.cold_painted)), "",
                     f"{Paint.median(p.cold_painted):.0f}", "", f"{max(p.cold_painted):.0f}", "", "", ""))
        rows.append(("  HTML received, cold", "", str(len(p.html)), "", f"{Paint.median(p.html):.0f}", "",
                     f"{max(p.html):.0f}", "", "", ""))
        if p.bundle:
            rows.append((f"  {p.bundle_name or 'plotly.js'} received, cold", "", str(len(p.bundle)), "",
                         f"{Paint.median(p.bundle):.0f}", "", f"{max(p.bundle):.0f}", "", "", ""))
        if p.warm:
            rows.append(("  first chart, warm cache", "", str(len(p.warm)), "", f"{Paint.median(p.warm):.0f}", "",
                         f"{max(p.warm):.0f}", "", "", ""))
    print()
    print_table(rows)
    print("latency: client-measured, request sent to body read, keep-alive, successful (200) responses only; "
          "KiB: one response body (first chart rows: transferred by the cold visit). First chart drawn (graded): ms "
          "from navigation start until the first figure's Plotly.newPlot has resolved, for a map once its MapLibre "
          "layer has loaded (p50 column: median of the visits); svg in place: the first `.js-plotly-plot .main-svg` "
          "with a box (axes and legend, a map's regions may still be coming); painted: two animation frames later; "
          "HTML / plotly.js received: responseEnd of the page and of the bundle it loaded; warm: svg in place with "
          "the browser cache filled).")
    return ok_all


def write_json(path: Path, loads: list[Load], paints: list[Paint], server: Server, args) -> None:
    """The table's rows for benchmarks/results.py: ``wall_s`` is the p95 latency (latency rows) or the median
    time to first chart (browser rows), in seconds; ``rows`` the requests measured; ``peak_bytes`` the server's."""
    out = []
    # each endpoint's row under load first, its one-client row after it (results.py shows it as a part: ↳)
    for ld in sorted(loads, key=lambda x: ([e[1] for e in ENDPOINTS].index(x.path), x.clients != args.clients)):
        graded = ld.clients == args.clients
        goal = f"p95 < {ld.goal_ms:g} ms" if graded else ""
        who = f"{ld.clients} client{'s' if ld.clients > 1 else ''}"
        indent = "" if ld.clients == args.clients else "  "
        if ld.status != 200 or not ld.count:
            out.append({"name": f"{indent}{ld.label} {ld.path}, {who}: HTTP {ld.status}", "rows": None, "wall_s": 0.0,
                        "peak_bytes": None, "rows_per_s": None, "goal": goal,
                        "ok": False if graded else None, "baselines": {}, "load": list(ld.load or ())})
            continue
        p95 = ld.pct(95)
        name = f"{indent}{ld.label} {ld.path}: p95 latency, {who} (p50 {ld.pct(50):.1f} ms, p95 {p95:.1f} ms)"
        out.append({"name": name, "rows": ld.count,
                    "wall_s": p95 / 1000, "peak_bytes": server.peak_bytes, "rows_per_s": ld.count / ld.wall,
                    "goal": goal, "ok": (p95 < ld.goal_ms and not ld.errors) if graded else None, "baselines": {},
                    "load": list(ld.load or ())})
    for p in paints:
        goal = f"first chart < {GOAL_FIRST_CHART_MS / 1000:g} s"
        if p.error or not p.cold:
            out.append({"name": f"{p.module} {urlsplit(p.path).path}: first chart: {p.error or 'no visit'}",
                        "rows": None, "wall_s": 0.0, "peak_bytes": None, "rows_per_s": None, "goal": goal,
                        "ok": False, "baselines": {}, "load": list(p.load or ())})
            continue
        drawn = Paint.median(p.drawn)
        warm = f", cached {Paint.median(p.warm) / 1000:.2f} s" if p.warm else ""
        out.append({"name": f"{p.module} {urlsplit(p.path).path}: first chart drawn, first visit "
                            f"(median of {len(p.drawn)}; svg in place {Paint.median(p.cold) / 1000:.2f} s{warm})",
                    "rows": None, "wall_s": drawn / 1000, "peak_bytes": None, "rows_per_s": None, "goal": goal,
                    "ok": drawn < GOAL_FIRST_CHART_MS, "baselines": {}, "load": list(p.load or ())})
    amount = f"{args.requests} requests" if args.requests else f"{args.seconds:g} s"
    who = "ApacheBench (ab -k) connections" if args.client == "ab" else "httpx clients"
    notes = [f"latency: {args.clients} keep-alive {who} on loopback against `clusterobs serve` "
             f"({amount} per endpoint); "
             "wall s of a latency row is its p95, of a browser row the median time to the first chart drawn"]
    path.write_text(json.dumps({"benchmark": "web", "rows": out, "notes": notes}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="data directory with a computed store [$CLUSTEROBS_HOME; ./var]")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint")
    parser.add_argument("--requests", type=int, help="per endpoint, instead of --seconds")
    parser.add_argument("--baseline", type=int, default=50, metavar="N",
                        help="first N requests per endpoint from one client (service time without queueing; 0: skip)")
    parser.add_argument("--threads", type=int, help="the server's worker threads [clusterobs serve's default]")
    parser.add_argument("--client", choices=["ab", "httpx"], default="ab" if shutil.which("ab") else "httpx",
                        help="load generator: ApacheBench (C, Debian's apache2-utils; the default when installed) "
                             "or threads of Python httpx clients (their own CPU and GIL are in the figures)")
    parser.add_argument("--visits", type=int, default=3, help="cold visits per module")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a module's first chart")
    parser.add_argument("--no-load", action="store_true", help="skip the latency part")
    parser.add_argument("--no-browser", action="store_true", help="skip the time to first chart")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="also save the README screenshot of the map module (1280×800) to PNG")
    args = parser.parse_args()

    from clusterobs.config import Settings

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{date.today().isoformat()}; {machine_load()}")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clusterobs-web-bench-")))
        home = (args.home or Settings.from_env().home).resolve()
        if not computed_store(home):
            print(f"no computed store in {home}: building one with `clusterobs ingest` + `compute` in {tmp} ...",
                  flush=True)
            home = tmp / "home"
            print(f"  built in {build_store(home):.0f} s")
        server = start_server(home, tmp / "serve.log", args.threads)
        stack.callback(server.stop)
        print(f"server: `clusterobs serve` at {server.url} over {home}, answering after {server.started:.1f} s; "
              f"load: {args.clients} concurrent keep-alive "
              + ("connections from ApacheBench (ab -k), " if args.client == "ab" else "httpx clients (threads), ")
              + f"Accept-Encoding: {ACCEPT_ENCODING}, "
              + (f"{args.requests:,} requests" if args.requests else f"{args.seconds:g} s") + " per endpoint",
              flush=True)
        loads: list[Load] = []
        for label, path, goal_ms in [] if args.no_load else ENDPOINTS:
            run = ab_hammer if args.client == "ab" else hammer
            if args.baseline:  # one client: the service time, without queueing
                loads.append(run(server.url, Load(label, path, goal_ms), clients=1, seconds=math.inf,
                                 requests=args.baseline))
            loads.append(run(server.url, Load(label, path, goal_ms), clients=args.clients, seconds=args.seconds,
                             requests=args.requests))
        if loads:
            print(f"after the load: {machine_load()}", flush=True)
        paints: list[Paint] = []
        outside: list[str] = []
        if not args.no_browser:
            if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
                print(f"no chromium at {CHROMIUM}: time to first chart skipped (`.ci/run` installs Debian's package)")
            else:
                paints, outside, version = paint_times(server.url, args.visits, args.timeout * 1000)
                print(f"browser: Debian chromium {version} headless via Playwright, 1280×800, "
                      f"{args.visits} cold visits + 1 warm per module; {machine_load()}")
        if args.screenshot:
            w, h = screenshot(server.url, args.screenshot, outside)
            print(f"screenshot: {SCREENSHOT_PATH} at {w}×{h} saved to {args.screenshot}")
        ok = report(loads, paints, args)
        server.stop()
        if args.json:
            write_json(args.json, loads, paints, server, args)
    print(f"machine at the end: {machine_load()}")
    if outside:
        print(f"requests that tried to leave the machine (aborted): {len(outside)}, e.g. {outside[:3]}")
        sys.exit(1)
    if args.strict and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
