"""Economic complexity of one year, on a dense region × category matrix (numpy).

Follows the conventions of Harvard Growth Lab's ``ecomplexity`` package (0.5.3), see docs/complexity.md:
regions and categories with no activity in the year are left out of every step and get no value; RCA is Balassa's;
M is RCA >= threshold; ECI and PCI come from the eigenvector of the second largest eigenvalue, signed so that ECI
correlates positively with diversity, and both are standardised with the mean and (population) standard deviation
of ECI over the regions; proximity is the symmetric co-occurrence min(P(p|q), P(q|p)); density is the
proximity-weighted share of an industry's neighbours the region has; COI is standardised over the regions; COG is
divided by the standard deviation of the unstandardised ECI.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigh


@dataclass(frozen=True)
class YearComplexity:
    """Every measure of one year. Rows are regions, columns categories, both as given; NaN where undefined."""

    rca: np.ndarray        # (R, C)
    mcp: np.ndarray        # (R, C) 1.0, 0.0, NaN for an inactive region or category
    density: np.ndarray    # (R, C)
    cog: np.ndarray        # (R, C)
    diversity: np.ndarray  # (R,)
    eci: np.ndarray        # (R,)
    coi: np.ndarray        # (R,)
    ubiquity: np.ndarray   # (C,)
    pci: np.ndarray        # (C,)
    proximity: np.ndarray  # (C, C)

    @property
    def distance(self) -> np.ndarray:
        """The Atlas's distance, 1 - density: how far each category is from what the region already has."""
        return 1.0 - self.density


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0."""
    return np.divide(num, den, out=np.full(np.broadcast_shapes(num.shape, den.shape), np.nan), where=den != 0)


def rca(x: np.ndarray) -> np.ndarray:
    """Balassa's RCA (= location quotient) of an active matrix: (x / x_r·) / (x_·c / x_··), as ecomplexity orders it."""
    col = x.sum(axis=0)
    return (x / x.sum(axis=1)[:, None]) / (col / col.sum())[None, :]


def eigen_indices(m: np.ndarray, diversity: np.ndarray, ubiquity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(kc, kp): ECI and PCI before standardisation, NaN for a region or category with no M = 1.

    kc is the eigenvector of the second largest eigenvalue of M_cc' = Σ_p M_cp M_c'p / (k_c k_p), kp = Σ_c M_cp kc /
    k_p / λ, so that kc = Σ_p M_cp kp / k_c as in ecomplexity; the sign makes corr(diversity, kc) positive. The
    eigenproblem is solved on the smaller side, symmetrised (D^-1/2 … D^-1/2), for its two largest eigenvalues only.
    """
    rows, cols = diversity > 0, ubiquity > 0
    kc, kp = np.full(diversity.shape, np.nan), np.full(ubiquity.shape, np.nan)
    if rows.sum() < 2 or cols.sum() < 2:
        return kc, kp
    mv = m[rows][:, cols]
    d, u = diversity[rows].astype(float), ubiquity[cols].astype(float)
    if mv.shape[0] <= mv.shape[1]:
        a = mv / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
        vals, vecs = eigh(a @ a.T, subset_by_index=[len(d) - 2, len(d) - 1])
        c = vecs[:, 0] / np.sqrt(d)
        p = (mv.T @ c) / u / vals[0]
    else:
        a = mv / np.sqrt(u)[None, :] / np.sqrt(d)[:, None]
        vals, vecs = eigh(a.T @ a, subset_by_index=[len(u) - 2, len(u) - 1])
        p = vecs[:, 0] / np.sqrt(u)
        c = (mv @ p) / d
    sign = np.sign(np.corrcoef(d, c)[0, 1])
    kc[rows], kp[cols] = sign * c, sign * p
    return kc, kp


def proximity(m: np.ndarray, ubiquity: np.ndarray) -> np.ndarray:
    """φ_pq = Σ_c M_cp M_cq / max(k_p, k_q) (the minimum of the two conditional probabilities); 0 when both k are 0."""
    m32 = m.astype(np.float32)  # 0/1 and sums below 2^24: exact in single precision, twice as fast
    co = (m32.T @ m32).astype(np.float64)
    big = np.maximum.outer(ubiquity, ubiquity)
    return np.divide(co, big, out=np.zeros_like(co), where=big > 0)


def density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """ω_cp = Σ_q M_cq φ_qp / Σ_q φ_qp: the proximity-weighted share of p's neighbours (p included) the region has."""
    return _ratio(m @ phi, phi.sum(axis=0)[None, :])


def outlook(m: np.ndarray, phi: np.ndarray, dens: np.ndarray, kp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(COI, COG) before standardisation, with the signed, unstandardised PCI kp (a category without PCI adds 0).

    COI_c = Σ_p ω_cp (1 - M_cp) kp_p;  COG_cp = (1 - M_cp) Σ_q (1 - M_cq) φ_qp kp_q / Σ_q' φ_qq'.
    """
    k = np.nan_to_num(kp)
    absent = 1.0 - m
    coi = (np.nan_to_num(dens) * absent) @ k
    w = _ratio(k, phi.sum(axis=1))
    cog = absent * (absent @ (phi * np.nan_to_num(w)[:, None]))
    return coi, cog


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - np.nanmean(x)) / np.nanstd(x)


def year_complexity(x: np.ndarray, threshold: float = 1.0) -> YearComplexity:
    """Every measure of one year from its region × category employment ``x`` (zeros where there is none)."""
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a degenerate year (one region, sd 0) gives NaN, quietly
        return _year(x, threshold)


def _year(x: np.ndarray, threshold: float) -> YearComplexity:
    n_r, n_c = x.shape
    rows, cols = x.sum(axis=1) > 0, x.sum(axis=0) > 0
    xa = x[rows][:, cols]
    rca_a = rca(xa)
    m = (rca_a >= threshold).astype(float)
    div, ubi = m.sum(axis=1), m.sum(axis=0)
    kc, kp = eigen_indices(m, div, ubi)
    phi = proximity(m, ubi)
    dens = density(m, phi)
    coi, cog = outlook(m, phi, dens, kp)
    sd = np.nanstd(kc)
    eci, pci = (kc - np.nanmean(kc)) / sd, (kp - np.nanmean(kc)) / sd
    cog = cog / sd + 0.0  # + 0.0: no -0.0 where M = 1
    coi = _standardise(coi)

    every = bool(rows.all() and cols.all())

    def full(a: np.ndarray) -> np.ndarray:
        if every:
            return a
        out = np.full((n_r, n_c), np.nan)
        out[np.ix_(rows, cols)] = a
        return out

    def per_region(a: np.ndarray) -> np.ndarray:
        if every:
            return a
        out = np.full(n_r, np.nan)
        out[rows] = a
        return out

    def per_category(a: np.ndarray) -> np.ndarray:
        if every:
            return a
        out = np.full(n_c, np.nan)
        out[cols] = a
        return out

    prox = phi if every else np.full((n_c, n_c), np.nan)
    if not every:
        prox[np.ix_(cols, cols)] = phi
    return YearComplexity(rca=full(rca_a), mcp=full(m), density=full(dens), cog=full(cog),
                          diversity=per_region(div), eci=per_region(eci), coi=per_region(coi),
                          ubiquity=per_category(ubi), pci=per_category(pci), proximity=prox)
