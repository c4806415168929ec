"""Step 5, weighted aggregation: indicators → sub-dimension → dimension → overall.

At each level a parent's score is the weighted mean of its members' scores over the members the region has
(weights renormalised), provided those members carry at least ``min_coverage`` of the weight of the members
that have data anywhere; otherwise the region has no score at that level (missing, not zero). A member with no
data in any region does not count against coverage: the dimension it belongs to says it is not filled.

``arithmetic`` (default): Σ wᵢxᵢ / Σ wᵢ. ``geometric``: exp(Σ wᵢ ln xᵢ / Σ wᵢ), which needs positive scores
(min-max scores are taken on [1, 100] for it) and penalises uneven profiles (less compensation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.scoreboard.normalise import settled

AGGREGATIONS = ("arithmetic", "geometric")


def weighted_mean(scores: pd.DataFrame, weights: pd.Series, *, method: str = "arithmetic",
                  min_coverage: float = 0.5) -> tuple[pd.Series, pd.Series]:
    """Row-wise weighted mean of ``scores`` (regions × members; NaN = missing) → (score, members used)."""
    if method not in AGGREGATIONS:
        raise ValueError(f"`aggregation` must be one of {', '.join(AGGREGATIONS)}; got {method!r}")
    w = weights.reindex(scores.columns).astype(float).to_numpy()
    x = scores.to_numpy(dtype=float)
    present = ~np.isnan(x)
    filled = present.any(axis=0)                # members with data somewhere
    total = (w * filled).sum()
    have = (present * w).sum(axis=1)
    if method == "geometric":
        if np.nanmin(x, initial=np.inf) <= 0:
            raise ValueError("geometric aggregation needs scores above 0 (use min-max, rank+1 or distance)")
        num = (np.where(present, np.log(np.where(present, x, 1.0)), 0.0) * w).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.exp(num / have)
    else:
        num = (np.where(present, x, 0.0) * w).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = num / have
    ok = (have > 0) & (total > 0) & (have >= min_coverage * total - 1e-12)
    used = present.sum(axis=1)
    return (pd.Series(np.where(ok, score, np.nan), index=scores.index),
            pd.Series(used, index=scores.index, dtype="int64"))


def rank_desc(score: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties (equal to about 10 significant digits, ``settled``) share the best rank; missing
    scores have no rank."""
    s = pd.Series(settled(score.to_numpy(dtype=float, na_value=np.nan)), index=score.index)
    return s.rank(ascending=False, method="min").astype("Int64")
