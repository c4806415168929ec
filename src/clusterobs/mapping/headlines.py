"""Headline figures of the mapping, computed once here and read by the web, the reports and the API.

``headline`` takes the cells of one scheme, NUTS version, level and year (a frame with at least ``region``,
``category``, ``employment``, ``stars`` and, after ``clusterobs compute``, ``kind``, ``rankable``) and returns
the figures every page prints: clusters by stars, the share of employment in starred clusters, how many
cells and regions count and how many were left out, and why. The rules (METHODOLOGY.md, "Coverage"):

* headline counts are of **traded** categories unless another kind is asked for (local and emerging
  categories overlap the traded ones: "46 starred clusters" mixing them counts some jobs twice);
* a cell that cannot be ranked (too little coverage, a region split by population) has no stars and is
  left out of the counts and of the employment share, counted in ``not_rankable``;
* a region flagged no-data (``region_data_quality``) is left out whole, counted in ``excluded_regions``.

``region_headlines`` applies the same function to every region: the ``region_headlines`` table of
``clusterobs compute``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

KINDS = ("traded", "local", "emerging")
TABLES = {
    "region_headlines": "Per scheme, NUTS version, level, year, region and kind of category: clusters by stars, "
    "employment in starred clusters and its share, cells ranked and left out; the headline figures every page, "
    "report and API answer prints (computed once, by clusterobs.mapping.headlines)",
}


def usable(cells: pd.DataFrame, *, kind: str = "traded", quality: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cells a headline counts: of ``kind``, rankable, with employment, in a region that is not no-data."""
    c = cells
    if "kind" in c.columns and kind:
        c = c[c["kind"] == kind]
    keep = c["employment"].notna()
    if "rankable" in c.columns:
        keep &= c["rankable"].fillna(False).astype(bool)
    if quality is not None and len(quality):
        excluded = set(quality.loc[quality["no_data"].astype(bool), "region"])
        keep &= ~c["region"].isin(excluded)
    return c[keep]


def headline(cells: pd.DataFrame, *, kind: str = "traded", quality: pd.DataFrame | None = None) -> dict[str, Any]:
    """Clusters by stars and the share of employment in starred clusters, with what was left out.

    ``quality``: the ``region_data_quality`` rows of the same NUTS version, level and year (optional).
    """
    of_kind = cells[cells["kind"] == kind] if "kind" in cells.columns and kind else cells
    have = usable(cells, kind=kind, quality=quality)
    excluded = set()
    if quality is not None and len(quality):
        excluded = set(quality.loc[quality["no_data"].astype(bool), "region"]) & set(of_kind["region"])
    stars = have["stars"].fillna(0).astype(int)
    by_stars = {int(k): int(v) for k, v in stars.value_counts().sort_index().items()}
    emp = float(have["employment"].sum())
    starred = float(have.loc[stars > 0, "employment"].sum())
    with_data = of_kind["employment"].notna()
    return {
        "kind": kind,
        "by_stars": by_stars,
        "starred": int((stars > 0).sum()),
        "starred_employment": starred,
        "employment": emp,
        "starred_share": starred / emp if emp else None,
        "clusters": len(have),
        "no_data": int((~with_data).sum()),
        "not_rankable": int(with_data.sum()) - len(have),
        "regions": int(have["region"].nunique()),
        "excluded_regions": sorted(excluded),
        "categories": int(have["category"].nunique()),
    }


def region_headlines(stars: pd.DataFrame, measures: pd.DataFrame, categories: pd.DataFrame,
                     quality: pd.DataFrame) -> pd.DataFrame:
    """``headline``'s figures for every scheme, NUTS version, level, year, region and kind (the stored table).

    A region flagged no-data keeps its row, with ``no_data`` true: pages show it grey and leave it out of
    rankings and of Europe's headline."""
    keys = ["nuts_version", "level", "region", "category", "year"]
    c = stars[[*keys, "scheme", "stars"]].merge(measures[[*keys, "employment", "rankable"]], on=keys, how="left")
    c = c.merge(categories[["category", "kind"]], on="category", how="left")
    have = c["employment"].notna()
    ok = have & c["rankable"].fillna(False).astype(bool)
    st = c["stars"].where(ok).fillna(0).astype(int)
    emp = c["employment"].where(ok, 0.0)
    c = c.assign(_cluster=ok.astype(int), _s3=(ok & (st == 3)).astype(int), _s2=(ok & (st == 2)).astype(int),
                 _s1=(ok & (st == 1)).astype(int), _starred=(ok & (st > 0)).astype(int),
                 _emp=emp, _starred_emp=emp.where(st > 0, 0.0), _not_rankable=(have & ~ok).astype(int),
                 _no_data=(~have).astype(int))
    group = ["scheme", "nuts_version", "level", "year", "region", "kind"]
    out = c.groupby(group, as_index=False).agg(
        stars_3=("_s3", "sum"), stars_2=("_s2", "sum"), stars_1=("_s1", "sum"), starred=("_starred", "sum"),
        starred_employment=("_starred_emp", "sum"), employment=("_emp", "sum"), clusters=("_cluster", "sum"),
        not_rankable=("_not_rankable", "sum"), cells_without_data=("_no_data", "sum"))
    out["starred_share"] = (out["starred_employment"] / out["employment"]).where(out["employment"] > 0)
    q = quality[["nuts_version", "level", "region", "year", "no_data"]]
    out = out.merge(q, on=["nuts_version", "level", "region", "year"], how="left")
    out["no_data"] = out["no_data"].fillna(False).astype(bool)
    return out


def compute_stage(store: Any, tables: dict[str, pd.DataFrame], progress: Any = None) -> dict[str, pd.DataFrame]:
    """The ``region_headlines`` table from the mapping just computed."""
    out = region_headlines(tables["cluster_stars"], tables["cluster_measures"], store.table("categories"),
                           tables["region_data_quality"])
    if progress:
        progress("headline figures", 1, 1)
    return {"region_headlines": out}
