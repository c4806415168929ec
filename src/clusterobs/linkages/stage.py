"""The linkages stage of ``clusterobs compute``: relatedness, related pairs, opportunities and emerging industries.

Run after the mapping (``STAGES`` in ``clusterobs.compute``) on its ``cluster_measures`` and
``industry_panel``, with the store's ``categories``, ``concordance`` and ``cluster_relatedness`` (US CMP).
Co-location relatedness, related pairs and densities are computed for the traded categories of each unit in
``UNITS`` (NUTS 2021 level 2 by default), every year the measures have.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from clusterobs.linkages.density import opportunities
from clusterobs.linkages.emerging import composition, regional_shares
from clusterobs.linkages.relatedness import (
    DEFAULT_PERCENTILE,
    colocation,
    related_pairs,
    square,
    uscmp_relatedness,
)
from clusterobs.store import Store

#: (NUTS version, level) units the relatedness and densities are computed for
UNITS = ((2021, 2),)
#: the categories related to each other: the traded ones (what co-location and the US CMP matrix are about; the
#: emerging industries are made of the same industries, local categories serve local demand)
KINDS = ("traded",)
#: the method the densities use
DENSITY_METHOD = "colocation_share"
#: the US CMP measure published as method ``uscmp``: the overall relatedness score
USCMP_MEASURE = "cr_all"

TABLES = {
    "relatedness": "Relatedness of every ordered pair of traded categories: co-location per NUTS version, level and "
    "year (correlation across regions of employment shares, colocation_share, or of log LQ, colocation_loglq) and "
    "the US Cluster Mapping overall score (uscmp, cr_all; no year or unit)",
    "related_pairs": "Related pairs of each relatedness matrix: unordered pairs at or above the percentile cutoff "
    "(default 90th: the top 10% of pairs), ranked",
    "region_opportunities": "Density of every traded category in every region (relatedness-weighted share of its "
    "related categories in which the region is specialised, LQ >= 1), with the rank among the categories the "
    "region is not specialised in",
    "emerging_composition": "What makes up each emerging industry: its NACE classes and divisions (weights) and the "
    "traded and local categories it shares European employment with",
    "emerging_shares": "Each emerging industry's employment per region and year as a share of the region's "
    "employment in all industries of the data, with LQ and share of Europe",
}

Progress = Callable[[str, int, int], None]


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS[name])


COLUMNS = {
    "relatedness": ["method", "nuts_version", "level", "year", "category_i", "category_j", "value", "regions_used"],
    "related_pairs": ["method", "nuts_version", "level", "year", "category_i", "category_j", "value", "rank",
                      "cutoff", "percentile"],
    "region_opportunities": ["nuts_version", "level", "region", "year", "category", "density", "lq", "specialised",
                             "rank"],
    "emerging_shares": ["nuts_version", "level", "region", "year", "emerging", "employment", "economy_employment",
                        "share", "lq", "share_europe", "imputed_share", "rank"],
}


def compute_stage(store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None,
                  *, units: tuple[tuple[int, int], ...] = UNITS, percentile: float = DEFAULT_PERCENTILE
                  ) -> dict[str, pd.DataFrame]:
    """Every table of ``TABLES`` from this compute's mapping tables and the published store."""
    cats = store.table("categories")
    concordance = store.table("concordance")
    traded = sorted(cats.loc[cats["kind"].isin(KINDS), "category"])
    emerging = sorted(cats.loc[cats["kind"] == "emerging", "category"])
    measures, panel = tables["cluster_measures"], tables["industry_panel"]
    rel, pairs, opps, shares = [], [], [], []
    for i, (version, level) in enumerate(units, start=1):
        unit = {"nuts_version": version, "level": level}
        m = measures[(measures["nuts_version"] == version) & (measures["level"] == level)]
        ip = panel[(panel["nuts_version"] == version) & (panel["level"] == level)]
        mt = m[m["category"].isin(traded)]
        present = set(mt["category"])
        for method in ("colocation_share", "colocation_loglq"):
            long = colocation(mt, method=method, categories=[c for c in traded if c in present])
            rel.append(long.assign(method=method, **unit))
            for year, one in long.groupby("year"):
                pairs.append(related_pairs(one, percentile=percentile).assign(
                    method=method, year=int(year), percentile=percentile, **unit))
                if method == DENSITY_METHOD:
                    lq = mt[mt["year"] == year][["region", "category", "lq"]]
                    opps.append(opportunities(lq, square(one)).assign(year=int(year), **unit))
        shares.append(regional_shares(m, ip, emerging).assign(**unit))
        if progress:
            progress(f"linkages NUTS {version} level {level}", i, len(units))
    us = uscmp_relatedness(store.table("cluster_relatedness"), cats, measure=USCMP_MEASURE)
    us = us[us["category_i"].isin(traded) & us["category_j"].isin(traded)]
    rel.append(us.assign(method="uscmp", nuts_version=pd.NA, level=pd.NA, year=pd.NA, regions_used=pd.NA))
    pairs.append(related_pairs(us, percentile=percentile).assign(method="uscmp", nuts_version=pd.NA, level=pd.NA,
                                                                 year=pd.NA, percentile=percentile))
    main_unit = units[0]
    latest = panel[(panel["nuts_version"] == main_unit[0]) & (panel["level"] == main_unit[1])]
    latest = latest[latest["year"] == latest["year"].max()]
    out = {
        "relatedness": _frame("relatedness", rel),
        "related_pairs": _frame("related_pairs", pairs),
        "region_opportunities": _frame("region_opportunities", opps),
        "emerging_composition": composition(concordance, cats, latest),
        "emerging_shares": _frame("emerging_shares", shares),
    }
    return out


def _frame(name: str, parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty(name)
    df = pd.concat(parts, ignore_index=True)[COLUMNS[name]]
    for col in ("nuts_version", "level", "year", "regions_used", "rank"):
        if col in df:
            df[col] = df[col].astype("Int64")
    for col in ("value", "cutoff", "percentile", "density", "lq", "employment", "economy_employment", "share",
                "share_europe", "imputed_share"):
        if col in df:
            df[col] = df[col].astype(float)
    if "specialised" in df:
        df["specialised"] = df["specialised"].astype("boolean")
    return df
