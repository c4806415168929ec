"""The column-wise XLSX writer: what openpyxl reads back is what was written (missing stays empty, never 0)."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from clusterobs.web.xlsx import column_letter, workbook


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_frame_round_trips_through_openpyxl():
    df = pd.DataFrame({
        "code": ["DE11", "FR10", None],
        "n": [3, 0, -7],
        "n_missing": pd.array([1, None, 2], dtype="Int64"),
        "x": [126714.103344, math.nan, math.inf],
        "tiny": [1e-12, 0.1, -2.5],
        "flag": pd.array([True, None, False], dtype="boolean"),
        "note": ["a & b < c > d", " padded ", "bell\x07 and tab\tand\nnewline"],
        "empty": ["", "x", None],
    })
    book = load_workbook(io.BytesIO(workbook([("data", df), ("meta", [["key", 1], [], ["k", None, 2.5]])])))
    assert book.sheetnames == ["data", "meta"]
    rows = list(book["data"].iter_rows(values_only=True))
    assert rows[0] == tuple(df.columns)
    assert rows[1] == ("DE11", 3, 1, pytest.approx(126714.103344), 1e-12, True, "a & b < c > d", None)
    # missing and non-finite values are empty cells (None), never 0; text keeps its spaces and line breaks; empty
    # text is no cell, as openpyxl writes it
    assert rows[2] == ("FR10", 0, None, None, 0.1, None, " padded ", "x")
    assert rows[3] == (None, -7, 2, None, -2.5, False, "bell and tab\tand\nnewline", None)  # \x07 is not XML
    meta = list(book["meta"].iter_rows(values_only=True))
    assert meta[0][:2] == ("key", 1) and meta[2] == ("k", None, 2.5)
    assert book["meta"].max_row == 3  # the empty row is kept as a row


def test_empty_frame_has_its_header_and_bad_input_is_refused():
    book = load_workbook(io.BytesIO(workbook([("data", pd.DataFrame(columns=["a", "b"]))])))
    assert list(book["data"].iter_rows(values_only=True)) == [("a", "b")]
    with pytest.raises(ValueError, match="at least one sheet"):
        workbook([])
    with pytest.raises(ValueError, match="unique"):
        workbook([("a", []), ("a", [])])


def test_numbers_keep_their_precision():
    values = np.array([0.1 + 0.2, 1 / 3, 2.0**-40, 123456789.123456789, 1e300])
    book = load_workbook(io.BytesIO(workbook([("d", pd.DataFrame({"v": values}))])))
    got = [r[0] for r in book["d"].iter_rows(min_row=2, values_only=True)]
    assert got == values.tolist()
