"""Eurostat cells: missing is not zero, flags are kept apart, artefacts are named."""

from __future__ import annotations

import pytest

from clusterobs.sources.eurostat_values import ParseError, parse_cell


@pytest.mark.parametrize(
    ("text", "value", "flag"),
    [
        ("7089", 7089.0, None),
        ("0", 0.0, None),
        ("219 d", 219.0, "d"),
        (" d", None, "d"),
        (": c", None, "c"),
        (":", None, None),
        ("", None, None),
        ("12:00 AM", None, None),
        ("1.5e3", 1500.0, None),
    ],
)
def test_parse_cell(text, value, flag):
    cell = parse_cell(text)
    assert cell.value == value
    assert cell.flag == flag


def test_zero_is_a_value_and_empty_is_missing():
    assert parse_cell("0").value == 0.0
    assert parse_cell("").value is None
    assert "missing" in parse_cell("").quirk


def test_thousands_separator_only_when_asked():
    assert parse_cell("1,060.2", thousands=",").value == pytest.approx(1060.2)
    assert parse_cell("12,345,678", thousands=",").value == 12345678.0
    with pytest.raises(ParseError):
        parse_cell("1,060.2")
    with pytest.raises(ParseError):
        parse_cell("12,5", thousands=",")


@pytest.mark.parametrize("text", ["abc", "12 x", "1-2"])
def test_garbage_is_an_error(text):
    with pytest.raises(ParseError):
        parse_cell(text)
