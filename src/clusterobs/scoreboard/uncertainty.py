"""Uncertainty of the ranks: a seeded Monte Carlo over weights and normalisations.

Each draw picks one normalisation at random among ``normalisations`` (default: all four) and multiplies every
indicator weight and every dimension weight by an independent factor drawn uniformly from
[1 − ``weight_noise``, 1 + ``weight_noise``]; the scores are re-aggregated exactly as the pipeline does
(same coverage rule) and every region ranked. The interval of a region is the 5th–95th percentile of its ranks
over the draws. All randomness comes from ``numpy.random.default_rng(seed)``: the same seed gives the same
intervals. Draws are vectorised (draws × regions × indicators arrays), one batch per normalisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.scoreboard.normalise import NORMALISATIONS, normalise_matrix
from clusterobs.scoreboard.pipeline import OVERALL, Settings
from clusterobs.scoreboard.registry import Registry


def _agg(x: np.ndarray, present: np.ndarray, w: np.ndarray, member: np.ndarray, *, geometric: bool,
         min_coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means of members into groups → (B, R, G) scores and coverage flags.

    x, present: (R, I) shared by every draw, or (B, R, I); w: (B, I) weights per draw; member: (I, G)."""
    shared = x.ndim == 2
    vals = np.where(present, np.log(np.where(present, x, 1.0)) if geometric else x, 0.0)
    pres = present.astype(float)
    b, g = w.shape[0], member.shape[1]
    if shared:  # one (R × I) @ (I × B) product per group: BLAS does the draws
        r = x.shape[0]
        num = np.empty((b, r, g))
        have = np.empty((b, r, g))
        for k in range(g):
            cols = np.flatnonzero(member[:, k])
            wk = (w[:, cols] * member[cols, k]).T                          # (members, B)
            num[:, :, k] = (vals[:, cols] @ wk).T
            have[:, :, k] = (pres[:, cols] @ wk).T
        filled = np.broadcast_to(present.any(axis=0), w.shape)
    else:
        r, i = x.shape[1], x.shape[2]
        num = ((vals * w[:, None, :]).reshape(b * r, i) @ member).reshape(b, r, g)
        have = ((pres * w[:, None, :]).reshape(b * r, i) @ member).reshape(b, r, g)
        filled = present.any(axis=1)                                       # (B, I)
    total = ((filled * w) @ member)[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        score = num / have
    if geometric:
        score = np.exp(score)
    ok = (have > 0) & (total > 0) & (have >= min_coverage * total - 1e-12)
    return np.where(ok, score, np.nan), ok


def _ranks(score: np.ndarray) -> np.ndarray:
    """Rank 1 = best along axis 1 (regions) per draw; NaN scores get NaN ranks. score: (B, R)."""
    filled = np.where(np.isnan(score), -np.inf, score)
    order = np.argsort(-filled, axis=1, kind="stable")
    ranks = np.empty_like(order, dtype=float)
    np.put_along_axis(ranks, order, np.arange(1, score.shape[1] + 1, dtype=float)[None, :].repeat(
        score.shape[0], axis=0), axis=1)
    return np.where(np.isnan(score), np.nan, ranks)


def _percentiles(r: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """``numpy.nanpercentile(r, q, axis=0)`` (linear interpolation) for each q, vectorised over columns."""
    srt = np.sort(r, axis=0)                          # NaN sort last
    n = (~np.isnan(r)).sum(axis=0)
    out = []
    for q in qs:
        pos = q / 100 * np.maximum(n - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        a = np.take_along_axis(srt, lo[None, :], axis=0)[0]
        b = np.take_along_axis(srt, hi[None, :], axis=0)[0]
        out.append(np.where(n > 0, a + (b - a) * (pos - lo), np.nan))
    return out


def monte_carlo_ranks(treated: pd.DataFrame, registry: Registry, settings: Settings | None = None, *,
                      draws: int = 1000, seed: int = 20231, weight_noise: float = 0.25,
                      normalisations: tuple[str, ...] = NORMALISATIONS) -> pd.DataFrame:
    """Rank intervals of the overall score and of every dimension.

    ``treated``: regions × indicators, the values after imputation, transformation and outlier treatment (the
    pipeline's ``treated`` column pivoted). Returns ``region``, ``name``, ``rank_p05``, ``rank_median``,
    ``rank_p95``, ``draws``, ``seed``, ``weight_noise``.
    """
    settings = settings or Settings()
    if settings.aggregation == "geometric":
        normalisations = tuple(n for n in normalisations if n in ("minmax", "distance"))
    if not 0 <= weight_noise < 1:
        raise ValueError(f"`weight_noise` must be within [0, 1); got {weight_noise}")
    inds = [i for i in registry.indicators if i.id in treated.columns]
    x = treated[[i.id for i in inds]].to_numpy(dtype=float)
    directions = np.array([i.direction for i in inds])
    regions = list(treated.index)
    # membership: indicators → sub-dimensions → dimensions
    subs = [(d.id, s.id, s.weight) for d in registry.dimensions for s in d.subdimensions]
    m_is = np.array([[1.0 if (i.dimension, i.subdimension) == (d, s) else 0.0 for d, s, _ in subs] for i in inds])
    dims = [d for d in registry.dimensions]
    m_sd = np.array([[1.0 if d == dim.id else 0.0 for dim in dims] for d, _, _ in subs])
    sub_w = np.array([w for _, _, w in subs])
    rng = np.random.default_rng(seed)
    choice = rng.integers(0, len(normalisations), size=draws)
    f_ind = rng.uniform(1 - weight_noise, 1 + weight_noise, size=(draws, len(inds)))
    f_dim = rng.uniform(1 - weight_noise, 1 + weight_noise, size=(draws, len(dims)))
    base_iw = np.array([i.weight for i in inds])
    base_dw = np.array([d.weight for d in dims])
    names = [OVERALL, *[d.id for d in dims]]
    ranks = np.full((len(names), draws, len(regions)), np.nan)
    geometric = settings.aggregation == "geometric"
    for k, how in enumerate(normalisations):
        idx = np.flatnonzero(choice == k)
        if not len(idx):
            continue
        low = 1.0 if geometric and how == "minmax" else 0.0
        norm = normalise_matrix(x, how, directions, low=low)
        b = len(idx)
        sub, sub_ok = _agg(norm, ~np.isnan(norm), base_iw[None, :] * f_ind[idx], m_is, geometric=geometric,
                           min_coverage=settings.min_coverage)
        dim, dim_ok = _agg(sub, sub_ok, np.broadcast_to(sub_w, (b, len(subs))), m_sd, geometric=geometric,
                           min_coverage=settings.min_coverage)
        overall, _ = _agg(dim, dim_ok, base_dw[None, :] * f_dim[idx], np.ones((len(dims), 1)),
                          geometric=geometric, min_coverage=settings.min_coverage)
        ranks[0, idx, :] = _ranks(overall[:, :, 0])
        for j in range(len(dims)):
            ranks[1 + j, idx, :] = _ranks(dim[:, :, j])
    rows = []
    for n, name in enumerate(names):
        r = ranks[n]
        if np.isnan(r).all():
            continue  # a dimension no data fill: no interval
        p05, p50, p95 = _percentiles(r, (5, 50, 95))
        ranked = (~np.isnan(r)).sum(axis=0)
        rows.append(pd.DataFrame({"region": regions, "name": name, "rank_p05": p05, "rank_median": p50,
                                  "rank_p95": p95, "draws_ranked": ranked}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["region", "name", "rank_p05", "rank_median", "rank_p95", "draws_ranked"])
    out = out[out["draws_ranked"] > 0].reset_index(drop=True)
    return out.assign(draws=draws, seed=seed, weight_noise=weight_noise,
                      normalisations=",".join(normalisations))
