"""The chart registry and what every app's charts share.

Every chart of the site is registered by name (``@chart(name, *params)``: from a page ``Query`` to a captioned
figure, ``clusterobs.charts.specs.ChartOut``, through the chart's spec below Django in ``clusterobs.charts.specs``);
each app registers its adapters from its ``AppConfig.ready()`` (``register``),
the pages draw them (``clusterobs.web.pages.chart_slot``) and the image export renders them (``figures``). This
module imports no app: the apps import it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse

from clusterobs.charts.specs import ChartOut, EmptyChart, text
from clusterobs.charts.specs.text import IMPUTED_OUTLINE
from clusterobs.errors import NotFound
from clusterobs.mapping.categories import MIN_CELL_COVERAGE
from clusterobs.web import dataset
from clusterobs.web.labels import T
from clusterobs.web.query import Query

__all__ = ["CHARTS", "CHART_PARAMS", "CHART_PARSERS", "IMPUTED_OUTLINE", "ChartOut", "EmptyChart", "Spec", "build",
           "chart", "filename", "geojson", "no_data_counts", "register", "specs_of", "url"]

Spec = Callable[[Query], ChartOut]
#: every chart of the site, filled by the apps' ``AppConfig.ready()`` (``register``): the site's own charts by
#: the mapping app's, each feature app's by its own
CHARTS: dict[str, Spec] = {}
#: the parameters each chart reads (besides scheme, year and level): its export URL carries them
CHART_PARAMS: dict[str, tuple[str, ...]] = {}
#: charts whose query is parsed by their own function (a feature app's filters), by the image export too
CHART_PARSERS: dict[str, Callable[[Any], Query]] = {}


def chart(name: str, *params: str) -> Callable[[Spec], Spec]:
    """Name a spec and the parameters it reads; ``register`` (from an app's ``ready()``) adds it to ``CHARTS``."""
    def mark(fn: Spec) -> Spec:
        fn.chart = (name, params)  # type: ignore[attr-defined]
        return fn
    return mark


def specs_of(module: ModuleType) -> dict[str, Spec]:
    """The specs a module defines (its ``@chart`` functions), by chart name."""
    return {fn.chart[0]: fn for fn in vars(module).values()
            if callable(fn) and isinstance(getattr(fn, "chart", None), tuple) and getattr(fn, "__module__", None)
            == module.__name__}


def register(module: ModuleType, *, parser: Callable[[Any], Query] | None = None) -> list[str]:
    """Add the specs of ``module`` to ``CHARTS`` (with ``parser``: their query is the app's own); an app calls it
    from ``AppConfig.ready()``. A name registered twice by two modules is an error."""
    specs = specs_of(module)
    for name, fn in specs.items():
        if CHARTS.get(name, fn) is not fn:
            raise ValueError(f"chart {name!r} registered twice: {CHARTS[name].__module__} and {module.__name__}")
        CHARTS[name], CHART_PARAMS[name] = fn, fn.chart[1]  # type: ignore[attr-defined]
        if parser is not None:
            CHART_PARSERS[name] = parser
    return sorted(specs)


def build(name: str, q: Query) -> ChartOut:
    if name not in CHARTS:
        raise NotFound(f"unknown chart {name!r}; charts: {', '.join(sorted(CHARTS))}")
    return CHARTS[name](q)


def filename(name: str, q: Query, *parts: str | None) -> str:
    bits = [name, *(p for p in parts if p), f"nuts{q.level}", q.scheme, str(q.year)]
    return "_".join(bits).replace("/", "-")


def url(view: str, *args: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(view, args=args) + (f"?{query}" if query else "")


def geojson(level: int) -> dict:
    """The NUTS 2021 regions of ``level`` as GeoJSON (the published version's geometry)."""
    return dataset.data().geojson(level)


def no_data_counts(frame: pd.DataFrame) -> list[str]:
    """The notes under a map in the page's language (``charts.specs.text.no_data_counts``)."""
    return text.no_data_counts(T, frame, min_coverage=MIN_CELL_COVERAGE)
