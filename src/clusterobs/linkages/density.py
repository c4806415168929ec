"""Density: how close a region is to developing each category it is not yet specialised in.

For region r and category j (METHODOLOGY.md, "Cross-sectoral linkages")::

    density(r, j) = Σ_{i ≠ j} w_ij · s_ri / Σ_{i ≠ j} w_ij,    w_ij = max(φ_ij, 0),    s_ri = 1 if LQ(r, i) ≥ 1

φ is the relatedness matrix (co-location by default): the relatedness-weighted share of the categories related to j
(positively) in which the region is specialised. 0 = none of j's related categories is specialised in r; 1 = all.
A category i whose LQ in r is missing is left out of r's sums (neither specialised nor not); j has no density in r
when no category with a value is positively related to it. Among the categories r is not specialised in (LQ < 1),
rank 1 is the highest density: the region's closest opportunity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SPECIALISED_LQ = 1.0


def density_matrix(relatedness: np.ndarray, lq: np.ndarray, *, specialised_lq: float = SPECIALISED_LQ
                   ) -> np.ndarray:
    """Regions × categories density from a categories × categories relatedness matrix and a regions × categories
    LQ matrix (NaN = missing), both in the same category order."""
    phi = np.asarray(relatedness, dtype=float)
    w = np.where(np.isnan(phi), 0.0, np.maximum(phi, 0.0))
    np.fill_diagonal(w, 0.0)
    lq = np.asarray(lq, dtype=float)
    known = ~np.isnan(lq)
    spec = (known & (np.nan_to_num(lq, nan=-np.inf) >= specialised_lq)).astype(float)
    num = spec @ w                       # Σ_i s_ri w_ij
    den = known.astype(float) @ w        # Σ_i w_ij over the categories with a value in r
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    out[den <= 0] = np.nan
    return out


def opportunities(lq: pd.DataFrame, relatedness: pd.DataFrame, *, specialised_lq: float = SPECIALISED_LQ
                  ) -> pd.DataFrame:
    """Density of every category in every region, from long LQ rows (region, category, lq) and a square
    relatedness frame (category × category). Categories outside the relatedness matrix are left out.
    Returns region, category, density, lq, specialised, rank (rank among the region's not-specialised
    categories with a density; 1 = closest, ties broken by category key)."""
    present = set(lq["category"])
    cats = [c for c in relatedness.index if c in present]
    wide = lq.pivot_table(index="region", columns="category", values="lq", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=cats).sort_index()
    phi = relatedness.reindex(index=cats, columns=cats).to_numpy(dtype=float)
    dens = density_matrix(phi, wide.to_numpy(dtype=float), specialised_lq=specialised_lq)
    out = pd.DataFrame({
        "region": np.repeat(wide.index.to_numpy(dtype=object), len(cats)),
        "category": np.tile(np.asarray(cats, dtype=object), len(wide)),
        "density": dens.ravel(), "lq": wide.to_numpy(dtype=float).ravel(),
    })
    out["specialised"] = pd.array(np.where(out["lq"].isna(), None, out["lq"] >= specialised_lq), dtype="boolean")
    candidate = (out["specialised"] == False) & out["density"].notna()  # noqa: E712 - nullable boolean
    ranked = out[candidate].sort_values(["region", "density", "category"], ascending=[True, False, True])
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ranked.index, "rank"] = ranked.groupby("region").cumcount().to_numpy() + 1
    return out
