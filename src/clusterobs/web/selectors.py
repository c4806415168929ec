"""Reads for the web and the API: one access object over the published store version.

Every page and endpoint goes through these functions (HackSoft "selectors"): a threshold or a
join computed here serves the pages, the API and the exports alike. The store is opened
read-only; a newly published version is picked up on the next request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from django.conf import settings

from clusterobs.errors import ClusterobsError
from clusterobs.store import Store
from clusterobs.store.reads import MEASURE_SORTS, NUTS_VERSION, VersionReads
from clusterobs.web.cache import Memo, freeze

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


#: entries and rough bytes kept per version in ``Observatory.memo`` (selector results and chart slots)
MEMO_SIZE = 1024
MEMO_BYTES = 256 * 2**20
T = TypeVar("T")


class NotFound(ClusterobsError):
    """An unknown region, category or version."""


class BadParameter(ClusterobsError):
    """A query parameter with a value outside its allowed set."""


@dataclass
class Observatory(VersionReads):
    """The published version of one store, opened read-only; its reads (``VersionReads``) are the reports' too."""

    home: Path
    version: str
    _local: threading.local = field(default_factory=threading.local, repr=False)
    #: computed reads of this version (``memoized`` selectors, chart slots): valid as long as the version is
    memo: Memo = field(default_factory=lambda: Memo(MEMO_SIZE, MEMO_BYTES), repr=False)

    @cached_property
    def store(self) -> Store:
        return Store(self.home)

    def con(self) -> Any:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self.store.connect(self.version)
            self._local.con = con
        return con


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


def memoized(fn: Callable[..., T]) -> Callable[..., T]:
    """Keep a selector's results in the published version's memo, keyed by its name and arguments.

    Only for selectors that depend on nothing but their arguments and the version (no request, no language):
    a new version starts with an empty memo. Errors (bad parameter, unknown code) are not kept.
    """
    name = fn.__qualname__

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        return data().memo.get((name, freeze(args), freeze(kwargs)), lambda: fn(*args, **kwargs))

    return wrapper


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


@memoized
def measures(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
             region: str | None = None, category: str | None = None, min_stars: int = 0,
             regions: list[str] | None = None) -> pd.DataFrame:
    """Cluster measures with the scheme's stars, one row per region × category (``VersionReads.cluster_measures``);
    ``region`` is one region, ``regions`` several."""
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    if region:
        region_get(region)
    if category:
        category_get(category)
    return data().cluster_measures(scheme=scheme, year=year, level=level, min_stars=min_stars,
                                   regions=[region] if region else regions,
                                   categories=[category] if category else None)


@memoized
def star_tests(*, region: str, category: str, scheme: str = DEFAULT_SCHEME, year: int | None = None,
               level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Why the stars: every condition with its value and threshold."""
    return data().star_tests(region=region, category=category, year=check_year(year), scheme=check_scheme(scheme),
                             level=check_level(level)).drop(columns="category")


@memoized
def headline(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL) -> dict[str, Any]:
    """Traded clusters by stars, and the share of traded employment in starred traded clusters.

    A region × category cell without employment (missing or confidential in the source) is no data: it is left
    out of ``by_stars`` (never counted as 0 stars) and counted in ``no_data``.
    """
    m = measures(scheme=scheme, year=year, level=level)
    traded = m[m["kind"] == "traded"]
    have = traded[traded["employment"].notna()]
    by_stars = {int(k): int(v) for k, v in have["stars"].value_counts().sort_index().items()}
    emp = have["employment"].sum()
    starred = have.loc[have["stars"] > 0, "employment"].sum()
    return {"by_stars": by_stars, "starred_share": float(starred / emp) if emp else None,
            "clusters": len(have), "no_data": len(traded) - len(have),
            "regions": int(have["region"].nunique()), "categories": int(have["category"].nunique()),
            "year": int(m["year"].iloc[0]) if len(m) else None}


@memoized
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


@memoized
def sources() -> pd.DataFrame:
    return data().sources()


# ---- API reads: lists, profiles, portfolios, maps (also usable by pages) -------------------------------------
# Messages keep the one form "`parameter` must be …; got …": the API names the parameter from it.


class NoDataset(ClusterobsError):
    """No dataset version is published, or the published one has no cluster measures (the API answers 503)."""


KINDS = ("traded", "local", "emerging")
MAX_CODES = 100


def published_version() -> str | None:
    """The published version id, or None before the first ingest (reads ``current.json`` only)."""
    return Store(Path(settings.CLUSTEROBS_HOME)).current()


def dataset(*, measures: bool = False) -> Observatory:
    """The published version; ``NoDataset`` when there is none (or, with ``measures``, when it is not computed)."""
    if published_version() is None:
        raise NoDataset(f"no dataset is published in {settings.CLUSTEROBS_HOME}: "
                        "run `clusterobs ingest` and `clusterobs compute`")
    obs = data()
    if measures and not {"cluster_measures", "cluster_stars"} <= obs.tables:
        raise NoDataset(f"dataset {obs.version} has no cluster measures: run `clusterobs compute`")
    return obs


def check_kind(kind: str | None) -> str | None:
    if kind is not None and kind not in KINDS:
        raise BadParameter(f"`kind` must be one of {', '.join(KINDS)}; got {kind!r}.")
    return kind


def check_codes(name: str, codes: list[str] | None) -> list[str] | None:
    if codes is not None and len(codes) > MAX_CODES:
        raise BadParameter(f"`{name}` must list at most {MAX_CODES} codes; got {len(codes)}.")
    return codes


def check_sort(sort: str) -> list[tuple[str, bool]]:
    """``"-employment,region"`` → ``[("employment", True), ("region", False)]`` (True: descending)."""
    keys = [k.strip() for k in sort.split(",") if k.strip()]
    out = [(k.lstrip("-"), k.startswith("-")) for k in keys]
    bad = [k for k, _ in out if k not in MEASURE_SORTS]
    if bad or not out:
        raise BadParameter(f"`sort` must be a comma-separated list of {', '.join(MEASURE_SORTS)}, each optionally "
                           f"prefixed by - for descending; got {sort!r}.")
    return out


def region_list(*, level: int | None = None, country: str | None = None, q: str | None = None) -> pd.DataFrame:
    """NUTS 2021 regions, filtered; with ``q``, ranked by relevance (exact code, then level 2), else by code."""
    regions = dataset().regions
    if q is not None and q.strip():
        regions = region_search(q, limit=len(regions))
    if level is not None:
        regions = regions[regions["level"] == check_level(level)]
    if country is not None:
        if country not in set(data().regions["country"]):
            raise BadParameter(f"`country` must be a NUTS country code such as DE, FR or EL; got {country!r}.")
        regions = regions[regions["country"] == country]
    return regions.reset_index(drop=True)


@memoized
def measure_list(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
                 regions: list[str] | None = None, categories: list[str] | None = None, country: str | None = None,
                 kind: str | None = None, min_stars: int = 0, sort: str = "region,category",
                 limit: int | None = None, offset: int = 0) -> tuple[int, pd.DataFrame]:
    """Cluster measures with stars, filtered and sorted (missing values last): ``(total rows, the page)``."""
    obs = dataset(measures=True)
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    order = check_sort(sort)
    check_kind(kind)
    if min_stars < 0:
        raise BadParameter(f"`min_stars` must be at least 0; got {min_stars}.")
    for name, codes, get in (("region", regions, region_get), ("category", categories, category_get)):
        for code in check_codes(name, codes) or ():
            get(code)
    filters = {"scheme": scheme, "year": year, "level": level, "regions": regions, "categories": categories,
               "country": country, "kind": kind, "min_stars": min_stars}
    return obs.cluster_measures_count(**filters), obs.cluster_measures(**filters, sort=order, limit=limit,
                                                                       offset=offset)


@memoized
def indicator_catalogue() -> pd.DataFrame:
    return dataset().indicator_catalogue()


@memoized
def region_profile(code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None) -> dict[str, Any]:
    """A region with its regional context (latest year of each indicator) and its starred clusters."""
    region = region_get(code)
    catalogue = indicator_catalogue().set_index("indicator")
    context = [{"indicator": k, **v, **{c: catalogue.at[k, c] if k in catalogue.index else None
                                        for c in ("unit", "description", "eurostat_table")}}
               for k, v in sorted(region_context(code).items())]
    regions = dataset().regions
    _, starred = measure_list(scheme=scheme, year=year, level=int(region["level"]), regions=[code], min_stars=1,
                              sort="-stars,-employment")
    return {**region, "nuts_version": NUTS_VERSION, "children": regions.loc[regions["parent"] == code, "code"].tolist(),
            "context": context, "scheme": check_scheme(scheme), "year": check_year(year), "starred_clusters": starred}


@memoized
def category_profile(category: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                     level: int = DEFAULT_LEVEL) -> dict[str, Any]:
    """A category, its data coverage, and how many regions hold it with each number of stars."""
    cat = category_get(category)
    _, rows = measure_list(scheme=scheme, year=year, level=level, categories=[category])
    have = rows["employment"].notna()
    by_stars = rows.loc[have, "stars"].value_counts().sort_index()  # a cell without employment: no data, not 0
    return {**cat, "mapped": bool(len(rows)), "scheme": check_scheme(scheme), "year": check_year(year),
            "level": level, "regions": len(rows), "regions_with_employment": int(have.sum()),
            "regions_by_stars": {int(k): int(v) for k, v in by_stars.items()}}


@memoized
def category_regions(category: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                     level: int = DEFAULT_LEVEL, measure: str = "employment", min_stars: int = 0) -> pd.DataFrame:
    """One category across all regions, ranked by ``measure`` (1 = highest; missing values unranked, last)."""
    category_get(category)
    measure = check_measure(measure)
    sort = "-stars,-employment" if measure == "stars" else f"-{measure}"
    _, rows = measure_list(scheme=scheme, year=year, level=level, categories=[category], min_stars=min_stars,
                           sort=sort)
    rows.insert(0, "rank", rows[measure].rank(method="min", ascending=False).astype("Int64"))
    return rows


@memoized
def region_portfolio(code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                     top: int = 5) -> dict[str, Any]:
    """A region's traded clusters: the most productive, most specialised and largest, and every category's row."""
    region = region_get(code)
    _, rows = measure_list(scheme=scheme, year=year, level=int(region["level"]), regions=[code], sort="category")
    traded = rows[rows["kind"] == "traded"]
    tops, notes = {}, []
    for key, col in (("most_productive", "productivity"), ("most_specialised", "lq"), ("largest", "employment")):
        have = traded.dropna(subset=[col])
        tops[key] = have.sort_values([col, "category"], ascending=[False, True]).head(top)
        if have.empty:
            notes.append(f"{key}: no traded category of {code} has a `{col}` value in this dataset")
    return {"region": code, "name": region["name"], "level": int(region["level"]), "scheme": check_scheme(scheme),
            "year": check_year(year), **tops, "notes": notes, "rows": rows}


@memoized
def star_explanation(code: str, category: str, *, scheme: str = DEFAULT_SCHEME,
                     year: int | None = None) -> dict[str, Any]:
    """Why a region's cluster has its stars: each condition with its value, threshold and outcome."""
    region, cat = region_get(code), category_get(category)
    level = int(region["level"])
    _, row = measure_list(scheme=scheme, year=year, level=level, regions=[code], categories=[category])
    tests = star_tests(region=code, category=category, scheme=scheme, year=year, level=level)
    first = row.iloc[0] if len(row) else None
    return {"region": code, "region_name": region["name"], "category": category, "category_name": cat["name"],
            "scheme": check_scheme(scheme), "year": check_year(year), "level": level,
            "stars": None if first is None else int(first["stars"]),
            "tests_evaluated": None if first is None else int(first["tests_evaluated"]),
            "tests_passed": [] if first is None or not first["tests_passed"] else first["tests_passed"].split(","),
            "note": None if first is not None else (
                f"no cluster measures for {code} and {category}: the category is not mapped or the region is "
                "absent from the source at this level and year"),
            "conditions": tests}


@memoized
def region_map_values(*, level: int = DEFAULT_LEVEL, category: str | None = None, scheme: str = DEFAULT_SCHEME,
                      year: int | None = None, measure: str | None = None, min_stars: int = 1) -> pd.DataFrame:
    """One row per region with a polygon: the measure's value, or ``no_data`` saying why there is none.

    With a category, ``value`` is ``measure`` (default stars) of that cluster; without, the number of traded
    categories with at least ``min_stars`` stars among those with employment data (``categories_with_data``;
    ``categories_without_data`` are not counted). A cell without employment is no data, never 0 stars: its
    ``stars`` and (for stars) ``value`` are null. ``in_statistics`` is false for a region with no cluster
    measures at all at this level and year.
    """
    obs = dataset(measures=True)
    level, year = check_level(level), check_year(year)
    if category is None and measure is not None:
        raise BadParameter(f"`measure` must be left out without a `category` (the value is then the number of "
                           f"starred clusters); got {measure!r}.")
    if min_stars < 0:
        raise BadParameter(f"`min_stars` must be at least 0; got {min_stars}.")
    shapes = [f["id"] for f in obs.geojson(level)["features"]]
    out = obs.regions.set_index("code").reindex(shapes)[["name", "country", "level"]].rename_axis("code").reset_index()
    out["level"] = level
    _, rows = measure_list(scheme=scheme, year=year, level=level, categories=[category] if category else None,
                           kind=None if category else "traded")
    has_rows = out["code"].isin(rows["region"])
    out["in_statistics"] = has_rows
    absent = f"no cluster measures for this region at NUTS level {level} in {year}"
    if category is not None:
        measure = check_measure(measure or "stars")
        extra = [] if measure in ("stars", "employment") else [measure]
        out = out.merge(rows[["region", "stars", "employment", "imputed_share", "imputed", *extra]],
                        left_on="code", right_on="region", how="left").drop(columns="region")
        # a cell without employment has no stars (the engine's 0 there means "no test could pass"): no data
        out["stars"] = out["stars"].astype("Int64").mask(out["employment"].isna())
        out["value"] = out[measure]
        if category_get(category).get("status") == "not covered":
            absent = f"category {category} is not mapped: the data cover too few of its industries"
        missing = (f"{measure} not available (missing or confidential in the source)" if measure == "employment"
                   else "no stars: employment not available (missing or confidential in the source)"
                   if measure == "stars" else f"{measure} not available for this region")
        out["no_data"] = None
        out.loc[~has_rows, "no_data"] = absent
        out.loc[has_rows & out["value"].isna(), "no_data"] = missing
    else:
        measure = "starred_clusters"
        with_data = rows[rows["employment"].notna()]
        counts = with_data[with_data["stars"] >= min_stars].groupby("region").size()
        n_with = with_data.groupby("region").size()
        n_all = rows.groupby("region").size()
        has_data = out["code"].isin(with_data["region"])
        out["value"] = out["code"].map(counts).fillna(0).astype("Int64").where(has_data)
        out["categories_with_data"] = out["code"].map(n_with).fillna(0).astype("Int64").where(has_rows)
        out["categories_without_data"] = (out["code"].map(n_all).fillna(0) - out["code"].map(n_with).fillna(0)
                                          ).astype("Int64").where(has_rows)
        out["no_data"] = None
        out.loc[~has_rows, "no_data"] = absent
        out.loc[has_rows & ~has_data, "no_data"] = ("no employment for any traded category of this region "
                                                    "(missing or confidential in the source)")
    out = out.assign(category=category, scheme=scheme, year=year, measure=measure)
    front = ["code", "name", "country", "level", "category", "scheme", "year", "measure", "value"]
    return out[front + [c for c in out.columns if c not in front]]


def region_map(*, level: int = DEFAULT_LEVEL, **query: Any) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the level's NUTS 2021 polygons with ``region_map_values`` as properties."""
    values = region_map_values(level=level, **query)
    props = values.astype(object).where(values.notna(), None).to_dict("records")
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f["id"], "properties": p, "geometry": f["geometry"]}
        for f, p in zip(dataset().geojson(level)["features"], props, strict=True)]}


@memoized
def dataset_citation() -> dict[str, Any]:
    """How to cite a download: Eurostat's sources first, then the others, then clusterobs."""
    src = sources()
    first = src.drop_duplicates("source").assign(eu=lambda d: ~d["publisher"].fillna("").str.startswith("Eurostat"))
    first = first.sort_values(["eu", "source"])
    return {"citations": list(dict.fromkeys(first["citation"].dropna())),
            "licences": list(dict.fromkeys(first["licence"].dropna())),
            "publishers": list(dict.fromkeys(first["publisher"].dropna()))}


# ---- pages of the Cluster Mapping Tool ------------------------------------------------------------------------


def dataset_meta() -> dict[str, Any]:
    """The published version's facts: version, created_at (extraction), compute (schemes, computed_at)."""
    return data().meta


@memoized
def citations(source_ids: list[str]) -> list[str]:
    """The distinct citations of the given sources, in the order asked (for a chart's source line)."""
    return data().citations(source_ids)


@memoized
def category_coverage(*, level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Per category: whether the industry data cover it (``covered``, ``partly covered``, ``not covered``)."""
    if "category_data_coverage" not in data().tables:
        return pd.DataFrame(columns=["category", "status", "coverage_share"])
    return data().df("SELECT category, status, coverage_share FROM category_data_coverage "
                     "WHERE nuts_version = ? AND level = ? ORDER BY category", [NUTS_VERSION, check_level(level)])


@memoized
def stars_by_region(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
                    stars: int = 3, kind: str = "traded") -> pd.DataFrame:
    """Per region: the number of ``kind`` categories with at least ``stars`` stars, and of categories with data.

    A category whose employment is missing counts as no data, not as zero stars; a region absent from the
    measures (outside the statistics) is absent here.
    """
    m = measures(scheme=scheme, year=year, level=level)
    m = m[m["kind"] == kind]
    has = m["employment"].notna()
    out = m.assign(with_data=has, starred=has & (m["stars"] >= stars)).groupby(
        ["region", "region_name"], as_index=False).agg(count=("starred", "sum"), with_data=("with_data", "sum"),
                                                       categories=("category", "count"))
    return out


@memoized
def category_star_counts(*, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                         level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Per mapped category: regions with data, and regions with 1, 2 and 3 stars."""
    m = measures(scheme=scheme, year=year, level=level)
    has = m["employment"].notna()
    m = m.assign(with_data=has, s1=has & (m["stars"] == 1), s2=has & (m["stars"] == 2), s3=has & (m["stars"] == 3))
    return m.groupby("category", as_index=False).agg(with_data=("with_data", "sum"), stars_1=("s1", "sum"),
                                                     stars_2=("s2", "sum"), stars_3=("s3", "sum"),
                                                     employment=("employment", "sum"))


@memoized
def region_star_tests(*, region: str, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                      level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Every condition of the scheme for every category of one region: value, threshold, passed, skipped."""
    year = check_year(year)
    region_get(region)
    return data().star_tests(region=region, scheme=check_scheme(scheme), year=year, level=check_level(level))


@memoized
def region_employment(code: str) -> dict[str, Any]:
    """Employment in the whole economy (LFS, latest year with a value, NUTS-2 only), persons."""
    if "lfs_employment" not in data().tables:
        return {}
    df = data().df("SELECT year, value FROM lfs_employment WHERE region = ? AND nuts_version = ? AND sector = 'TOTAL' "
                   "AND value IS NOT NULL ORDER BY year DESC LIMIT 1", [code, NUTS_VERSION])
    if df.empty:
        return {}
    return {"value": float(df["value"].iloc[0]), "year": int(df["year"].iloc[0])}


def label_points(level: int = DEFAULT_LEVEL) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each region's label point (GISCO's, NUTS-2 only); other levels: the polygon's bbox centre."""
    cache = data().__dict__.setdefault("_points", {})
    if level not in cache:
        rows = data().df("SELECT code, geometry FROM nuts_geometries WHERE nuts_version = ? AND level = ? "
                         "AND kind = 'label' AND scale = '60M'", [NUTS_VERSION, level])
        points = {r.code: tuple(json.loads(r.geometry)["coordinates"][:2]) for r in rows.itertuples()}
        for f in data().geojson(level)["features"]:
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


def peer_regions(code: str, *, limit: int = 9) -> pd.DataFrame:
    """Regions of the same country and NUTS level (the rule shown on the comparison page)."""
    region = region_get(code)
    regions = data().regions
    same = regions[(regions["country"] == region["country"]) & (regions["level"] == region["level"])
                   & (regions["code"] != code)]
    return same.head(limit)
