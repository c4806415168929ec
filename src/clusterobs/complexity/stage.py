"""The complexity stage of ``clusterobs compute`` (``STAGES`` in ``clusterobs.mapping.compute``).

Run after the mapping on its ``cluster_measures``: the economic complexity of every region and **traded** category
(the categories co-location relatedness is computed for; RCA is then relative to the region's traded employment, as
the mapping's LQ is) for every NUTS version, level and year the measures have, with the default threshold (RCA ≥ 1).
A missing employment counts as 0, as in ``clusterobs complexity``.
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
}
KINDS = ("traded",)
UNIT = ["nuts_version", "level"]

Progress = Callable[[str, int, int], None]


def compute_stage(store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None
                  ) -> dict[str, pd.DataFrame]:
    """The ``complexity`` table from this compute's ``cluster_measures`` and the store's ``categories``."""
    cats = store.table("categories")
    traded = set(cats.loc[cats["kind"].isin(KINDS), "category"])
    measures = tables["cluster_measures"]
    measures = measures[measures["category"].isin(traded)]
    units = sorted(measures[UNIT].drop_duplicates().itertuples(index=False, name=None))
    parts = []
    for i, (version, level) in enumerate(units, start=1):
        m = measures[(measures["nuts_version"] == version) & (measures["level"] == level)]
        df = m[["region", "category", "year", "employment"]].reset_index(drop=True)
        out = complexity_table(df, source=f"cluster_measures NUTS {version} level {level}")
        parts.append(out.assign(nuts_version=version, level=level))
        if progress:
            progress(f"complexity NUTS {version} level {level}", i, len(units))
    columns = [*UNIT, *COLUMNS]
    if not parts:
        return {"complexity": pd.DataFrame(columns=columns)}
    out = pd.concat(parts, ignore_index=True)[columns]
    out["nuts_version"] = out["nuts_version"].astype("int64")
    out["level"] = out["level"].astype("int64")
    out["region"] = out["region"].astype(str)
    out["category"] = out["category"].astype(str)
    return {"complexity": out}
