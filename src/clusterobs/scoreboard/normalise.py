"""Steps 2 and 4: transformation of an indicator's values and normalisation to a common scale.

Every normaliser maps higher-is-better (after ``direction``) to higher scores:
- ``minmax``: (x − min) / (max − min) × 100, within [0, 100] (the default; [1, 100] before a geometric mean)
- ``zscore``: (x − mean) / standard deviation (sample), mean 0, sd 1
- ``rank``: percentile rank, (rank − 1) / (n − 1) × 100, ties share their mean rank
- ``distance``: 100 × x / x_Europe (lower-is-better: 100 × (2 − x / x_Europe)); the European value scores 100.
  The European value is the unweighted mean of the regions with a value (the "average region", not the EU
  aggregate). An indicator with values ≤ 0 (z-scores, growth rates) has no ratio scale: there the score is
  100 + 100 × (x − x_Europe) / (max − min), still 100 at the European value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NORMALISATIONS = ("minmax", "zscore", "rank", "distance")


def settled(x: np.ndarray, bits: int = 34) -> np.ndarray:
    """``x`` rounded to ``bits`` significant bits (34: about 10 significant digits; NaN and ±inf kept), for ranking:
    values that differ only in the last bits of a sum (another engine adding in another order) rank as the tie
    they are."""
    x = np.asarray(x, dtype=float)
    mantissa, exponent = np.frexp(x)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(x), np.ldexp(np.round(np.ldexp(mantissa, bits)), exponent - bits), x)


def transform(x: pd.Series, how: str) -> pd.Series:
    """``none``, ``log`` (natural log; needs positive values), ``log1p`` (log(1 + x); x > −1), ``sqrt`` (x ≥ 0).
    A value outside the domain becomes NaN (reported by the caller)."""
    x = x.astype(float)
    if how == "none":
        return x
    if how == "log":
        return np.log(x.where(x > 0))
    if how == "log1p":
        return np.log1p(x.where(x > -1))
    if how == "sqrt":
        return np.sqrt(x.where(x >= 0))
    raise ValueError(f"`transformation` must be one of none, log, log1p, sqrt; got {how!r}")


def normalise(x: pd.Series, how: str = "minmax", *, direction: int = 1, low: float = 0.0,
              high: float = 100.0) -> pd.Series:
    """Normalise one indicator's values (NaN kept as NaN)."""
    x = x.astype(float)
    if how not in NORMALISATIONS:
        raise ValueError(f"`normalisation` must be one of {', '.join(NORMALISATIONS)}; got {how!r}")
    if x.isna().all():
        return x
    if how == "minmax":
        lo, hi = x.min(), x.max()
        if not np.isfinite(lo) or hi == lo:
            return pd.Series(np.where(x.notna(), (low + high) / 2, np.nan), index=x.index)
        scaled = (x - lo) / (hi - lo) if direction == 1 else (hi - x) / (hi - lo)
        return (low + scaled * (high - low)).clip(low, high)
    if how == "zscore":
        sd = x.std()
        if not np.isfinite(sd) or sd == 0:
            return pd.Series(np.where(x.notna(), 0.0, np.nan), index=x.index)
        return direction * (x - x.mean()) / sd
    if how == "rank":
        # ties to about 10 significant digits share their mean rank (last bits of a sum do not order regions)
        r = pd.Series(direction * settled(x.to_numpy(dtype=float, na_value=np.nan)), index=x.index).rank(
            method="average")
        n = int(x.notna().sum())
        return (r - 1) / (n - 1) * 100 if n > 1 else r.where(r.isna(), 50.0)
    if how == "distance":
        ref = x.mean()
        if x.min() > 0:  # a ratio scale: the share of the European value
            ratio = x / ref
            return 100 * ratio if direction == 1 else 100 * (2 - ratio)
        span = x.max() - x.min()  # values ≤ 0 (z-scores, growth rates): the gap in ranges, 100 at Europe
        if not np.isfinite(span) or span == 0:
            return pd.Series(np.where(x.notna(), 100.0, np.nan), index=x.index)
        return 100 + direction * 100 * (x - ref) / span
    raise ValueError(f"`normalisation` must be one of {', '.join(NORMALISATIONS)}; got {how!r}")


def normalise_matrix(x: np.ndarray, how: str, directions: np.ndarray, *, low: float = 0.0,
                     high: float = 100.0) -> np.ndarray:
    """Column-wise ``normalise`` of a regions × indicators array (NaN = missing), for the Monte Carlo."""
    out = np.empty_like(x, dtype=float)
    for j in range(x.shape[1]):
        out[:, j] = normalise(pd.Series(x[:, j]), how, direction=int(directions[j]), low=low, high=high).to_numpy()
    return out
