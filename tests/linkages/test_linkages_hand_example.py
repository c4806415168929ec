"""Relatedness and density on a 4-region × 3-category example, computed by hand.

Employment shares (focus) of categories A, B, C in regions r1..r4:

    region   A     B     C
    r1      0.1   0.2   0.1
    r2      0.2   0.4   0.3
    r3      0.3   0.4   0.2
    r4      0.4   0.6   0.4

Means: A 0.25, B 0.4, C 0.25. Deviations: A (-0.15, -0.05, 0.05, 0.15), B (-0.2, 0, 0, 0.2),
C (-0.15, 0.05, -0.05, 0.15). Sums of squares: A 0.05, B 0.08, C 0.05.
Cross products: AB = 0.03 + 0 + 0 + 0.03 = 0.06; AC = 0.0225 - 0.0025 - 0.0025 + 0.0225 = 0.04;
BC = 0.03 + 0 + 0 + 0.03 = 0.06. So

    φ_AB = 0.06 / √(0.05 · 0.08) = 0.06 / 0.0632456 = 3/√10 = 0.9486833
    φ_AC = 0.04 / √(0.05 · 0.05) = 0.8
    φ_BC = 0.06 / √(0.08 · 0.05) = 3/√10 = 0.9486833

Location quotients (specialised = LQ ≥ 1, marked *):

    region   A      B      C
    r1      1.5*   0.5    0.8
    r2      0.9    1.2*   1.0*   (LQ = 1 counts as specialised)
    r3      :      0.7    0.6    (A missing: left out of r3's sums)
    r4      0.4    0.3    0.2

density(r, j) = Σ_{i≠j} φ_ij s_ri / Σ_{i≠j} φ_ij (i with a value in r):
    r1: B = φ_AB / (φ_AB + φ_CB) = 0.5;  C = φ_AC / (φ_AC + φ_BC) = 0.8 / 1.7486833 = 0.4574871;  A = 0 (specialised)
    r2: A = (φ_BA + φ_CA) / (φ_BA + φ_CA) = 1
    r3: B = φ_CB · 0 / φ_CB = 0;  C = 0;  A = (0 + 0) / (φ_BA + φ_CA) = 0, its LQ missing: not ranked
    r4: all 0.
Opportunities of r1 (not specialised, highest density first): B (rank 1), C (rank 2).
Related pairs at the 50th percentile of the off-diagonal values (0.8, 0.9487, 0.9487): cutoff 0.9487, pairs
(A, B) rank 1 and (B, C) rank 2 (tie broken by the keys).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clusterobs.linkages import colocation, density_matrix, opportunities, pairwise_correlation, related_pairs, square

SHARES = np.array([[0.1, 0.2, 0.1], [0.2, 0.4, 0.3], [0.3, 0.4, 0.2], [0.4, 0.6, 0.4]])
LQ = np.array([[1.5, 0.5, 0.8], [0.9, 1.2, 1.0], [np.nan, 0.7, 0.6], [0.4, 0.3, 0.2]])
CATS = ["A", "B", "C"]
REGIONS = ["r1", "r2", "r3", "r4"]
R3 = 3 / math.sqrt(10)


def _long(values: np.ndarray, column: str) -> pd.DataFrame:
    return pd.DataFrame([{"region": r, "category": c, "year": 2015, column: values[i, j]}
                         for i, r in enumerate(REGIONS) for j, c in enumerate(CATS)])


def test_relatedness_by_hand():
    r, n = pairwise_correlation(SHARES, min_regions=4)
    expected = np.array([[1, R3, 0.8], [R3, 1, R3], [0.8, R3, 1]])
    np.testing.assert_allclose(r, expected, atol=1e-12)
    assert (n == 4).all()


def test_colocation_long_rows_match_the_matrix():
    long = colocation(_long(SHARES, "focus"), method="colocation_share", min_regions=4)
    assert len(long) == 9 and set(long["year"]) == {2015}
    value = long.set_index(["category_i", "category_j"])["value"]
    assert value[("A", "C")] == pytest.approx(0.8) and value[("C", "B")] == pytest.approx(R3)


def test_too_few_regions_give_no_value():
    r, n = pairwise_correlation(SHARES, min_regions=5)
    assert np.isnan(r).all() and (n == 4).all()


def test_missing_is_left_out_pairwise():
    """A missing share drops that region from its pairs only: A with r1 missing, over r2..r4."""
    x = SHARES.copy()
    x[0, 0] = np.nan
    r, n = pairwise_correlation(x, min_regions=3)
    assert n[0, 1] == 3 and n[1, 2] == 4
    # A (0.2, 0.3, 0.4) and C (0.3, 0.2, 0.4): deviations (-0.1, 0, 0.1), (0, -0.1, 0.1) -> 0.01 / 0.02 = 0.5
    assert r[0, 2] == pytest.approx(0.5)
    assert r[1, 2] == pytest.approx(R3)


def test_log_lq_leaves_zero_out():
    lq = np.array([[1.0, 2.0], [2.0, 4.0], [4.0, 8.0], [0.0, 1.0]])
    long = colocation(pd.DataFrame([{"region": f"r{i}", "category": c, "year": 2015, "lq": lq[i, j]}
                                    for i in range(4) for j, c in enumerate("AB")]),
                      method="colocation_loglq", min_regions=3)
    pair = long[(long["category_i"] == "A") & (long["category_j"] == "B")].iloc[0]
    assert pair["regions_used"] == 3 and pair["value"] == pytest.approx(1.0)  # log B = log A + log 2


def test_density_by_hand():
    phi = np.array([[1, R3, 0.8], [R3, 1, R3], [0.8, R3, 1]])
    d = density_matrix(phi, LQ)
    np.testing.assert_allclose(d[0], [0.0, 0.5, 0.8 / (0.8 + R3)], atol=1e-12)
    assert d[1, 0] == pytest.approx(1.0)
    np.testing.assert_allclose(d[2], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(d[3], [0.0, 0.0, 0.0])


def test_opportunities_rank_the_closest_first():
    phi = square(colocation(_long(SHARES, "focus"), min_regions=4))
    opp = opportunities(_long(LQ, "lq"), phi).set_index(["region", "category"])
    assert opp.loc[("r1", "B"), "rank"] == 1 and opp.loc[("r1", "C"), "rank"] == 2
    assert opp.loc[("r1", "C"), "density"] == pytest.approx(0.4574871, abs=1e-7)
    assert pd.isna(opp.loc[("r1", "A"), "rank"]) and bool(opp.loc[("r1", "A"), "specialised"])
    assert bool(opp.loc[("r2", "C"), "specialised"])  # LQ = 1 is specialised
    assert pd.isna(opp.loc[("r3", "A"), "specialised"]) and pd.isna(opp.loc[("r3", "A"), "rank"])
    assert opp.loc[("r2", "A"), "density"] == pytest.approx(1.0) and opp.loc[("r2", "A"), "rank"] == 1


def test_related_pairs_at_a_percentile():
    long = colocation(_long(SHARES, "focus"), min_regions=4)
    pairs = related_pairs(long, percentile=50)
    assert list(zip(pairs["category_i"], pairs["category_j"], pairs["rank"], strict=True)) == [
        ("A", "B", 1), ("B", "C", 2)]
    assert pairs["cutoff"].iloc[0] == pytest.approx(R3)
    with pytest.raises(ValueError, match="`percentile` of related_pairs must be between 0 and 100; got 101"):
        related_pairs(long, percentile=101)
