"""Firm microdata: a number that is not finite (``1e400`` overflows, ``nan``, ``inf``, ``-inf``) is quarantined as
"not a finite number" with its file and line, in a CSV and in a Parquet float column; nothing is dropped silently."""

from __future__ import annotations

import pytest
from microdata_cases import hand_lookups

from clusterobs.mapping.backends import duckdb_backend
from clusterobs.microdata import REASONS, map_firms

NON_FINITE = ["1e400", "nan", "inf", "-inf"]


@pytest.mark.parametrize("column", ["employees", "wages"])
def test_a_non_finite_cell_in_a_csv_is_quarantined(tmp_path, column):
    """Before: ``1e400`` was counted as "too large" and ``-1e400`` as "negative"."""
    rows = ["1,DE111,C1011,2020,10,1000"]
    for i, v in enumerate(NON_FINITE, start=2):
        rows.append(f"{i},DE111,C1011,2020,{v},5" if column == "employees" else f"{i},DE111,C1011,2020,3,{v}")
    path = tmp_path / "firms.csv"
    path.write_text("firm_id,region,nace,year,employees,wages\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r = map_firms(duckdb_backend(), path, hand_lookups(), levels=(3,), schemes=(), sample=10)
    assert r.quarantined == {REASONS.not_a_number(column): 4}
    assert REASONS.not_a_number(column) == f"{column} is not a finite number"
    assert sorted(zip(r.sample["file"], r.sample["line"], strict=True)) == [("firms.csv", n) for n in (3, 4, 5, 6)]
    assert r.totals["employees"] == 1000  # hundredths: the first firm's 10


def test_a_non_finite_float_in_parquet_is_quarantined(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = [1.0, float("inf"), float("-inf"), float("nan"), None]
    pq.write_table(pa.table({
        "firm_id": [1, 2, 3, 4, 5], "region": ["DE111"] * 5, "nace": ["C1011"] * 5, "year": [2020] * 5,
        "employees": pa.array([2.0, 2.0, 2.0, 2.0, 2.0], pa.float64()),
        "wages": pa.array(values, pa.float64(), from_pandas=False)}), tmp_path / "f.parquet")
    r = map_firms(duckdb_backend(), tmp_path / "f.parquet", hand_lookups(), levels=(3,), schemes=(), sample=10)
    assert r.quarantined == {REASONS.not_a_number("wages"): 3}
    assert sorted(r.sample["line"]) == [2, 3, 4]  # Parquet: the row's number in the file
    assert r.totals["employees"] == 400 and r.totals["wages"] == 100 and r.totals["wages_missing"] == 1
