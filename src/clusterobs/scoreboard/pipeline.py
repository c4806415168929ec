"""The scoreboard pipeline: observations + registry → indicator values and scores, every step on the output.

Steps, per indicator: (1) imputation at the target year (``impute``), (2) transformation (``transform``), (3)
outlier treatment (``outliers``), (4) normalisation (``normalise``); then (5) weighted aggregation to
sub-dimensions, dimensions and the overall score, and (6) ranks. Prenormalised indicators (RIS scores) skip 2
and 3, and their normalisation is recorded as a second one.

The transformation comes before the outlier test: a configured log is the scale the indicator is compared on,
and winsorising is judged on the values that will be normalised.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clusterobs.scoreboard.aggregate import rank_desc, weighted_mean
from clusterobs.scoreboard.impute import impute_all
from clusterobs.scoreboard.normalise import NORMALISATIONS, normalise, transform
from clusterobs.scoreboard.outliers import winsorise
from clusterobs.scoreboard.registry import Registry

OVERALL = "overall"
VALUE_COLUMNS = ["region", "indicator", "dimension", "subdimension", "target_year", "year", "raw", "imputed",
                 "transformed", "outlier_treated", "treated", "normalised", "normalisation"]
SCORE_COLUMNS = ["region", "level", "name", "dimension", "score", "rank", "indicators_used", "normalisation",
                 "aggregation"]


@dataclass(frozen=True)
class Settings:
    """Pipeline options (kept as given; checked by ``check``)."""

    normalisation: str = "minmax"
    aggregation: str = "arithmetic"
    min_coverage: float = 0.5
    skew_max: float = 2.0
    kurt_max: float = 3.5
    win_max: int = 5
    min_year_share: float = 0.5
    min_region_share: float = 0.2

    def check(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"`normalisation` of the scoreboard must be one of {', '.join(NORMALISATIONS)}; "
                             f"got {self.normalisation!r}")
        if self.aggregation not in ("arithmetic", "geometric"):
            raise ValueError(f"`aggregation` of the scoreboard must be one of arithmetic, geometric; "
                             f"got {self.aggregation!r}")
        if self.aggregation == "geometric" and self.normalisation in ("zscore", "rank"):
            raise ValueError(f"`aggregation` geometric needs positive scores: use minmax or distance, not "
                             f"{self.normalisation}")
        if not 0 <= self.min_coverage <= 1:
            raise ValueError(f"`min_coverage` of the scoreboard must be within 0-1; got {self.min_coverage}")


@dataclass
class Result:
    """What the pipeline produced: long tables ready for the store, plus the wide normalised matrix."""

    values: pd.DataFrame
    scores: pd.DataFrame
    dimensions: pd.DataFrame
    treatments: pd.DataFrame
    normalised: pd.DataFrame          # regions × indicators
    settings: Settings
    notes: list[str] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        return asdict(self.settings)


def normalisation_label(how: str, prenormalised: bool, low: float) -> str:
    label = how if how != "minmax" or low == 0 else f"minmax[{low:g},100]"
    return f"{label} of a prenormalised score" if prenormalised else label


def indicator_values(obs: pd.DataFrame, registry: Registry, regions: list[str],
                     settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steps 1-4 for every indicator → (long values, one row of outlier statistics per indicator)."""
    low = 1.0 if settings.aggregation == "geometric" and settings.normalisation == "minmax" else 0.0
    ids = [i.id for i in registry.indicators]
    imputed = impute_all(obs, regions, ids, {i.id: i.year for i in registry.indicators},
                         min_share=settings.min_year_share)
    by_ind = {k: g.reset_index(drop=True) for k, g in imputed.groupby("indicator", sort=False)}
    frames, stats = [], []
    for ind in registry.indicators:
        v = by_ind[ind.id].drop(columns="indicator")
        have = int(v["raw"].notna().sum())
        sparse = 0 < have < settings.min_region_share * len(regions)
        if sparse:  # e.g. a national-only RIS indicator present for the single-region countries alone
            v["raw"] = float("nan")
            v["year"] = pd.array([pd.NA] * len(v), dtype="Int64")
            v["imputed"] = False
        if ind.prenormalised:
            v["transformed"] = v["raw"].astype(float)
            v["treated"] = v["transformed"]
            v["outlier_treated"] = False
            st = {"skew_before": np.nan, "kurt_before": np.nan, "skew_after": np.nan, "kurt_after": np.nan,
                  "treated_values": 0, "still_outlying": False}
        else:
            v["transformed"] = transform(v["raw"], ind.transformation)
            t = winsorise(v["transformed"], skew_max=settings.skew_max, kurt_max=settings.kurt_max,
                          win_max=settings.win_max)
            v["treated"] = t.values
            v["outlier_treated"] = t.treated.to_numpy()
            st = {"skew_before": t.skew_before, "kurt_before": t.kurt_before, "skew_after": t.skew_after,
                  "kurt_after": t.kurt_after, "treated_values": int(t.treated.sum()),
                  "still_outlying": t.still_outlying}
        v["normalised"] = normalise(v["treated"], settings.normalisation, direction=ind.direction, low=low)
        v["normalisation"] = normalisation_label(settings.normalisation, ind.prenormalised, low)
        v = v.assign(indicator=ind.id, dimension=ind.dimension, subdimension=ind.subdimension)
        domain = int((v["raw"].notna() & v["transformed"].isna()).sum())
        stats.append({"indicator": ind.id, "regions": int(v["raw"].notna().sum()), "regions_in_source": have,
                      "excluded": (f"too few regions: {have} of {len(regions)} (under "
                                   f"{settings.min_region_share:.0%})") if sparse else "",
                      "imputed": int(v["imputed"].sum()), "outside_domain": domain, **st})
        frames.append(v[VALUE_COLUMNS])
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=VALUE_COLUMNS)
    return values, pd.DataFrame(stats)


def aggregate_all(normalised: pd.DataFrame, registry: Registry, *, method: str = "arithmetic",
                  min_coverage: float = 0.5, ind_weights: pd.Series | None = None,
                  dim_weights: pd.Series | None = None) -> dict[tuple[str, str], tuple[pd.Series, pd.Series]]:
    """Scores of every sub-dimension, dimension and the overall: {(level, name): (score, indicators used)}."""
    iw = ind_weights if ind_weights is not None else pd.Series({i.id: i.weight for i in registry.indicators})
    present = normalised.notna()
    out: dict[tuple[str, str], tuple[pd.Series, pd.Series]] = {}
    dim_scores: dict[str, pd.Series] = {}
    dim_used: dict[str, pd.Series] = {}
    for dim in registry.dimensions:
        sub_scores: dict[str, pd.Series] = {}
        sub_used: dict[str, pd.Series] = {}
        for sub in dim.subdimensions:
            members = [i.id for i in registry.indicators if i.dimension == dim.id and i.subdimension == sub.id]
            members = [m for m in members if m in normalised.columns and present[m].any()]
            if not members:
                continue
            score, _ = weighted_mean(normalised[members], iw, method=method, min_coverage=min_coverage)
            key = f"{dim.id}/{sub.id}"
            sub_scores[key] = score
            sub_used[key] = present[members].sum(axis=1)
            out[("subdimension", key)] = (score, sub_used[key])
        if not sub_scores:
            continue
        sw = pd.Series({f"{dim.id}/{s.id}": s.weight for s in dim.subdimensions})
        score, _ = weighted_mean(pd.DataFrame(sub_scores), sw, method=method, min_coverage=min_coverage)
        used = pd.DataFrame(sub_used).sum(axis=1)
        dim_scores[dim.id], dim_used[dim.id] = score, used
        out[("dimension", dim.id)] = (score, used)
    if dim_scores:
        dw = dim_weights if dim_weights is not None else pd.Series({d.id: d.weight for d in registry.dimensions})
        score, _ = weighted_mean(pd.DataFrame(dim_scores), dw, method=method, min_coverage=min_coverage)
        out[("overall", OVERALL)] = (score, pd.DataFrame(dim_used).sum(axis=1))
    return out


def dimension_status(values: pd.DataFrame, registry: Registry, scores: pd.DataFrame) -> pd.DataFrame:
    """One row per sub-dimension: indicators configured, with data, regions scored, status in words."""
    rows = []
    have = values[values["raw"].notna()].groupby("indicator")["region"].nunique()
    for dim, sub in registry.subdimensions():
        inds = [i.id for i in registry.indicators if i.dimension == dim.id and i.subdimension == sub.id]
        with_data = [i for i in inds if have.get(i, 0) > 0]
        key = f"{dim.id}/{sub.id}"
        scored = scores[(scores["level"] == "subdimension") & (scores["name"] == key)]["score"].notna().sum()
        status = ("no data" if not with_data else "filled" if len(with_data) == len(inds) else "partly filled")
        rows.append({"dimension": dim.id, "dimension_name": dim.name, "subdimension": sub.id,
                     "subdimension_name": sub.name, "indicators_configured": len(inds),
                     "indicators_with_data": len(with_data), "regions_scored": int(scored), "status": status,
                     "missing_indicators": ",".join(i for i in inds if i not in with_data)})
    return pd.DataFrame(rows)


def run_pipeline(obs: pd.DataFrame, registry: Registry, regions: list[str],
                 settings: Settings | None = None) -> Result:
    """Run every step. ``obs``: long observations ``indicator``, ``region``, ``year``, ``value``."""
    settings = settings or Settings()
    settings.check()
    values, treatments = indicator_values(obs, registry, regions, settings)
    normalised = values.pivot(index="region", columns="indicator", values="normalised").reindex(
        index=regions, columns=[i.id for i in registry.indicators])
    agg = aggregate_all(normalised, registry, method=settings.aggregation, min_coverage=settings.min_coverage)
    dim_of = {f"{d.id}/{s.id}": d.id for d, s in registry.subdimensions()}
    frames = []
    for (level, name), (score, used) in agg.items():
        frames.append(pd.DataFrame({
            "region": regions, "level": level, "name": name,
            "dimension": dim_of.get(name, name if level == "dimension" else ""),
            "score": score.reindex(regions).to_numpy(), "rank": rank_desc(score).reindex(regions).to_numpy(),
            "indicators_used": used.reindex(regions).fillna(0).astype("int64").to_numpy()}))
    scores = (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SCORE_COLUMNS[:-2]))
    scores = scores.assign(normalisation=settings.normalisation, aggregation=settings.aggregation)
    scores["rank"] = scores["rank"].astype("Int64")
    status = dimension_status(values, registry, scores)
    notes = [f"{r.dimension_name} / {r.subdimension_name}: no data" for r in status.itertuples()
             if r.status == "no data"]
    return Result(values=values, scores=scores[SCORE_COLUMNS], dimensions=status, treatments=treatments,
                  normalised=normalised, settings=settings, notes=notes)
