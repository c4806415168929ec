"""Technology-intensity shares from the SBS industry panel (METHODOLOGY.md, "Technology-intensity aggregates").

Eurostat's aggregation of NACE Rev. 2 divisions: high-tech manufacturing C21, C26; medium-high C20, C27–C30;
medium-low C19, C22–C25, C33; low C10–C18, C31–C32; knowledge-intensive services (KIS) 50–51, 58–66, 69–75,
78, 80, 84–93, of which high-tech KIS 59–63 and 72. Each share is computed only over the divisions the panel
holds: its numerator over the aggregate's divisions present, its denominator the region's employment over every
division present (the SBS business economy: B–N without K, plus S95). The divisions of an aggregate the data lack
are listed in ``missing`` (K64–K66 and O84–R93 for KIS).
"""

from __future__ import annotations

import pandas as pd


def _divisions(*spans: tuple[int, int]) -> list[int]:
    return [d for a, b in spans for d in range(a, b + 1)]


AGGREGATES: dict[str, tuple[str, list[int]]] = {
    "high_tech_manufacturing": ("High-technology manufacturing", [21, 26]),
    "medium_high_tech_manufacturing": ("Medium-high-technology manufacturing", [20, 27, 28, 29, 30]),
    "medium_low_tech_manufacturing": ("Medium-low-technology manufacturing", [19, 22, 23, 24, 25, 33]),
    "low_tech_manufacturing": ("Low-technology manufacturing", _divisions((10, 18), (31, 32))),
    "knowledge_intensive_services": ("Knowledge-intensive services",
                                     _divisions((50, 51), (58, 66), (69, 75), (78, 78), (80, 80), (84, 93))),
    "high_tech_kis": ("High-tech knowledge-intensive services", _divisions((59, 63), (72, 72))),
}
#: the shares published as scoreboard indicators (source ``technology_intensity`` in the registry)
SHARES: dict[str, tuple[str, ...]] = {
    "high_tech_manufacturing": ("high_tech_manufacturing",),
    "high_medium_high_tech_manufacturing": ("high_tech_manufacturing", "medium_high_tech_manufacturing"),
    "knowledge_intensive_services": ("knowledge_intensive_services",),
    "high_tech_kis": ("high_tech_kis",),
}


def division_number(industry: str) -> int | None:
    """``C21`` → 21; a code that is not a division → None."""
    digits = industry[1:]
    return int(digits) if len(industry) == 3 and digits.isdigit() else None


def coverage(panel_divisions: set[int]) -> pd.DataFrame:
    """Per share: divisions defined, present in the data, and missing (comma-separated)."""
    rows = []
    for share, aggs in SHARES.items():
        defined = sorted({d for a in aggs for d in AGGREGATES[a][1]})
        missing = [d for d in defined if d not in panel_divisions]
        rows.append({"share": share, "divisions": len(defined), "covered": len(defined) - len(missing),
                     "missing": ",".join(f"{d:02d}" for d in missing)})
    return pd.DataFrame(rows)


def technology_shares(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``panel``: ``region``, ``industry`` (C21…), ``year``, ``employment`` (one NUTS version and level).

    Returns (observations ``indicator``, ``region``, ``year``, ``value`` in % of the covered total,
    coverage per share)."""
    p = panel.assign(division=panel["industry"].map(division_number)).dropna(subset=["division", "employment"])
    p["division"] = p["division"].astype(int)
    total = p.groupby(["region", "year"])["employment"].sum()
    frames = []
    for share, aggs in SHARES.items():
        divs = {d for a in aggs for d in AGGREGATES[a][1]}
        num = p[p["division"].isin(divs)].groupby(["region", "year"])["employment"].sum().reindex(total.index,
                                                                                               fill_value=0.0)
        value = (100 * num / total).where(total > 0)
        frames.append(value.rename("value").reset_index().assign(indicator=share))
    obs = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    return obs[["indicator", "region", "year", "value"]], coverage(set(p["division"]))
