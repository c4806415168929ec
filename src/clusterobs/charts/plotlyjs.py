"""Which plotly.js bundle draws a set of figures: the smallest of Plotly's own builds that has every trace type.

The full ``plotly.min.js`` shipped inside the ``plotly`` Python package (4.6 MB) takes about 0.8 s of script
evaluation in headless Chromium on a 2-core machine before a chart can be drawn, most of it registering trace
types a page never uses. Plotly publishes prebuilt partial bundles of the same release on npm; two of them,
vendored unchanged in ``charts/bundles/`` (see its ``MANIFEST.json``, refreshed by
``python -m clusterobs.charts.plotlyjs_vendor``), cover most charts:

* ``basic`` (bar, pie, scatter; 1.2 MB, ~0.15 s): portfolio, sector, comparison, linkages pages, the scorecard;
* ``map`` (choroplethmap, densitymap, scatter, scattermap; 3.0 MB, ~0.45 s): the map and region pages;
* anything else (a radar's ``scatterpolar``, a map beside a bar chart) takes the full bundle.

Users: the web pages (the ``plotly_script`` template tag; the web serves the folder as ``/static/plotly-bundles/``)
and the kaleido browser of ``reports.images`` (a scorecard's charts are drawn with ``basic``). A partial bundle is
used only when its version is the plotly.js version the Python package writes figures for (a plotly upgrade
without re-vendoring falls back to the full bundle). No Django here.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import plotly.offline

log = logging.getLogger(__name__)

VENDOR_DIR = Path(__file__).resolve().parent / "bundles"
#: where the web serves ``VENDOR_DIR`` (``settings.STATICFILES_DIRS``)
STATIC_PREFIX = "plotly-bundles"
MANIFEST = VENDOR_DIR / "MANIFEST.json"
FULL_PATH = "plotly/plotly.min.js"
#: Plotly's partial bundles we vendor, smallest first, with the trace types each registers (plotly.js dist/README)
PARTIAL: dict[str, frozenset[str]] = {
    "basic": frozenset({"bar", "pie", "scatter"}),
    "map": frozenset({"choroplethmap", "densitymap", "scatter", "scattermap"}),
}
BANNER = re.compile(r"plotly\.js(?: \((?P<name>[a-z0-9]+) - minified\))? v(?P<version>\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Bundle:
    """A plotly.js build: its name, its static path, its file and the trace types it draws (None: all of them)."""

    name: str
    path: str
    file: Path
    traces: frozenset[str] | None

    def covers(self, types: Iterable[str]) -> bool:
        return self.traces is None or set(types) <= self.traces


FULL = Bundle("full", FULL_PATH, Path(plotly.offline.__file__).resolve().parents[1] / "package_data" / "plotly.min.js",
              None)


def trace_types(figure: Any) -> frozenset[str]:
    """The trace types of a Plotly figure (a ``go.Figure`` or its dict); a trace without a type is a scatter."""
    data = figure.get("data", []) if isinstance(figure, Mapping) else figure.data
    return frozenset((t.get("type") if isinstance(t, Mapping) else t.type) or "scatter" for t in data)


def banner_version(path: Path) -> tuple[str | None, str | None]:
    """(bundle name, version) from a plotly.js file's licence banner; (None, None) when it has none."""
    with path.open("r", encoding="utf-8", errors="replace") as f:
        head = f.read(400)
    m = BANNER.search(head)
    return (m["name"], m["version"]) if m else (None, None)


@cache
def available() -> tuple[Bundle, ...]:
    """The vendored partial bundles usable with this plotly package, smallest first (empty: only the full one)."""
    wanted = plotly.offline.get_plotlyjs_version()
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("no usable %s (%s): every chart page loads the full plotly.js", MANIFEST, exc)
        return ()
    if manifest.get("version") != wanted:
        log.warning("vendored plotly.js bundles are %s but the plotly package writes figures for %s: every chart "
                    "page loads the full plotly.js (python -m clusterobs.charts.plotlyjs_vendor updates them)",
                    manifest.get("version"), wanted)
        return ()
    out = []
    for name, traces in PARTIAL.items():
        file = manifest.get("files", {}).get(name)
        if file and (VENDOR_DIR / file["name"]).is_file():
            out.append(Bundle(name, f"{STATIC_PREFIX}/{file['name']}", VENDOR_DIR / file["name"], traces))
    return tuple(out)


def by_name(name: str) -> Bundle:
    """The usable bundle called ``name``; the full bundle for "full" or a partial one that cannot be used."""
    return next((b for b in available() if b.name == name), FULL)


def bundle_for(types: Iterable[str]) -> Bundle:
    """The smallest usable bundle that draws every one of ``types``; the full bundle when none does."""
    need = set(types)
    return next((b for b in available() if b.covers(need)), FULL)


def chart_slots(value: Any, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    """Drawn chart slots (dicts with the figure ``json`` and ``png``/``svg`` links) in a template context value."""
    if depth > 4:
        return
    if isinstance(value, Mapping):
        if "json" in value and "png" in value:
            yield value
            return
        for v in value.values():
            yield from chart_slots(v, depth + 1)
    elif isinstance(value, list | tuple):  # lists of slots or of sections; a table's rows are not looked into
        for v in value:
            if isinstance(v, Mapping):
                yield from chart_slots(v, depth + 1)


def bundle_for_slots(slots: Iterable[Mapping[str, Any]]) -> Bundle | None:
    """The bundle for a page's chart slots; None when no chart on it is drawn in the browser.

    A slot that does not list its ``traces`` could hold anything: the page then takes the full bundle."""
    need: set[str] = set()
    drawn = False
    for slot in slots:
        if not slot.get("json"):
            continue
        drawn = True
        traces = slot.get("traces")
        if traces is None:
            return FULL
        need.update(traces)
    return bundle_for(need) if drawn else None
