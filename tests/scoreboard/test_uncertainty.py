"""The Monte Carlo rank intervals: what a draw varies (dimension weights, and inside each dimension the
sub-dimension and indicator weights), one draw computed by hand, reproducibility and the no-variation case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scoreboard_small import REGIONS, observations, registry

from clusterobs.scoreboard.pipeline import run_pipeline
from clusterobs.scoreboard.registry import Dimension, Indicator, Registry, SubDimension
from clusterobs.scoreboard.uncertainty import draw, draw_scores, monte_carlo_ranks

#: 3 regions × 2 indicators; min-max gives a = (100, 0, 60), b = (0, 100, 66). With a's share of the weight
#: at its nominal 1/3, R2 leads R3 (66.7 against 64); above 34/94 = 0.362, R3 leads
THREE = pd.DataFrame({"a": [30.0, 10.0, 22.0], "b": [10.0, 30.0, 23.2]}, index=["R1", "R2", "R3"])
NORM_A, NORM_B = [100.0, 0.0, 60.0], [0.0, 100.0, 66.0]


def one_subdimension() -> Registry:
    """Both indicators in one sub-dimension (nominal weights 1 and 2): the indicator factors act."""
    return Registry((Dimension("d", "D", (SubDimension("s", "S"),)),),
                    (Indicator("a", "A", "d", "s", "t", "a", "u", 1, "none", 1.0),
                     Indicator("b", "B", "d", "s", "t", "b", "u", 1, "none", 2.0)))


def two_subdimensions() -> Registry:
    """One indicator in each of two sub-dimensions (nominal weights 1 and 2): the sub-dimension factors act."""
    return Registry((Dimension("d", "D", (SubDimension("s1", "S1", 1.0), SubDimension("s2", "S2", 2.0))),),
                    (Indicator("a", "A", "d", "s1", "t", "a", "u", 1),
                     Indicator("b", "B", "d", "s2", "t", "b", "u", 1)))


def by_hand(seed: int, layout: str) -> tuple[list[float], list[float]]:
    """One draw of seed ``seed`` with min-max only, computed by hand: (scores, ranks) of R1, R2, R3.

    The draws come from ``numpy.random.default_rng(seed)`` in the documented order: normalisation, indicator
    factors, dimension factors, sub-dimension factors (each ±25 %)."""
    rng = np.random.default_rng(seed)
    assert rng.integers(0, 1, size=1)[0] == 0                      # the one normalisation: min-max
    fa, fb = rng.uniform(0.75, 1.25, size=(1, 2))[0]               # indicator factors
    rng.uniform(0.75, 1.25, size=(1, 1))                           # the single dimension: no effect on ranks
    if layout == "one sub-dimension":
        wa, wb = 1.0 * fa, 2.0 * fb
    else:
        ga, gb = rng.uniform(0.75, 1.25, size=(1, 2))[0]           # sub-dimension factors
        wa, wb = 1.0 * ga, 2.0 * gb                                # one indicator per sub-dimension: fa, fb cancel
    scores = [(wa * x + wb * y) / (wa + wb) for x, y in zip(NORM_A, NORM_B, strict=True)]
    order = sorted(range(3), key=lambda i: -scores[i])
    ranks = [float(order.index(i) + 1) for i in range(3)]
    return scores, ranks


@pytest.mark.parametrize("layout, make", [("one sub-dimension", one_subdimension),
                                          ("two sub-dimensions", two_subdimensions)])
@pytest.mark.parametrize("seed", [3, 4])
def test_one_draw_by_hand(layout, make, seed):
    reg = make()
    want_scores, want_ranks = by_hand(seed, layout)
    # seed 3 keeps R2 first with one sub-dimension and puts R3 first with two; seed 4 the reverse
    r3_first = (seed == 3) == (layout == "two sub-dimensions")
    assert want_ranks == ([3.0, 2.0, 1.0] if r3_first else [3.0, 1.0, 2.0])
    sample = draw(seed, 1, n_normalisations=1, n_indicators=2, n_subdimensions=len(reg.dimensions[0].subdimensions),
                  n_dimensions=1)
    names, scores = draw_scores(THREE, reg, sample, normalisations=("minmax",))
    assert names == ["overall", "d"]
    assert scores[1, 0].tolist() == pytest.approx(want_scores)     # the dimension
    assert scores[0, 0].tolist() == pytest.approx(want_scores)     # the overall: one dimension
    iv = monte_carlo_ranks(THREE, reg, draws=1, seed=seed, normalisations=("minmax",))
    for name in ("overall", "d"):
        g = iv[iv["name"] == name].set_index("region").loc[["R1", "R2", "R3"]]
        assert g["rank_p05"].tolist() == g["rank_median"].tolist() == g["rank_p95"].tolist() == want_ranks


def test_seed_3_written_out():
    """Seed 3, two sub-dimensions: the sub-dimension factors are 1.0411 and 0.7971 (after the indicator factors
    0.7928, 0.8684 and the dimension factor 1.1506), so the weights are 1.0411 and 2 × 0.7971 = 1.5941 and a's
    share is 0.3951: R1 = 39.51, R2 = 60.49, R3 = 0.3951 × 60 + 0.6049 × 66 = 63.63, and R3 comes first."""
    sample = draw(3, 1, n_normalisations=1, n_indicators=2, n_subdimensions=2, n_dimensions=1)
    assert sample.indicator[0].tolist() == pytest.approx([0.7928, 0.8684], abs=1e-4)
    assert sample.dimension[0].tolist() == pytest.approx([1.1506], abs=1e-4)
    assert sample.subdimension[0].tolist() == pytest.approx([1.0411, 0.7971], abs=1e-4)
    _, scores = draw_scores(THREE, two_subdimensions(), sample, normalisations=("minmax",))
    assert scores[0, 0].tolist() == pytest.approx([39.51, 60.49, 63.63], abs=0.01)


def test_the_hand_example_does_move_with_the_inner_weights():
    """Nominal weights (1, 2) put R2 first; draws that give a more of the weight put R3 first."""
    for reg in (one_subdimension(), two_subdimensions()):
        nominal = monte_carlo_ranks(THREE, reg, draws=200, seed=1, inner_noise=0.0, normalisations=("minmax",))
        varied = monte_carlo_ranks(THREE, reg, draws=200, seed=1, normalisations=("minmax",))
        nom = nominal[nominal["name"] == "overall"].set_index("region")
        var = varied[varied["name"] == "overall"].set_index("region")
        assert nom["rank_p05"].tolist() == nom["rank_p95"].tolist() == [3.0, 1.0, 2.0]  # 33.3, 66.7, 64
        assert var["rank_p05"].tolist() == [3.0, 1.0, 1.0] and var["rank_p95"].tolist() == [3.0, 2.0, 2.0]


def test_draws_stay_within_their_bounds_and_respect_each_noise():
    s = draw(5, 400, n_normalisations=4, n_indicators=6, n_subdimensions=3, n_dimensions=2, weight_noise=0.1,
             inner_noise=0.4)
    assert set(np.unique(s.normalisation)) == {0, 1, 2, 3}
    assert s.indicator.shape == (400, 6) and s.subdimension.shape == (400, 3) and s.dimension.shape == (400, 2)
    for f, n in ((s.indicator, 0.4), (s.subdimension, 0.4), (s.dimension, 0.1)):
        assert f.min() >= 1 - n and f.max() <= 1 + n and f.max() - f.min() > n  # spread over the range
    fixed = draw(5, 10, n_normalisations=4, n_indicators=6, n_subdimensions=3, n_dimensions=2, inner_noise=0.0)
    assert (fixed.indicator == 1).all() and (fixed.subdimension == 1).all() and not (fixed.dimension == 1).all()


def test_same_seed_same_intervals_and_what_was_varied_is_recorded():
    r = run_pipeline(observations(), registry(), REGIONS)
    treated = r.values.pivot(index="region", columns="indicator", values="treated")
    a = monte_carlo_ranks(treated, registry(), draws=300, seed=9, inner_noise=0.3)
    b = monte_carlo_ranks(treated, registry(), draws=300, seed=9, inner_noise=0.3)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["weight_noise"]) == {0.25} and set(a["inner_noise"]) == {0.3} and set(a["seed"]) == {9}
    assert set(a["normalisations"]) == {"minmax,zscore,rank,distance"} and set(a["draws"]) == {300}
    nine, ten = (draw(seed, 5, n_normalisations=4, n_indicators=3, n_subdimensions=3, n_dimensions=3)
                 for seed in (9, 10))
    assert not np.array_equal(nine.subdimension, ten.subdimension)


def test_inner_noise_alone_varies_the_ranks_and_zero_variation_does_not():
    r = run_pipeline(observations(), registry(), REGIONS)
    treated = r.values.pivot(index="region", columns="indicator", values="treated")
    still = monte_carlo_ranks(treated, registry(), draws=200, seed=2, weight_noise=0.0, inner_noise=0.0,
                              normalisations=("minmax",))
    assert (still["rank_p05"] == still["rank_p95"]).all()
    sample = draw(2, 200, n_normalisations=1, n_indicators=treated.shape[1], n_subdimensions=3, n_dimensions=3,
                  weight_noise=0.0)
    names, scores = draw_scores(treated, registry(), sample, normalisations=("minmax",))
    d1 = scores[names.index("d1")]                                     # draws × regions A, B, C, D
    d2 = scores[names.index("d2")][:, [0, 1, 3]]                       # C has no x3: no d2 score
    d1_spread, d2_spread = d1.max(axis=0) - d1.min(axis=0), d2.max(axis=0) - d2.min(axis=0)
    # d1/s1 holds x1 and x2: B's score (33.3 and 100, nominal 66.7) moves with their weights; A (0, 0) cannot
    assert d1_spread[1] > 5 and d1_spread[0] == 0
    assert (d2_spread < 1e-9).all()  # one indicator: its weight's factor cancels


def test_draws_that_do_not_fit_the_registry_are_refused():
    sample = draw(1, 3, n_normalisations=1, n_indicators=3, n_subdimensions=1, n_dimensions=1)
    with pytest.raises(ValueError, match="`sample` of `draw_scores` must hold factors for 2 indicators, 1 "
                                         "sub-dimensions and 1 dimensions; got 3, 1 and 1"):
        draw_scores(THREE, one_subdimension(), sample, normalisations=("minmax",))


@pytest.mark.parametrize("kw, message", [({"inner_noise": 1.0}, "`inner_noise` of `monte_carlo_ranks` must be"),
                                         ({"weight_noise": -0.1}, "`weight_noise` of `monte_carlo_ranks` must be")])
def test_noise_outside_its_range_names_the_parameter(kw, message):
    with pytest.raises(ValueError, match=message):
        monte_carlo_ranks(THREE, one_subdimension(), draws=5, **kw)
