"""What a dataset version holds: its tables and columns, facts, years, star schemes, regions with their geometry,
categories and sources. The base of ``VersionReads``: a subclass supplies ``con()``."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

import duckdb
import pandas as pd

from clusterobs.store.reads.sql import MEASURE_SORTS, NUTS_VERSION, SBS_HISTORY_COLUMNS, region_name_sql


class Catalogue:
    """Reads of one dataset version's catalogue; a subclass supplies ``con()``, a read-only DuckDB connection."""

    def con(self) -> duckdb.DuckDBPyConnection:
        raise NotImplementedError

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con().execute(sql, params or []).df()

    def _kept(self, name: str) -> dict[Any, Any]:
        """A per-version cache of parametrised reads (the version never changes)."""
        return self.__dict__.setdefault(f"_kept_{name}", {})

    # ---- tables and columns ---------------------------------------------------------------------------------
    @cached_property
    def tables(self) -> set[str]:
        return set(self.df("SELECT name FROM _tables")["name"])

    def has(self, *names: str) -> bool:
        """Whether the version holds every table named (optional engine stages write some)."""
        return set(names) <= self.tables

    def columns(self, table: str) -> frozenset[str]:
        """The columns of a table of the version (empty when it has no such table)."""
        cache = self._kept("columns")
        if table not in cache:
            cache[table] = frozenset() if not self.has(table) else frozenset(self.df(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])["column_name"])
        return cache[table]

    @cached_property
    def measure_columns(self) -> frozenset[str]:
        """The columns of the version's ``cluster_measures`` (older versions lack those of the SBS history)."""
        return frozenset(self.df("SELECT column_name FROM information_schema.columns "
                                 "WHERE table_name = 'cluster_measures'")["column_name"])

    @cached_property
    def _history_columns(self) -> str:
        have = self.measure_columns
        return ", ".join(f"m.{c}" if c in have else f"CAST(NULL AS {t}) AS {c}"
                         for c, t in SBS_HISTORY_COLUMNS.items())

    # ---- facts and years ------------------------------------------------------------------------------------
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
        cache = self._kept("years_with")
        if measure not in cache:
            if measure not in MEASURE_SORTS or not self.has("cluster_measures"):
                raise ValueError(f"not a measure of cluster_measures: {measure!r}")
            column = MEASURE_SORTS[measure].removeprefix("m.")
            cache[measure] = [] if column not in self.measure_columns else [int(y) for y in self.df(
                f"SELECT DISTINCT year FROM cluster_measures WHERE {column} IS NOT NULL ORDER BY year")["year"]]
        return cache[measure]

    def coverage_counts(self) -> dict[str, int]:
        """How many NUTS 2 regions have employment in some year and category, and in how many countries."""
        counts = self.df("SELECT count(DISTINCT m.region) AS regions, count(DISTINCT r.country) AS countries "
                         "FROM cluster_measures m JOIN regions r ON r.code = m.region AND r.nuts_version = "
                         "m.nuts_version WHERE m.level = 2 AND m.employment IS NOT NULL").iloc[0]
        return {"regions": int(counts["regions"]), "countries": int(counts["countries"])}

    @cached_property
    def schemes(self) -> pd.DataFrame:
        """The star schemes' tests and conditions, with their titles."""
        if not self.has("star_schemes"):
            return pd.DataFrame(columns=["scheme", "title"])
        return self.df("SELECT * FROM star_schemes ORDER BY scheme, test, condition")

    # ---- regions and their geometry -------------------------------------------------------------------------
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

    def label_points(self, level: int) -> dict[str, tuple[float, float]]:
        """(lon, lat) of each region's label point (GISCO's, NUTS-2 only); other levels: the polygon's bbox centre.
        Kept per version."""
        cache = self.__dict__.setdefault("_points", {})
        if level not in cache:
            rows = self.df("SELECT code, geometry FROM nuts_geometries WHERE nuts_version = ? AND level = ? "
                           "AND kind = 'label' AND scale = '60M'", [NUTS_VERSION, level])
            points = {r.code: tuple(json.loads(r.geometry)["coordinates"][:2]) for r in rows.itertuples()}
            for f in self.geojson(level)["features"]:
                if f["id"] not in points:
                    xs: list[float] = []
                    ys: list[float] = []
                    stack: list[Any] = [f["geometry"]["coordinates"]]
                    while stack:
                        c = stack.pop()
                        if c and isinstance(c[0], (int, float)):
                            xs.append(c[0])
                            ys.append(c[1])
                        else:
                            stack.extend(c)
                    if xs:
                        points[f["id"]] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
            cache[level] = points
        return cache[level]

    # ---- categories -----------------------------------------------------------------------------------------
    @cached_property
    def categories(self) -> pd.DataFrame:
        """The cluster categories, with their data coverage (status, share) when the version holds it."""
        cats = self.df("SELECT category, cmp_code, name, kind, description FROM categories ORDER BY kind, name")
        if self.has("category_data_coverage"):
            cov = self.df("SELECT category, status, coverage_share FROM category_data_coverage "
                          "WHERE nuts_version = ? AND level = 2", [NUTS_VERSION])
            cats = cats.merge(cov, on="category", how="left")
        return cats

    def category_coverage(self, *, level: int) -> pd.DataFrame:
        """Per category: whether the industry data cover it (``covered``, ``partly covered``, ``not covered``)."""
        if not self.has("category_data_coverage"):
            return pd.DataFrame(columns=["category", "status", "coverage_share"])
        return self.df("SELECT category, status, coverage_share FROM category_data_coverage "
                       "WHERE nuts_version = ? AND level = ? ORDER BY category", [NUTS_VERSION, level])

    def category_divisions(self, category: str) -> pd.DataFrame | None:
        """The NACE divisions that feed a category (table ``category_divisions``), largest US employment share
        first; None when the version has no such table."""
        if not self.has("category_divisions"):
            return None
        return self.df("SELECT division, name, weight, classes, division_us_employment, us_employment, "
                       "us_employment_share FROM category_divisions WHERE category = ? "
                       "ORDER BY us_employment_share DESC NULLS LAST, weight DESC, division", [category])

    def division_categories(self) -> pd.DataFrame | None:
        """The (NACE division, category) pairs of the concordance with a weight above 0; None without it."""
        if not self.has("concordance"):
            return None
        return self.df("SELECT DISTINCT industry, category FROM concordance WHERE level = 2 AND weight > 0")

    def nace_names(self) -> pd.Series:
        """NACE code → name."""
        return self.df("SELECT code, name FROM nace").set_index("code")["name"]

    # ---- sources --------------------------------------------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        """Every raw file read, with its checksum, address, publisher, licence and citation."""
        return self.df("SELECT source, title, file, sha256, bytes, url, publisher, publisher_url, licence, citation "
                       "FROM sources ORDER BY source, file")

    def citations(self, source_ids: list[str]) -> list[str]:
        """The distinct citations of the given sources, in the order asked (for a chart's source line)."""
        cache = self._kept("citations")
        key = tuple(source_ids)
        if key not in cache:
            df = self.df("SELECT DISTINCT source, citation FROM sources WHERE list_contains(?, source)",
                         [source_ids])
            by_source = dict(zip(df["source"], df["citation"], strict=True))
            cache[key] = tuple(dict.fromkeys(by_source[s] for s in source_ids if by_source.get(s)))
        return list(cache[key])
