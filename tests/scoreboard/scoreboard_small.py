"""A small hand-made scoreboard: 4 regions, 3 indicators in 2 dimensions (one missing cell, one imputed)."""

from __future__ import annotations

import pandas as pd

from clusterobs.scoreboard.registry import Dimension, Indicator, Registry, SubDimension

REGIONS = ["A", "B", "C", "D"]


def registry(*, w1: float = 1.0, transformation: str = "none") -> Registry:
    dims = (Dimension("d1", "Dimension 1", (SubDimension("s1", "Sub 1"),)),
            Dimension("d2", "Dimension 2", (SubDimension("s2", "Sub 2"),)),
            Dimension("d3", "Dimension 3 (no data)", (SubDimension("s3", "Sub 3"),)))
    inds = (Indicator("x1", "X one", "d1", "s1", "t", "x1", "u", 1, transformation, w1),
            Indicator("x2", "X two", "d1", "s1", "t", "x2", "u", -1),
            Indicator("x3", "X three", "d2", "s2", "t", "x3", "u", 1),
            Indicator("x4", "X four", "d3", "s3", "t", "x4", "u", 1))
    return Registry(dims, inds, file="small")


def observations() -> pd.DataFrame:
    rows = [("x1", "A", 2020, 10), ("x1", "B", 2020, 20), ("x1", "C", 2020, 30), ("x1", "D", 2020, 40),
            ("x2", "A", 2020, 5), ("x2", "B", 2020, 1), ("x2", "C", 2020, 3), ("x2", "D", 2019, 2),
            ("x2", "A", 2019, 4),
            ("x3", "A", 2020, 100), ("x3", "B", 2020, 200), ("x3", "D", 2020, 400)]
    return pd.DataFrame(rows, columns=["indicator", "region", "year", "value"])
