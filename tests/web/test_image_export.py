"""Image export under faults: a cold server's first PNG (the browser starts with ``clusterobs serve``, a request
waits for it), no Chromium (503 saying what to install, at once), a browser not ready in time (503 +
Retry-After). Issue 17: the first PNG after ``serve`` answered 500 after about 30 s."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from clusterobs.reports import images
from clusterobs.web import figures

PNG = b"\x89PNG\r\n\x1a\n"
CHART = "/api/figures/sector-top.png?category=automotive&measure=employment&scheme=eco2007&year=2015&level=2"
needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no chromium")


def test_without_chromium_the_export_answers_503_saying_what_to_install(client, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    images.stop()
    try:
        start = time.monotonic()
        r = client.get(CHART)
        assert time.monotonic() - start < 15  # no 30 s wait for a browser that cannot start
    finally:
        images.stop()
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["status"] == 503
    assert "BROWSER_PATH=/nonexistent/chromium" in error["message"]
    assert "apt-get install chromium" in error["message"]
    assert "Retry-After" not in r  # it will not come back by itself


def test_a_browser_not_ready_in_time_answers_503_with_retry_after(client, monkeypatch):
    pending: concurrent.futures.Future[bytes] = concurrent.futures.Future()
    monkeypatch.setattr(images, "submit", lambda *a, **k: pending)
    monkeypatch.setattr(figures, "WAIT", 0.05)
    r = client.get(CHART)
    assert r.status_code == 503
    assert r["Retry-After"] == str(figures.RETRY_AFTER)
    assert "still starting or busy" in r.json()["error"]["message"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _profiles(tmp: Path) -> set[Path]:
    return set(tmp.glob("clusterobs-chromium-*"))


@pytest.mark.browser
@needs_chromium
def test_the_first_png_of_a_fresh_server_is_200(web_store, tmp_path):
    # the server's own temporary directory: other test processes (pytest -n) start Chromium profiles of their own;
    # a short path, as Chromium's sockets live under TMPDIR (a Unix socket's path has at most 107 bytes)
    tmp = Path(tempfile.mkdtemp(prefix="clusterobs-png-"))
    port, log = _free_port(), tmp_path / "serve.log"
    script = Path(sys.executable).with_name("clusterobs")
    exe = [str(script)] if script.exists() else [sys.executable, "-c", "from clusterobs.cli import app; app()"]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}", "TMPDIR": str(tmp)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen([*exe, "serve", "--home", str(web_store.home), "--host", "127.0.0.1", "--port",
                               str(port)], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:  # the first answer of any kind: the server is up, as cold as it gets
            assert server.poll() is None, log.read_text()[-3000:]
            try:
                httpx.get(f"http://127.0.0.1:{port}/static/clusterobs/site.css", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        start = time.monotonic()
        r = httpx.get(f"http://127.0.0.1:{port}{CHART}", timeout=120)
        took = time.monotonic() - start
        started = _profiles(tmp)  # the browser's profile, in the server's TMPDIR while it runs
    finally:
        server.terminate()  # SIGTERM: closes Chromium and removes its profile on the way out
        server.wait(timeout=60)
        left = _profiles(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
    assert r.status_code == 200, (r.status_code, r.text[:500], log.read_text()[-3000:])
    assert r.headers["content-type"] == "image/png" and r.content.startswith(PNG)
    print(f"first PNG of a fresh server: {took:.1f} s")
    assert started, "no Chromium profile under the server's TMPDIR: the check below would prove nothing"
    assert not left, "Chromium's profile was left behind"


def test_a_report_without_chromium_answers_503_saying_what_to_install(client, settings, monkeypatch):
    from clusterobs.web.reports import services

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    settings.CLUSTEROBS_REPORT_WAIT = 600
    images.stop()
    key = services.report_key("region", "ES30")
    for path in (services.cache_dir(key.version) / f"{key.slug}.{f}" for f in ("html", "pdf")):
        path.unlink(missing_ok=True)
    services._jobs.pop(key, None)
    try:
        api = client.get("/api/reports/region/ES30.pdf")
        page = client.get("/reports/region/ES30/")
    finally:
        services._jobs.pop(key, None)
        images.stop()
    assert api.status_code == 503, api.content[:300]
    assert "apt-get install chromium" in api.json()["error"]["message"]
    assert page.status_code == 503
    assert "apt-get install chromium" in page.content.decode()
    assert "Reference:" not in page.content.decode()
