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


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    assert not df.duplicated(keys).any(), f"keys {keys} are not unique"
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same_frame(name: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """Same columns and dtypes, same rows on the keys; floats within RTOL (NULL where NULL), all else exactly."""
    keys = KEYS[name]
    assert list(ours.columns) == list(theirs.columns), name
    assert ours.dtypes.astype(str).to_dict() == theirs.dtypes.astype(str).to_dict(), name
    assert len(ours) == len(theirs), f"{name}: {len(ours)} rows on DuckDB, {len(theirs)} on PySpark"
    a, b = _sorted(ours, keys), _sorted(theirs, keys)
    for col in a.columns:
        x, y = a[col], b[col]
        where = f"{name}.{col}"
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            xv = pd.to_numeric(x, errors="raise").astype("float64").to_numpy()
            yv = pd.to_numeric(y, errors="raise").astype("float64").to_numpy()
            null_x, null_y = np.isnan(xv), np.isnan(yv)
            bad = null_x != null_y
            assert not bad.any(), f"{where}: NULL on one backend only, e.g.\n{a.loc[bad, keys].head()}"
            ok = np.isclose(xv[~null_x], yv[~null_y], rtol=RTOL, atol=0.0)
            if not ok.all():
                rows = a.loc[~null_x, [*keys, col]][~ok].assign(pyspark=yv[~null_y][~ok])
                pytest.fail(f"{where}: {int((~ok).sum())} values differ beyond {RTOL:g} relative:\n{rows.head()}")
        else:
            xo, yo = x.astype("object"), y.astype("object")
            same = (xo == yo).fillna(False).astype(bool) | (x.isna() & y.isna())
            if not same.all():
                rows = a.loc[~same, [*keys, col]].assign(pyspark=y[~same])
                pytest.fail(f"{where}: {int((~same).sum())} values differ:\n{rows.head()}")


def star_counts(stars: pd.DataFrame) -> dict[str, dict[int, int]]:
    return {s: {int(k): int(v) for k, v in g["stars"].value_counts().sort_index().items()}
            for s, g in stars.groupby("scheme")}


def assert_same_columns(a: pd.DataFrame, b: pd.DataFrame, label: str, *, keys: list[str] | None = None) -> None:
    """Same columns and rows (sorted on ``keys`` when given); floats within RTOL with NULL where NULL,
    everything else exactly."""
    assert list(a.columns) == list(b.columns), label
    assert len(a) == len(b), f"{label}: {len(a)} rows on DuckDB, {len(b)} on Spark"
    if keys:
        a, b = _sorted(a, keys), _sorted(b, keys)
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_float_dtype(x):
            xv, yv = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
            assert (np.isnan(xv) == np.isnan(yv)).all(), f"{label}.{col}: NULL on one engine only"
            ok = np.isclose(xv, yv, rtol=RTOL, atol=0.0, equal_nan=True)
            assert ok.all(), f"{label}.{col}: {int((~ok).sum())} values differ beyond {RTOL:g}"
        else:
            same = (x.astype(object) == y.astype(object)) | (x.isna() & y.isna())
            assert same.all(), f"{label}.{col}: {int((~same).sum())} values differ"
