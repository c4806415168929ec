"""Uncertainty of the ranks: a seeded Monte Carlo over weights and normalisations.

Each draw picks one normalisation at random among ``normalisations`` (default: all four) and multiplies the
nominal weights by independent factors, each uniform around 1:

* every dimension weight by a factor in [1 − ``weight_noise``, 1 + ``weight_noise``];
* inside each dimension (``inner_noise``), every sub-dimension weight and every indicator weight by a factor in
  [1 − ``inner_noise``, 1 + ``inner_noise``].

The weighted means renormalise the weights of each group (the indicators of a sub-dimension, the sub-dimensions
of a dimension, the dimensions), so a factor acts on a weight's share of its group; a group of one member is not
varied. Uniform multiplicative noise is COINr's ``get_noisy_weights`` rule (a noise factor per aggregation level,
± a share of the nominal weight) and the rule this module already applied to the dimensions: it is bounded (no
weight reaches 0, the ratio of two weights moves by at most (1 + n)/(1 − n)) and it scales with unequal nominal
weights. A Dirichlet around the nominal shares has neither property: a member's share can come arbitrarily close
to 0 (the indicator all but dropped), and its spread is set by a concentration parameter with no natural value.

The scores are re-aggregated exactly as the pipeline does (same coverage rule) and every region ranked. The
interval of a region is the 5th–95th percentile of its ranks over the draws. All randomness comes from
``numpy.random.default_rng(seed)`` (``draw``): the same seed gives the same intervals. Draws are vectorised
(draws × regions × indicators arrays), one batch per normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterobs.scoreboard.normalise import NORMALISATIONS, normalise_matrix, settled
from clusterobs.scoreboard.pipeline import OVERALL, Settings
from clusterobs.scoreboard.registry import Registry

WEIGHT_NOISE = 0.25
INNER_NOISE = 0.25


@dataclass(frozen=True)
class Draws:
    """What the Monte Carlo draws vary: per draw, the normalisation and the factors on the nominal weights."""

    normalisation: np.ndarray   # (B,) index into the normalisations drawn from
    indicator: np.ndarray       # (B, I) factors on the indicator weights (registry order of the indicators used)
    subdimension: np.ndarray    # (B, S) factors on the sub-dimension weights (registry order)
    dimension: np.ndarray       # (B, D) factors on the dimension weights (registry order)


def _check_noise(name: str, value: float) -> None:
    if not 0 <= value < 1:
        raise ValueError(f"`{name}` of `monte_carlo_ranks` must be within [0, 1); got {value}")


def draw(seed: int, draws: int, *, n_normalisations: int, n_indicators: int, n_subdimensions: int,
         n_dimensions: int, weight_noise: float = WEIGHT_NOISE, inner_noise: float = INNER_NOISE) -> Draws:
    """The draws of ``numpy.random.default_rng(seed)``, taken in this order: the normalisation of each draw, the
    indicator factors, the dimension factors, the sub-dimension factors (the order predates the sub-dimension
    factors, which come last so that the other three are the same as before for a given seed)."""
    _check_noise("weight_noise", weight_noise)
    _check_noise("inner_noise", inner_noise)
    rng = np.random.default_rng(seed)
    choice = rng.integers(0, n_normalisations, size=draws)
    f_ind = rng.uniform(1 - inner_noise, 1 + inner_noise, size=(draws, n_indicators))
    f_dim = rng.uniform(1 - weight_noise, 1 + weight_noise, size=(draws, n_dimensions))
    f_sub = rng.uniform(1 - inner_noise, 1 + inner_noise, size=(draws, n_subdimensions))
    return Draws(normalisation=choice, indicator=f_ind, subdimension=f_sub, dimension=f_dim)


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
    filled = np.where(np.isnan(score), -np.inf, settled(score))  # near-ties (last bits) in region order
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


def _normalisations(settings: Settings, normalisations: tuple[str, ...]) -> tuple[str, ...]:
    """The normalisations a draw may pick: geometric aggregation needs positive scores (min-max, distance)."""
    if settings.aggregation == "geometric":
        return tuple(n for n in normalisations if n in ("minmax", "distance"))
    return tuple(normalisations)


def draw_scores(treated: pd.DataFrame, registry: Registry, sample: Draws, *, settings: Settings | None = None,
                normalisations: tuple[str, ...] = NORMALISATIONS) -> tuple[list[str], np.ndarray]:
    """The overall and dimension scores of every draw of ``sample`` → (names, scores (names × draws × regions)).

    ``treated`` as for ``monte_carlo_ranks``; ``sample.normalisation`` indexes ``normalisations`` (after the
    geometric filter); the factors follow the registry order of the indicators in ``treated``, of the
    sub-dimensions and of the dimensions. NaN where a region has no score (coverage rule)."""
    settings = settings or Settings()
    normalisations = _normalisations(settings, normalisations)
    inds = [i for i in registry.indicators if i.id in treated.columns]
    x = treated[[i.id for i in inds]].to_numpy(dtype=float)
    directions = np.array([i.direction for i in inds])
    # membership: indicators → sub-dimensions → dimensions
    subs = [(d.id, s.id, s.weight) for d in registry.dimensions for s in d.subdimensions]
    m_is = np.array([[1.0 if (i.dimension, i.subdimension) == (d, s) else 0.0 for d, s, _ in subs] for i in inds])
    dims = list(registry.dimensions)
    m_sd = np.array([[1.0 if d == dim.id else 0.0 for dim in dims] for d, _, _ in subs])
    base_iw = np.array([i.weight for i in inds])
    base_sw = np.array([w for _, _, w in subs])
    base_dw = np.array([d.weight for d in dims])
    want = (len(inds), len(subs), len(dims))
    got = (sample.indicator.shape[1], sample.subdimension.shape[1], sample.dimension.shape[1])
    if got != want:
        raise ValueError(f"`sample` of `draw_scores` must hold factors for {want[0]} indicators, {want[1]} "
                         f"sub-dimensions and {want[2]} dimensions; got {got[0]}, {got[1]} and {got[2]}")
    names = [OVERALL, *[d.id for d in dims]]
    n_draws = len(sample.normalisation)
    scores = np.full((len(names), n_draws, len(treated.index)), np.nan)
    geometric = settings.aggregation == "geometric"
    for k, how in enumerate(normalisations):
        idx = np.flatnonzero(sample.normalisation == k)
        if not len(idx):
            continue
        low = 1.0 if geometric and how == "minmax" else 0.0
        norm = normalise_matrix(x, how, directions, low=low)
        sub, sub_ok = _agg(norm, ~np.isnan(norm), base_iw[None, :] * sample.indicator[idx], m_is,
                           geometric=geometric, min_coverage=settings.min_coverage)
        dim, dim_ok = _agg(sub, sub_ok, base_sw[None, :] * sample.subdimension[idx], m_sd, geometric=geometric,
                           min_coverage=settings.min_coverage)
        overall, _ = _agg(dim, dim_ok, base_dw[None, :] * sample.dimension[idx], np.ones((len(dims), 1)),
                          geometric=geometric, min_coverage=settings.min_coverage)
        scores[0, idx, :] = overall[:, :, 0]
        scores[1:, idx, :] = np.moveaxis(dim, 2, 0)
    return names, scores


def monte_carlo_ranks(treated: pd.DataFrame, registry: Registry, settings: Settings | None = None, *,
                      draws: int = 1000, seed: int = 20231, weight_noise: float = WEIGHT_NOISE,
                      inner_noise: float = INNER_NOISE,
                      normalisations: tuple[str, ...] = NORMALISATIONS) -> pd.DataFrame:
    """Rank intervals of the overall score and of every dimension.

    ``treated``: regions × indicators, the values after imputation, transformation and outlier treatment (the
    pipeline's ``treated`` column pivoted). ``weight_noise``: the dimension weights vary by ± that share;
    ``inner_noise``: the sub-dimension and indicator weights inside each dimension vary by ± that share (0 keeps
    them at the registry's); ``normalisations``: those a draw picks from. Returns ``region``, ``name``,
    ``rank_p05``, ``rank_median``, ``rank_p95``, ``draws_ranked``, and what was varied: ``draws``, ``seed``,
    ``weight_noise``, ``inner_noise``, ``normalisations``.
    """
    settings = settings or Settings()
    normalisations = _normalisations(settings, normalisations)
    n_ind = sum(1 for i in registry.indicators if i.id in treated.columns)
    sample = draw(seed, draws, n_normalisations=len(normalisations), n_indicators=n_ind,
                  n_subdimensions=sum(len(d.subdimensions) for d in registry.dimensions),
                  n_dimensions=len(registry.dimensions), weight_noise=weight_noise, inner_noise=inner_noise)
    names, scores = draw_scores(treated, registry, sample, settings=settings, normalisations=normalisations)
    regions = list(treated.index)
    rows = []
    for n, name in enumerate(names):
        r = _ranks(scores[n])
        if np.isnan(r).all():
            continue  # a dimension no data fill: no interval
        p05, p50, p95 = _percentiles(r, (5, 50, 95))
        ranked = (~np.isnan(r)).sum(axis=0)
        rows.append(pd.DataFrame({"region": regions, "name": name, "rank_p05": p05, "rank_median": p50,
                                  "rank_p95": p95, "draws_ranked": ranked}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["region", "name", "rank_p05", "rank_median", "rank_p95", "draws_ranked"])
    out = out[out["draws_ranked"] > 0].reset_index(drop=True)
    return out.assign(draws=draws, seed=seed, weight_noise=weight_noise, inner_noise=inner_noise,
                      normalisations=",".join(normalisations))
