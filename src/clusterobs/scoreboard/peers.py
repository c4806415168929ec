"""Peer regions: the nearest regions on structural characteristics, or the regions a user chooses.

Each characteristic is standardised over the regions (z-score; log first for the skewed ones, see
``STRUCTURE``) and the distance between two regions is the Euclidean distance over the characteristics both
have, scaled up to the full set (NaN-Euclidean: √(n / n_shared · Σ shared (zᵢ − zⱼ)²)). Pairs sharing fewer
than half the characteristics are not compared. The default peer group is the ``k`` = 5 nearest regions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_CHOSEN = 5


def standardise(features: pd.DataFrame, log_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    z = features.astype(float).copy()
    for c in log_columns:
        if c in z:
            z[c] = np.log(z[c].where(z[c] > 0))
    sd = z.std()
    return (z - z.mean()) / sd.replace(0, np.nan)


def distances(z: pd.DataFrame) -> pd.DataFrame:
    """NaN-Euclidean distances between all pairs of rows of ``z`` (regions × standardised characteristics)."""
    x = z.to_numpy(dtype=float)
    present = ~np.isnan(x)
    x0 = np.where(present, x, 0.0)
    p = present.astype(float)
    # Σ over shared features of (xi − xj)² = Σ p_j xi² + Σ p_i xj² − 2 Σ xi xj (on shared features)
    sq = (x0**2) @ p.T + p @ (x0**2).T - 2 * x0 @ x0.T
    shared = p @ p.T
    n = x.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(np.clip(sq, 0, None) * n / shared)
    d[shared < max(1, n / 2)] = np.nan
    return pd.DataFrame(d, index=z.index, columns=z.index)


def nearest_peers(z: pd.DataFrame, *, k: int = 5) -> pd.DataFrame:
    """``region``, ``peer``, ``distance``, ``rank`` (1 = nearest) for every region's ``k`` nearest regions."""
    d = distances(z)
    m = d.to_numpy(copy=True)
    np.fill_diagonal(m, np.nan)
    order = np.argsort(np.where(np.isnan(m), np.inf, m), axis=1, kind="stable")[:, :k]
    codes = np.asarray(d.index)
    rows = []
    for i, region in enumerate(codes):
        for rank, j in enumerate(order[i], start=1):
            if np.isfinite(m[i, j]):
                rows.append({"region": region, "peer": codes[j], "distance": float(m[i, j]), "rank": rank})
    return pd.DataFrame(rows, columns=["region", "peer", "distance", "rank"])


def check_chosen(region: str, chosen: list[str], known: set[str]) -> list[str]:
    """A user's peer list: at most five known regions other than ``region`` (ValueError naming the problem)."""
    chosen = list(dict.fromkeys(c.strip().upper() for c in chosen if c.strip()))
    if len(chosen) > MAX_CHOSEN:
        raise ValueError(f"`peers` takes at most {MAX_CHOSEN} regions; got {len(chosen)}")
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise ValueError(f"`peers` must be regions of the scoreboard; unknown: {', '.join(unknown)}")
    if region in chosen:
        raise ValueError(f"`peers` must not contain the region itself ({region})")
    return chosen
