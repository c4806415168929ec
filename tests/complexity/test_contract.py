"""``clusterobs complexity`` and ``complexity_table``: bad input is refused naming file, line and reason."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.complexity import complexity_table, proximity_table
from clusterobs.mapping.pipeline import InputError

HEADER = "region,category,year,employment\n"
GOOD = "A,p1,2020,10\nA,p2,2020,10\nB,p1,2020,0\nB,p2,2020,5\nC,p1,2020,3\nC,p2,2020,1\n"


def run(tmp_path: Path, text: str, *extra: str, name: str = "in.csv"):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["complexity", str(src), "-o", str(tmp_path / "out.csv"), *extra]), src


def said(result) -> str:
    """The command's output with Rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.mark.parametrize(("rows", "line", "reason"), [
    ("A,p1,2020,-3\n", 8, "employment is negative: -3"),
    ("A,p3,2020,inf\n", 8, "employment is not a finite number: 'inf'"),
    ("A,p3,2020,nan\n", 8, "employment is not a finite number: 'nan'"),
    ("A,p3,2020,1e400\n", 8, "employment is not a finite number: '1e400'"),
    ("A,p3,2020,ten\n", 8, "employment is not a number: 'ten'"),
    ("A,p3,2020.5,1\n", 8, "year is not a whole number: '2020.5'"),
    (",p3,2020,1\n", 8, "region is empty"),
    ("A, ,2020,1\n", 8, "category is empty"),
    ("B,p2,2020,7\n", 8, "duplicate region/category/year of line 5"),
])
def test_bad_rows_name_file_line_and_reason(tmp_path: Path, rows: str, line: int, reason: str):
    result, src = run(tmp_path, HEADER + GOOD + rows)
    assert result.exit_code == 1
    assert f"{src}, line {line}: {reason}" in said(result)
    assert not (tmp_path / "out.csv").exists()


def test_missing_columns(tmp_path: Path):
    result, src = run(tmp_path, "region,industry,year,employment\nA,p1,2020,1\n")
    assert result.exit_code == 1
    assert (f"{src}: missing column(s) category (rename the industry column to category); found region, industry, "
            "year, employment") in said(result)


def test_no_rows_and_unknown_format(tmp_path: Path):
    assert "no data rows" in said(run(tmp_path, HEADER)[0])
    result, src = run(tmp_path, HEADER + GOOD, name="in.txt")
    assert result.exit_code == 1 and f"{src}: unknown format '.txt'" in said(result)


def test_missing_employment_counts_as_zero(tmp_path: Path):
    """An empty cell is a missing value, counted as 0 (as ecomplexity coerces NaN to 0), and said so."""
    result, _ = run(tmp_path, HEADER + GOOD.replace("B,p1,2020,0", "B,p1,2020,"))
    assert result.exit_code == 0, result.output
    assert "1 missing employment cells counted as 0" in said(result)
    zero = complexity_table(pd.read_csv(io.StringIO(HEADER + GOOD)))
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out.csv"), zero, check_dtype=False)


def test_output_rows_and_proximity_file(tmp_path: Path):
    result, _ = run(tmp_path, HEADER + GOOD + "A,p1,2021,4\nB,p2,2021,4\n", "--proximity",
                    str(tmp_path / "prox.parquet"))
    assert result.exit_code == 0, result.output
    assert "10 rows (3 regions × 2 categories × 2 years)" in said(result)
    out = pd.read_csv(tmp_path / "out.csv")
    # 2021 has A and B, p1 and p2 only: its rectangle is 2 × 2 (A/p2 and B/p1 absent: employment 0)
    assert out.groupby("year").size().to_dict() == {2020: 6, 2021: 4}
    prox = pd.read_parquet(tmp_path / "prox.parquet")
    assert list(prox.columns) == ["year", "category_1", "category_2", "proximity"]
    assert len(prox) == 8 and (prox.loc[prox.category_1 == prox.category_2, "proximity"] == 1).all()


def test_library_errors_name_the_source():
    df = pd.DataFrame({"region": ["A", "A"], "category": ["p", "p"], "year": [2020, 2020], "employment": [1.0, 2]})
    with pytest.raises(InputError, match=r"^mine, line 3: duplicate region/category/year of line 2$"):
        complexity_table(df, source="mine")
    with pytest.raises(InputError, match=r"line 2: employment is not a finite number: inf"):
        complexity_table(df.assign(employment=[np.inf, 1.0], category=["p", "q"]))


def test_proximity_is_symmetric_with_a_unit_diagonal():
    df = pd.read_csv(io.StringIO(HEADER + GOOD))
    prox = proximity_table(df).pivot(index="category_1", columns="category_2", values="proximity")
    np.testing.assert_array_equal(prox.to_numpy(), prox.to_numpy().T)
    assert (np.diag(prox.to_numpy()) == 1).all()
