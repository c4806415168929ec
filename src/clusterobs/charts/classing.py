"""Map classes: fixed breaks around a pivot, quantiles, equal intervals or natural breaks (Fisher-Jenks), rounded
to nice values (UX.md §3).

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

from clusterobs.charts.palette import GROWTH_COLOURS, LQ_COLOURS, STAR_COLOURS, sequential

METHODS = ("quantile", "equal", "jenks")
#: location quotient classes: symmetric around 1 on a ratio scale (½ and 2, 0.8 and 1.25), 2 is the star threshold
LQ_BREAKS = (0.5, 0.8, 1.25, 2.0, 4.0)
#: growth classes (compound annual growth, a fraction a year): symmetric around 0, so decline and growth of the same
#: pace get the same depth of colour; 0 is a break, so the sign of a value is the side of the scale it is on
GROWTH_BREAKS = (-0.05, -0.02, 0.0, 0.02, 0.05)

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


def growth_classes(name: str = "growth", fmt: Formatter = lambda x: f"{x:+.0%}") -> Classing:
    """Fixed breaks symmetric around 0 (no growth) with a diverging palette: three classes of decline, three of
    growth (``GROWTH_BREAKS``)."""
    ranges = _ranges(GROWTH_BREAKS, name, fmt)
    return Classing("fixed", tuple(Bin(lo, hi, c, lab) for (lo, hi, lab), c in zip(ranges, GROWTH_COLOURS,
                                                                                    strict=True)))


def jenks_classes(values: Sequence[float] | np.ndarray, k: int) -> list[np.ndarray]:
    """Fisher-Jenks natural breaks: the split of the sorted ``values`` into ``k`` contiguous classes with the
    smallest total within-class sum of squared deviations (Fisher 1958, "On grouping for maximum homogeneity";
    Jenks' natural breaks are its iterative approximation), found exactly by dynamic programming in O(k·n²).

    Returns the classes as sorted arrays; fewer than ``k`` when there are fewer distinct values.
    """
    v = np.sort(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    n = len(v)
    k = min(k, len(np.unique(v)))
    if n == 0 or k <= 1:
        return [v] if n else []
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])

    def sse(i: np.ndarray, j: int) -> np.ndarray:
        """Sum of squared deviations of v[i:j] (vectorised over the starts i)."""
        m = j - i
        total = s1[j] - s1[i]
        return (s2[j] - s2[i]) - total * total / m

    # cost[c, j]: best cost of v[:j] in c + 1 classes; start[c, j]: where its last class starts
    cost = np.full((k, n + 1), np.inf)
    start = np.zeros((k, n + 1), dtype=int)
    cost[0, 1:] = [sse(np.array([0]), j)[0] for j in range(1, n + 1)]
    for c in range(1, k):
        for j in range(c + 1, n + 1):
            i = np.arange(c, j)  # the last class is v[i:j], the first c classes take v[:i]
            total = cost[c - 1, i] + sse(i, j)
            best = int(np.argmin(total))
            cost[c, j], start[c, j] = total[best], i[best]
    bounds, j = [], n
    for c in range(k - 1, 0, -1):
        i = int(start[c, j])
        bounds.append(i)
        j = i
    edges = [0, *reversed(bounds), n]
    return [v[a:b] for a, b in itertools.pairwise(edges)]


def nice_between(lo: float, hi: float) -> float:
    """The roundest number in (lo, hi]: the midpoint with the fewest significant digits that stays inside."""
    mid = (lo + hi) / 2
    for digits in range(1, 7):
        x = nice(mid, digits)
        if lo < x <= hi:
            return x
    return hi


def jenks_breaks(values: Sequence[float] | np.ndarray, k: int) -> list[float]:
    """The ``k - 1`` lower bounds (inclusive) of Fisher-Jenks classes 2…k, each a round number in the gap
    between one class's largest value and the next class's smallest."""
    classes = jenks_classes(values, k)
    breaks: list[float] = []
    for a, b in itertools.pairwise(classes):
        x = nice_between(float(a[-1]), float(b[0]))
        if not breaks or x > breaks[-1]:
            breaks.append(x)
    return breaks


def data_classes(values: pd.Series, *, k: int = 5, method: str = "quantile", name: str = "x",
                 fmt: Formatter = lambda x: f"{x:g}") -> Classing:
    """Quantile (default), equal-interval or natural-breaks (``jenks``) classes of the non-missing ``values``,
    breaks rounded to nice values.

    Equal intervals span the 2nd to 98th percentile, so one outlier does not flatten the map; the end classes
    are open. Natural breaks (Fisher-Jenks, exact) keep every value in the class the optimum puts it in: each
    break is the roundest number between two classes. Fewer classes come back when the values do not support
    ``k`` distinct breaks.
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}; got {method!r}.")
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        return Classing(method, ())
    if method == "jenks":
        breaks = jenks_breaks(v, k)
    else:
        if method == "quantile":
            raw = np.quantile(v, [i / k for i in range(1, k)])
        else:
            lo, hi = np.quantile(v, [0.02, 0.98])
            raw = np.linspace(lo, hi, k + 1)[1:-1] if hi > lo else np.array([])
        breaks = []
        for b in raw:
            nb = nice(float(b))
            if (not breaks or nb > breaks[-1]) and nb > v.min():
                breaks.append(nb)
    colours = sequential(len(breaks) + 1)
    ranges = _ranges(breaks, name, fmt)
    return Classing(method, tuple(Bin(lo, hi, c, lab) for (lo, hi, lab), c in zip(ranges, colours, strict=True)))
