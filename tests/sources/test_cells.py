"""``cells.number``: one cell as a finite number or the problem, on hand-made texts."""

from __future__ import annotations

import pytest

from clusterobs.sources import cells
from clusterobs.sources.cells import EMPTY, NEGATIVE, NOT_A_NUMBER, NOT_FINITE, Cell


@pytest.mark.parametrize(("text", "value"), [
    ("1.5", 1.5), (" 2 ", 2.0), ("\t7\r\n", 7.0), (".826", 0.826), ("-.5", -0.5), ("-3", -3.0), ("1e3", 1000.0),
    ("0", 0.0), ("-0", 0.0),
])
def test_numbers(text, value):
    cell = cells.number(text)
    assert cell == Cell(text.strip(), value, None)


@pytest.mark.parametrize(("text", "problem"), [
    ("", EMPTY), ("   ", EMPTY), ("1,5", NOT_A_NUMBER), (":", NOT_A_NUMBER), ("NA", NOT_A_NUMBER),
    ("12 b", NOT_A_NUMBER), ("n/a", NOT_A_NUMBER), ("NaN", NOT_FINITE), ("nan", NOT_FINITE), ("inf", NOT_FINITE),
    ("-Infinity", NOT_FINITE), ("1e999", NOT_FINITE),
])
def test_problems(text, problem):
    cell = cells.number(text)
    assert cell.problem == problem and cell.value is None and cell.text == text.strip()


def test_missing_markers_are_the_readers():
    assert cells.number(" NA ", missing=("", "NA")) == Cell("NA", None, EMPTY)
    assert cells.number("", missing=("", "NA")).problem == EMPTY
    assert cells.number(":", missing=(":",)).problem == EMPTY
    assert cells.number("", missing=()).problem == NOT_A_NUMBER  # no marker: an empty text is just not a number


def test_negative_only_when_refused():
    assert cells.number("-3").value == -3.0
    assert cells.number("-3", negative=False) == Cell("-3", None, NEGATIVE)
    assert cells.number("-0.0", negative=False).value == 0.0  # minus zero is not below zero
    assert cells.number("3", negative=False).value == 3.0
    # not finite comes first: a reader that rejects both with one reason sees the same row either way
    assert cells.number("-inf", negative=False).problem == NOT_FINITE
    assert cells.number("-x", negative=False).problem == NOT_A_NUMBER
