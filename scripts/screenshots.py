"""Screenshots of every module of the web observatory, desktop (1366 px) and phone (390 px), English and French.

Starts ``clusterobs serve`` on a free loopback port over a computed store (``--home``, else ``CLUSTEROBS_HOME``),
opens each module in Debian's headless chromium through Playwright (the same launch as the browser tests: no
request leaves the machine) and writes ``OUT/<module>-<lang>-<width>.png`` (full pages) into a folder that is not
committed (``screenshots/`` by default, in .gitignore). The strength map's first screen at 1366 px in English is
the README's screenshot: it is copied to ``docs/img/map-module.png`` (``--no-readme`` to leave it).

    make screenshots                      # CLUSTEROBS_HOME=... make screenshots for another store
    python scripts/screenshots.py --home /tmp/shots-home --only region,compare --widths 390
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
README_IMAGE = ROOT / "docs" / "img" / "map-module.png"
CHROMIUM = Path(os.environ.get("CLUSTEROBS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
LOOPBACK = "127.0.0.1"
YEAR = 2015
#: one page per module: the views the README and the docs talk about (Stuttgart, automotive, ECO 2007)
MODULES = {
    "home": "/",
    "region": f"/regions/DE11/?scheme=eco2007&year={YEAR}",
    "portfolio": f"/regions/DE11/portfolio/?scheme=eco2007&year={YEAR}",
    "sector": f"/sectors/automotive/?scheme=eco2007&year={YEAR}&level=2",
    "map": f"/map/?category=automotive&measure=stars&scheme=eco2007&year={YEAR}&level=2",
    "compare": f"/compare/?regions=DE11,FR10,ITC4&scheme=eco2007&year={YEAR}",
    "linkages": "/linkages/related/automotive/",
    "scoreboard": "/scoreboard/DE11/",
    "reports": "/reports/region/DE11/",
    "assessments": "/self-assessment/",
    "registry": "/registry/",
}
WIDTHS = {1366: 800, 390: 844}
LANGS = ("en", "fr")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def start_server(home: Path, log: Path, timeout: float = 180.0) -> tuple[subprocess.Popen, str]:
    """``clusterobs serve --home HOME`` on a free port, once it answers."""
    port = free_port()
    script = Path(sys.executable).with_name("clusterobs")
    exe = [str(script)] if script.exists() else [sys.executable, "-c", "from clusterobs.cli import app; app()"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"CLUSTEROBS_HOME": str(home)}
    with log.open("wb") as out:
        proc = subprocess.Popen([*exe, "serve", "--home", str(home), "--host", LOOPBACK, "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                start_new_session=True)
    url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=10.0, trust_env=False) as client:
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"clusterobs serve exited with {proc.returncode}; see {log}")
            try:
                client.get(url + "/static/clusterobs/site.css")
                return proc, url
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                proc.terminate()
                raise SystemExit(f"clusterobs serve did not answer in {timeout:.0f} s; see {log}")
            time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def settle(page) -> None:
    """Wait until every chart of the page is drawn (or has failed) and the network is quiet."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('figure.chart[data-plotly]'))"
        ".every((f) => f.classList.contains('drawn') || f.classList.contains('failed'))", timeout=90_000)
    page.wait_for_timeout(300)


def shoot(url: str, out: Path, modules: dict[str, str], widths: list[int], langs: list[str],
          readme: bool) -> list[Path]:
    """Every module at every width in every language; returns the files written."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    total = len(modules) * len(widths) * len(langs)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        for lang in langs:
            for width in widths:
                ctx = browser.new_context(base_url=url, viewport={"width": width, "height": WIDTHS.get(width, 800)},
                                          locale="fr-FR" if lang == "fr" else "en-GB", service_workers="block")
                ctx.add_cookies([{"name": "django_language", "value": lang, "url": url}])
                ctx.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname in (LOOPBACK, None)
                          or r.request.url.startswith("data:") else r.abort("blockedbyclient"))
                page = ctx.new_page()
                for name, path in modules.items():
                    target = out / f"{name}-{lang}-{width}.png"
                    started = time.monotonic()
                    response = page.goto(path, wait_until="domcontentloaded", timeout=120_000)
                    settle(page)
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                    status = response.status if response else "?"
                    print(f"[{len(written):>3}/{total}] {target.name} (HTTP {status}, "
                          f"{time.monotonic() - started:.1f} s)", flush=True)
                    if readme and name == "map" and lang == "en" and width == max(widths):
                        first = out / "readme-map.png"
                        page.set_viewport_size({"width": 1280, "height": 800})
                        settle(page)
                        page.screenshot(path=str(first))
                        page.set_viewport_size({"width": width, "height": WIDTHS.get(width, 800)})
                        shutil.copyfile(first, README_IMAGE)
                        print(f"      README screenshot: {README_IMAGE.relative_to(ROOT)}", flush=True)
                ctx.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, default=os.environ.get("CLUSTEROBS_HOME"),
                    help="the computed store to serve (default: $CLUSTEROBS_HOME)")
    ap.add_argument("--out", type=Path, default=ROOT / "screenshots", help="where to write (default: screenshots/)")
    ap.add_argument("--only", default="", help="comma-separated modules (default: all): " + ", ".join(MODULES))
    ap.add_argument("--widths", default="1366,390", help="viewport widths in px (default: 1366,390)")
    ap.add_argument("--langs", default=",".join(LANGS), help="languages (default: en,fr)")
    ap.add_argument("--no-readme", action="store_true", help="do not regenerate docs/img/map-module.png")
    args = ap.parse_args(argv)
    if not args.home:
        ap.error("no store: pass --home or set CLUSTEROBS_HOME")
    if not CHROMIUM.exists():
        ap.error(f"no chromium at {CHROMIUM} (apt-get install chromium, or set CLUSTEROBS_CHROMIUM)")
    wanted = [m for m in args.only.split(",") if m] or list(MODULES)
    unknown = [m for m in wanted if m not in MODULES]
    if unknown:
        ap.error(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(MODULES)}")
    widths = [int(w) for w in args.widths.split(",") if w]
    langs = [lang for lang in args.langs.split(",") if lang]
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"serving {args.home} ...", flush=True)
    proc, url = start_server(Path(args.home), args.out / "serve.log")
    try:
        files = shoot(url, args.out, {m: MODULES[m] for m in wanted}, widths, langs,
                      readme=not args.no_readme and "map" in wanted and 1366 in widths and "en" in langs)
    finally:
        stop(proc)
    print(f"{len(files)} screenshots in {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
