"""Reads of the cluster measures and what the engine says about them: stars and the star tests behind them, the
star thresholds, each region's data quality and headline figures, the SBS/LFS plausibility caveats, and the
measures over several years."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from clusterobs.store.reads.checks import DEFAULT_LEVEL, Checks
from clusterobs.store.reads.sql import (
    MEASURE_COLUMNS,
    MEASURE_COLUMNS_AFTER,
    MEASURE_SORTS,
    NUTS_VERSION,
    measures_from,
    region_name_sql,
)

#: columns of ``cluster_measures`` the history reads when the version has them (``growth_break`` and ``flags`` come
#: with the multi-year SBS panel; an older store reads without them)
OPTIONAL_HISTORY_COLUMNS = ("imputed_share", "coverage", "split_share", "rankable", "growth", "growth_window",
                            "growth_break", "flags")


def missing(value: Any) -> bool:
    """A cell that holds no value (None, NaN, <NA>); False for anything ``pd.isna`` cannot judge."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def ranked_mask(rows: pd.DataFrame) -> pd.Series:
    """The rows a ranking, a top list or a headline may count: employment known, the cell rankable (coverage,
    not split by population) and its region not no-data."""
    ok = rows["employment"].notna()
    if "rankable" in rows.columns:
        ok &= rows["rankable"].fillna(False).astype(bool)
    if "region_no_data" in rows.columns:
        ok &= ~rows["region_no_data"].fillna(False).astype(bool)
    return ok.astype(bool)


def star_values(rows: pd.DataFrame) -> pd.Series:
    """``stars`` as floats, NaN where the cell has none (no data, not rankable): safe to compare and count."""
    return pd.to_numeric(rows["stars"], errors="coerce").astype(float)


class Measures(Checks):
    """The cluster measures with their stars, tests, quality and headlines."""

    def cluster_measures(self, *, year: int, level: int, scheme: str | None = None,
                         regions: Sequence[str] | None = None, categories: Sequence[str] | None = None,
                         country: str | None = None, kind: str | None = None, min_stars: int | None = None,
                         sort: Sequence[tuple[str, bool]] = (), limit: int | None = None,
                         offset: int = 0) -> pd.DataFrame:
        """Cluster measures with the scheme's stars, one row per region × category (× scheme with
        ``scheme=None``), NUTS 2021, in the order of ``sort`` (keys of ``MEASURE_SORTS``, True for descending;
        missing values last), then by region, category and scheme. Empty ``regions``/``categories``: all."""
        body, params = measures_from(year=year, level=level, scheme=scheme, regions=regions, categories=categories,
                                     country=country, kind=kind, min_stars=min_stars)
        order = [f"{MEASURE_SORTS[k]} {'DESC' if desc else 'ASC'} NULLS LAST" for k, desc in sort]
        page = "" if limit is None else f" LIMIT {int(limit)}"
        page += f" OFFSET {int(offset)}" if offset else ""
        return self.df(f"SELECT {MEASURE_COLUMNS}, {self._history_columns}, {MEASURE_COLUMNS_AFTER} {body} "
                       f"ORDER BY {', '.join([*order, 'm.region', 'm.category', 's.scheme'])}{page}", params)

    def cluster_measures_count(self, *, year: int, level: int, scheme: str | None = None,
                               regions: Sequence[str] | None = None, categories: Sequence[str] | None = None,
                               country: str | None = None, kind: str | None = None,
                               min_stars: int | None = None) -> int:
        """How many rows ``cluster_measures`` gives with these filters (without a page)."""
        body, params = measures_from(year=year, level=level, scheme=scheme, regions=regions, categories=categories,
                                     country=country, kind=kind, min_stars=min_stars)
        return int(self.con().execute(f"SELECT count(*) {body}", params).fetchone()[0])

    def measure_cells(self, columns: Sequence[str], *, year: int, level: int,
                      regions: Sequence[str]) -> pd.DataFrame:
        """``region, category`` and ``columns`` of ``cluster_measures`` for the given regions (no stars)."""
        return self.df(f"SELECT region, category, {', '.join(columns)} FROM cluster_measures "
                       "WHERE nuts_version = ? AND level = ? AND year = ? AND list_contains(?, region)",
                       [NUTS_VERSION, level, year, list(regions)])

    def europe_employment(self, *, level: int, year: int) -> pd.Series:
        """Europe's employment per category: the sum over the level's regions (missing cells left out)."""
        df = self.df("SELECT category, sum(employment) AS employment FROM cluster_measures WHERE nuts_version = ? "
                     "AND level = ? AND year = ? GROUP BY category", [NUTS_VERSION, level, year])
        return df.set_index("category")["employment"]

    # ---- stars ------------------------------------------------------------------------------------------------
    def star_tests(self, *, region: str, scheme: str, year: int, level: int,
                   category: str | None = None) -> pd.DataFrame:
        """Every condition of the scheme for every category (or one ``category``) of one region: value,
        threshold, passed, skipped."""
        where, params = "", [scheme, NUTS_VERSION, level, region, year]
        if category is not None:
            where = " AND category = ?"
            params.append(category)
        return self.df(
            "SELECT category, test, condition, measure, op, value, threshold, passed, skipped FROM cluster_star_tests "
            f"WHERE scheme = ? AND nuts_version = ? AND level = ? AND region = ? AND year = ?{where} "
            "ORDER BY category, test, condition", params)

    def star_threshold(self, *, category: str, measure: str, scheme: str, year: int,
                       level: int) -> dict[str, Any] | None:
        """The percentile threshold the scheme's star test applied to ``measure`` for ``category`` (``threshold``,
        ``percentile``, ``pooled``: over every traded cell, not the category's regions), or None when the scheme
        has no percentile test of that measure."""
        conds = self.schemes
        conds = conds[(conds["scheme"] == scheme) & (conds["measure"] == measure) & conds["percentile"].notna()]
        if conds.empty or not self.has("cluster_star_tests"):
            return None
        cond = conds.iloc[0]
        df = self.df("SELECT max(threshold) AS t FROM cluster_star_tests WHERE scheme = ? AND nuts_version = ? AND "
                     "level = ? AND year = ? AND category = ? AND measure = ? AND condition = ?",
                     [scheme, NUTS_VERSION, level, year, category, measure, cond["condition"]])
        if df.empty or missing(df["t"].iloc[0]):
            return None
        pct = float(cond["percentile"])
        return {"threshold": float(df["t"].iloc[0]), "percentile": int(pct) if pct.is_integer() else pct,
                "pooled": bool(cond.get("pooled")) if "pooled" in conds.columns and not missing(cond.get("pooled"))
                else "all cells" in str(cond["condition"])}

    # ---- data quality and headlines ------------------------------------------------------------------------
    def region_quality(self, *, year: int, level: int = DEFAULT_LEVEL) -> pd.DataFrame | None:
        """``region_data_quality`` of one year and level (NUTS 2021): per region, its traded categories with data and
        rankable, split and imputed shares, ``no_data`` and its reason; None when the version has no such table."""
        if not self.has("region_data_quality"):
            return None
        return self.df("SELECT * FROM region_data_quality WHERE nuts_version = ? AND level = ? AND year = ? "
                       "ORDER BY region", [NUTS_VERSION, level, year])

    def region_no_data_years(self, code: str, *, level: int) -> dict[int, bool]:
        """Year → whether the region is no-data that year (``region_data_quality``; empty without the table)."""
        if not self.has("region_data_quality"):
            return {}
        q = self.df("SELECT year, no_data FROM region_data_quality WHERE nuts_version = ? AND level = ? AND region = ?",
                    [NUTS_VERSION, level, code])
        return {int(y): bool(v) for y, v in zip(q["year"], q["no_data"].fillna(False), strict=True)}

    def region_headlines(self, *, scheme: str, year: int, level: int = DEFAULT_LEVEL, kind: str = "traded",
                         region: str | None = None) -> pd.DataFrame | None:
        """The engine's headline figures per region (``region_headlines``: clusters by stars, employment in starred
        clusters and its share, cells ranked and left out, ``no_data``); None when the version has no such table."""
        if not self.has("region_headlines"):
            return None
        where, params = "", [scheme, NUTS_VERSION, level, year, kind]
        if region is not None:
            where = " AND region = ?"
            params.append(region)
        return self.df("SELECT * FROM region_headlines WHERE scheme = ? AND nuts_version = ? AND level = ? "
                       f"AND year = ? AND kind = ?{where} ORDER BY region", params)

    def caveat_rows(self, code: str) -> pd.DataFrame | None:
        """Every row of the SBS/LFS plausibility check (``region_caveats``) of one region, flagged or not, of any
        year; None when the version has no such table."""
        if not self.has("region_caveats"):
            return None
        return self.df("SELECT * FROM region_caveats WHERE region = ?", [code])

    def region_caveats(self, code: str, *, year: int, level: int) -> pd.DataFrame | None:
        """The flagged rows of the SBS/LFS plausibility check (``region_caveats``, an engine stage) for one region:
        ``flag`` is ``high`` or ``low`` (a true boolean is taken as flagged too), with ``sector``, ``sector_name``,
        ``ratio``, ``sbs_missing`` and the engine's ``caveat``; None when the version has no such table."""
        columns = self.columns("region_caveats")
        if not columns or not {"region", "flag", "caveat"} <= columns:
            return None
        where = ["region = ?", "flag IS NOT NULL", "lower(CAST(flag AS VARCHAR)) NOT IN ('false', '0', '')"]
        params: list[Any] = [code]
        for column, value in (("nuts_version", NUTS_VERSION), ("level", level), ("year", year)):
            if column in columns:
                where.append(f"{column} = ?")
                params.append(value)
        order = " ORDER BY sector" if "sector" in columns else ""
        return self.df(f"SELECT * FROM region_caveats WHERE {' AND '.join(where)}{order}", params)

    # ---- several years ----------------------------------------------------------------------------------------
    def history(self, *, years: list[int], level: int = DEFAULT_LEVEL, scheme: str | None = None,
                country: str | None = None, region: str | None = None) -> pd.DataFrame:
        """Cluster measures of several ``years``, one row per region × category × year, with the scheme's stars
        (``scheme=None``: no stars), the region's ``no_data`` that year and ``counts``: the cell has employment,
        is rankable and its region is not no-data (what every headline and growth figure counts). ``stars`` is
        NaN where the cell does not count. Optional columns (``OPTIONAL_HISTORY_COLUMNS``) are read when the
        version has them; ``growth_break`` is False and ``flags`` empty without them."""
        have = self.columns("cluster_measures")
        optional = [c for c in OPTIONAL_HISTORY_COLUMNS if c in have]
        params: list[Any] = []
        stars, join = "NULL AS stars", ""
        if scheme is not None:
            stars = "s.stars"
            join += ("\n LEFT JOIN cluster_stars s ON s.scheme = ? AND s.nuts_version = m.nuts_version "
                     "AND s.level = m.level AND s.region = m.region AND s.category = m.category AND s.year = m.year")
            params.append(scheme)
        no_data = "false AS no_data"
        if self.has("region_data_quality"):
            no_data = "coalesce(q.no_data, false) AS no_data"
            join += ("\n LEFT JOIN region_data_quality q ON q.nuts_version = m.nuts_version AND q.level = m.level "
                     "AND q.region = m.region AND q.year = m.year")
        where = ["m.nuts_version = ?", "m.level = ?", "list_contains(?, m.year)"]
        params += [NUTS_VERSION, level, [int(y) for y in years]]
        for condition, value in (("r.country = ?", country), ("m.region = ?", region)):
            if value is not None:
                where.append(condition)
                params.append(value)
        extra = "".join(f", m.{c}" for c in optional)
        h = self.df(f"SELECT m.region, {region_name_sql()} AS region_name, r.country, m.category, "
                    f"c.name AS category_name, c.kind, m.year, m.employment{extra}, {stars}, {no_data} "
                    "FROM cluster_measures m "
                    "JOIN categories c USING (category) "
                    "LEFT JOIN regions r ON r.code = m.region AND r.nuts_version = m.nuts_version"
                    f"{join} WHERE {' AND '.join(where)} ORDER BY m.region, m.category, m.year", params)
        known = h["employment"].notna()
        h["rankable"] = (h["rankable"].astype("boolean").fillna(False).astype(bool) if "rankable" in h.columns
                         else known) & known
        h["no_data"] = h["no_data"].astype("boolean").fillna(False).astype(bool)
        h["counts"] = h["rankable"] & ~h["no_data"]
        h["stars"] = pd.to_numeric(h["stars"], errors="coerce").astype(float).where(h["counts"])
        h["growth_break"] = (h["growth_break"].astype("boolean").fillna(False).astype(bool)
                             if "growth_break" in h.columns else False)
        h["flags"] = [_flags(f) for f in h["flags"]] if "flags" in h.columns else ""
        for column in ("imputed_share", "coverage", "split_share"):
            h[column] = pd.to_numeric(h[column], errors="coerce") if column in h.columns else float("nan")
        return h


def _flags(value: object) -> str:
    """Eurostat flag letters of a cell (a string such as ``"bp"``, or a list of letters) as one string."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    try:
        return "".join(str(v) for v in value if v is not None)  # type: ignore[union-attr]
    except TypeError:
        return str(value)
