"""Correlations with confidence intervals, for the Panorama's competitiveness analysis.

- Pearson's r with the Fisher z interval: z = atanh(r), SE = 1 / sqrt(n - 3), bounds tanh(z ± q·SE).
- Spearman's ρ with the Fisher z interval and the Bonett–Wright (2000) standard error
  SE = sqrt((1 + ρ² / 2) / (n - 3)) (Bonett, D. G. & Wright, T. A., "Sample size requirements for estimating
  Pearson, Kendall and Spearman correlations", Psychometrika 65, 23–28), which is deterministic (no bootstrap).
- p-values are scipy's (t distribution with n - 2 degrees of freedom for both).

Only regions with both values present enter; ``n`` is that count. Fewer than 4 regions give no interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95
MIN_REGIONS = 4


@dataclass(frozen=True)
class Correlation:
    n: int
    pearson: float
    pearson_low: float
    pearson_high: float
    pearson_p: float
    spearman: float
    spearman_low: float
    spearman_high: float
    spearman_p: float

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def fisher_interval(r: float, n: int, *, se_factor: float = 1.0, confidence: float = CONFIDENCE) -> tuple[float,
                                                                                                          float]:
    """The Fisher z interval of a correlation ``r`` from ``n`` pairs; ``se_factor`` scales 1/sqrt(n-3)."""
    if n < MIN_REGIONS or not math.isfinite(r):
        return math.nan, math.nan
    q = float(stats.norm.ppf(0.5 + confidence / 2))
    z = math.atanh(max(min(r, 1 - 1e-12), -1 + 1e-12))
    se = se_factor / math.sqrt(n - 3)
    return math.tanh(z - q * se), math.tanh(z + q * se)


def correlate(x: pd.Series, y: pd.Series, *, confidence: float = CONFIDENCE) -> Correlation:
    """Pearson and Spearman correlations of ``x`` and ``y`` (aligned by index) with their intervals."""
    pair = pd.concat([pd.to_numeric(x, errors="coerce"), pd.to_numeric(y, errors="coerce")], axis=1).dropna()
    n = len(pair)
    if n < MIN_REGIONS or pair.iloc[:, 0].nunique() < 2 or pair.iloc[:, 1].nunique() < 2:
        nan = math.nan
        return Correlation(n, nan, nan, nan, nan, nan, nan, nan, nan)
    a, b = pair.iloc[:, 0].to_numpy(dtype=float), pair.iloc[:, 1].to_numpy(dtype=float)
    pr = stats.pearsonr(a, b)
    sr = stats.spearmanr(a, b)
    r, rho = float(pr.statistic), float(sr.statistic)
    p_lo, p_hi = fisher_interval(r, n, confidence=confidence)
    s_lo, s_hi = fisher_interval(rho, n, se_factor=math.sqrt(1 + rho**2 / 2), confidence=confidence)
    return Correlation(n, r, p_lo, p_hi, float(pr.pvalue), rho, s_lo, s_hi, float(sr.pvalue))


def fit_line(x: pd.Series, y: pd.Series) -> tuple[float, float] | None:
    """Least-squares slope and intercept of y on x (for the scatter's trend line)."""
    pair = pd.concat([x, y], axis=1).dropna()
    if len(pair) < 2 or pair.iloc[:, 0].nunique() < 2:
        return None
    slope, intercept = np.polyfit(pair.iloc[:, 0].astype(float), pair.iloc[:, 1].astype(float), 1)
    return float(slope), float(intercept)
