"""Browser tests: the real ``clusterobs serve`` over the session's computed store, driven by Playwright.

The server is the production one (waitress + WhiteNoise, as users run it), started in a child process on a free
loopback port. The browser is Debian's chromium (``/usr/bin/chromium``) launched by Playwright with the sandbox's
flags (shared/STACK-NOTES.md, "Charts and browsers"); never ``playwright install``. Playwright gives every launch a
fresh temporary user-data dir of its own (``--user-data-dir`` may not be passed to ``launch``) and removes it after.

No request may leave the machine: every context routes all requests, lets those to 127.0.0.1 through and aborts and
records any other, and each test fails if one was attempted. Chromium's own host resolver maps every other name to
nothing as well, so even requests Playwright cannot see (the browser's own services) stay local.

Playwright's sync API keeps an asyncio loop running on the main thread while it is started, and Django's ORM refuses
to run under a running loop (``SynchronousOnlyOperation``): the browser therefore lives for one test module at a time,
so that the Django tests collected after this folder run as usual.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from clusterobs.reports.chromium import DEBIAN_CHROMIUM, DEBIAN_HEADLESS_SHELL

#: Chromium's headless shell (Debian's chromium-headless-shell, where the reports look for it first: the same Blink,
#: no browser user interface; what Playwright itself runs for headless tests) when installed, else Debian's
#: chromium; CLUSTEROBS_CHROMIUM overrides
CHROMIUM = Path(os.environ.get("CLUSTEROBS_CHROMIUM")
                or (DEBIAN_HEADLESS_SHELL if DEBIAN_HEADLESS_SHELL.exists() else DEBIAN_CHROMIUM))
#: the flags that work for headless Chromium in this sandbox, as root (shared/STACK-NOTES.md)
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: belt and braces: any host name but the loopback address resolves to nothing inside the browser
NO_RESOLVE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
LOOPBACK = "127.0.0.1"
#: answered by the app (WhiteNoise inside Django) without touching the data: the server is up
READY_PATH = "/static/clusterobs/site.css"
SERVER_START_TIMEOUT = 120.0
VIEWPORT = {"width": 1280, "height": 800}


# ---- the server ---------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self, tail: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def serve_command(home: Path, port: int) -> list[str]:
    """``clusterobs serve`` from this interpreter's environment (the console script, else the module)."""
    script = Path(sys.executable).with_name("clusterobs")
    exe = [str(script)] if script.exists() else [sys.executable, "-c", "from clusterobs.cli import app; app()"]
    return [*exe, "serve", "--home", str(home), "--host", LOOPBACK, "--port", str(port)]


def start_server(home: Path, log: Path, *, timeout: float = SERVER_START_TIMEOUT) -> LiveServer:
    """Start ``clusterobs serve --home HOME`` on a free port and wait until it answers (any HTTP status)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the portal DB: SQLite in the store home
    env["CLUSTEROBS_HOME"] = str(home)
    with log.open("wb") as out:
        proc = subprocess.Popen(serve_command(home, port), stdout=out, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    server = LiveServer(url=f"http://{LOOPBACK}:{port}", process=proc, log=log)
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=10.0, trust_env=False) as client:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"`clusterobs serve` exited with {proc.returncode}:\n{server.output()}")
            try:
                if client.get(server.url + READY_PATH).status_code:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                stop_server(server)
                raise RuntimeError(f"`clusterobs serve` did not answer in {timeout:.0f} s:\n{server.output()}")
            time.sleep(0.25)


def stop_server(server: LiveServer) -> None:
    """Stop the server this fixture started (by its process id), killing it after 10 s."""
    proc = server.process
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(computed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``clusterobs serve`` over the session's computed store, stopped at the end of the session."""
    store, _ = computed
    srv = start_server(Path(store.home), tmp_path_factory.mktemp("serve") / "serve.log")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def api(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on the live server, for the API's view of what the pages draw."""
    with httpx.Client(base_url=server.url, timeout=60.0, trust_env=False) as client:
        yield client


# ---- the browser --------------------------------------------------------------------------------------------


@dataclass
class Outside:
    """Requests that tried to leave the machine (aborted)."""

    urls: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome-extension"):
            return True
        return parts.hostname == LOOPBACK

    def check(self, url: str) -> bool:
        ok = self.allowed(url)
        if not ok:
            self.urls.append(url)
        return ok


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium through Playwright (one per test module, see the module docstring)."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"no chromium at {CHROMIUM} (`.ci/run` installs Debian's package)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_FLAGS, NO_RESOLVE])
        yield b
        b.close()


@pytest.fixture
def outside() -> Outside:
    return Outside()


@pytest.fixture
def context(browser, server: LiveServer, outside: Outside) -> Iterator[Any]:
    """A fresh browser context on the live server; fails the test if any request tried to leave the machine."""
    ctx = browser.new_context(base_url=server.url, viewport=VIEWPORT, accept_downloads=True,
                              service_workers="block", locale="en-GB")

    def route(route):
        if outside.check(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def route_ws(ws):
        if outside.check(ws.url):
            ws.connect_to_server()
        else:
            ws.close()

    ctx.route("**/*", route)
    ctx.route_web_socket("**/*", route_ws)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()
    assert not outside.urls, f"requests tried to leave the machine: {outside.urls}"


@pytest.fixture
def page(context) -> Any:
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.js_errors = errors  # read by tests that check the page ran without script errors
    return p
