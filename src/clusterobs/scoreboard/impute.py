"""Step 1, imputation: each indicator is read at its target year; a region without a value that year takes its
latest available year instead, and the value is flagged (``imputed``) with the year actually used.

The target year is the indicator's configured ``year``, or else the latest year in which at least
``min_share`` of the regions the indicator ever covers have a value (so one early-published region does not set
the year for all). Regions with no value in any year stay missing: nothing is invented across regions.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

COLUMNS = ["indicator", "region", "target_year", "year", "raw", "imputed"]


def target_years(obs: pd.DataFrame, *, min_share: float = 0.5) -> pd.Series:
    """Per indicator, the latest year covering at least ``min_share`` of the regions it ever covers."""
    covered = obs.groupby(["indicator", "year"])["region"].nunique().rename("n").reset_index()
    total = obs.groupby("indicator")["region"].nunique()
    covered["ok"] = covered["n"] >= min_share * covered["indicator"].map(total)
    good = covered[covered["ok"]].groupby("indicator")["year"].max()
    return good.reindex(total.index).fillna(covered.groupby("indicator")["year"].max()).astype(int)


def impute_all(obs: pd.DataFrame, regions: list[str], indicators: list[str],
               years: Mapping[str, int | None] | None = None, *, min_share: float = 0.5) -> pd.DataFrame:
    """Observations (``indicator``, ``region``, ``year``, ``value``) → one row per indicator × region of
    ``regions``: ``target_year``, ``year`` (used), ``raw`` (the observation used), ``imputed`` (bool)."""
    obs = obs[obs["region"].isin(set(regions)) & obs["value"].notna() & obs["indicator"].isin(set(indicators))]
    grid = pd.MultiIndex.from_product([indicators, regions], names=["indicator", "region"]).to_frame(index=False)
    target = target_years(obs, min_share=min_share) if len(obs) else pd.Series(dtype=int)
    for ind, year in (years or {}).items():
        if year is not None and ind in indicators:
            target.loc[ind] = int(year)
    grid["target_year"] = grid["indicator"].map(target).astype("Int64")
    at = obs.merge(target.rename("target_year").reset_index(), on="indicator")
    at = at[at["year"] == at["target_year"]].drop_duplicates(["indicator", "region"])
    latest = obs.sort_values("year", kind="stable").drop_duplicates(["indicator", "region"], keep="last")
    out = grid.merge(at[["indicator", "region", "value"]].rename(columns={"value": "at_target"}),
                     on=["indicator", "region"], how="left")
    out = out.merge(latest[["indicator", "region", "year", "value"]].rename(columns={"value": "latest"}),
                    on=["indicator", "region"], how="left")
    has = out["at_target"].notna()
    out["raw"] = out["at_target"].where(has, out["latest"]).astype(float)
    out["year"] = out["target_year"].where(has, out["year"]).where(out["raw"].notna()).astype("Int64")
    out["imputed"] = (~has) & out["raw"].notna()
    return out[COLUMNS]


def impute_latest(obs: pd.DataFrame, regions: list[str], *, year: int | None = None,
                  min_share: float = 0.5) -> pd.DataFrame:
    """``impute_all`` for the observations of one indicator (``region``, ``year``, ``value``)."""
    one = obs.assign(indicator="_")
    return impute_all(one, regions, ["_"], {"_": year}, min_share=min_share).drop(columns="indicator")
