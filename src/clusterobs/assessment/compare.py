"""Comparison statistics: a result against the anonymous aggregate of other completed results.

Only shown when at least ``MIN_PEERS`` other results exist, so that no single respondent can be read off the
aggregate. The statistics are per dimension and overall: count, mean, quartiles, and the share of peers scoring
below the result (its percentile rank, ties counted half).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

MIN_PEERS = 5


@dataclass(frozen=True)
class Stat:
    n: int
    mean: float
    q1: float
    median: float
    q3: float
    rank: float  # percentile rank of the result among the peers, 0-100

    @classmethod
    def of(cls, value: float, peers: list[float]) -> Stat:
        arr = np.asarray(peers, dtype=float)
        q1, med, q3 = np.percentile(arr, [25, 50, 75])
        rank = 100 * (float((arr < value).sum()) + 0.5 * float((arr == value).sum())) / len(arr)
        return cls(n=len(arr), mean=float(arr.mean()), q1=float(q1), median=float(med), q3=float(q3), rank=rank)


@dataclass(frozen=True)
class Comparison:
    n: int
    overall: Stat
    dimensions: dict[str, Stat]


def compare(result: Mapping[str, object], peers: Iterable[Mapping[str, object]], *,
            min_peers: int = MIN_PEERS) -> Comparison | None:
    """``result`` and each peer are ``{"overall": float, "dimensions": {id: float}}``; None below ``min_peers``."""
    peers = [p for p in peers if isinstance(p.get("dimensions"), Mapping)]
    if len(peers) < min_peers:
        return None
    dims: dict[str, Stat] = {}
    for dim_id, value in result["dimensions"].items():  # type: ignore[union-attr]
        values = [float(p["dimensions"][dim_id]) for p in peers if dim_id in p["dimensions"]]  # type: ignore
        if len(values) >= min_peers:
            dims[dim_id] = Stat.of(float(value), values)
    return Comparison(n=len(peers), overall=Stat.of(float(result["overall"]),  # type: ignore[arg-type]
                                                     [float(p["overall"]) for p in peers]), dimensions=dims)
