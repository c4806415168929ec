"""Step 3, outlier treatment (COINr's rule): an indicator whose absolute skewness exceeds ``skew_max`` (2) and
whose (excess) kurtosis exceeds ``kurt_max`` (3.5) is winsorised: the most extreme value on the side of the skew
is set to the next value inward, one at a time, until either statistic falls within bounds or ``win_max`` (5)
values have been treated. Which values were treated is returned, so the output can show them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Treatment:
    values: pd.Series           # after treatment (same index)
    treated: pd.Series          # bool: this value was winsorised
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float
    still_outlying: bool        # win_max reached with both statistics still high


def _stats(x: pd.Series) -> tuple[float, float]:
    x = x.dropna()
    if len(x) < 4 or x.nunique() < 2:
        return 0.0, 0.0
    return float(x.skew()), float(x.kurt())


def _outlying(skew: float, kurt: float, skew_max: float, kurt_max: float) -> bool:
    return abs(skew) > skew_max and kurt > kurt_max


def winsorise(values: pd.Series, *, skew_max: float = 2.0, kurt_max: float = 3.5, win_max: int = 5) -> Treatment:
    """Winsorise ``values`` (NaN kept) while skewness and kurtosis are both high."""
    x = values.astype(float).copy()
    treated = pd.Series(False, index=x.index)
    skew0, kurt0 = _stats(x)
    skew, kurt = skew0, kurt0
    n = 0
    while _outlying(skew, kurt, skew_max, kurt_max) and n < win_max:
        present = x.dropna()
        if skew > 0:
            top = present.max()
            inner = present[present < top]
            if inner.empty:
                break
            hit = x == top
            x[hit] = inner.max()
        else:
            low = present.min()
            inner = present[present > low]
            if inner.empty:
                break
            hit = x == low
            x[hit] = inner.min()
        treated |= hit.fillna(False)
        n = int(treated.sum())
        skew, kurt = _stats(x)
    return Treatment(values=x, treated=treated, skew_before=skew0, kurt_before=kurt0, skew_after=skew,
                     kurt_after=kurt, still_outlying=bool(_outlying(skew, kurt, skew_max, kurt_max)))


def finite_or_nan(x: float) -> float:
    return float(x) if np.isfinite(x) else float("nan")
