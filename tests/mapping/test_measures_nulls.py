"""``cluster_measures`` by hand on a panel with zero and missing denominators: every value and every NULL.

        a     b    c      total   (employment, one year; R3's a is missing)
  R1   30    10    0      40
  R2    5    15    0      20
  R3    -     0    0       0
  Europe 35  25    0      60

focus = e / total (NULL where the total is 0), share_europe = e / Europe's e(c) (NULL where it is 0),
lq = focus / (Europe's e(c) / 60): R1a 0.75 / (35/60) = 9/7, R2a 0.25 / (35/60) = 3/7, R2b 0.75 / (25/60) = 1.8.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from clusterobs.mapping import cluster_measures

EMP = {"R1": (30, 10, 0), "R2": (5, 15, 0), "R3": (None, 0, 0)}
EST = {"R1": (0, 2, 1), "R2": (1, 5, 1), "R3": (1, 1, 1)}


@pytest.fixture(scope="module")
def panel() -> ibis.Table:
    rows = [{"region": r, "category": c, "year": 2020, "employment": EMP[r][i], "establishments": EST[r][i]}
            for r in EMP for i, c in enumerate("abc")]
    con = ibis.duckdb.connect()
    return con.create_table("panel", pd.DataFrame(rows).astype({"employment": "float64"}))


def measured(panel: ibis.Table, **kwargs) -> pd.DataFrame:
    return cluster_measures(panel, **kwargs).execute().set_index(["region", "category"]).sort_index()


def test_values_and_nulls(panel):
    m = measured(panel)
    assert list(m.columns) == ["year", "employment", "establishments", "region_total", "share_europe", "focus", "lq",
                               "avg_size"]
    assert m.loc[("R1", "a"), "lq"] == pytest.approx(9 / 7, abs=1e-12)
    assert m.loc[("R2", "a"), "lq"] == pytest.approx(3 / 7, abs=1e-12)
    assert m.loc[("R2", "b"), "lq"] == pytest.approx(1.8, abs=1e-12)
    assert m.loc[("R1", "a"), "share_europe"] == pytest.approx(30 / 35, abs=1e-12)
    assert m.loc[("R2", "b"), "focus"] == 0.75 and m.loc[("R2", "b"), "avg_size"] == 3.0
    # Europe's employment in c is 0: no share, no LQ; the focus of a zero cell is 0
    assert m.loc[("R1", "c"), "focus"] == 0.0
    assert m.xs("c", level="category")[["share_europe", "lq"]].isna().all().all()
    # R3's total is 0: no focus, no LQ, but its share of Europe where Europe has employment
    r3 = m.xs("R3", level="region")
    assert (r3["region_total"] == 0).all() and r3[["focus", "lq"]].isna().all().all()
    assert r3.loc["b", "share_europe"] == 0.0
    # a missing cell: no measure at all
    assert m.loc[("R3", "a"), ["share_europe", "focus", "lq"]].isna().all()
    # no establishments: no average size (never an infinity)
    assert pd.isna(m.loc[("R1", "a"), "avg_size"])


def test_reference_categories(panel):
    """Totals over the reference (a): R1 30, R2 5, R3's only reference cell is missing (NULL total); Europe 35."""
    m = measured(panel, reference=["a"])
    assert m.loc[("R1", "b"), "region_total"] == 30 and pd.isna(m.loc[("R3", "b"), "region_total"])
    assert m.loc[("R1", "b"), "lq"] == pytest.approx((10 / 30) / (25 / 35), abs=1e-12)
    assert m.loc[("R2", "b"), "focus"] == pytest.approx(3.0, abs=1e-12)
    assert m.xs("R3", level="region")[["focus", "lq"]].isna().all().all()
