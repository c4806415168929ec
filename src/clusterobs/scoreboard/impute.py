"""Step 1, imputation: each indicator is read at its target year; a region without a value that year takes its
latest available year instead, and the value is flagged (``imputed``) with the year actually used.

The target year is the indicator's configured ``year``, or else the latest year in which at least
``min_share`` of the regions the indicator ever covers have a value (so one early-published region does not set
the year for all). Regions with no value in any year stay missing: nothing is invented across regions.
"""

from __future__ import annotations

import pandas as pd


def target_year(obs: pd.DataFrame, *, min_share: float = 0.5) -> int:
    """The latest year covering at least ``min_share`` of the regions ``obs`` (one indicator) ever covers."""
    covered = obs.groupby("year")["region"].nunique().sort_index()
    total = obs["region"].nunique()
    good = covered[covered >= min_share * total]
    return int(good.index.max() if len(good) else covered.index.max())


def impute_latest(obs: pd.DataFrame, regions: list[str], *, year: int | None = None,
                  min_share: float = 0.5) -> pd.DataFrame:
    """One indicator's observations (``region``, ``year``, ``value``) → one row per region of ``regions``:
    ``region``, ``target_year``, ``year`` (used), ``raw`` (the observation used), ``imputed`` (bool)."""
    obs = obs[obs["region"].isin(regions) & obs["value"].notna()]
    out = pd.DataFrame({"region": regions})
    if obs.empty:
        return out.assign(target_year=pd.NA, year=pd.NA, raw=float("nan"), imputed=False).astype(
            {"target_year": "Int64", "year": "Int64"})
    target = int(year) if year is not None else target_year(obs, min_share=min_share)
    at_target = obs[obs["year"] == target].drop_duplicates("region").set_index("region")["value"]
    latest = obs.sort_values("year").drop_duplicates("region", keep="last").set_index("region")
    out["target_year"] = target
    has = out["region"].map(at_target)
    out["raw"] = has.fillna(out["region"].map(latest["value"]))
    out["year"] = out["region"].map(latest["year"]).where(has.isna(), target)
    out["imputed"] = has.isna() & out["raw"].notna()
    out["year"] = out["year"].where(out["raw"].notna()).astype("Int64")
    out["target_year"] = out["target_year"].astype("Int64")
    return out
