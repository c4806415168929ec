"""Reads for the reports: one dataset version of the store, opened read-only (no Django).

The SQL mirrors the web's selectors (``clusterobs.web.selectors``) so that a number in a report is the number on
screen: the same joins of ``cluster_measures``, ``cluster_stars``, ``categories`` and ``regions`` (NUTS 2021).
Tables written by optional engine stages (linkages, scoreboard, competitiveness sources) are read only when the
version holds them: ``has`` says which.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import duckdb
import pandas as pd

from clusterobs.errors import ClusterobsError
from clusterobs.store import Store

NUTS_VERSION = 2021
DEFAULT_SCHEME = "eco2007"
DEFAULT_LEVEL = 2


class ReportError(ClusterobsError):
    """A report cannot be made: unknown region, scheme or year, or no computed dataset."""


@dataclass
class ReportData:
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

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con().execute(sql, params or []).df()

    # ---- catalogue ------------------------------------------------------------------------------------------
    @cached_property
    def tables(self) -> set[str]:
        return set(self.df("SELECT name FROM _tables")["name"])

    def has(self, *names: str) -> bool:
        return set(names) <= self.tables

    @cached_property
    def meta(self) -> dict[str, Any]:
        df = self.df("SELECT key, value FROM _meta")
        return {k: json.loads(v) for k, v in zip(df["key"], df["value"], strict=True)}

    @cached_property
    def years(self) -> list[int]:
        return [int(y) for y in self.df("SELECT DISTINCT year FROM cluster_measures ORDER BY year")["year"]]

    @cached_property
    def schemes(self) -> pd.DataFrame:
        return self.df("SELECT * FROM star_schemes ORDER BY scheme, test, condition")

    @cached_property
    def regions(self) -> pd.DataFrame:
        return self.df("SELECT code, name, name_latn, level, parent, country, has_geometry FROM regions "
                       "WHERE nuts_version = ? ORDER BY code", [NUTS_VERSION])

    @cached_property
    def categories(self) -> pd.DataFrame:
        return self.df("SELECT category, cmp_code, name, kind FROM categories ORDER BY kind, name")

    def sources(self) -> pd.DataFrame:
        return self.df("SELECT source, title, file, sha256, bytes, url, publisher, licence, citation "
                       "FROM sources ORDER BY source, file")

    def citations(self, source_ids: list[str]) -> list[str]:
        df = self.df("SELECT DISTINCT source, citation FROM sources WHERE list_contains(?, source)", [source_ids])
        by_source = dict(zip(df["source"], df["citation"], strict=True))
        return list(dict.fromkeys(by_source[s] for s in source_ids if by_source.get(s)))

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
        return str(titles.iloc[0]) if len(titles) else scheme

    # ---- cluster measures -----------------------------------------------------------------------------------
    def measures(self, *, scheme: str | None, year: int, level: int = DEFAULT_LEVEL, region: str | None = None,
                 country: str | None = None) -> pd.DataFrame:
        """Cluster measures with the scheme's stars, one row per region × category (as the web's selectors); with
        ``scheme=None``, one row per region × category × scheme."""
        where = ["m.nuts_version = ?", "m.level = ?", "m.year = ?"]
        params: list[Any] = [NUTS_VERSION, level, year]
        if scheme is not None:
            where.append("s.scheme = ?")
            params.append(scheme)
        if region:
            where.append("m.region = ?")
            params.append(region)
        if country:
            where.append("r.country = ?")
            params.append(country)
        return self.df(f"""
            SELECT m.region, r.name AS region_name, r.country, m.category, c.name AS category_name, c.kind, m.year,
                   s.scheme, s.stars, s.tests_passed, m.employment, m.imputed_share, m.share_europe, m.focus, m.lq,
                   m.growth, m.growth_window, m.productivity, m.establishments
            FROM cluster_measures m
            JOIN cluster_stars s USING (nuts_version, level, region, category, year)
            JOIN categories c USING (category)
            LEFT JOIN regions r ON r.code = m.region AND r.nuts_version = m.nuts_version
            WHERE {' AND '.join(where)}
            ORDER BY m.region, m.category, s.scheme""", params)

    def star_tests(self, *, region: str, scheme: str, year: int, level: int) -> pd.DataFrame:
        """Every condition of the scheme for every category of one region: value, threshold, passed, skipped."""
        return self.df(
            "SELECT category, test, condition, measure, op, value, threshold, passed, skipped FROM cluster_star_tests "
            "WHERE scheme = ? AND nuts_version = ? AND level = ? AND region = ? AND year = ? "
            "ORDER BY category, test, condition", [scheme, NUTS_VERSION, level, region, year])

    # ---- geometry -------------------------------------------------------------------------------------------
    def geojson(self, level: int = DEFAULT_LEVEL) -> dict[str, Any]:
        cache = self.__dict__.setdefault("_geo", {})
        if level not in cache:
            rows = self.df("SELECT code, geometry FROM nuts_geometries WHERE nuts_version = ? AND level = ? "
                           "AND kind = 'region' AND scale = '60M' ORDER BY code", [NUTS_VERSION, level])
            names = self.regions.set_index("code")["name"].to_dict()
            cache[level] = {"type": "FeatureCollection", "features": [
                {"type": "Feature", "id": r.code, "properties": {"code": r.code, "name": names.get(r.code, r.code)},
                 "geometry": json.loads(r.geometry)} for r in rows.itertuples()]}
        return cache[level]

    # ---- regional context -----------------------------------------------------------------------------------
    def indicator_catalogue(self) -> pd.DataFrame:
        if not self.has("indicator_catalogue"):
            return pd.DataFrame(columns=["indicator", "eurostat_table", "unit", "description"])
        return self.df("SELECT indicator, eurostat_table, unit, description FROM indicator_catalogue")

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
