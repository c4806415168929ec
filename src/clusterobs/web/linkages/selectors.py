"""Reads of the linkages tables for the pages and the API (over the published version, like ``web.selectors``).

Messages keep the site's one form, "`parameter` must be …; got …", and each error names its parameter
(``BadParameter(name, …)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.linkages.relatedness import DEFAULT_PERCENTILE, METHODS
from clusterobs.store.reads import LINKAGES_TABLES
from clusterobs.web import dataset

DEFAULT_METHOD = "colocation_share"
LEVEL = 2
THRESHOLDS = (50, 75, 80, 90, 95, 99)
TABLES = LINKAGES_TABLES


def obs() -> dataset.Observatory:
    """The published version; ``NoDataset`` when it has no linkages tables (computed before the stage existed)."""
    o = dataset.dataset(measures=True)
    if not o.tables >= TABLES:
        raise NoDataset(f"dataset {o.version} has no linkages tables: run `clusterobs compute`")
    return o


def check_method(method: str | None) -> str:
    method = method or DEFAULT_METHOD
    if method not in METHODS:
        raise BadParameter("method", f"`method` must be one of {', '.join(METHODS)}; got {method!r}.")
    return method


def check_threshold(threshold: Any) -> int:
    """A percentile of the pair values (50–99); the default, 90, keeps the top 10% of pairs."""
    if threshold in (None, ""):
        return int(DEFAULT_PERCENTILE)
    try:
        value = int(str(threshold))
    except ValueError:
        raise BadParameter("threshold", f"`threshold` must be a whole percentile between 50 and 99; "
                                        f"got {threshold!r}.") from None
    if not 50 <= value <= 99:
        raise BadParameter("threshold", f"`threshold` must be a whole percentile between 50 and 99; got {value}.")
    return value


def check_emerging(industry: str) -> dict[str, Any]:
    cat = dataset.category_get(industry)
    if cat["kind"] != "emerging":
        raise NotFound(f"unknown category {industry!r} among the emerging industries", name="category")
    return cat


def names() -> dict[str, str]:
    """Category display names (an emerging industry sharing a traded category's name is labelled as emerging)."""
    return dataset.display_names()


def _year(method: str, year: int | None) -> int | None:
    """The year of a relatedness matrix: none for the US Cluster Mapping's (``uscmp``), else checked."""
    return None if method == "uscmp" else dataset.check_year(year)


def relatedness(*, method: str = DEFAULT_METHOD, year: int | None = None, category: str | None = None,
                threshold: int | None = None) -> tuple[pd.DataFrame, float | None]:
    """Unordered pairs (category_i < category_j) of one matrix, highest first; with ``category``, the pairs that
    include it; with ``threshold`` (a percentile), only the pairs at or above it. Returns (rows, cutoff value)."""
    o = obs()
    method = check_method(method)
    df = o.relatedness(method, year=_year(method, year), level=LEVEL)
    cutoff = None
    if threshold is not None:
        threshold = check_threshold(threshold)
        cutoff = float(np.percentile(df["value"], threshold)) if len(df) else None
        if cutoff is not None:
            df = df[df["value"] >= cutoff]
    if category is not None:
        dataset.category_get(category)
        df = df[(df["category_i"] == category) | (df["category_j"] == category)]
    n = names()
    df = df.assign(name_i=df["category_i"].map(n), name_j=df["category_j"].map(n))
    df = df.sort_values(["value", "category_i", "category_j"], ascending=[False, True, True]).reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    cols = ["rank", "method", "nuts_version", "level", "year", "category_i", "name_i", "category_j", "name_j", "value",
            "regions_used"]
    return df[cols], cutoff


def related_to(category: str, *, method: str = DEFAULT_METHOD, year: int | None = None, threshold: int = 90
               ) -> dict[str, Any]:
    """The network of one category: its related categories (pairs at or above the percentile) with European
    employment, and the related pairs among them."""
    cat = dataset.category_get(category)
    pairs, cutoff = relatedness(method=method, year=year, threshold=threshold)
    mine = pairs[(pairs["category_i"] == category) | (pairs["category_j"] == category)].copy()
    mine["other"] = np.where(mine["category_i"] == category, mine["category_j"], mine["category_i"])
    others = list(mine["other"])
    among = pairs[pairs["category_i"].isin(others) & pairs["category_j"].isin(others)]
    emp = europe_employment(year=year)
    n = names()
    nodes = pd.DataFrame({"category": [category, *others]})
    nodes["name"] = nodes["category"].map(n)
    nodes["employment"] = nodes["category"].map(emp).astype(float)
    nodes["relatedness"] = [np.nan, *mine["value"]]
    return {"category": cat, "nodes": nodes, "links": pd.concat([mine.drop(columns="other"), among]),
            "cutoff": cutoff, "in_matrix": category in set(pairs_all_categories(method, year))}


def pairs_all_categories(method: str, year: int | None) -> list[str]:
    o = obs()
    method = check_method(method)
    return o.relatedness_categories(method, year=_year(method, year), level=LEVEL)


def europe_employment(*, year: int | None = None) -> pd.Series:
    """Europe's employment per category (NUTS 2021 level 2 regions, missing cells left out)."""
    return obs().europe_employment(level=LEVEL, year=dataset.check_year(year))


def opportunities(code: str, *, year: int | None = None) -> pd.DataFrame:
    """Every traded category of a NUTS-2 region with its density, LQ and rank (rank 1 = closest opportunity)."""
    region = dataset.region_get(code)
    if int(region["level"]) != LEVEL:
        raise BadParameter("region", f"`region` must be a NUTS 2 region (opportunities are computed at NUTS "
                                     f"level 2); got {code!r}, a level {int(region['level'])} region.")
    df = obs().region_opportunities(code, year=dataset.check_year(year), level=LEVEL)
    df.insert(3, "category_name", df["category"].map(names()))
    df["rank"] = df["rank"].astype("Int64")
    return df


def emerging_list(*, year: int | None = None) -> pd.DataFrame:
    """The emerging industries with their European employment and the region where each holds the largest share."""
    o = obs()
    cats = dataset.category_list("emerging")[["category", "name", "description"]]
    df = o.emerging_summary(year=dataset.check_year(year), level=LEVEL)
    return cats.merge(df, on="category", how="left").sort_values("name").reset_index(drop=True)


def emerging_composition(industry: str, *, kind: str | None = None) -> pd.DataFrame:
    check_emerging(industry)
    if kind is not None and kind not in ("category", "industry"):
        raise BadParameter("kind", f"`kind` must be one of category, industry; got {kind!r}.")
    o = obs()
    df = o.emerging_composition(industry)
    if kind is not None:
        df = df[df["component_kind"] == kind]
    nace = o.nace_names()
    n = names()
    df.insert(2, "name", [n.get(c) if k == "category" else nace.get(c) for c, k in
                          zip(df["component"], df["component_kind"], strict=True)])
    df["nace_level"] = df["nace_level"].astype("Int64")
    return df.reset_index(drop=True)


def emerging_regions(industry: str, *, year: int | None = None) -> pd.DataFrame:
    """One emerging industry in every NUTS-2 region: employment, share of the region's employment, LQ, rank."""
    check_emerging(industry)
    df = obs().emerging_regions(industry, year=dataset.check_year(year), level=LEVEL)
    df["rank"] = df["rank"].astype("Int64")
    return df
