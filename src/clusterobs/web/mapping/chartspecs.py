"""Every chart of the Cluster Mapping Tool's pages, one adapter each: from the page ``Query`` to the chart's spec
below Django (``clusterobs.charts.specs``) and its captioned Plotly figure.

The pages draw these figures in the browser (Plotly.js); ``/api/figures/<name>.png|svg?<page query>`` renders the
same figure on the server with kaleido (``figures.py``), so an exported image is the chart the page showed.
Each spec also returns the numbers drawn (the chart's Table tab), a one-sentence summary (its text alternative),
its notes and a file name that encodes the view.

What a chart draws and says is its spec's (``charts.specs.maps``, ``region_stars``, ``portfolio``, ``sector``,
``compare``); an adapter checks the page's parameters, reads through the tool's selectors (memoized, names in the
active language) and passes the web's translator (``labels.T``), the links to its pages and the file name.
``@chart`` (the kernel's ``chart_registry``) names an adapter; the mapping app's ``AppConfig.ready()`` registers
them (``chart_registry.register``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from clusterobs.charts.specs import ChartOut, EmptyChart, compare, maps, sector
from clusterobs.charts.specs import portfolio as portfolio_spec
from clusterobs.charts.specs.region_stars import region_stars as spec_region_stars
from clusterobs.charts.specs.text import cell_caveat
from clusterobs.charts.specs.text import region_words as quality_words
from clusterobs.mapping.categories import MAX_SPLIT_SHARE, MIN_CELL_COVERAGE
from clusterobs.web.chart_registry import chart, filename, url
from clusterobs.web.labels import T
from clusterobs.web.mapping import selectors
from clusterobs.web.query import Query

# ---- links and words the pages share -----------------------------------------------------------------------------


def region_url(q: Query, code: str) -> str:
    return url("region", code, scheme=q.scheme, year=q.year)


def sector_url(q: Query, category: str, *, level: int | None = None, region: str | None = None) -> str:
    return url("sector", category, scheme=q.scheme, year=q.year, level=q.level if level is None else level,
               region=region)


def cell_words(r: Any) -> str:
    """Why a measure row (a region × category cell) is not ranked, in the page's language ("" when it is)."""
    return cell_caveat(T, getattr(r, "employment", None), getattr(r, "rankable", None), getattr(r, "coverage", None),
                       getattr(r, "split_share", None), min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE)


def region_quality(q: Query, level: int | None = None) -> pd.DataFrame:
    """The version's ``region_data_quality`` at the page's (or ``level``) level and year."""
    return selectors.region_quality(level=q.level if level is None else level, year=q.year)


def region_words(code: str, q: Query, level: int | None = None) -> str:
    """Why a region is no-data at its level (``region_data_quality``), in the page's language ("" when it is not)."""
    return quality_words(T, region_quality(q, level), code, max_split=MAX_SPLIT_SHARE)


# ---- maps ------------------------------------------------------------------------------------------------------


@chart("stars-map")
def stars_map(q: Query) -> ChartOut:
    """Home: the number of three-star traded clusters per region (``charts.specs.maps.stars_map``)."""
    vals = selectors.region_map_values(level=q.level, scheme=q.scheme, year=q.year, min_stars=3)
    return maps.stars_map(T, selectors.data(), values=vals, level=q.level, scheme=q.scheme, year=q.year,
                          quality=region_quality(q), min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE,
                          url=lambda c: region_url(q, c), filename=filename("stars-map", q))


@chart("strength-map", "category", "measure", "classes", "method")
def strength_map(q: Query) -> ChartOut:
    """Module 4: one category on the map, coloured by stars or a measure (``charts.specs.maps.strength_map``)."""
    if not q.category:
        raise selectors.BadParameter("category", "`category` is required for the cluster strength map.")
    cat = selectors.category_get(q.category)
    vals = selectors.region_map_values(level=q.level, category=q.category, scheme=q.scheme, year=q.year,
                                       measure=q.measure)
    return maps.strength_map(T, selectors.data(), category=cat, values=vals, measure=q.measure, level=q.level,
                             scheme=q.scheme, year=q.year, classes=q.classes, method=q.method,
                             quality=region_quality(q), min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE,
                             url=lambda c: region_url(q, c),
                             filename=filename("strength-map", q, q.category, q.measure))


@chart("locator", "region")
def locator(q: Query) -> ChartOut:
    """Where the region is (``charts.specs.maps.locator``)."""
    if not q.region:
        raise selectors.BadParameter("region", "`region` is required for the locator map.")
    return maps.locator(T, selectors.data(), region=selectors.region_get(q.region),
                        filename=filename("locator", q, q.region))


# ---- a region: its stars and its portfolio ----------------------------------------------------------------------


@chart("region-stars", "region")
def region_stars(q: Query) -> ChartOut:
    """Region overview: its starred categories under each scheme (the spec ``charts.specs.region_stars``, which the
    scorecard draws too), with links to the category's page."""
    if not q.region:
        raise selectors.BadParameter("region", "`region` is required for this chart.")
    region = selectors.region_get(q.region)
    level = int(region["level"])
    schemes = list(dict.fromkeys(selectors.data().schemes["scheme"]))
    m = pd.concat([selectors.measures(scheme=scheme, year=q.year, level=level, region=q.region) for scheme in schemes],
                  ignore_index=True)
    m = m.assign(stars=selectors.star_values(m))  # a cell that cannot be ranked has no stars: NaN, drawn as "×"
    head = selectors.region_headline(q.region, scheme=q.scheme, year=q.year)  # the engine's count
    return spec_region_stars(
        T, selectors.data(), region=region, year=q.year, scheme=q.scheme, measures=m,
        min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE,
        starred=head["starred"] if head and not head["no_data"] else 0, no_data_words=region_words(q.region, q, level),
        url=lambda c: sector_url(q, c, level=level, region=q.region), filename=filename("region-stars", q, q.region))


@chart("portfolio", "region")
def portfolio(q: Query) -> ChartOut:
    """The region's portfolio (``charts.specs.portfolio``), with links to the category's page."""
    if not q.region:
        raise selectors.BadParameter("region", "`region` is required for the portfolio chart.")
    region = selectors.region_get(q.region)
    level = int(region["level"])
    every = selectors.region_portfolio(q.region, scheme=q.scheme, year=q.year)["rows"]
    return portfolio_spec.portfolio(
        T, selectors.data(), region=region, rows=every, scheme=q.scheme, year=q.year,
        quality=region_quality(q, level), max_split=MAX_SPLIT_SHARE,
        url=lambda c: sector_url(q, c, level=level, region=q.region), filename=filename("portfolio", q, q.region))


# ---- a category across regions -----------------------------------------------------------------------------------


def _sector(q: Query) -> tuple[dict, pd.DataFrame, str]:
    """The category, its regions' rows and the measure a sector chart draws."""
    if not q.category:
        raise selectors.BadParameter("category", "`category` is required for this chart.")
    cat = selectors.category_get(q.category)
    measure = sector.sector_measure(q.measure)
    rows = selectors.category_regions(q.category, scheme=q.scheme, year=q.year, level=q.level, measure=measure)
    return cat, rows, measure


@chart("sector-top", "category", "measure", "region")
def sector_top(q: Query) -> ChartOut:
    """Data by sector: the top 15 regions of a category by a measure, coloured by stars
    (``charts.specs.sector.sector_top``)."""
    cat, rows, measure = _sector(q)
    return sector.sector_top(T, selectors.data(), category=cat, rows=rows, measure=measure, level=q.level,
                             scheme=q.scheme, year=q.year, min_coverage=MIN_CELL_COVERAGE,
                             url=lambda c: region_url(q, c), filename=filename("sector-top", q, q.category, measure))


@chart("sector-distribution", "category", "measure", "region")
def sector_distribution(q: Query) -> ChartOut:
    """Data by sector: how a measure is distributed across regions, with Europe and the star threshold marked
    (``charts.specs.sector.sector_distribution``)."""
    cat, rows, measure = _sector(q)
    # the engine's threshold (size: p90 of the category's rankable regions; focus under ECO 2007: p90 of every
    # rankable traded cell, categories pooled), as the star tests applied it
    threshold = selectors.star_threshold(category=q.category, measure=measure, scheme=q.scheme, year=q.year,
                                         level=q.level) if measure in ("employment", "focus") else None
    return sector.sector_distribution(T, selectors.data(), category=cat, rows=rows, measure=measure, level=q.level,
                                      scheme=q.scheme, year=q.year, region=q.region, threshold=threshold,
                                      filename=filename("sector-distribution", q, q.category, measure))


# ---- comparison -------------------------------------------------------------------------------------------------


def compare_measures(q: Query) -> pd.DataFrame:
    """The measures of the compared regions, each at its own NUTS level."""
    if not q.regions:
        raise EmptyChart(_("Choose up to 10 regions to compare."))
    regions = [selectors.region_get(c) for c in q.regions]
    frames = []
    for level in sorted({int(r["level"]) for r in regions}):
        codes = [r["code"] for r in regions if int(r["level"]) == level]
        frames.append(selectors.measures(scheme=q.scheme, year=q.year, level=level, regions=codes).assign(
            level=level))
    return pd.concat(frames, ignore_index=True)


def _compare_url(q: Query) -> compare.CategoryUrl:
    return lambda category, level, region: sector_url(q, category, level=level, region=region)


@chart("compare-stars", "regions")
def compare_stars(q: Query) -> ChartOut:
    """The compared regions' starred categories (``charts.specs.compare.compare_stars``)."""
    m = compare_measures(q)
    regions = [selectors.region_get(c) for c in q.regions]
    words = {r["code"]: region_words(r["code"], q, int(r["level"])) for r in regions}
    return compare.compare_stars(T, selectors.data(), regions=regions, measures=m, scheme=q.scheme, year=q.year,
                                 no_data_words=words, min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE,
                                 url=_compare_url(q), filename=filename("compare-stars", q, "-".join(q.regions)))


@chart("compare-measure", "regions", "measure")
def compare_measure(q: Query) -> ChartOut:
    """A measure of the compared regions' leading categories (``charts.specs.compare.compare_measure``)."""
    measure = q.measure if q.measure in compare.COMPARE_MEASURES else "lq"
    m = compare_measures(q)
    return compare.compare_measure(T, selectors.data(), regions=[selectors.region_get(c) for c in q.regions],
                                   measures=m, measure=measure, level=q.level, year=q.year, url=_compare_url(q),
                                   filename=filename("compare-measure", q, "-".join(q.regions), measure))
