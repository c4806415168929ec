"""Co-location relatedness between cluster categories, and the US Cluster Mapping matrix as a reference.

Co-location relatedness of categories i and j in one year is the Pearson correlation, across the regions of one
NUTS version and level, of their employment shares (``colocation_share``: e(r,c) / e(r,·), the region's traded
employment as denominator, the ``focus`` of ``cluster_measures``) or, as an option, of their log location quotients
(``colocation_loglq``). Missing is not zero: a region enters the pair (i, j) only where both values are present
(pairwise-complete correlation; a zero LQ has no log and is left out of the log-LQ method), and the number of regions
behind each value is kept (``regions_used``). A pair with fewer than ``MIN_REGIONS`` regions, or where one side does
not vary, has no value.

Everything is numpy on a region × category matrix: five matrix products per year give every pair at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METHODS = ("colocation_share", "colocation_loglq", "uscmp")
#: the measure of ``cluster_measures`` each co-location method correlates
METHOD_MEASURE = {"colocation_share": "focus", "colocation_loglq": "lq"}
#: fewer regions than this behind a pair: no value (a correlation of 2 or 3 points says nothing)
MIN_REGIONS = 10
#: default rule for "related": the pair's value is at or above this percentile of the method's off-diagonal values
#: in that year (the top 10% of pairs, as the US CMP's ``related_90``); ours, configurable
DEFAULT_PERCENTILE = 90.0


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}; got {method!r}.")
    return method


def pairwise_correlation(x: np.ndarray, *, min_regions: int = MIN_REGIONS) -> tuple[np.ndarray, np.ndarray]:
    """Pearson correlation of every pair of columns of ``x`` (regions × categories, NaN = missing), each pair over
    the rows where both are present. Returns ``(r, n)``: the correlation matrix (NaN where undefined) and the
    number of regions behind each value. The diagonal is 1 for every column that varies."""
    x = np.asarray(x, dtype=float)
    present = ~np.isnan(x)
    m = present.astype(float)
    x0 = np.where(present, x, 0.0)
    n = m.T @ m                      # n[i, j]: regions where both i and j are present
    sx = x0.T @ m                    # sx[i, j]: sum of x_i over those regions
    sxx = (x0 * x0).T @ m            # sum of x_i² over them
    sxy = x0.T @ x0                  # sum of x_i x_j over them (x0 is 0 where either is missing)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = n * sxy - sx * sx.T
        var_i = n * sxx - sx * sx
        var_j = var_i.T
        r = cov / np.sqrt(var_i * var_j)
    # a side that does not vary (up to rounding) and thin pairs: undefined
    scale = n * sxx
    bad = (var_i <= 1e-12 * scale) | (var_j <= 1e-12 * scale.T) | (n < min_regions)
    r[bad] = np.nan
    r = np.clip(r, -1.0, 1.0)
    diag = np.arange(r.shape[0])
    r[diag, diag] = np.where(np.isnan(r[diag, diag]), np.nan, 1.0)
    return r, n.astype(np.int64)


def method_values(values: np.ndarray, method: str) -> np.ndarray:
    """The matrix a co-location method correlates: shares as they are; LQs as logs, zeros left out (no log)."""
    _check_method(method)
    v = np.asarray(values, dtype=float)
    if method == "colocation_loglq":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, np.log(v), np.nan)
    if method == "colocation_share":
        return v
    raise ValueError("`method` uscmp is published, not computed from regional data.")


def region_category_matrix(frame: pd.DataFrame, value: str, *, categories: list[str] | None = None
                           ) -> tuple[np.ndarray, list[str], list[str]]:
    """One year of ``cluster_measures`` rows (region, category, ``value``) as a regions × categories matrix."""
    wide = frame.pivot_table(index="region", columns="category", values=value, aggfunc="first", dropna=False)
    if categories is not None:
        wide = wide.reindex(columns=categories)
    wide = wide.sort_index().sort_index(axis=1) if categories is None else wide.sort_index()
    return wide.to_numpy(dtype=float), list(wide.index), list(wide.columns)


def colocation(measures: pd.DataFrame, *, method: str = "colocation_share", categories: list[str] | None = None,
               min_regions: int = MIN_REGIONS) -> pd.DataFrame:
    """Co-location relatedness per year from ``cluster_measures``-like rows (region, category, year, focus, lq) of
    one NUTS version and level: long rows (year, category_i, category_j, value, regions_used), every ordered pair."""
    column = METHOD_MEASURE[_check_method(method)] if method in METHOD_MEASURE else None
    if column is None:
        raise ValueError("`method` uscmp is published, not computed from regional data.")
    out = []
    for year, rows in measures.groupby("year", sort=True):
        x, _, cats = region_category_matrix(rows, column, categories=categories)
        r, n = pairwise_correlation(method_values(x, method), min_regions=min_regions)
        out.append(matrix_to_long(r, n, cats).assign(year=int(year)))
    if not out:
        return pd.DataFrame(columns=["year", "category_i", "category_j", "value", "regions_used"])
    df = pd.concat(out, ignore_index=True)
    return df[["year", "category_i", "category_j", "value", "regions_used"]]


def matrix_to_long(r: np.ndarray, n: np.ndarray | None, categories: list[str]) -> pd.DataFrame:
    """Every ordered pair (i, j) of a square matrix as a row: category_i, category_j, value, regions_used."""
    k = len(categories)
    ii, jj = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    cats = np.asarray(categories, dtype=object)
    return pd.DataFrame({
        "category_i": cats[ii.ravel()], "category_j": cats[jj.ravel()], "value": r.ravel(),
        "regions_used": pd.array(n.ravel(), dtype="Int64") if n is not None else pd.array([None] * k * k,
                                                                                             dtype="Int64"),
    })


def uscmp_relatedness(cluster_relatedness: pd.DataFrame, categories: pd.DataFrame, *, measure: str = "cr_all"
                      ) -> pd.DataFrame:
    """The US CMP matrix (``cluster_relatedness``, keyed by CMP codes) on our category keys: category_i,
    category_j, value (``measure``: ``cr_all`` the overall score by default; ``cr_lc`` its co-location part...).
    Both orders of each pair are kept as published; a pair the file lacks has no row."""
    keys = categories.dropna(subset=["cmp_code"]).set_index(categories["cmp_code"].dropna().astype(int))["category"]
    rel = cluster_relatedness[["cluster_a", "cluster_b", measure]].copy()
    rel["category_i"] = rel["cluster_a"].astype(int).map(keys)
    rel["category_j"] = rel["cluster_b"].astype(int).map(keys)
    rel = rel.dropna(subset=["category_i", "category_j"])
    return pd.DataFrame({"category_i": rel["category_i"].astype(str), "category_j": rel["category_j"].astype(str),
                         "value": rel[measure].astype(float)}).reset_index(drop=True)


def square(long: pd.DataFrame, categories: list[str] | None = None) -> pd.DataFrame:
    """Long pairs (category_i, category_j, value) as a square frame indexed and columned by category."""
    wide = long.pivot_table(index="category_i", columns="category_j", values="value", aggfunc="first", dropna=False)
    cats = categories if categories is not None else sorted(set(wide.index) | set(wide.columns))
    return wide.reindex(index=cats, columns=cats)


def related_pairs(long: pd.DataFrame, *, percentile: float = DEFAULT_PERCENTILE) -> pd.DataFrame:
    """The related pairs of one matrix: each unordered pair (category_i < category_j) whose value is at or above
    the ``percentile``-th percentile of the matrix's off-diagonal unordered pairs; ranked 1 = most related.
    Returns category_i, category_j, value, rank, cutoff (the value of the percentile)."""
    if not 0 <= percentile <= 100:
        raise ValueError(f"`percentile` of related_pairs must be between 0 and 100; got {percentile}.")
    pairs = long[(long["category_i"] < long["category_j"]) & long["value"].notna()]
    cols = ["category_i", "category_j", "value", "rank", "cutoff"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    cutoff = float(np.percentile(pairs["value"].to_numpy(dtype=float), percentile))
    top = pairs[pairs["value"] >= cutoff].sort_values(["value", "category_i", "category_j"],
                                                      ascending=[False, True, True])
    top = top.assign(rank=np.arange(1, len(top) + 1, dtype=np.int64), cutoff=cutoff)
    return top[cols].reset_index(drop=True)
