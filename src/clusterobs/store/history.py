"""Reads of the years of one dataset version, shared by the web and the reports (no Django): a cluster's measures
and stars year by year, a region's measures over every year, and what pages and reports summarise from them
(the fastest growing and declining clusters, a region's structural change).

The columns the engine added with the 2008-2015 history (``wages``, ``growth_yoy``, ``growth_break``, ``flags``) are
optional: a version computed before them answers NULL for them, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from clusterobs.store.reads import NUTS_VERSION, VersionReads

#: the measure columns of a timeline row, in order; those a version lacks are NULL
TIMELINE_MEASURES = ("employment", "imputed_share", "coverage", "rankable", "caveat", "lq", "focus", "share_europe",
                     "region_total", "productivity", "establishments", "avg_size", "wages", "growth",
                     "growth_window", "growth_yoy", "growth_break", "flags")
#: the columns of ``cluster_measures`` that older versions lack (computed since the SBS 2008-2015 history)
OPTIONAL_COLUMNS = ("wages", "growth_yoy", "growth_break", "flags")
#: a region's rows over the years (``region_history``)
HISTORY_COLUMNS = ("year", "category", "employment", "focus", "region_total", "rankable", "growth", "growth_window",
                   "growth_break", "flags")


def measure_columns(reads: VersionReads) -> frozenset[str]:
    """The columns of the version's ``cluster_measures`` (``VersionReads.measure_columns``, read once per version)."""
    return reads.measure_columns


def _select(reads: VersionReads, columns: Sequence[str], alias: str = "m") -> str:
    have = measure_columns(reads)
    return ", ".join(f"{alias}.{c}" if c in have else f"NULL AS {c}" for c in columns)


def cluster_timeline(reads: VersionReads, *, region: str, category: str, level: int, scheme: str,
                     years: Sequence[int]) -> pd.DataFrame:
    """One row per year of ``years``: the cell's measures and the scheme's stars (``stars``, ``tests_evaluated``,
    ``tests_passed``); a year without a row for the cell is kept with every value NULL and ``in_statistics`` false.
    """
    rows = reads.df(
        f"SELECT m.year, {_select(reads, TIMELINE_MEASURES)}, s.stars, s.tests_evaluated, s.tests_passed "
        "FROM cluster_measures m LEFT JOIN cluster_stars s ON s.scheme = ? AND s.nuts_version = m.nuts_version "
        "AND s.level = m.level AND s.region = m.region AND s.category = m.category AND s.year = m.year "
        "WHERE m.nuts_version = ? AND m.level = ? AND m.region = ? AND m.category = ? ORDER BY m.year",
        [scheme, NUTS_VERSION, level, region, category])
    frame = pd.DataFrame({"year": [int(y) for y in years]})
    out = frame.merge(rows.assign(year=rows["year"].astype(int), in_statistics=True), on="year", how="left")
    out["in_statistics"] = out["in_statistics"].astype("boolean").fillna(False).astype(bool)
    return out


def timeline_stars(reads: VersionReads, *, region: str, category: str, level: int) -> pd.DataFrame:
    """The cell's stars under every scheme, year by year: year, scheme, stars (NULL: not rankable), tests_passed."""
    return reads.df("SELECT year, scheme, stars, tests_passed FROM cluster_stars WHERE nuts_version = ? AND level = ? "
                    "AND region = ? AND category = ? ORDER BY scheme, year", [NUTS_VERSION, level, region, category])


def region_history(reads: VersionReads, *, region: str, level: int) -> pd.DataFrame:
    """Every category of one region in every year (``HISTORY_COLUMNS`` plus the category's ``kind``)."""
    cols = [c for c in HISTORY_COLUMNS if c not in ("year", "category")]
    return reads.df(f"SELECT m.year, m.category, c.kind, {_select(reads, cols)} FROM cluster_measures m "
                    "JOIN categories c USING (category) WHERE m.nuts_version = ? AND m.level = ? AND m.region = ? "
                    "ORDER BY m.year, m.category", [NUTS_VERSION, level, region])


# ---- summaries ------------------------------------------------------------------------------------------------


def growth_leaders(rows: pd.DataFrame, *, n: int = 5, key: str = "category") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` fastest growing (``growth`` above 0, highest first) and fastest declining (below 0, lowest first)
    of ``rows``, ties in the order of ``key``; rows without growth are left out. The caller passes only the cells it
    may rank."""
    have = rows[pd.to_numeric(rows["growth"], errors="coerce").notna()].copy()
    have["growth"] = have["growth"].astype(float)
    growing = have[have["growth"] > 0].sort_values(["growth", key], ascending=[False, True]).head(n)
    declining = have[have["growth"] < 0].sort_values(["growth", key], ascending=[True, True]).head(n)
    return growing.reset_index(drop=True), declining.reset_index(drop=True)


def growth_windows(rows: pd.DataFrame) -> list[tuple[int, int]]:
    """The distinct (base year, year) windows of the rows' ``growth`` (``growth_window`` years before ``year``)."""
    have = rows.dropna(subset=["growth", "growth_window"])
    return sorted({(int(y) - int(w), int(y)) for y, w in zip(have["year"], have["growth_window"], strict=True)})


def structural_change(history: pd.DataFrame, *, kind: str | None = "traded") -> dict[str, Any] | None:
    """Which categories gained or lost share of the region's employment between the first and the last year with
    data: ``focus`` (the category's share of the region's traded employment) in both years and its change.

    ``history``: a region's rows over the years (``region_history``). The years are the first and last in which any
    category of ``kind`` has employment; a category counts when its cell has a focus and is rankable in both years
    (``left_out`` counts the others). None when the region has fewer than two years with data.
    """
    rows = history if kind is None else history[history["kind"] == kind]
    with_data = rows[rows["employment"].notna()]
    if with_data.empty:
        return None
    first, last = int(with_data["year"].min()), int(with_data["year"].max())
    if first == last:
        return None

    def at(year: int) -> pd.DataFrame:
        part = rows[rows["year"] == year]
        ok = part["focus"].notna() & part["rankable"].astype("boolean").fillna(False).astype(bool)
        return part[ok].set_index("category")

    a, b = at(first), at(last)
    both = a.index.intersection(b.index)
    seen = set(rows.loc[rows["year"].isin((first, last)) & rows["employment"].notna(), "category"])
    table = pd.DataFrame({"category": list(both), "share_first": a.loc[both, "focus"].astype(float).to_numpy(),
                          "share_last": b.loc[both, "focus"].astype(float).to_numpy()})
    table["change"] = table["share_last"] - table["share_first"]
    table = table.sort_values(["change", "category"], ascending=[False, True]).reset_index(drop=True)
    return {"first": first, "last": last, "rows": table, "left_out": len(seen - set(both))}


def growth_breaks(reads: VersionReads, *, level: int, year: int, region: str | None = None,
                  category: str | None = None) -> pd.DataFrame:
    """region, category, growth_break and flags of the cells of one year (one region's or one category's); no rows
    when the version has neither column."""
    have = measure_columns(reads)
    if not {"growth_break", "flags"} & have:
        return pd.DataFrame(columns=["region", "category", "growth_break", "flags"])
    where, params = ["nuts_version = ?", "level = ?", "year = ?"], [NUTS_VERSION, level, year]
    for column, value in (("region", region), ("category", category)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return reads.df(f"SELECT region, category, {_select(reads, ('growth_break', 'flags'), alias='cluster_measures')} "
                    f"FROM cluster_measures WHERE {' AND '.join(where)}", params)
