"""The complexity stage of ``clusterobs compute`` (``STAGES`` in ``clusterobs.compute``).

Run after the mapping on its ``cluster_measures`` and ``industry_panel``: the economic complexity of every region and
**traded** category (the categories co-location relatedness is computed for; RCA is then relative to the region's
traded employment, as the mapping's LQ is), and of every region and **NACE division** of the mapped industry panel
(RCA relative to the region's business-economy employment in the panel), for every NUTS version, level and year,
with the default threshold (RCA ≥ 1). A missing employment counts as 0, as in ``clusterobs complexity``. (The SBS
data have divisions only, so there is no table of NACE classes.)
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from clusterobs.complexity.table import COLUMNS, complexity_table
from clusterobs.store import Store

TABLES = {
    "complexity": "Economic complexity of every region and traded category per NUTS version, level and year "
    "(docs/complexity.md: the conventions of Harvard Growth Lab's ecomplexity, M = RCA >= 1 over the traded "
    "categories): rca, mcp, density, eci, pci, diversity, ubiquity, coi, cog",
    "complexity_nace": "Economic complexity of every region and NACE division of the mapped industry panel per NUTS "
    "version, level and year (as complexity, with `industry` for `category`; M = RCA >= 1 over the panel's "
    "divisions)",
}
KINDS = ("traded",)
UNIT = ["nuts_version", "level"]

Progress = Callable[[str, int, int], None]


def compute_stage(store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None
                  ) -> dict[str, pd.DataFrame]:
    """The ``complexity`` table from this compute's ``cluster_measures`` and the store's ``categories``, and the
    ``complexity_nace`` table from its ``industry_panel``."""
    cats = store.table("categories")
    traded = set(cats.loc[cats["kind"].isin(KINDS), "category"])
    measures = tables["cluster_measures"]
    measures = measures[measures["category"].isin(traded)]
    out = {"complexity": _per_unit(measures, "category", "cluster_measures", progress)}
    panel = tables.get("industry_panel")
    if panel is None:
        panel = pd.DataFrame(columns=[*UNIT, "region", "industry", "year", "employment"])
    out["complexity_nace"] = _per_unit(panel, "industry", "industry_panel", progress)
    return out


def _per_unit(frame: pd.DataFrame, key: str, source: str, progress: Progress | None) -> pd.DataFrame:
    """``complexity_table`` of ``frame`` (``region, <key>, year, employment``) for each NUTS version and level."""
    units = sorted(frame[UNIT].drop_duplicates().itertuples(index=False, name=None))
    parts = []
    for i, (version, level) in enumerate(units, start=1):
        m = frame[(frame["nuts_version"] == version) & (frame["level"] == level)]
        df = m[["region", key, "year", "employment"]].rename(columns={key: "category"}).reset_index(drop=True)
        df["employment"] = df["employment"].astype("float64")
        part = complexity_table(df, source=f"{source} NUTS {version} level {level}")
        parts.append(part.assign(nuts_version=version, level=level))
        if progress:
            progress(f"complexity of {source} NUTS {version} level {level}", i, len(units))
    columns = [*UNIT, *COLUMNS]
    if not parts:
        return pd.DataFrame(columns=columns).rename(columns={"category": key})
    out = pd.concat(parts, ignore_index=True)[columns]
    out["nuts_version"] = out["nuts_version"].astype("int64")
    out["level"] = out["level"].astype("int64")
    out["region"] = out["region"].astype(str)
    out["category"] = out["category"].astype(str)
    return out.rename(columns={"category": key})
