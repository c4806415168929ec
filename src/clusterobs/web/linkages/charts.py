"""The linkages charts, registered with the site's chart specs by the app's ``ready()`` (``apps.py``) so that every
one is drawn by the pages and exported as PNG/SVG by ``/api/figures/<name>.png|svg`` with the same query.

Each is an adapter: the page's query (the method, the threshold), the app's reads (``selectors``) and links, and the
chart's spec below Django (``clusterobs.charts.specs.linkages``) with the web's translator."""

from __future__ import annotations

from clusterobs.charts.specs import linkages as spec
from clusterobs.mapping.categories import MIN_CELL_COVERAGE
from clusterobs.web import chart_registry, dataset
from clusterobs.web.chart_registry import ChartOut, chart
from clusterobs.web.labels import T
from clusterobs.web.linkages import selectors as ls
from clusterobs.web.linkages.query import CHART_KEYS
from clusterobs.web.query import Query


def method_label(method: str) -> str:
    return spec.method_label(T, method)


def threshold_of(q: Query) -> int:
    return int(q.extra.get("threshold", 90))


def _filename(name: str, q: Query, *parts: object) -> str:
    return "_".join(str(p) for p in (name, *parts, "nuts2", q.year) if p not in (None, "")).replace("/", "-")


@chart("related-network", "category", "method")  # + threshold: the export links come from query.figure_url
def related_network(q: Query) -> ChartOut:
    if not q.category:
        raise dataset.BadParameter("category", "`category` is required for the related-clusters chart.")
    net = ls.related_to(q.category, method=q.method, year=q.year, threshold=threshold_of(q))
    return spec.related_network(
        T, dataset.data(), network=net, method=q.method, year=q.year, threshold=threshold_of(q),
        url=lambda c: chart_registry.url("linkages:related", c, method=q.method, year=q.year,
                                         threshold=threshold_of(q)),
        filename=_filename("related-network", q, q.category, q.method, f"p{threshold_of(q)}"))


@chart("opportunities", *CHART_KEYS["opportunities"])
def opportunities(q: Query) -> ChartOut:
    if not q.region:
        raise dataset.BadParameter("region", "`region` is required for the opportunities chart.")
    region = dataset.region_get(q.region)
    return spec.opportunities(T, dataset.data(), region=region, rows=ls.opportunities(q.region, year=q.year),
                              year=q.year, url=lambda c: chart_registry.url("linkages:related", c, year=q.year),
                              filename=_filename("opportunities", q, q.region))


@chart("emerging-composition", *CHART_KEYS["emerging-composition"])
def emerging_composition(q: Query) -> ChartOut:
    if not q.category:
        raise dataset.BadParameter("category", "`category` is required for this chart.")
    cat = ls.check_emerging(q.category)
    return spec.emerging_composition(T, dataset.data(), category=cat,
                                     composition=ls.emerging_composition(q.category, kind="category"),
                                     url=lambda c: chart_registry.url("sector", c),
                                     filename=_filename("emerging-composition", q, q.category))


@chart("emerging-map", *CHART_KEYS["emerging-map"])
def emerging_map(q: Query) -> ChartOut:
    if not q.category:
        raise dataset.BadParameter("category", "`category` is required for this chart.")
    cat = ls.check_emerging(q.category)
    return spec.emerging_map(T, dataset.data(), category=cat, rows=ls.emerging_regions(q.category, year=q.year),
                             year=q.year, min_coverage=MIN_CELL_COVERAGE,
                             url=lambda c: chart_registry.url("linkages:opportunities", c, year=q.year),
                             filename=_filename("emerging-map", q, q.category))
