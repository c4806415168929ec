"""Reads for the web and the API: one access object over the published store version.

Every page and endpoint goes through these functions (HackSoft "selectors"): a threshold or a
join computed here serves the pages, the API and the exports alike. The store is opened
read-only; a newly published version is picked up on the next request.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings

from clusterobs.errors import ClusterobsError
from clusterobs.store import Store

NUTS_VERSION = 2021
DEFAULT_SCHEME = "eco2007"
DEFAULT_LEVEL = 2
MEASURES = {
    "stars": "Cluster stars",
    "employment": "Employment (persons)",
    "lq": "Location quotient",
    "focus": "Focus (share of the region's traded employment)",
    "share_europe": "Share of Europe's employment in the category",
    "growth": "Employment growth (CAGR)",
    "productivity": "Wages per person employed",
}


class NotFound(ClusterobsError):
    """An unknown region, category or version."""


class BadParameter(ClusterobsError):
    """A query parameter with a value outside its allowed set."""


@dataclass
class Observatory:
    """The published version of one store, opened read-only."""

    home: Path
    version: str
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @cached_property
    def store(self) -> Store:
        return Store(self.home)

    def con(self) -> Any:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self.store.connect(self.version)
            self._local.con = con
        return con

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con().execute(sql, params or []).df()

    @cached_property
    def tables(self) -> set[str]:
        return set(self.df("SELECT name FROM _tables")["name"])

    @cached_property
    def categories(self) -> pd.DataFrame:
        cats = self.df("SELECT category, cmp_code, name, kind, description FROM categories ORDER BY kind, name")
        if "category_data_coverage" in self.tables:
            cov = self.df("SELECT category, status, coverage_share FROM category_data_coverage "
                          "WHERE nuts_version = ? AND level = 2", [NUTS_VERSION])
            cats = cats.merge(cov, on="category", how="left")
        return cats

    @cached_property
    def regions(self) -> pd.DataFrame:
        return self.df("SELECT code, name, name_latn, level, parent, country, has_geometry FROM regions "
                       "WHERE nuts_version = ? ORDER BY code", [NUTS_VERSION])

    @cached_property
    def years(self) -> list[int]:
        if "cluster_measures" not in self.tables:
            return []
        return [int(y) for y in self.df("SELECT DISTINCT year FROM cluster_measures ORDER BY year")["year"]]

    @cached_property
    def schemes(self) -> pd.DataFrame:
        if "star_schemes" not in self.tables:
            return pd.DataFrame(columns=["scheme", "title"])
        return self.df("SELECT * FROM star_schemes ORDER BY scheme, test, condition")

    @cached_property
    def meta(self) -> dict[str, Any]:
        df = self.df("SELECT key, value FROM _meta")
        return {k: json.loads(v) for k, v in zip(df["key"], df["value"], strict=True)}

    def geojson(self, level: int, *, kind: str = "region", scale: str = "60M") -> dict[str, Any]:
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


_lock = threading.Lock()
_current: Observatory | None = None


def data() -> Observatory:
    """The published version; reopened when ``clusterobs ingest``/``compute`` publish a new one."""
    global _current
    home = Path(settings.CLUSTEROBS_HOME)
    version = Store(home).current()
    if version is None:
        raise NotFound(f"no published dataset in {home}: run `clusterobs ingest` and `clusterobs compute`")
    with _lock:
        if _current is None or _current.version != version or _current.home != home:
            _current = Observatory(home=home, version=version)
        return _current


# ---- parameters -------------------------------------------------------------------------------------------


def check_scheme(scheme: str) -> str:
    known = set(data().schemes["scheme"])
    if scheme not in known:
        raise BadParameter(f"`scheme` must be one of {', '.join(sorted(known))}; got {scheme!r}.")
    return scheme


def check_level(level: int) -> int:
    if level not in (0, 1, 2):
        raise BadParameter(f"`level` must be one of 0, 1, 2; got {level}.")
    return level


def check_year(year: int | None) -> int:
    years = data().years
    if not years:
        raise NotFound("no cluster measures: run `clusterobs compute`")
    if year is None:
        return years[-1]
    if year not in years:
        raise BadParameter(f"`year` must be one of {', '.join(map(str, years))}; got {year}.")
    return year


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise BadParameter(f"`measure` must be one of {', '.join(MEASURES)}; got {measure!r}.")
    return measure


# ---- regions and categories --------------------------------------------------------------------------------


def region_get(code: str) -> dict[str, Any]:
    regions = data().regions
    row = regions[regions["code"] == code]
    if row.empty:
        raise NotFound(f"unknown region {code!r} (NUTS {NUTS_VERSION})")
    return row.iloc[0].to_dict()


def region_search(q: str, *, limit: int = 20) -> pd.DataFrame:
    q = q.strip().lower()
    regions = data().regions
    if not q:
        return regions.head(0)
    hit = regions["code"].str.lower().str.startswith(q) | regions["name"].fillna("").str.lower().str.contains(
        q, regex=False) | regions["name_latn"].fillna("").str.lower().str.contains(q, regex=False)
    out = regions[hit].copy()
    out["rank"] = (out["code"].str.lower() != q).astype(int) * 2 + (out["level"] != 2).astype(int)
    return out.sort_values(["rank", "level", "code"]).head(limit).drop(columns="rank")


def category_get(category: str) -> dict[str, Any]:
    cats = data().categories
    row = cats[cats["category"] == category]
    if row.empty:
        raise NotFound(f"unknown category {category!r}")
    return row.iloc[0].to_dict()


def category_list(kind: str | None = None) -> pd.DataFrame:
    cats = data().categories
    if kind:
        if kind not in {"traded", "local", "emerging"}:
            raise BadParameter(f"`kind` must be one of traded, local, emerging; got {kind!r}.")
        cats = cats[cats["kind"] == kind]
    return cats


# ---- cluster measures ---------------------------------------------------------------------------------------


def measures(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
             region: str | None = None, category: str | None = None, min_stars: int = 0,
             regions: list[str] | None = None) -> pd.DataFrame:
    """Cluster measures with the scheme's stars, one row per region × category."""
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    where = ["m.nuts_version = ?", "m.level = ?", "m.year = ?", "s.scheme = ?", "s.stars >= ?"]
    params: list[Any] = [NUTS_VERSION, level, year, scheme, min_stars]
    if region:
        region_get(region)
        where.append("m.region = ?")
        params.append(region)
    if regions:
        where.append("list_contains(?, m.region)")
        params.append(regions)
    if category:
        category_get(category)
        where.append("m.category = ?")
        params.append(category)
    sql = f"""
        SELECT m.region, r.name AS region_name, m.category, c.name AS category_name, c.kind, m.year,
               s.scheme, s.stars, s.tests_passed, m.employment, m.imputed_share, m.share_europe, m.focus, m.lq,
               m.growth, m.growth_window, m.productivity, m.relative_productivity, m.establishments, m.avg_size
        FROM cluster_measures m
        JOIN cluster_stars s USING (nuts_version, level, region, category, year)
        JOIN categories c USING (category)
        LEFT JOIN regions r ON r.code = m.region AND r.nuts_version = m.nuts_version
        WHERE {' AND '.join(where)}
        ORDER BY m.region, m.category"""
    return data().df(sql, params)


def star_tests(*, region: str, category: str, scheme: str = DEFAULT_SCHEME, year: int | None = None,
               level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Why the stars: every condition with its value and threshold."""
    year = check_year(year)
    return data().df(
        "SELECT test, condition, measure, op, value, threshold, passed, skipped FROM cluster_star_tests "
        "WHERE scheme = ? AND nuts_version = ? AND level = ? AND region = ? AND category = ? AND year = ? "
        "ORDER BY test, condition", [check_scheme(scheme), NUTS_VERSION, check_level(level), region, category, year])


def headline(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL) -> dict[str, Any]:
    """Clusters by stars and the share of traded employment in starred traded clusters."""
    m = measures(scheme=scheme, year=year, level=level)
    traded = m[m["kind"] == "traded"]
    by_stars = {int(k): int(v) for k, v in traded["stars"].value_counts().sort_index().items()}
    emp = traded["employment"].sum()
    starred = traded.loc[traded["stars"] > 0, "employment"].sum()
    return {"by_stars": by_stars, "starred_share": float(starred / emp) if emp else None,
            "regions": int(traded["region"].nunique()), "categories": int(traded["category"].nunique()),
            "year": int(m["year"].iloc[0]) if len(m) else None}


def region_context(code: str) -> dict[str, Any]:
    """Regional context from the Eurostat indicators (NUTS 2016 codes; the same code in 2021 when unchanged)."""
    if "regional_indicators" not in data().tables:
        return {}
    df = data().df("""SELECT indicator, year, value FROM regional_indicators WHERE region = ?
                      QUALIFY row_number() OVER (PARTITION BY indicator ORDER BY year DESC) = 1""", [code])
    return {r.indicator: {"value": float(r.value), "year": int(r.year)} for r in df.itertuples()}


def versions() -> list[dict[str, Any]]:
    store = data().store
    return [{"version": v.version, "published": v.published, "created_at": v.meta.get("created_at"),
             "parent_version": v.meta.get("parent_version")} for v in store.versions()]


def sources() -> pd.DataFrame:
    return data().df("SELECT source, title, file, sha256, bytes, url, publisher, publisher_url, licence, citation "
                     "FROM sources ORDER BY source, file")
