"""The parity checks shared by the Spark tests (local mode and the standalone cluster): DuckDB's
tables against Spark's, keyed rows, floats within 1e-9 relative, everything else exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterobs.mapping.compute import ENGINE_TABLES

TABLES = ENGINE_TABLES
UNIT = {"nuts_version": 2021, "level": 2}
KEYS = {
    "industry_panel": ["region", "industry", "year"],
    "category_data_coverage": ["category"],
    "cluster_measures": ["region", "category", "year"],
    "cluster_stars": ["scheme", "region", "category", "year"],
    "cluster_star_tests": ["scheme", "region", "category", "year", "test", "condition"],
    "region_totals": ["region", "year"],
    "region_data_quality": ["region", "year"],
}
RTOL = 1e-9


def _codes(x: pd.Series, y: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``x`` and ``y`` on one shared factorisation: equal values get the same code, every missing
    value (None, NaN, NA) -1. Comparing codes is comparing the values exactly, without a Python object per cell."""
    codes, _ = pd.factorize(pd.concat([x, y], ignore_index=True))
    return codes[:len(x)], codes[len(x):]


def _orders(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], label: str) -> tuple[np.ndarray, np.ndarray]:
    """The row orders of ``a`` and ``b`` by ``keys`` (asserted unique in each): the same order on both, by the keys'
    shared codes (``_codes``, missing as one more code) folded into one integer per row."""
    folded = [np.zeros(len(a), dtype=np.int64), np.zeros(len(b), dtype=np.int64)]
    span = 1
    for k in keys:
        ca, cb = _codes(a[k], b[k])
        n = int(max(ca.max(initial=-1), cb.max(initial=-1))) + 2
        span *= n
        assert span < 2**62, f"{label}: too many distinct keys {keys} to fold into one integer"
        for side, c in enumerate((ca, cb)):
            folded[side] = folded[side] * n + (c + 1)
    orders = []
    for side in folded:
        order = np.argsort(side, kind="stable")
        assert not (np.diff(side[order]) == 0).any(), f"{label}: keys {keys} are not unique"
        orders.append(order)
    return orders[0], orders[1]


def _floats(x: pd.Series) -> np.ndarray:
    return pd.to_numeric(x, errors="raise").astype("float64").to_numpy()


def assert_same_frame(name: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """Same columns and dtypes, same rows on the keys; floats within RTOL (NULL where NULL), all else exactly."""
    keys = KEYS[name]
    assert list(ours.columns) == list(theirs.columns), name
    assert ours.dtypes.astype(str).to_dict() == theirs.dtypes.astype(str).to_dict(), name
    assert len(ours) == len(theirs), f"{name}: {len(ours)} rows on DuckDB, {len(theirs)} on PySpark"
    oa, ob = _orders(ours, theirs, keys, name)

    def rows(mask: np.ndarray, col: str, values: np.ndarray) -> pd.DataFrame:
        shown = ours[[*keys, col]].iloc[oa].reset_index(drop=True)
        return shown[mask].assign(pyspark=values[mask])

    for col in ours.columns:
        x, y = ours[col], theirs[col]
        where = f"{name}.{col}"
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            xv, yv = _floats(x)[oa], _floats(y)[ob]
            null_x, null_y = np.isnan(xv), np.isnan(yv)
            bad = null_x != null_y
            assert not bad.any(), f"{where}: NULL on one backend only, e.g.\n{rows(bad, col, yv)[keys].head()}"
            ok = np.ones(len(xv), dtype=bool)
            ok[~null_x] = np.isclose(xv[~null_x], yv[~null_y], rtol=RTOL, atol=0.0)
            if not ok.all():
                pytest.fail(f"{where}: {int((~ok).sum())} values differ beyond {RTOL:g} relative:\n"
                            f"{rows(~ok, col, yv).head()}")
        else:
            cx, cy = _codes(x, y)
            same = cx[oa] == cy[ob]  # equal values, or missing on both
            if not same.all():
                pytest.fail(f"{where}: {int((~same).sum())} values differ:\n"
                            f"{rows(~same, col, y.to_numpy(dtype=object)[ob]).head()}")


def star_counts(stars: pd.DataFrame) -> dict[str, dict[int, int]]:
    return {s: {int(k): int(v) for k, v in g["stars"].value_counts().sort_index().items()}
            for s, g in stars.groupby("scheme")}


def assert_same_columns(a: pd.DataFrame, b: pd.DataFrame, label: str, *, keys: list[str] | None = None) -> None:
    """Same columns and rows (sorted on ``keys`` when given); floats within RTOL with NULL where NULL,
    everything else exactly."""
    assert list(a.columns) == list(b.columns), label
    assert len(a) == len(b), f"{label}: {len(a)} rows on DuckDB, {len(b)} on Spark"
    oa, ob = _orders(a, b, keys, label) if keys else (np.arange(len(a)), np.arange(len(b)))
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_float_dtype(x):
            xv, yv = x.to_numpy(dtype=float)[oa], y.to_numpy(dtype=float)[ob]
            assert (np.isnan(xv) == np.isnan(yv)).all(), f"{label}.{col}: NULL on one engine only"
            ok = np.isclose(xv, yv, rtol=RTOL, atol=0.0, equal_nan=True)
            assert ok.all(), f"{label}.{col}: {int((~ok).sum())} values differ beyond {RTOL:g}"
        else:
            cx, cy = _codes(x, y)
            same = cx[oa] == cy[ob]  # equal values, or missing on both
            assert same.all(), f"{label}.{col}: {int((~same).sum())} values differ"
