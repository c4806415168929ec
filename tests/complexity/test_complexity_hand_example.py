"""Every output column of ``complexity_table`` on a 3 regions × 4 industries example computed by hand.

Employment (one year):      p1  p2  p3  p4 | total
                        A   10  10  10   0 |  30
                        B    0   0  10  10 |  20
                        C    2   2   0  16 |  20
                total       12  12  20  26 |  70

RCA = x · 70 / (region total · industry total); M = RCA >= 1:
A = (1, 1, 1, 0), B = (0, 0, 1, 1), C = (0, 0, 0, 1); diversity (3, 2, 1), ubiquity (1, 1, 2, 2).

M_cc' = Σ_p M_cp M_c'p / (k_c k_p) = [[5/6, 1/6, 0], [1/4, 1/2, 1/4], [0, 1/2, 1/2]]: eigenvalues 1 and the roots of
λ² - 5/6 λ + 1/12 = 0 (trace 11/6, determinant 1/12), so λ2 = (5 + √13)/12. Its eigenvector, from rows A and C:
kc = (1, 6λ2 - 5, (6λ2 - 5)/(2λ2 - 1)) = (1, (√13 - 5)/2, 3(√13 - 5)/(√13 - 1)), already positively correlated with
diversity (3, 2, 1). kp = Σ_c M_cp kc / (k_p λ2): p1 = p2 = kc_A/λ2, p3 = (kc_A + kc_B)/(2λ2), p4 = (kc_B + kc_C)/(2λ2).
ECI = (kc - mean kc)/sd kc, PCI = (kp - mean kc)/sd kc (population sd, over the regions).

Proximity φ_pq = Σ_c M_cp M_cq / max(k_p, k_q): φ12 = 1, φ13 = φ23 = φ34 = 1/2, φ14 = φ24 = 0, diagonal 1; column
sums (2.5, 2.5, 2.5, 1.5). Density ω_cp = Σ_q M_cq φ_qp / Σ_q φ_qp:
A (1, 1, 0.8, 1/3), B (0.2, 0.2, 0.6, 1), C (0, 0, 0.2, 2/3).
COI (before standardising over the regions) = Σ_p ω_cp (1 - M_cp) kp_p: A kp4/3, B 0.2 (kp1 + kp2), C 0.2 kp3.
COG_cp = (1 - M_cp) Σ_q (1 - M_cq) φ_qp kp_q / Σ_q' φ_qq' / sd kc: A p4: kp4/1.5; B p1 = B p2: (kp1 + kp2)/2.5;
C p1 = C p2: (kp1 + kp2 + kp3/2)/2.5, C p3: (kp1/2 + kp2/2 + kp3)/2.5; 0 where M = 1.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from clusterobs.complexity import COLUMNS, complexity_table, year_complexity

X = {"A": (10, 10, 10, 0), "B": (0, 0, 10, 10), "C": (2, 2, 0, 16)}
INDUSTRIES = ("p1", "p2", "p3", "p4")


def frame(x: dict[str, tuple[float, ...]] = X, industries: tuple[str, ...] = INDUSTRIES, year: int = 2020):
    return pd.DataFrame([(r, p, year, float(v)) for r, row in x.items() for p, v in zip(industries, row, strict=True)],
                        columns=["region", "category", "year", "employment"])


def expected() -> pd.DataFrame:
    s13 = math.sqrt(13)
    lam = (5 + s13) / 12
    kc = np.array([1.0, (s13 - 5) / 2, 3 * (s13 - 5) / (s13 - 1)])
    a, b, c = kc
    kp = np.array([a / lam, a / lam, (a + b) / (2 * lam), (b + c) / (2 * lam)])
    mean, sd = kc.mean(), kc.std()
    coi = np.array([kp[3] / 3, 0.2 * (kp[0] + kp[1]), 0.2 * kp[2]])
    cog = {("A", "p4"): kp[3] / 1.5, ("B", "p1"): (kp[0] + kp[1]) / 2.5, ("B", "p2"): (kp[0] + kp[1]) / 2.5,
           ("C", "p1"): (kp[0] + kp[1] + kp[2] / 2) / 2.5, ("C", "p2"): (kp[0] + kp[1] + kp[2] / 2) / 2.5,
           ("C", "p3"): (kp[0] / 2 + kp[1] / 2 + kp[2]) / 2.5}
    m = {"A": (1, 1, 1, 0), "B": (0, 0, 1, 1), "C": (0, 0, 0, 1)}
    dens = {"A": (1, 1, 0.8, 1 / 3), "B": (0.2, 0.2, 0.6, 1), "C": (0, 0, 0.2, 2 / 3)}
    rows = []
    for i, (region, x) in enumerate(X.items()):
        for j, p in enumerate(INDUSTRIES):
            rows.append({
                "region": region, "category": p, "year": 2020,
                "rca": x[j] * 70 / (sum(x) * (12, 12, 20, 26)[j]), "mcp": m[region][j], "density": dens[region][j],
                "eci": (kc[i] - mean) / sd, "pci": (kp[j] - mean) / sd, "diversity": sum(m[region]),
                "ubiquity": (1, 1, 2, 2)[j], "coi": (coi[i] - coi.mean()) / coi.std(),
                "cog": cog.get((region, p), 0.0) / sd,
            })
    return pd.DataFrame(rows)


def assert_matches(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(COLUMNS)
    assert got[["region", "category", "year"]].astype(str).values.tolist() == \
        want[["region", "category", "year"]].astype(str).values.tolist()
    for col in COLUMNS[3:]:
        np.testing.assert_allclose(got[col].to_numpy(dtype=float), want[col].to_numpy(dtype=float), rtol=0,
                                   atol=1e-12, err_msg=col)


def test_every_column_as_computed_by_hand():
    got = complexity_table(frame())
    assert_matches(got, expected())
    # a few of the hand values in plain numbers, to read
    assert got["eci"].round(4).tolist()[::4] == [1.3282, -0.2435, -1.0847]
    assert str(got["mcp"].dtype) == "Int64" and got["mcp"].tolist() == [1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1]


def test_year_complexity_on_the_matrix():
    """The numpy entry point: the same numbers, the proximity matrix and distance = 1 - density."""
    res = year_complexity(np.array(list(X.values()), dtype=float))
    np.testing.assert_allclose(res.proximity, [[1, 1, .5, 0], [1, 1, .5, 0], [.5, .5, 1, .5], [0, 0, .5, 1]])
    np.testing.assert_allclose(res.distance, 1 - np.array([[1, 1, .8, 1 / 3], [.2, .2, .6, 1], [0, 0, .2, 2 / 3]]),
                               atol=1e-15)
    np.testing.assert_allclose(res.eci, expected().groupby("region")["eci"].first().to_numpy(), atol=1e-12)


def test_eci_is_the_mean_pci_of_what_a_region_has():
    """The Atlas identity ecomplexity's normalisation keeps: ECI_c = mean of PCI over the p with M_cp = 1."""
    got = complexity_table(frame())
    has = got[got["mcp"] == 1].groupby("region")["pci"].mean()
    np.testing.assert_allclose(has.to_numpy(), got.groupby("region")["eci"].first().to_numpy(), atol=1e-12)


def test_a_region_and_an_industry_with_no_employment():
    """Region Z employs nobody (so no RCA >= 1: at threshold 1 a region with employment always has one, since the
    employment-weighted mean of its RCAs is 1) and industry p5 employs nobody (so nobody specialises in it). As in
    ecomplexity, they are left out of the year's computation: their rows have no value in any column (RCA is 0/0),
    and every other row is exactly what it is without them."""
    x = {r: (*v, 0) for r, v in X.items()} | {"Z": (0, 0, 0, 0, 0)}
    got = complexity_table(frame(x, (*INDUSTRIES, "p5")))
    empty = (got["region"] == "Z") | (got["category"] == "p5")
    assert empty.sum() == 4 + 5 - 1
    assert got.loc[empty, list(COLUMNS[3:])].isna().all().all()
    assert_matches(got[~empty].reset_index(drop=True), expected())


def test_threshold_above_one_region_without_specialisation():
    """At threshold 1.9 region B (best RCA 1.75) has M = 0 everywhere and nobody specialises in p3 (best 1.75):
    only A (1.94 in p1, p2) and C (2.15 in p4) pass, diversity (2, 0, 1), ubiquity (1, 1, 0, 1). B has no ECI (it is
    left out of the eigenproblem, as ecomplexity does), p3 no PCI; ECI is standardised over A and C: +1 and -1.
    (ecomplexity 0.5.3 goes further and leaves the whole year's ECI, PCI and COG empty: its mean over the regions
    includes B's missing value; see docs/complexity.md.)"""
    got = complexity_table(frame(), threshold=1.9).set_index(["region", "category"])
    assert got["mcp"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert got.xs("p1", level="category")["diversity"].tolist() == [2, 0, 1]
    assert got.xs("A", level="region")["ubiquity"].tolist() == [1, 1, 0, 1]
    eci = got.xs("p1", level="category")["eci"]
    assert eci["A"] == pytest.approx(1.0) and eci["C"] == pytest.approx(-1.0) and np.isnan(eci["B"])
    assert np.isnan(got.loc[("A", "p3"), "pci"])
    # p3 has no neighbour at all: its density is undefined; the others are shares in [0, 1]
    assert got.xs("p3", level="category")["density"].isna().all()
    assert got["density"].dropna().between(0, 1).all()


def test_polars_in_polars_out():
    got = complexity_table(pl.from_pandas(frame()))
    assert isinstance(got, pl.DataFrame) and got.columns == list(COLUMNS)
    assert_matches(got.to_pandas(), expected())
