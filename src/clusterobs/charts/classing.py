"""Map classes: fixed breaks around a pivot, quantiles or equal intervals, rounded to nice values (UX.md §3).

A ``Classing`` holds the bins and their colours; ``assign`` gives each value its bin (-1 for no data). Labels
state the ranges with explicit operators ("0.5 ≤ LQ < 0.8").
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterobs.charts.palette import LQ_COLOURS, STAR_COLOURS, sequential

METHODS = ("quantile", "equal")
#: location quotient classes: symmetric around 1 on a ratio scale (½ and 2, 0.8 and 1.25), 2 is the star threshold
LQ_BREAKS = (0.5, 0.8, 1.25, 2.0, 4.0)

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Bin:
    lower: float | None  # inclusive; None = open below
    upper: float | None  # exclusive; None = open above
    colour: str
    label: str


@dataclass(frozen=True)
class Classing:
    method: str  # "stars", "fixed", "quantile", "equal"
    bins: tuple[Bin, ...]

    def assign(self, values: pd.Series) -> pd.Series:
        """The bin index of every value; -1 where the value is missing."""
        v = pd.to_numeric(values, errors="coerce").astype(float)
        out = pd.Series(-1, index=values.index, dtype=int)
        for i, b in enumerate(self.bins):
            hit = v.notna()
            if b.lower is not None:
                hit &= v >= b.lower
            if b.upper is not None:
                hit &= v < b.upper
            out[hit & (out == -1)] = i
        return out


def nice(x: float, digits: int = 2) -> float:
    """Round to ``digits`` significant digits (0.012345 → 0.012, 23456 → 23000)."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, -math.floor(math.log10(abs(x))) + digits - 1)


def _ranges(breaks: Sequence[float], name: str, fmt: Formatter) -> list[tuple[float | None, float | None, str]]:
    out: list[tuple[float | None, float | None, str]] = []
    edges: list[float | None] = [None, *breaks, None]
    for lo, hi in itertools.pairwise(edges):
        if lo is None and hi is not None:
            label = f"{name} < {fmt(hi)}"
        elif hi is None and lo is not None:
            label = f"{name} ≥ {fmt(lo)}"
        elif lo is not None and hi is not None:
            label = f"{fmt(lo)} ≤ {name} < {fmt(hi)}"
        else:
            label = name
        out.append((lo, hi, label))
    return out


def star_classes(labels: Sequence[str]) -> Classing:
    """Stars 0-3, one class each; ``labels`` names them (already translated)."""
    bins = tuple(Bin(float(s), float(s) + 1, STAR_COLOURS[s], labels[s]) for s in range(4))
    return Classing("stars", bins)


def count_classes(labels: Sequence[str], breaks: Sequence[float] = (1, 2, 3, 5)) -> Classing:
    """Small counts (e.g. 3-star clusters per region): 0, 1, 2, 3–4, 5+ on the star blues."""
    colours = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]
    edges = [0.0, *[float(b) for b in breaks], None]
    bins = tuple(Bin(lo, hi, colours[i], labels[i]) for i, (lo, hi) in enumerate(itertools.pairwise(edges)))
    return Classing("fixed", bins)


def lq_classes(name: str = "LQ", fmt: Formatter = lambda x: f"{x:g}") -> Classing:
    """Fixed breaks around LQ = 1 with a diverging palette."""
    ranges = _ranges(LQ_BREAKS, name, fmt)
    return Classing("fixed", tuple(Bin(lo, hi, c, lab) for (lo, hi, lab), c in zip(ranges, LQ_COLOURS,
                                                                                    strict=True)))


def data_classes(values: pd.Series, *, k: int = 5, method: str = "quantile", name: str = "x",
                 fmt: Formatter = lambda x: f"{x:g}") -> Classing:
    """Quantile (default) or equal-interval classes of the non-missing ``values``, breaks rounded to nice values.

    Equal intervals span the 2nd to 98th percentile, so one outlier does not flatten the map; the end classes
    are open. Fewer classes come back when the values do not support ``k`` distinct breaks.
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}; got {method!r}.")
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        return Classing(method, ())
    if method == "quantile":
        raw = np.quantile(v, [i / k for i in range(1, k)])
    else:
        lo, hi = np.quantile(v, [0.02, 0.98])
        raw = np.linspace(lo, hi, k + 1)[1:-1] if hi > lo else np.array([])
    breaks: list[float] = []
    for b in raw:
        nb = nice(float(b))
        if (not breaks or nb > breaks[-1]) and nb > v.min():
            breaks.append(nb)
    colours = sequential(len(breaks) + 1)
    ranges = _ranges(breaks, name, fmt)
    return Classing(method, tuple(Bin(lo, hi, c, lab) for (lo, hi, lab), c in zip(ranges, colours, strict=True)))
