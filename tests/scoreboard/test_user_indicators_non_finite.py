"""Users' own indicators: a value or a weight that is not finite (``1e400`` overflows, ``nan``, ``inf``, ``-inf``)
stops the load with the file, the row and the reason; nothing is loaded."""

from __future__ import annotations

import pytest

from clusterobs.scoreboard.registry import load_registry
from clusterobs.scoreboard.userdata import UserIndicatorError, read_user_file

HEADER = "indicator,name,dimension,subdimension,weight,region,year,value\n"
ROW = "cafes,Cafés per head,demand,market_size,{weight},{region},2022,{value}\n"
NON_FINITE = ["1e400", "nan", "inf", "-inf"]


def _file(tmp_path, value: str = "3", weight: str = "1"):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + ROW.format(weight=1, region="AT11", value=4)
                    + ROW.format(weight=weight, region="AT12", value=value), encoding="utf-8")
    return path


def test_a_finite_file_loads(tmp_path):
    user = read_user_file(_file(tmp_path), load_registry(), {"AT11", "AT12"})
    assert user["value"].tolist() == [4.0, 3.0] and user["row"].tolist() == [2, 3]


@pytest.mark.parametrize("value", NON_FINITE)
def test_a_value_that_is_not_finite_is_refused(tmp_path, value):
    with pytest.raises(UserIndicatorError) as err:
        read_user_file(_file(tmp_path, value=value), load_registry(), {"AT11", "AT12"})
    message = str(err.value)
    assert message.startswith("mine.csv, row 3: `value`") and value in message
    assert "finite" in message or "must be a number" in message


@pytest.mark.parametrize("weight", NON_FINITE)
def test_a_weight_that_is_not_finite_is_refused(tmp_path, weight):
    """Before: ``inf`` and ``1e400`` were taken as weights (above 0), an infinite weight in the composite."""
    with pytest.raises(UserIndicatorError) as err:
        read_user_file(_file(tmp_path, weight=weight), load_registry(), {"AT11", "AT12"})
    message = str(err.value)
    assert message.startswith("mine.csv, row 3") and "`weight` must be" in message, message
    assert f"got {weight!r}" in message
