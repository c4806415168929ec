"""Selectors of the years: a cluster's timeline, the fastest growing and declining clusters, a region's structural
change.

The reads are ``clusterobs.store.history`` (shared with the reports); here they are validated (one message form, as
``selectors``), joined with what the pages need (display names, no-data regions) and memoized per version.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.store import history
from clusterobs.web.mapping import selectors
from clusterobs.web.mapping.selectors import memoized

#: the columns of a timeline row (API and downloads), in order
TIMELINE_COLUMNS = ["year", "region", "category", "level", "scheme", "in_statistics", "employment", "imputed_share",
                    "coverage", "rankable", "caveat", "region_no_data", "lq", "focus", "share_europe", "stars",
                    "tests_evaluated", "tests_passed", "productivity", "establishments", "avg_size", "wages", "growth",
                    "growth_window", "growth_yoy", "growth_break", "flags"]
#: rows of each "fastest growing / declining" list
LEADERS = 5


def region_level(code: str, level: int | None) -> int:
    """The region's NUTS level; ``level``, when given, must be it."""
    own = int(selectors.region_get(code)["level"])
    if level is not None and selectors.check_level(level) != own:
        raise selectors.BadParameter("level", f"`level` must be {own}, the NUTS level of {code}; got {level}.")
    return own


def _region_no_data(code: str, level: int) -> dict[int, bool]:
    return selectors.data().region_no_data_years(code, level=level)


@memoized
def cluster_timeline(code: str, category: str, *, scheme: str = selectors.DEFAULT_SCHEME,
                     level: int | None = None) -> pd.DataFrame:
    """One row per year of the store for one region × category (``TIMELINE_COLUMNS``): the cell's measures, the
    scheme's stars and tests passed, its Eurostat flags and growth break; a year without the cell has
    ``in_statistics`` false and no values (never zeros)."""
    obs = selectors.dataset(measures=True)
    scheme = selectors.check_scheme(scheme)
    lvl = region_level(code, level)
    selectors.category_get(category)
    rows = history.cluster_timeline(obs, region=code, category=category, level=lvl, scheme=scheme, years=obs.years)
    no_data = _region_no_data(code, lvl)
    rows = rows.assign(region=code, category=category, level=lvl, scheme=scheme,
                       region_no_data=rows["year"].map(lambda y: no_data.get(int(y), False)).astype(bool))
    for col in ("rankable", "growth_break"):
        rows[col] = rows[col].astype("boolean")
    return rows[TIMELINE_COLUMNS]


@memoized
def timeline_stars(code: str, category: str) -> pd.DataFrame:
    """The cell's stars under every scheme year by year (year, scheme, stars, tests_passed)."""
    lvl = region_level(code, None)
    selectors.category_get(category)
    return history.timeline_stars(selectors.dataset(measures=True), region=code, category=category, level=lvl)


def _ranked(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[selectors.ranked_mask(rows)]


def _leaders(rows: pd.DataFrame, key: str) -> dict[str, Any]:
    growing, declining = history.growth_leaders(rows, n=LEADERS, key=key)
    return {"growing": growing, "declining": declining, "windows": history.growth_windows(rows),
            "ranked": len(rows), "with_growth": int(rows["growth"].notna().sum())}


@memoized
def region_growth_leaders(code: str, *, year: int | None = None) -> dict[str, Any]:
    """A region's fastest growing and declining traded clusters in ``year`` by ``growth`` (the compound annual
    growth over the window ending that year), among the cells that can be ranked; with the windows used."""
    lvl = region_level(code, None)
    year = selectors.check_year(year)
    rows = history.region_history(selectors.dataset(measures=True), region=code, level=lvl)
    rows = rows[(rows["year"] == year) & (rows["kind"] == "traded")].assign(region=code)
    excluded = set(selectors.no_data_regions(level=lvl, year=year))
    rows = selectors.named(rows.assign(region_no_data=code in excluded, category_name=rows["category"]))
    return {"year": year, **_leaders(_ranked(rows), "category")}


@memoized
def category_growth_leaders(category: str, *, year: int | None = None, level: int = selectors.DEFAULT_LEVEL,
                            scheme: str = selectors.DEFAULT_SCHEME) -> dict[str, Any]:
    """One category's fastest growing and declining regions in ``year`` by ``growth``, among the cells that can be
    ranked (outside the no-data regions); with the windows used and each cell's growth break."""
    year = selectors.check_year(year)
    rows = selectors.category_regions(category, scheme=scheme, year=year, level=level, measure="growth")
    breaks = history.growth_breaks(selectors.data(), level=selectors.check_level(level), year=year, category=category)
    rows = rows.drop(columns=["growth_break", "flags"], errors="ignore")  # the measures read carries them too
    rows = rows.merge(breaks[["region", "growth_break", "flags"]], on="region", how="left") if len(breaks) else \
        rows.assign(growth_break=pd.NA, flags=None)
    return {"year": year, **_leaders(_ranked(rows), "region")}


@memoized
def region_structural_change(code: str) -> dict[str, Any] | None:
    """Which traded categories gained or lost share of the region's traded employment between the first and the
    last year with data (``history.structural_change``), with display names; None with fewer than two years."""
    lvl = region_level(code, None)
    rows = history.region_history(selectors.dataset(measures=True), region=code, level=lvl)
    change = history.structural_change(rows)
    if change is None:
        return None
    table = selectors.named(change["rows"].assign(category_name=change["rows"]["category"]))
    return {**change, "rows": table, "gained": table[table["change"] > 0].head(LEADERS),
            "lost": table[table["change"] < 0].sort_values(["change", "category"]).head(LEADERS)}
