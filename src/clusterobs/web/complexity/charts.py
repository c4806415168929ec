"""The complexity charts, registered with the site's chart specs by the app's ``ready()`` (``apps.py``) so that
every one is drawn by the pages and exported as PNG/SVG by ``/api/figures/<name>.png|svg`` with the same query.

Each is an adapter: the page's query, the app's reads (``selectors``) and links, and the chart's spec below Django
(``clusterobs.charts.specs.complexity``) with the web's translator."""

from __future__ import annotations

from clusterobs.charts.specs import complexity as spec
from clusterobs.web import chart_registry, dataset
from clusterobs.web.chart_registry import ChartOut, chart
from clusterobs.web.complexity import selectors as cs
from clusterobs.web.complexity.query import CHART_KEYS
from clusterobs.web.labels import T
from clusterobs.web.query import Query


def _filename(name: str, q: Query, *parts: object) -> str:
    return "_".join(str(p) for p in (name, *parts, f"nuts{q.level}", q.year) if p not in (None, "")).replace("/", "-")


def _region(q: Query) -> dict:
    if not q.region:
        raise dataset.BadParameter("region", "`region` is required for this chart.")
    return dataset.region_get(q.region)


def _sector_url(q: Query) -> spec.Url:
    """A category's page in the page's year."""
    return lambda c: chart_registry.url("sector", c, year=q.year)


@chart("growth-opportunities", *CHART_KEYS["growth-opportunities"])
def growth_opportunities(q: Query) -> ChartOut:
    region = _region(q)
    axis = q.extra.get("y", "pci")
    opportunities = cs.opportunities(q.region, year=q.year)
    return spec.growth_opportunities(T, dataset.data(), region=region, opportunities=opportunities, axis=axis,
                                     year=q.year, level=q.level, url=_sector_url(q),
                                     filename=_filename("growth-opportunities", q, q.region, axis))


@chart("industry-space", *CHART_KEYS["industry-space"])
def industry_space(q: Query) -> ChartOut:
    region = _region(q)
    return spec.industry_space(T, dataset.data(), region=region, space=cs.industry_space(q.region, year=q.year),
                               year=q.year, level=q.level, url=_sector_url(q),
                               filename=_filename("industry-space", q, q.region))


@chart("eci-map", *CHART_KEYS["eci-map"])
def eci_map(q: Query) -> ChartOut:
    return spec.eci_map(T, dataset.data(), rows=cs.eci_regions(level=q.level, year=q.year), level=q.level,
                        year=q.year, url=lambda c: chart_registry.url("complexity:growth", c, year=q.year),
                        filename=_filename("eci-map", q))


@chart("eci-years", *CHART_KEYS["eci-years"])
def eci_years(q: Query) -> ChartOut:
    region = _region(q)
    return spec.eci_years(T, dataset.data(), region=region, rows=cs.eci_series(q.region), level=q.level,
                          filename=_filename("eci-years", q, q.region))
