"""Reads of one dataset version shared by the web and the reports (no Django), so that a number in a report is the
number on screen: what the version holds, its regions, geometry and sources, and the cluster measures with their
stars and the star tests behind them.

``VersionReads`` is the base of the web's ``Observatory`` (``clusterobs.web.selectors``, whose selectors validate
parameters and memoize what the pages call) and of the reports' ``ReportData`` (``clusterobs.reports.data``); each
supplies its own read-only DuckDB connection to the version (``con``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import duckdb
import pandas as pd

NUTS_VERSION = 2021


def region_name_sql(alias: str = "r") -> str:
    """SQL for the name a region is shown by: GISCO's national name, or its Latin-script name (``NAME_LATN``) where
    the national name is written in Greek or Cyrillic (Greece, Cyprus, Bulgaria, Serbia, Montenegro, North
    Macedonia), so that every page, chart and report names it in the script of the interface."""
    return (f"CASE WHEN regexp_matches({alias}.name, '\\p{{Greek}}|\\p{{Cyrillic}}') "
            f"THEN coalesce({alias}.name_latn, {alias}.name) ELSE {alias}.name END")


#: the sort keys of ``VersionReads.cluster_measures`` and their columns
MEASURE_SORTS = {"region": "m.region", "category": "m.category", "stars": "s.stars", "employment": "m.employment",
                 "imputed_share": "m.imputed_share", "share_europe": "m.share_europe", "focus": "m.focus",
                 "lq": "m.lq", "growth": "m.growth", "productivity": "m.productivity",
                 "relative_productivity": "m.relative_productivity", "establishments": "m.establishments",
                 "avg_size": "m.avg_size", "coverage": "m.coverage", "growth_yoy": "m.growth_yoy", "wages": "m.wages"}
_MEASURES_FROM = """
    FROM cluster_measures m
    JOIN cluster_stars s USING (nuts_version, level, region, category, year)
    JOIN categories c USING (category)
    LEFT JOIN regions r ON r.code = m.region AND r.nuts_version = m.nuts_version"""
_MEASURE_COLUMNS = """
    m.nuts_version, m.level, m.region, {region_name} AS region_name, r.country, m.category,
    c.name AS category_name, c.kind,
    m.year, s.scheme, s.stars, s.tests_evaluated, s.tests_passed, m.employment, m.imputed_share,
    m.imputed_share > 0 AS imputed, m.coverage, m.split_share, m.rankable, m.caveat, m.share_europe, m.focus, m.lq,
    m.growth, m.growth_window""".format(region_name=region_name_sql("r"))
_MEASURE_COLUMNS_AFTER = "m.productivity, m.relative_productivity, m.establishments, m.avg_size"
#: columns of ``cluster_measures`` added with SBS 2008-2015 (2026-12): NULL when read from an older version
_HISTORY_COLUMNS = {"growth_base_year": "BIGINT", "growth_yoy": "DOUBLE", "growth_break": "BOOLEAN",
                    "flags": "VARCHAR", "wages": "DOUBLE"}


class VersionReads:
    """Reads of one dataset version; a subclass supplies ``con()``, a read-only DuckDB connection to it."""

    def con(self) -> duckdb.DuckDBPyConnection:
        raise NotImplementedError

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con().execute(sql, params or []).df()

    # ---- catalogue ------------------------------------------------------------------------------------------
    @cached_property
    def tables(self) -> set[str]:
        return set(self.df("SELECT name FROM _tables")["name"])

    @cached_property
    def measure_columns(self) -> frozenset[str]:
        """The columns of the version's ``cluster_measures`` (older versions lack those of the SBS history)."""
        return frozenset(self.df("SELECT column_name FROM information_schema.columns "
                                 "WHERE table_name = 'cluster_measures'")["column_name"])

    @cached_property
    def _history_columns(self) -> str:
        have = self.measure_columns
        return ", ".join(f"m.{c}" if c in have else f"CAST(NULL AS {t}) AS {c}" for c, t in _HISTORY_COLUMNS.items())

    def has(self, *names: str) -> bool:
        """Whether the version holds every table named (optional engine stages write some)."""
        return set(names) <= self.tables

    @cached_property
    def meta(self) -> dict[str, Any]:
        df = self.df("SELECT key, value FROM _meta")
        return {k: json.loads(v) for k, v in zip(df["key"], df["value"], strict=True)}

    @cached_property
    def years(self) -> list[int]:
        """The years of the cluster measures (none before ``clusterobs compute``)."""
        if not self.has("cluster_measures"):
            return []
        return [int(y) for y in self.df("SELECT DISTINCT year FROM cluster_measures ORDER BY year")["year"]]

    def years_with(self, measure: str) -> list[int]:
        """The years in which at least one cell of ``cluster_measures`` has a value of ``measure`` (``productivity``,
        ``wages``, ``establishments``, ``growth``…): what a text may claim about the data, read from the data (an
        older version without the column, or a year without any value, is absent)."""
        cache = self.__dict__.setdefault("_years_with", {})
        if measure not in cache:
            if measure not in MEASURE_SORTS or not self.has("cluster_measures"):
                raise ValueError(f"not a measure of cluster_measures: {measure!r}")
            column = MEASURE_SORTS[measure].removeprefix("m.")
            cache[measure] = [] if column not in self.measure_columns else [int(y) for y in self.df(
                f"SELECT DISTINCT year FROM cluster_measures WHERE {column} IS NOT NULL ORDER BY year")["year"]]
        return cache[measure]

    @cached_property
    def schemes(self) -> pd.DataFrame:
        """The star schemes' tests and conditions, with their titles."""
        if not self.has("star_schemes"):
            return pd.DataFrame(columns=["scheme", "title"])
        return self.df("SELECT * FROM star_schemes ORDER BY scheme, test, condition")

    @cached_property
    def regions(self) -> pd.DataFrame:
        """The NUTS 2021 regions: ``name`` in Latin script (``region_name_sql``), ``name_national`` as in GISCO."""
        return self.df(f"SELECT code, {region_name_sql('r')} AS name, name_latn, name AS name_national, level, parent, "
                       "country, has_geometry FROM regions r WHERE nuts_version = ? ORDER BY code", [NUTS_VERSION])

    def nuts3_names(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The NUTS 2016 level-3 regions (``code, name, name_latn, parent``; the mirror has no NUTS 2021 level 3)
        and the JRC 2016→2021 level-2 matrix's pairs (``code_from, code_to``), for the place search."""
        names = self.df("SELECT code, name, name_latn, parent FROM regions WHERE nuts_version = 2016 AND level = 3 "
                        "ORDER BY code")
        pairs = self.df("SELECT DISTINCT code_from, code_to FROM nuts_conversion WHERE from_version = 2016 "
                        "AND to_version = ? AND level = 2", [NUTS_VERSION]) if self.has("nuts_conversion") else \
            pd.DataFrame(columns=["code_from", "code_to"])
        return names, pairs

    @cached_property
    def categories(self) -> pd.DataFrame:
        """The cluster categories, with their data coverage (status, share) when the version holds it."""
        cats = self.df("SELECT category, cmp_code, name, kind, description FROM categories ORDER BY kind, name")
        if self.has("category_data_coverage"):
            cov = self.df("SELECT category, status, coverage_share FROM category_data_coverage "
                          "WHERE nuts_version = ? AND level = 2", [NUTS_VERSION])
            cats = cats.merge(cov, on="category", how="left")
        return cats

    def geojson(self, level: int, *, kind: str = "region", scale: str = "60M") -> dict[str, Any]:
        """The level's NUTS 2021 polygons (or label points, boundaries) as a FeatureCollection, kept per version."""
        key = (level, kind, scale)
        cache = self.__dict__.setdefault("_geo", {})
        if key not in cache:
            rows = self.df("SELECT code, geometry FROM nuts_geometries WHERE nuts_version = ? AND level = ? "
                           "AND kind = ? AND scale = ? ORDER BY code", [NUTS_VERSION, level, kind, scale])
            names = self.regions.set_index("code")["name"].to_dict()
            cache[key] = {"type": "FeatureCollection", "features": [
                {"type": "Feature", "id": r.code, "properties": {"code": r.code, "name": names.get(r.code, r.code)},
                 "geometry": json.loads(r.geometry)} for r in rows.itertuples()]}
        return cache[key]

    def sources(self) -> pd.DataFrame:
        """Every raw file read, with its checksum, address, publisher, licence and citation."""
        return self.df("SELECT source, title, file, sha256, bytes, url, publisher, publisher_url, licence, citation "
                       "FROM sources ORDER BY source, file")

    def citations(self, source_ids: list[str]) -> list[str]:
        """The distinct citations of the given sources, in the order asked (for a chart's source line)."""
        df = self.df("SELECT DISTINCT source, citation FROM sources WHERE list_contains(?, source)", [source_ids])
        by_source = dict(zip(df["source"], df["citation"], strict=True))
        return list(dict.fromkeys(by_source[s] for s in source_ids if by_source.get(s)))

    def indicator_catalogue(self) -> pd.DataFrame:
        """The Eurostat regional indicators: code, table, unit, description (empty when the version has none)."""
        if not self.has("indicator_catalogue"):
            return pd.DataFrame(columns=["indicator", "eurostat_table", "unit", "description"])
        return self.df("SELECT indicator, eurostat_table, unit, description FROM indicator_catalogue")

    # ---- cluster measures and stars -------------------------------------------------------------------------
    def cluster_measures(self, *, year: int, level: int, scheme: str | None = None,
                         regions: Sequence[str] | None = None, categories: Sequence[str] | None = None,
                         country: str | None = None, kind: str | None = None, min_stars: int | None = None,
                         sort: Sequence[tuple[str, bool]] = (), limit: int | None = None,
                         offset: int = 0) -> pd.DataFrame:
        """Cluster measures with the scheme's stars, one row per region × category (× scheme with
        ``scheme=None``), NUTS 2021, in the order of ``sort`` (keys of ``MEASURE_SORTS``, True for descending;
        missing values last), then by region, category and scheme. Empty ``regions``/``categories``: all."""
        body, params = _measures_from(year=year, level=level, scheme=scheme, regions=regions, categories=categories,
                                      country=country, kind=kind, min_stars=min_stars)
        order = [f"{MEASURE_SORTS[k]} {'DESC' if desc else 'ASC'} NULLS LAST" for k, desc in sort]
        page = "" if limit is None else f" LIMIT {int(limit)}"
        page += f" OFFSET {int(offset)}" if offset else ""
        return self.df(f"SELECT {_MEASURE_COLUMNS}, {self._history_columns}, {_MEASURE_COLUMNS_AFTER} {body} "
                       f"ORDER BY {', '.join([*order, 'm.region', 'm.category', 's.scheme'])}{page}", params)

    def cluster_measures_count(self, *, year: int, level: int, scheme: str | None = None,
                               regions: Sequence[str] | None = None, categories: Sequence[str] | None = None,
                               country: str | None = None, kind: str | None = None,
                               min_stars: int | None = None) -> int:
        """How many rows ``cluster_measures`` gives with these filters (without a page)."""
        body, params = _measures_from(year=year, level=level, scheme=scheme, regions=regions, categories=categories,
                                      country=country, kind=kind, min_stars=min_stars)
        return int(self.con().execute(f"SELECT count(*) {body}", params).fetchone()[0])

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


def _measures_from(*, year: int, level: int, scheme: str | None, regions: Sequence[str] | None,
                   categories: Sequence[str] | None, country: str | None, kind: str | None,
                   min_stars: int | None) -> tuple[str, list[Any]]:
    """The FROM and WHERE of ``cluster_measures`` and its parameters."""
    where = ["m.nuts_version = ?", "m.level = ?", "m.year = ?"]
    params: list[Any] = [NUTS_VERSION, level, year]
    # min_stars 0 (or None) keeps every row, also the cells without stars (NULL: not rankable)
    for condition, value in (("s.scheme = ?", scheme), ("s.stars >= ?", min_stars or None), ("r.country = ?", country),
                             ("c.kind = ?", kind)):
        if value is not None:
            where.append(condition)
            params.append(value)
    for column, codes in (("m.region", regions), ("m.category", categories)):
        if codes and len(codes) == 1:
            where.append(f"{column} = ?")
            params.append(codes[0])
        elif codes:
            where.append(f"list_contains(?, {column})")
            params.append(list(codes))
    return f"{_MEASURES_FROM}\n    WHERE {' AND '.join(where)}", params
