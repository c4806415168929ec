"""Reads of the ``complexity`` table for the pages and the API (the published version, NUTS 2021, traded categories).

Messages keep the site's one form, "`parameter` must be …; got …", and each error names its parameter
(``BadParameter(name, …)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clusterobs.complexity.matrices import proximity
from clusterobs.errors import BadParameter, NoDataset
from clusterobs.web import dataset

#: attractiveness axes of the growth opportunities chart
AXES = ("pci", "cog")
#: the region's strengths named as an opportunity's reasons
REASONS = 3
SIMILAR = 10


def obs() -> dataset.Observatory:
    """The published version; ``NoDataset`` when it has no ``complexity`` table (computed before the stage)."""
    o = dataset.dataset(measures=True)
    if "complexity" not in o.tables:
        raise NoDataset(f"dataset {o.version} has no complexity table: run `clusterobs compute`")
    return o


def check_axis(axis: str | None) -> str:
    axis = axis or AXES[0]
    if axis not in AXES:
        raise BadParameter("y", f"`y` must be one of {', '.join(AXES)}; got {axis!r}.")
    return axis


def _level(code: str) -> int:
    return int(dataset.region_get(code)["level"])


@dataset.memoized
def year_matrix(level: int, year: int, column: str) -> pd.DataFrame:
    """Region × category matrix of one column (``mcp`` or ``rca``) of a level and year; missing values are 0."""
    return obs().complexity_matrix(column, level=level, year=year)


@dataset.memoized
def proximity_matrix(level: int, year: int) -> pd.DataFrame:
    """φ between the traded categories of a level and year, from the stored M (``complexity.matrices.proximity``)."""
    m = year_matrix(level, year, "mcp")
    phi = proximity(m.to_numpy(), m.to_numpy().sum(axis=0))
    return pd.DataFrame(phi, index=m.columns, columns=m.columns)


@dataset.memoized
def europe_employment(level: int, year: int) -> pd.Series:
    """Europe's employment per category: the sum over the level's regions (missing cells left out)."""
    return obs().europe_employment(level=level, year=year).astype(float)


def region_complexity(code: str, *, year: int | None = None) -> pd.DataFrame:
    """Every traded category of a region in a year: its complexity row, name and European employment."""
    level = _level(code)
    year = dataset.check_year(year)
    df = obs().region_complexity(code, level=level, year=year)
    df.insert(3, "category_name", df["category"].map(dataset.display_names()))
    df["employment_europe"] = df["category"].map(europe_employment(level, year))
    return df


def opportunities(code: str, *, year: int | None = None) -> pd.DataFrame:
    """The categories a region does not have (M = 0) with a density, densest first (rank 1 = most feasible), with
    their PCI, COG and the region's most proximate strengths (M = 1) as the reasons."""
    rows = region_complexity(code, year=year)
    year = dataset.check_year(year)
    opp = rows[(rows["mcp"] == 0) & rows["density"].notna()].copy()
    opp = opp.sort_values(["density", "pci", "category"], ascending=[False, False, True]).reset_index(drop=True)
    phi = proximity_matrix(_level(code), year)
    strengths = list(rows.loc[rows["mcp"] == 1, "category"])
    names = dataset.display_names()
    reasons = []
    for cat in opp["category"]:
        near = phi.loc[strengths, cat].sort_values(ascending=False) if strengths and cat in phi.columns else None
        near = [] if near is None else [(c, v) for c, v in near.head(REASONS).items() if v > 0]
        reasons.append("; ".join(f"{names.get(c, c)} ({v:.2f})" for c, v in near))
    opp["related_strengths"] = reasons
    opp.insert(0, "rank", np.arange(1, len(opp) + 1))
    opp["distance"] = 1 - opp["density"]
    cols = ["rank", "region", "year", "category", "category_name", "density", "distance", "pci", "cog", "rca",
            "employment_europe", "related_strengths"]
    return opp[cols]


def eci_regions(*, level: int = dataset.DEFAULT_LEVEL, year: int | None = None) -> pd.DataFrame:
    """ECI, COI and diversity of every region of a level with a value in the year, highest ECI first."""
    dataset.check_level(level)
    year = dataset.check_year(year)
    df = obs().eci_regions(level=level, year=year)
    names = dataset.data().regions.set_index("code")["name"]
    df.insert(1, "name", df["region"].map(names))
    df.insert(2, "level", level)
    df.insert(3, "year", year)
    df["diversity"] = df["diversity"].astype("Int64")
    df = df.sort_values(["eci", "region"], ascending=[False, True]).reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df


def eci_series(code: str) -> pd.DataFrame:
    """A region's ECI (and diversity) in every year of the store."""
    level = _level(code)
    return obs().eci_series(code, level=level)


def similar_regions(code: str, *, year: int | None = None, limit: int = SIMILAR) -> pd.DataFrame:
    """The regions of the same level whose specialisations (M) are closest to the region's: cosine similarity
    |M_c ∩ M_c'| / √(k_c k_c'), with the number of shared specialisations; ties by more shared, then code."""
    level = _level(code)
    year = dataset.check_year(year)
    m = year_matrix(level, year, "mcp")
    if code not in m.index:
        return pd.DataFrame(columns=["rank", "region", "name", "similarity", "shared", "diversity"])
    x = m.to_numpy()
    mine = m.loc[code].to_numpy()
    shared = x @ mine
    k = x.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = shared / np.sqrt(k * mine.sum())
    df = pd.DataFrame({"region": m.index, "similarity": sim, "shared": shared.astype(int),
                       "diversity": k.astype(int)})
    df = df[(df["region"] != code) & df["similarity"].notna()]
    df = df.sort_values(["similarity", "shared", "region"], ascending=[False, False, True]).head(limit)
    df.insert(1, "name", df["region"].map(dataset.data().regions.set_index("code")["name"]))
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df.reset_index(drop=True)


def industry_space(code: str, *, year: int | None = None, percentile: float = 90) -> dict[str, Any]:
    """The categories (nodes: name, European employment, the region's M) and the links of the industry space: the
    maximum spanning tree of φ plus every pair at or above the ``percentile`` of the pair values (the Atlas's
    drawing rule)."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    level = _level(code)
    year = dataset.check_year(year)
    phi = proximity_matrix(level, year)
    keep = phi.columns[np.diag(phi.to_numpy()) > 0]  # categories somebody has
    phi = phi.loc[keep, keep]
    values = phi.to_numpy().copy()
    n = len(keep)
    iu = np.triu_indices(n, k=1)
    pairs = pd.DataFrame({"category_i": keep[iu[0]], "category_j": keep[iu[1]], "value": values[iu]})
    pairs = pairs[pairs["value"] > 0]
    if n < 3 or pairs.empty:  # nothing to draw (the chart says so)
        return {"nodes": pd.DataFrame(columns=["category", "name", "employment", "mcp", "pci"]), "links": pairs,
                "proximity": phi, "cutoff": None}
    cutoff = float(np.percentile(pairs["value"], percentile)) if len(pairs) else 0.0
    tree = minimum_spanning_tree(np.where(values > 0, 2.0 - values, 0.0) * np.triu(np.ones((n, n)), 1)).tocoo()
    in_tree = {(min(i, j), max(i, j)) for i, j in zip(tree.row, tree.col, strict=True)}
    idx = {c: i for i, c in enumerate(keep)}
    mask = [(idx[a], idx[b]) in in_tree or v >= cutoff
            for a, b, v in zip(pairs["category_i"], pairs["category_j"], pairs["value"], strict=True)]
    links = pairs[mask].reset_index(drop=True)
    rows = region_complexity(code, year=year).set_index("category")
    nodes = pd.DataFrame({"category": list(keep)})
    nodes["name"] = nodes["category"].map(dataset.display_names())
    nodes["employment"] = nodes["category"].map(europe_employment(level, year))
    nodes["mcp"] = nodes["category"].map(rows["mcp"]).fillna(0).astype(int)
    nodes["pci"] = nodes["category"].map(rows["pci"])
    return {"nodes": nodes, "links": links, "proximity": phi, "cutoff": cutoff}
