"""Reads for the reports: one dataset version of the store, opened read-only (no Django).

The reads the web shows too (catalogue, regions, geometry, sources, cluster measures with their stars, star tests)
come from ``clusterobs.store.reads.VersionReads``, the base of the web's ``Observatory`` as well, so that a number in
a report is the number on screen; here only what the reports alone read. Tables written by optional engine stages
(linkages, scoreboard, competitiveness sources) are read only when the version holds them: ``has`` says which.

What the engine says about the trust in each number is read here too: a cell's ``coverage``, ``split_share``,
``rankable`` and ``caveat`` (``cluster_measures``), a region's ``region_data_quality`` (no-data regions and why), the
headline figures computed once by the engine (``region_headlines``, ``clusterobs.mapping.headlines``) and, when the
version holds it, the SBS/LFS plausibility check ``region_caveats``. A dataset computed before them reads as if every
cell with employment could be ranked.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from clusterobs.errors import ClusterobsError
from clusterobs.reports import i18n
from clusterobs.reports.history import shared_pairs
from clusterobs.store import Store
from clusterobs.store.reads import NUTS_VERSION, VersionReads, region_name_sql

DEFAULT_SCHEME = "eco2007"
DEFAULT_LEVEL = 2
#: what ``cluster_measures`` says about the trust in a cell (added to the shared read when it does not give them)
QUALITY_COLUMNS = ("coverage", "split_share", "rankable", "caveat")
#: columns of ``cluster_measures`` the history reads when the version has them (``growth_break`` and ``flags`` come
#: with the multi-year SBS panel; an older store reads without them)
HISTORY_COLUMNS = ("imputed_share", "coverage", "split_share", "rankable", "growth", "growth_window", "growth_break",
                   "flags")


class ReportError(ClusterobsError):
    """A report cannot be made: unknown region, scheme or year, or no computed dataset."""


@dataclass
class ReportData(VersionReads):
    """The tables of one dataset version that the reports draw from."""

    store: Store
    version: str
    _con: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)

    @classmethod
    def open(cls, store: Store, version: str | None = None) -> ReportData:
        version = version or store.current()
        if version is None:
            raise ReportError(f"no published dataset in {store.home}: run `clusterobs ingest` and "
                              "`clusterobs compute`")
        data = cls(store, version)
        if not {"cluster_measures", "cluster_stars", "star_schemes"} <= data.tables:
            raise ReportError(f"dataset {version} has no cluster measures: run `clusterobs compute`")
        return data

    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self.store.connect(self.version)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
            self._con = None

    # ---- parameters -----------------------------------------------------------------------------------------
    def check_scheme(self, scheme: str) -> str:
        known = sorted(set(self.schemes["scheme"]))
        if scheme not in known:
            raise ReportError(f"`scheme` must be one of {', '.join(known)}; got {scheme!r}.")
        return scheme

    def check_year(self, year: int | None) -> int:
        if not self.years:
            raise ReportError("no cluster measures: run `clusterobs compute`")
        if year is None:
            return self.years[-1]
        if year not in self.years:
            raise ReportError(f"`year` must be one of {', '.join(map(str, self.years))}; got {year}.")
        return year

    def region(self, code: str) -> dict[str, Any]:
        row = self.regions[self.regions["code"] == code]
        if row.empty:
            raise ReportError(f"unknown region {code!r} (NUTS {NUTS_VERSION})")
        return row.iloc[0].to_dict()

    def country_name(self, country: str) -> str:
        row = self.regions[(self.regions["code"] == country) & (self.regions["level"] == 0)]
        if row.empty:
            raise ReportError(f"unknown country {country!r}: a NUTS country code such as DE, FR or EL")
        return str(row["name"].iloc[0])

    def scheme_title(self, scheme: str) -> str:
        titles = self.schemes.loc[self.schemes["scheme"] == scheme, "title"]
        return i18n.gettext_data(titles.iloc[0]) if len(titles) else scheme

    # ---- cluster measures -----------------------------------------------------------------------------------
    def measures(self, *, scheme: str | None, year: int, level: int = DEFAULT_LEVEL, region: str | None = None,
                 country: str | None = None) -> pd.DataFrame:
        """Cluster measures with the scheme's stars, one row per region × category (``cluster_measures``, the web's
        read); with ``scheme=None``, one row per region × category × scheme."""
        m = self.cluster_measures(scheme=scheme, year=year, level=level, regions=[region] if region else None,
                                  country=country)
        return self._with_quality(m, year=year, level=level)

    def _columns(self, table: str) -> set[str]:
        if not self.has(table):
            return set()
        return set(self.df("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                           [table])["column_name"])

    def _with_quality(self, m: pd.DataFrame, *, year: int, level: int) -> pd.DataFrame:
        """``m`` with ``coverage``, ``split_share``, ``rankable`` (bool) and ``caveat``, and ``stars`` a float that
        is NaN where the cell cannot be ranked (no employment, coverage below the threshold, a region split by
        population): such a cell has no stars, never 0."""
        missing = [c for c in QUALITY_COLUMNS if c not in m.columns]
        if missing and set(missing) <= self._columns("cluster_measures") and len(m):
            q = self.df(f"SELECT region, category, {', '.join(missing)} FROM cluster_measures "
                        "WHERE nuts_version = ? AND level = ? AND year = ? AND list_contains(?, region)",
                        [NUTS_VERSION, level, year, sorted(set(m["region"]))])
            m = m.merge(q, on=["region", "category"], how="left")
        m = m.copy()
        known = m["employment"].notna()
        if "rankable" not in m.columns:  # a dataset computed before the engine said which cells can be ranked
            m["rankable"] = known
        m["rankable"] = m["rankable"].astype("boolean").fillna(False).astype(bool) & known
        for column, default in (("coverage", float("nan")), ("split_share", 0.0)):
            m[column] = pd.to_numeric(m[column], errors="coerce") if column in m.columns else default
        if "caveat" not in m.columns:
            m["caveat"] = None
        m["stars"] = pd.to_numeric(m["stars"], errors="coerce").astype(float).where(m["rankable"])
        return m

    def quality(self, *, year: int, level: int = DEFAULT_LEVEL) -> pd.DataFrame | None:
        """``region_data_quality`` of one year and level (NUTS 2021): per region, its traded categories with data and
        rankable, split and imputed shares, ``no_data`` and its reason; None when the version has no such table."""
        if not self.has("region_data_quality"):
            return None
        return self.df("SELECT * FROM region_data_quality WHERE nuts_version = ? AND level = ? AND year = ? "
                       "ORDER BY region", [NUTS_VERSION, level, year])

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

    def region_caveats(self, code: str, *, year: int, level: int) -> pd.DataFrame | None:
        """The flagged rows of the SBS/LFS plausibility check (``region_caveats``, an engine stage) for one region:
        ``flag`` is ``high`` or ``low`` (a true boolean is taken as flagged too), with ``sector``, ``sector_name``,
        ``ratio``, ``sbs_missing`` and the engine's ``caveat``; None when the version has no such table."""
        columns = self._columns("region_caveats")
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

    # ---- history ------------------------------------------------------------------------------------------
    def history(self, *, years: list[int], level: int = DEFAULT_LEVEL, scheme: str | None = None,
                country: str | None = None, region: str | None = None) -> pd.DataFrame:
        """Cluster measures of several ``years``, one row per region × category × year, with the scheme's stars
        (``scheme=None``: no stars), the region's ``no_data`` that year and ``counts``: the cell has employment,
        is rankable and its region is not no-data (what every headline and growth figure counts). ``stars`` is
        NaN where the cell does not count. Optional columns (``HISTORY_COLUMNS``) are read when the version has
        them; ``growth_break`` is False and ``flags`` empty without them."""
        have = self._columns("cluster_measures")
        optional = [c for c in HISTORY_COLUMNS if c in have]
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

    def relatedness_pairs(self, *, year: int | None = None, level: int = DEFAULT_LEVEL
                          ) -> tuple[str, pd.DataFrame] | None:
        """The relatedness of every unordered pair of traded categories and whether the linkages stage lists it as
        related (``relatedness`` and ``related_pairs``): the US Cluster Mapping score (``uscmp``, input-output,
        occupation and co-location in the US: independent of the European employment data) when the version holds
        it, else European co-location of ``year``. (method, frame of category_i < category_j, value, related); None
        when the version has no linkages."""
        if not self.has("relatedness", "related_pairs"):
            return None
        for method, where, params in (("uscmp", "method = 'uscmp'", []),
                                      ("colocation_share", "method = 'colocation_share' AND nuts_version = ? "
                                       "AND level = ? AND year = ?", [NUTS_VERSION, level, year])):
            rel = self.df(f"SELECT category_i, category_j, value FROM relatedness WHERE {where} "
                          "AND category_i < category_j AND value IS NOT NULL", params)
            if len(rel):
                pairs = self.df(f"SELECT least(category_i, category_j) AS category_i, greatest(category_i, "
                                f"category_j) AS category_j FROM related_pairs WHERE {where}", params)
                related = set(zip(pairs["category_i"], pairs["category_j"], strict=True))
                rel["related"] = [(i, j) in related for i, j in zip(rel["category_i"], rel["category_j"],
                                                                     strict=True)]
                return method, rel
        return None

    def division_pairs(self) -> set[tuple[str, str]]:
        """The unordered pairs of categories (category_i < category_j) that share a NACE division: both have a
        weight above 0 on the same level-2 code of ``concordance``. Their employment is partly the same industries'
        employment, so their series move together by construction (empty when the version has no concordance)."""
        if not self.has("concordance"):
            return set()
        div = self.df("SELECT DISTINCT industry, category FROM concordance WHERE level = 2 AND weight > 0")
        return shared_pairs(div)

    # ---- regional context -----------------------------------------------------------------------------------
    def indicator_values(self, indicator: str, *, year: int | None = None) -> tuple[pd.DataFrame, int | None]:
        """``regional_indicators`` for one indicator: (region, value) in ``year`` or the year closest to it with
        the most regions (NUTS 2016 codes); returns the frame and the year used."""
        if not self.has("regional_indicators"):
            return pd.DataFrame(columns=["region", "value"]), None
        counts = self.df("SELECT year, count(*) AS n FROM regional_indicators WHERE indicator = ? GROUP BY year",
                         [indicator])
        if counts.empty:
            return pd.DataFrame(columns=["region", "value"]), None
        if year is not None and year in set(counts["year"]):
            used = year
        else:
            target = year if year is not None else int(counts["year"].max())
            counts["gap"] = (counts["year"] - target).abs()
            used = int(counts.sort_values(["gap", "n", "year"], ascending=[True, False, False])["year"].iloc[0])
        df = self.df("SELECT region, value FROM regional_indicators WHERE indicator = ? AND year = ?",
                     [indicator, used])
        return df, used

    def region_indicators(self, code: str) -> pd.DataFrame:
        """Every year of every regional indicator of one region (NUTS 2016 code = the 2021 code when unchanged)."""
        if not self.has("regional_indicators"):
            return pd.DataFrame(columns=["indicator", "year", "value"])
        return self.df("SELECT indicator, year, value FROM regional_indicators WHERE region = ? "
                       "ORDER BY indicator, year", [code])

    def lfs_employment(self, code: str) -> pd.DataFrame:
        """LFS employment of one region (NUTS 2021, converted where needed) by activity aggregate and year."""
        if not self.has("lfs_employment"):
            return pd.DataFrame(columns=["sector", "label", "year", "value", "converted"])
        label = "coalesce(t.name, e.sector)" if self.has("lfs_sectors") else "e.sector"
        join = "LEFT JOIN lfs_sectors t USING (sector)" if self.has("lfs_sectors") else ""
        return self.df(f"SELECT e.sector, {label} AS label, e.year, e.value, e.converted FROM lfs_employment e "
                       f"{join} WHERE e.region = ? AND e.nuts_version = ? ORDER BY e.sector, e.year",
                       [code, NUTS_VERSION])

    def optional(self, name: str, sql: str, params: list[Any] | None = None) -> pd.DataFrame | None:
        """Rows of an optional table, or None when the version does not hold it."""
        if not self.has(name):
            return None
        return self.df(sql, params)


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
