"""The pipeline on a hand-made table: every step checked against values computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scoreboard_small import REGIONS, observations, registry

from clusterobs.scoreboard.pipeline import Settings, run_pipeline


def score(result, level: str, name: str) -> pd.Series:
    s = result.scores
    return s[(s["level"] == level) & (s["name"] == name)].set_index("region")["score"]


def test_imputation_takes_latest_year_and_flags_it():
    r = run_pipeline(observations(), registry(), REGIONS)
    v = r.values[r.values["indicator"] == "x2"].set_index("region")
    assert list(v["target_year"]) == [2020] * 4
    assert v.loc["D", "imputed"] and v.loc["D", "year"] == 2019 and v.loc["D", "raw"] == 2
    assert not v.loc["A", "imputed"] and v.loc["A", "raw"] == 5  # the target year wins over 2019
    x3 = r.values[r.values["indicator"] == "x3"].set_index("region")
    assert math.isnan(x3.loc["C", "raw"]) and not x3.loc["C", "imputed"]  # no value anywhere: stays missing


def test_minmax_and_arithmetic_by_hand():
    r = run_pipeline(observations(), registry(), REGIONS)
    n = r.normalised
    assert n["x1"].tolist() == pytest.approx([0, 100 / 3, 200 / 3, 100])
    # x2, lower is better: (max − x) / (max − min) × 100 with min 1, max 5; D imputed from 2019 (2)
    assert n["x2"].tolist() == pytest.approx([0, 100, 50, 75])
    assert n.loc["C", "x3"] != n.loc["C", "x3"]  # NaN
    sub = score(r, "subdimension", "d1/s1")
    assert sub.tolist() == pytest.approx([0, (100 / 3 + 100) / 2, (200 / 3 + 50) / 2, 87.5])
    overall = score(r, "overall", "overall")
    # d3 has no data anywhere: it does not count; C has d1 only (half the weight: kept at min_coverage 0.5)
    assert overall.tolist() == pytest.approx([0, ((100 / 3 + 100) / 2 + 100 / 3) / 2, (200 / 3 + 50) / 2,
                                              (87.5 + 100) / 2])
    ranks = r.scores[r.scores["level"] == "overall"].set_index("region")["rank"]
    assert ranks.to_dict() == {"D": 1, "C": 2, "B": 3, "A": 4}
    assert r.scores[(r.scores["level"] == "overall")].set_index("region")["indicators_used"].to_dict() == {
        "A": 3, "B": 3, "C": 2, "D": 3}


def test_weights_and_coverage():
    r = run_pipeline(observations(), registry(w1=3), REGIONS, Settings(min_coverage=0.75))
    sub = score(r, "subdimension", "d1/s1")
    assert sub["B"] == pytest.approx((3 * 100 / 3 + 100) / 4)
    overall = score(r, "overall", "overall")
    assert math.isnan(overall["C"])  # only half of the dimension weight: below 0.75


def test_geometric_aggregation_by_hand():
    r = run_pipeline(observations(), registry(), REGIONS, Settings(aggregation="geometric"))
    n = r.normalised
    assert n["x1"].tolist() == pytest.approx([1, 34, 67, 100])  # min-max on [1, 100]
    sub = score(r, "subdimension", "d1/s1")
    assert sub["B"] == pytest.approx(math.sqrt(34 * 100))
    assert set(r.values["normalisation"]) == {"minmax[1,100]"}


def test_other_normalisations_by_hand():
    z = run_pipeline(observations(), registry(), REGIONS, Settings(normalisation="zscore")).normalised
    sd = pd.Series([10, 20, 30, 40]).std()
    assert z["x1"].tolist() == pytest.approx([(x - 25) / sd for x in (10, 20, 30, 40)])
    rk = run_pipeline(observations(), registry(), REGIONS, Settings(normalisation="rank")).normalised
    assert rk["x2"].tolist() == pytest.approx([0, 100, 100 / 3, 200 / 3])
    d = run_pipeline(observations(), registry(), REGIONS, Settings(normalisation="distance")).normalised
    assert d["x1"].tolist() == pytest.approx([40, 80, 120, 160])  # 100 × x / mean (25)
    mean2 = (5 + 1 + 3 + 2) / 4
    assert d.loc["A", "x2"] == pytest.approx(100 * (2 - 5 / mean2))


def test_dimension_without_data_is_shown_not_faked():
    r = run_pipeline(observations(), registry(), REGIONS)
    st = r.dimensions.set_index("dimension")
    assert st.loc["d3", "status"] == "no data" and st.loc["d3", "missing_indicators"] == "x4"
    assert not (r.scores["name"] == "d3").any()
    assert r.notes == ["Dimension 3 (no data) / Sub 3: no data"]


def test_log_transformation_recorded():
    r = run_pipeline(observations(), registry(transformation="log"), REGIONS)
    v = r.values[r.values["indicator"] == "x1"].set_index("region")
    assert v["transformed"].tolist() == pytest.approx([math.log(x) for x in (10, 20, 30, 40)])
    lo, hi = math.log(10), math.log(40)
    assert r.normalised.loc["B", "x1"] == pytest.approx((math.log(20) - lo) / (hi - lo) * 100)


def test_bad_settings_name_the_parameter():
    with pytest.raises(ValueError, match="`normalisation` of the scoreboard must be one of"):
        run_pipeline(observations(), registry(), REGIONS, Settings(normalisation="minimax"))
    with pytest.raises(ValueError, match="geometric needs positive scores"):
        run_pipeline(observations(), registry(), REGIONS, Settings(aggregation="geometric", normalisation="zscore"))
