"""Growth classes: fixed breaks symmetric around 0 on a diverging palette (decline orange, growth purple)."""

from __future__ import annotations

import pandas as pd

from clusterobs.charts import growth_classes
from clusterobs.charts.classing import GROWTH_BREAKS
from clusterobs.charts.palette import GROWTH_COLOURS


def test_growth_classes_are_symmetric_around_zero():
    assert GROWTH_BREAKS == (-0.05, -0.02, 0.0, 0.02, 0.05)
    assert [-b for b in reversed(GROWTH_BREAKS)] == list(GROWTH_BREAKS)
    c = growth_classes("growth", lambda x: f"{x:+.0%}")
    assert [b.colour for b in c.bins] == GROWTH_COLOURS
    assert [b.label for b in c.bins] == ["growth < -5%", "-5% ≤ growth < -2%", "-2% ≤ growth < +0%",
                                         "+0% ≤ growth < +2%", "+2% ≤ growth < +5%", "growth ≥ +5%"]
    values = pd.Series([-0.2, -0.05, -0.03, -0.001, 0.0, 0.019, 0.02, 0.049, 0.05, None])
    # by hand: below -5%, [-5%, -2%), [-2%, 0), [0, 2%), [2%, 5%), from 5% on; missing is -1
    assert c.assign(values).tolist() == [0, 1, 1, 2, 3, 3, 4, 4, 5, -1]
    # decline and growth of the same pace are the same depth of colour, on either side
    assert GROWTH_COLOURS[0] != GROWTH_COLOURS[-1] and len(set(GROWTH_COLOURS)) == 6
