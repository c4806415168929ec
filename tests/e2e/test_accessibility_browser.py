"""Accessibility (WCAG 2.1 AA, as the Web Accessibility Directive asks) in a real browser.

axe-core (npm's package, at the version ``scripts/fetch_axe_core.py`` pins, which ``make test`` fetches once into the
virtualenv, checked by sha256; injected into the page) runs once on every
module page, in English and French, at 1366 px and on a 390 px phone, and must find no serious or critical
violation. One browser context per language and width opens the pages one after the other, so the whole check is a
few dozen page loads. Each drawn chart names itself and points at its one-sentence summary (its text alternative,
with the table); Tab reaches the main controls and each shows a visible focus outline.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def _load_fetcher() -> ModuleType:
    """``scripts/fetch_axe_core.py``, which pins axe-core's version and digest and says where it puts the script."""
    spec = importlib.util.spec_from_file_location("fetch_axe_core", Path(__file__).parents[2] / "scripts" /
                                                  "fetch_axe_core.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


AXE = _load_fetcher()
#: npm's axe-core as ``make test`` fetches it (CLUSTEROBS_AXE_JS: another copy of the same script)
AXE_JS = Path(os.environ.get("CLUSTEROBS_AXE_JS") or AXE.script_path())
#: the rules run: WCAG 2.1 A and AA, and axe's best practices
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}

YEAR = 2015
REGION = "DE11"
CATEGORY = "automotive"
#: every module page (the registry profile is added once the example records are loaded)
PAGES = {
    "home": "/",
    "region": f"/regions/{REGION}/?scheme=eco2007&year={YEAR}",
    "portfolio": f"/regions/{REGION}/portfolio/?scheme=eco2007&year={YEAR}",
    "sector": f"/sectors/{CATEGORY}/?scheme=eco2007&year={YEAR}&level=2",
    "map": f"/map/?category={CATEGORY}&measure=stars&scheme=eco2007&year={YEAR}&level=2",
    "compare": f"/compare/?regions={REGION},FR10,ITC4&scheme=eco2007&year={YEAR}",
    "search": "/search/?q=Stuttgart",
    "regions browse": "/regions/",
    "linkages": "/linkages/",
    "scoreboard": "/scoreboard/",
    "reports": "/reports/",
    "assessments": "/self-assessment/",
    "registry": "/registry/organisations/",
    "methodology": "/methodology/",
    # and the pages they lead to
    "cluster": f"/regions/{REGION}/clusters/{CATEGORY}/?scheme=eco2007&year={YEAR}",
    "categories": "/categories/",
    "emerging": "/emerging/",
    "report europe": "/reports/europe/",
    "events": "/registry/events/",
    "sources": "/sources/",
    "help": "/help/",
}
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
BAD = ("serious", "critical")


def _registry_cli(home: Path, command: str) -> None:
    subprocess.run([sys.executable, "-c", "from clusterobs.cli import app; app()", "registry", command,
                    "--home", str(home)], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def examples(computed) -> Iterator[None]:
    """The fictitious example organisations, so that a registry profile page exists; removed afterwards."""
    home = Path(computed[0].home)
    _registry_cli(home, "load-examples")
    yield
    _registry_cli(home, "remove-examples")


def _context(browser, server: Any, outside: Any, lang: str, viewport: dict[str, int]) -> Any:
    ctx = browser.new_context(base_url=server.url, viewport=viewport, service_workers="block",
                              locale="fr-FR" if lang == "fr" else "en-GB")
    ctx.add_cookies([{"name": "django_language", "value": lang, "url": server.url}])

    def route(route):
        if outside.check(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    ctx.route("**/*", route)
    ctx.set_default_timeout(30_000)
    return ctx


def _settle(page) -> None:
    """Wait until every chart of the page is drawn (or has failed)."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('figure.chart[data-plotly]'))"
        ".every((f) => f.classList.contains('drawn') || f.classList.contains('failed'))", timeout=60_000)


@cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"no axe-core at {AXE_JS}: run `python scripts/fetch_axe_core.py` (make test does)")
    data = AXE_JS.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE.SHA256, f"{AXE_JS} is not axe-core {AXE.VERSION}"
    return data.decode()


def _axe(page) -> dict[str, Any]:
    """Inject axe-core into the page's main frame and run it once on the whole document: its results."""
    page.evaluate(_axe_source())
    return page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)


def _describe(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        if v.get("impact") not in BAD:
            continue
        targets = [" ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])[:3]]
        out.append(f"{v['id']} ({v['impact']}, {len(v.get('nodes', []))} nodes): {v['help']} — e.g. {targets}")
    return out


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_module_pages_pass_axe(browser, server, outside, examples, lang: str, width: str) -> None:
    ctx = _context(browser, server, outside, lang, WIDTHS[width])
    page = ctx.new_page()
    found: dict[str, list[str]] = {}
    minor: set[str] = set()  # moderate and minor findings: reported (pytest -s), not failed on
    pages = dict(PAGES)
    page.goto(PAGES["registry"])
    profile = page.locator("a[href^='/registry/organisations/']").filter(has_text="(example)").first
    href = profile.get_attribute("href") if profile.count() else None
    assert href and href.rstrip("/").split("/")[-1].isdigit(), "no example organisation profile is listed"
    pages["registry profile"] = href
    try:
        for name, url in pages.items():
            page.goto(url)
            _settle(page)
            assert page.get_attribute("html", "lang") == lang, f"{name} is not in {lang}"
            results = _axe(page)
            assert results["testEngine"]["version"] == AXE.VERSION, results["testEngine"]
            bad = _describe(results["violations"])
            minor.update(f"{v['id']} ({v['impact']})" for v in results["violations"] if v["impact"] not in BAD)
            if bad:
                found[f"{name} {url}"] = bad
    finally:
        ctx.close()
    print(f"axe-core {lang} {width}: moderate or minor: {sorted(minor) or 'none'}")
    assert not outside.urls, f"requests tried to leave the machine: {outside.urls}"
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(
        f"{page_}:\n  " + "\n  ".join(v) for page_, v in found.items())


def test_charts_name_their_text_alternative(page) -> None:
    """Each drawn chart's figure is named by its title and described by its one-sentence summary (its text
    alternative, with the table of its numbers); the plot itself keeps its keyboard-usable controls."""
    page.goto(PAGES["region"])
    _settle(page)
    charts = page.evaluate("""() => Array.from(document.querySelectorAll('figure.chart[data-plotly]')).map((f) => {
        const text = (attr) => (f.getAttribute(attr) || '').split(' ').filter(Boolean)
            .map((i) => (document.getElementById(i) || {}).textContent || '').join(' ').trim();
        const plot = f.querySelector('.plot');
        return {id: f.id, drawn: f.classList.contains('drawn'), label: text('aria-labelledby'),
                described: text('aria-describedby'), summary: (f.querySelector('.summary') || {}).textContent || '',
                hidden: plot.getAttribute('aria-hidden'), role: plot.getAttribute('role'),
                rows: f.querySelectorAll('.chart-table tbody tr').length};
    })""")
    assert len(charts) >= 2
    for c in charts:
        assert c["drawn"] and c["hidden"] is None and c["role"] is None, c
        assert c["label"], c
        assert c["summary"].strip() and c["described"] == c["summary"].strip(), c
        assert c["rows"] > 0, c


#: the outline drawn by site.css for :focus-visible (3 px solid)
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || el.value || '').trim().slice(0, 40),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: el.matches(':focus-visible')};
}"""


def test_tab_reaches_main_controls_with_visible_focus(page) -> None:
    """From the top of the map page, Tab reaches the skip link, the menu, the search box, the language switch and
    the map's filters, and every stop shows a visible focus outline."""
    page.goto(PAGES["map"])
    _settle(page)
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS_JS)
        if f is None:
            break
        stops.append(f)
    assert stops, "Tab focused nothing"
    missing = [s for s in stops if not (s["visible"] and s["outline"] != "none" and s["width"] >= 2)]
    assert not missing, f"focus without a visible outline: {missing}"
    ids = {s["id"] for s in stops}
    texts = {s["text"] for s in stops}
    assert stops[0]["text"] == "Skip to content"
    assert {"site-search", "language"} <= ids, ids
    assert "Map" in texts and "Compare" in texts
    assert any(s["tag"] == "select" and s["id"] not in ("language",) for s in stops), "no map filter reached"
