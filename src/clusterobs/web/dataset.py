"""The published dataset version and the reads every app shares: the site kernel's access to the store.

One access object per published version (``Observatory``, a ``clusterobs.store.reads.VersionReads`` with one
read-only DuckDB connection per thread and a memo), the parameter checks, regions and categories named in the
active language, the cluster measures and the no-data regions, the sources and how to cite them. The queries and
the checks are the read layer's (``clusterobs.store.reads``, shared with the reports); here they are memoized per
version (``memoized``) and named in the active language. Every app reads through this module; the Cluster Mapping
Tool's own reads are ``clusterobs.web.mapping.selectors``.

The published version is resolved once per request: ``DatasetVersionMiddleware`` opens a slot in a
context variable, the first read of the request fills it from ``current.json`` and every later read
of that request (selectors, the answer cache's key, the ``version`` an answer states) uses it, so a
version published meanwhile serves the next request, never half of this one. Outside a request (the
CLI, tests calling selectors directly) each call reads ``current.json``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, wraps
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from django.conf import settings
from django.utils.translation import get_language

from clusterobs.classifications.category_labels import label
from clusterobs.classifications.place_search import PlaceIndex, load_place_names, nuts3_under_2021
from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.store import Store
from clusterobs.store.reads import KINDS, MAX_CODES, MEASURE_SORTS, MEASURES, NUTS_VERSION, VersionReads
from clusterobs.web.cache import Memo, freeze
from clusterobs.web.labels import category_display_names

__all__ = ["KINDS", "MAX_CODES", "MEASURES", "MEASURE_SORTS", "NUTS_VERSION", "BadParameter", "NoDataset", "NotFound"]


DEFAULT_SCHEME = "eco2007"
DEFAULT_LEVEL = 2

#: entries and rough bytes kept per version in ``Observatory.memo`` (selector results and chart slots)
MEMO_SIZE = 1024
MEMO_BYTES = 256 * 2**20
T = TypeVar("T")

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


# ---- the published version, once per request --------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """What ``current.json`` of ``home`` said: the version (None before the first publish) and its Observatory."""

    home: Path
    version: str | None
    observatory: Observatory | None


@dataclass
class _RequestSlot:
    published: Published | None = None


_lock = threading.Lock()
_current: Observatory | None = None
#: the request's slot (``DatasetVersionMiddleware``); None outside a request
_request: ContextVar[_RequestSlot | None] = ContextVar("clusterobs_published", default=None)


def _observatory(home: Path, version: str) -> Observatory:
    """The Observatory of ``version``: one per process, replaced when another version is published."""
    global _current
    with _lock:
        if _current is None or _current.version != version or _current.home != home:
            _current = Observatory(home=home, version=version)
        return _current


def published() -> Published:
    """The published version: the request's (read from ``current.json`` at its first read), else read now."""
    home = Path(settings.CLUSTEROBS_HOME)
    slot = _request.get()
    if slot is not None and slot.published is not None and slot.published.home == home:
        return slot.published
    version = Store(home).current()
    now = Published(home, version, None if version is None else _observatory(home, version))
    if slot is not None:
        slot.published = now
    return now


@contextmanager
def one_version() -> Iterator[None]:
    """Within the block (a request), every read uses the version published at the block's first read."""
    token = _request.set(_RequestSlot())
    try:
        yield
    finally:
        _request.reset(token)


def data() -> Observatory:
    """The published version (the request's); ``NotFound`` before the first publish."""
    now = published()
    if now.observatory is None:
        raise NotFound(f"no published dataset in {now.home}: run `clusterobs ingest` and `clusterobs compute`")
    return now.observatory


def published_version() -> str | None:
    """The published version id (the request's), or None before the first ingest."""
    return published().version


def dataset(*, measures: bool = False) -> Observatory:
    """The published version; ``NoDataset`` when there is none (or, with ``measures``, when it is not computed)."""
    now = published()
    if now.observatory is None:
        raise NoDataset(f"no dataset is published in {settings.CLUSTEROBS_HOME}: "
                        "run `clusterobs ingest` and `clusterobs compute`")
    obs = now.observatory
    if measures and not {"cluster_measures", "cluster_stars"} <= obs.tables:
        raise NoDataset(f"dataset {obs.version} has no cluster measures: run `clusterobs compute`")
    return obs


def memoized(fn: Callable[..., T]) -> Callable[..., T]:
    """Keep a selector's results in the published version's memo, keyed by its name, arguments and the active
    language (category display names are translated: "Medical devices (emerging)").

    Only for selectors that depend on nothing but their arguments, the language and the version (no request):
    a new version starts with an empty memo. Errors (bad parameter, unknown code) are not kept.
    """
    name = fn.__qualname__

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        return data().memo.get((name, get_language(), freeze(args), freeze(kwargs)), lambda: fn(*args, **kwargs))

    return wrapper


# ---- parameters (the read layer's checks, on the published version) ---------------------------------------------


def check_scheme(scheme: str) -> str:
    return data().check_scheme(scheme)


def check_level(level: int) -> int:
    return data().check_level(level)


def check_year(year: int | None) -> int:
    return data().check_year(year)


def check_measure(measure: str) -> str:
    return data().check_measure(measure)


def check_kind(kind: str | None) -> str | None:
    return data().check_kind(kind)


def check_codes(name: str, codes: list[str] | None) -> list[str] | None:
    data().check_codes(name, codes)
    return codes


def check_sort(sort: str) -> list[tuple[str, bool]]:
    """``"-employment,region"`` → ``[("employment", True), ("region", False)]`` (True: descending)."""
    return data().check_sort(sort)


# ---- regions and categories -------------------------------------------------------------------------------------


def region_get(code: str) -> dict[str, Any]:
    return data().region(code)


def place_index() -> PlaceIndex:
    """The published version's place search (``clusterobs.classifications.place_search``): region names, NUTS 3
    names, cities and exonyms; built once per version."""
    obs = data()
    index = obs.__dict__.get("_place_index")
    if index is None:
        regions = obs.regions.assign(name=obs.regions["name_national"])
        nuts3, pairs = obs.nuts3_names()
        level2 = regions.loc[regions["level"] == 2, "code"]
        index = PlaceIndex(regions, nuts3_under_2021(nuts3, level2, pairs), load_place_names(codes=regions["code"]))
        obs.__dict__["_place_index"] = index
    return index


def region_search(q: str, *, limit: int = 20) -> pd.DataFrame:
    """The regions ``q`` names, best first (``PlaceIndex.search``), with how each matched: ``via`` (code, name,
    city, exonym, nuts3), ``matched`` (the name found), ``how`` (exact, prefix, words, contains) and ``nuts3``."""
    regions = data().regions
    matches = place_index().search(q, limit=limit)
    found = pd.DataFrame([{"code": m.code, "via": m.via, "matched": m.matched, "how": m.how, "nuts3": m.nuts3}
                          for m in matches], columns=["code", "via", "matched", "how", "nuts3"])
    return found.merge(regions, on="code", how="left")[[*regions.columns, *found.columns[1:]]]


def display_names() -> dict[str, str]:
    """Category key → the name pages, charts and the API show: an emerging industry that shares its name with a
    traded or local category is labelled as emerging ("Medical devices (emerging)"), in the active language."""
    obs = data()
    return obs.memo.get(("display_names", get_language()), lambda: category_display_names(obs.categories))


def named(df: pd.DataFrame, column: str = "category_name", key: str = "category") -> pd.DataFrame:
    """``df`` with ``column`` holding the display name of the category in ``key`` (see ``display_names``)."""
    if column not in df.columns or key not in df.columns or df.empty:
        return df
    names = display_names()
    return df.assign(**{column: df[key].map(names).fillna(df[column])})


def categories_named() -> pd.DataFrame:
    """The categories (``VersionReads.categories``) with their display names in ``name`` and their descriptions in
    the active language (``category_labels.label``)."""
    cats = named(data().categories, "name")
    if "description" not in cats.columns:
        return cats
    return cats.assign(description=[label(k, get_language(), d, "description")
                                    for k, d in zip(cats["category"], cats["description"], strict=True)])


def category_get(category: str) -> dict[str, Any]:
    """The category (``VersionReads.category``) with its display name and description in the active language."""
    out = data().category(category)
    if "description" in out:
        out["description"] = label(category, get_language(), out["description"], "description")
    return {**out, "name": display_names().get(category, out["name"])}


def category_list(kind: str | None = None) -> pd.DataFrame:
    cats = categories_named()
    if kind:
        cats = cats[cats["kind"] == check_kind(kind)]
    return cats


# ---- cluster measures and the no-data regions -------------------------------------------------------------------


@memoized
def measures(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
             region: str | None = None, category: str | None = None, min_stars: int = 0,
             regions: list[str] | None = None) -> pd.DataFrame:
    """Cluster measures with the scheme's stars, one row per region × category (``VersionReads.cluster_measures``);
    ``region`` is one region, ``regions`` several. ``region_no_data`` marks the rows of a no-data region
    (``region_data_quality``); ``category_name`` is the display name (``display_names``)."""
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    if region:
        region_get(region)
    if category:
        category_get(category)
    rows = data().cluster_measures(scheme=scheme, year=year, level=level, min_stars=min_stars,
                                   regions=[region] if region else regions,
                                   categories=[category] if category else None)
    return with_quality(rows, level=level, year=year)


def with_quality(rows: pd.DataFrame, *, level: int, year: int) -> pd.DataFrame:
    """Measure rows with ``region_no_data`` (their region is no-data at this level and year) after ``caveat``, and
    the categories' display names."""
    if "region_no_data" not in rows.columns:
        excluded = set(no_data_regions(level=level, year=year))
        at = list(rows.columns).index("caveat") + 1 if "caveat" in rows.columns else len(rows.columns)
        rows = rows.copy()
        rows.insert(at, "region_no_data", rows["region"].isin(excluded).astype(bool))
    return named(rows)


QUALITY_COLUMNS = ["region", "traded_categories", "traded_with_data", "traded_rankable", "split_share",
                   "imputed_share", "no_data", "no_data_reason"]


@memoized
def region_quality(*, level: int = DEFAULT_LEVEL, year: int | None = None) -> pd.DataFrame:
    """``region_data_quality`` of NUTS 2021 at ``level`` and ``year``: one row per region with traded categories
    mapped, with data and rankable, split and imputed shares, and whether it is no-data (empty when the version
    has no such table)."""
    level, year = check_level(level), check_year(year)
    q = data().region_quality(level=level, year=year)
    if q is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in QUALITY_COLUMNS})
    return q[QUALITY_COLUMNS].assign(no_data=q["no_data"].fillna(False).astype(bool))


def no_data_regions(*, level: int = DEFAULT_LEVEL, year: int | None = None) -> dict[str, str]:
    """The no-data regions of the level and year and why (the engine's ``no_data_reason``)."""
    q = region_quality(level=level, year=year)
    q = q[q["no_data"]]
    return dict(zip(q["region"], q["no_data_reason"].fillna("no data"), strict=True))


# ---- sources, citations, coverage -------------------------------------------------------------------------------


@memoized
def sources() -> pd.DataFrame:
    return data().sources()


def years_with(measure: str) -> list[int]:
    """The years of the published version in which some cell has a value of ``measure`` (``productivity``: wages;
    ``establishments``: local units; ``growth``): what a page may say the data hold."""
    return data().years_with(measure)


def region_list(*, level: int | None = None, country: str | None = None, q: str | None = None) -> pd.DataFrame:
    """NUTS 2021 regions, filtered; with ``q``, ranked by relevance (exact code, then level 2), else by code."""
    regions = dataset().regions
    if q is not None and q.strip():
        regions = region_search(q, limit=len(regions))
    if level is not None:
        regions = regions[regions["level"] == check_level(level)]
    if country is not None:
        regions = regions[regions["country"] == data().check_country(country)]
    return regions.reset_index(drop=True)


@memoized
def dataset_citation() -> dict[str, Any]:
    """How to cite a download: Eurostat's sources first, then the others, then clusterobs."""
    src = sources()
    first = src.drop_duplicates("source").assign(eu=lambda d: ~d["publisher"].fillna("").str.startswith("Eurostat"))
    first = first.sort_values(["eu", "source"])
    return {"citations": list(dict.fromkeys(first["citation"].dropna())),
            "licences": list(dict.fromkeys(first["licence"].dropna())),
            "publishers": list(dict.fromkeys(first["publisher"].dropna()))}


@memoized
def category_coverage(*, level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Per category: whether the industry data cover it (``covered``, ``partly covered``, ``not covered``)."""
    return data().category_coverage(level=check_level(level))


def store_years() -> list[int]:
    """The years of the published version's cluster measures; empty without a published, computed version."""
    try:
        if published_version() is None:
            return []
        return list(data().years)
    except Exception:  # an unreadable store must not take the API schema down (the endpoints say what failed)
        return []
