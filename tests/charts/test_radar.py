"""The self-assessment radar: a closed polygon of the scores on a fixed 0-100 scale, the comparison dashed."""

from __future__ import annotations

from clusterobs.charts import Caption, score_radar


def test_radar_closes_the_polygon_on_a_fixed_scale():
    fig = score_radar({"Strategy and governance": 61.5, "Framework conditions": 66.7, "Internationalisation": 58.3},
                      Caption("T", "S", "Source"), name="Stuttgart (DE11)",
                      reference={"Strategy and governance": 50, "Framework conditions": 40,
                                 "Internationalisation": 30}, reference_name="Median")
    ref, mine = fig.data
    assert list(mine.r) == [61.5, 66.7, 58.3, 61.5] and mine.theta[0] == mine.theta[-1]
    assert mine.theta[0] == "Strategy and<br>governance"  # long labels wrap
    assert list(ref.r) == [50, 40, 30, 50] and ref.line.dash == "dash" and ref.name == "Median"
    assert tuple(fig.layout.polar.radialaxis.range) == (0, 100)
    assert fig.layout.meta["title"] == "T"


def test_radar_without_reference_has_one_trace():
    fig = score_radar({"A": 10, "B": 20, "C": 30}, Caption("T"), name="Me")
    assert len(fig.data) == 1 and fig.data[0].fill == "toself"
