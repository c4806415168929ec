"""Properties of the steps: min-max stays in [0, 100]; a monotone transformation never reorders a
single-indicator ranking; the same seed gives the same intervals; winsorising is recorded."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scoreboard_small import REGIONS, observations, registry

from clusterobs.scoreboard.normalise import normalise, transform
from clusterobs.scoreboard.outliers import winsorise
from clusterobs.scoreboard.pipeline import Settings, run_pipeline
from clusterobs.scoreboard.registry import Dimension, Indicator, Registry, SubDimension
from clusterobs.scoreboard.uncertainty import monte_carlo_ranks

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
values = st.lists(st.one_of(finite, st.just(float("nan"))), min_size=1, max_size=60)


@given(values, st.sampled_from([1, -1]))
def test_minmax_within_0_100(xs, direction):
    out = normalise(pd.Series(xs), "minmax", direction=direction)
    present = out.dropna()
    assert ((present >= 0) & (present <= 100)).all()
    assert out.isna().tolist() == pd.Series(xs).isna().tolist()  # missing stays missing, nothing else is


def one_indicator(transformation: str) -> Registry:
    return Registry((Dimension("d", "D", (SubDimension("s", "S"),)),),
                    (Indicator("x", "X", "d", "s", "t", "x", "u", 1, transformation),))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), min_size=3, max_size=25),
       st.sampled_from(["log", "log1p", "sqrt"]), st.sampled_from(["minmax", "zscore", "rank", "distance"]))
def test_monotone_transformation_keeps_the_ranking(xs, how, norm):
    # strictly monotone in exact arithmetic; in floating point, values a few ulps apart can meet after the
    # transformation or the normalisation (a fresh-clone run found such a tie): keep distinct values apart
    distinct = np.unique(xs)
    assume(bool(np.all(np.diff(distinct) > 1e-9 * distinct[1:])))
    regions = [f"R{i}" for i in range(len(xs))]
    obs = pd.DataFrame({"indicator": "x", "region": regions, "year": 2020, "value": xs})
    cfg = Settings(normalisation=norm, win_max=0)  # the outlier step off: only the transformation differs
    plain = run_pipeline(obs, one_indicator("none"), regions, cfg).scores
    moved = run_pipeline(obs, one_indicator(how), regions, cfg).scores
    key = (plain["level"] == "overall")
    assert plain.loc[key, "rank"].tolist() == moved.loc[moved["level"] == "overall", "rank"].tolist()


def test_transformation_domain():
    out = transform(pd.Series([-1.0, 0.0, math.e]), "log")
    assert math.isnan(out[0]) and math.isnan(out[1]) and out[2] == pytest.approx(1.0)


def test_winsorise_treats_the_extreme_values_and_says_which():
    x = pd.Series([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10, 500, 900])
    t = winsorise(x)
    assert t.skew_before > 2 and t.kurt_before > 3.5
    assert t.treated.tolist() == [False] * 16 + [True, True]
    assert t.values.iloc[-1] == 10 and t.values.iloc[-2] == 10  # set to the next value inward, one at a time
    assert not t.still_outlying
    calm = winsorise(pd.Series(np.arange(20.0)))
    assert not calm.treated.any() and calm.values.tolist() == list(np.arange(20.0))


def test_same_seed_same_intervals_other_seed_other_draws():
    r = run_pipeline(observations(), registry(), REGIONS)
    treated = r.values.pivot(index="region", columns="indicator", values="treated")
    a = monte_carlo_ranks(treated, registry(), draws=200, seed=7)
    b = monte_carlo_ranks(treated, registry(), draws=200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["name"]) == {"overall", "d1", "d2"}  # d3 has no data: no interval
    ov = a[a["name"] == "overall"].set_index("region")
    assert (ov["rank_p05"] <= ov["rank_median"]).all() and (ov["rank_median"] <= ov["rank_p95"]).all()
    assert ov["rank_p05"].min() >= 1 and ov["rank_p95"].max() <= 4
    assert ov.loc["A", "rank_median"] == 4  # A is last on every indicator it has


def test_monte_carlo_without_noise_and_one_normalisation_is_the_pipeline():
    r = run_pipeline(observations(), registry(), REGIONS)
    treated = r.values.pivot(index="region", columns="indicator", values="treated")
    iv = monte_carlo_ranks(treated, registry(), draws=20, seed=1, weight_noise=0.0, inner_noise=0.0,
                           normalisations=("minmax",))
    assert set(iv["name"]) == {"overall", "d1", "d2"}
    for name, g in iv.groupby("name"):
        s = r.scores[r.scores["name"] == name].set_index("region")["rank"].astype(float)
        g = g.set_index("region")
        assert g["rank_p05"].tolist() == s.reindex(g.index).tolist() == g["rank_p95"].tolist(), name


def test_scores_equal_but_for_the_last_bits_rank_as_ties():
    """Another engine's order of additions changes a sum's last bits: such scores are ties, on every ranking."""
    from clusterobs.scoreboard.aggregate import rank_desc
    from clusterobs.scoreboard.normalise import settled
    from clusterobs.scoreboard.uncertainty import _ranks

    score = pd.Series([30.144754 + 1.1e-14, 30.144754, 30.144754, 29.0, np.nan], index=list("abcde"))
    assert rank_desc(score).tolist() == [1, 1, 1, 4, pd.NA]
    assert normalise(score, "rank").tolist()[:4] == [pytest.approx(200 / 3)] * 3 + [0.0]
    assert _ranks(score.to_numpy()[None, :]).tolist()[0][:4] == [1.0, 2.0, 3.0, 4.0]  # stable: in region order
    values = np.array([1.23456789012345, -0.0, np.inf, np.nan, 1e-300, -7e300])
    out = settled(values)
    assert np.isclose(out, values, rtol=1e-10, atol=0, equal_nan=True).all() and out[2] == np.inf
    assert settled(np.array([30.144754 + 1.1e-14]))[0] == settled(np.array([30.144754]))[0]
    # a real difference (the 10th significant digit) still orders them
    assert rank_desc(pd.Series([30.14475401, 30.144754])).tolist() == [1, 2]
