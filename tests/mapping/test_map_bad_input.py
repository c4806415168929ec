"""`clusterobs map`: every kind of bad input, each either refused (exit 1, file, line and reason, no output) or
accepted under a rule that docs/mapping.md states (and, for ignored columns, that the command reports)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app

pytestmark = pytest.mark.usefixtures("wide_cli")  # long temporary paths under pytest-xdist

H = "region,category,year,employment\n"
OK = "R1,a,2020,5\nR2,a,2020,6\n"

# (case id, file content, the message's words); every message also names the file
REFUSED = [
    ("empty file", "", "empty file (no header, no rows)"),
    ("blank lines only", "\n\n", "empty file (no header, no rows)"),
    ("header only", H, "no data rows (a header and nothing else)"),
    ("missing column", "region,category,year\nR1,a,2020\n", "missing column(s) employment"),
    ("no category or industry", "region,year,employment\nR1,2020,5\n", "missing column(s) category (or industry)"),
    ("column twice", "region,category,year,employment,employment\nR1,a,2020,5,6\n",
     "line 1: column(s) employment appear more than once in the header"),
    ("duplicate key, other values", H + OK + "R1,a,2020,7\n", "line 4: duplicate region/category/year of line 2"),
    ("duplicate identical rows", H + OK + "R1,a,2020,5\n", "line 4: duplicate region/category/year of line 2"),
    ("negative employment", H + OK + "R3,a,2020,-3\n", "line 4: employment is negative: -3.0"),
    ("negative wages", "region,category,year,employment,wages\nR1,a,2020,5,-1\n", "line 2: wages is negative"),
    ("non-numeric employment", H + "R1,a,2020,five\n", "line 2: employment is not a number: 'five'"),
    ("decimal comma", H + "R1,a,2020,\"5,5\"\n", "line 2: employment is not a number: '5,5'"),
    ("1e400", H + "R1,a,2020,1e400\n", "line 2: employment is not a finite number: '1e400'"),
    ("nan", H + "R1,a,2020,nan\n", "line 2: employment is not a finite number: 'nan'"),
    ("inf", H + "R1,a,2020,inf\n", "line 2: employment is not a finite number: 'inf'"),
    ("-inf", H + "R1,a,2020,-inf\n", "line 2: employment is not a finite number: '-inf'"),
    ("fractional year", H + "R1,a,2020.5,5\n", "line 2: year is not a whole number: '2020.5'"),
    ("empty year", H + "R1,a,,5\n", "line 2: year is not a whole number"),
    ("year text", H + "R1,a,twenty,5\n", "line 2: year is not a whole number: 'twenty'"),
    ("year too early", H + OK + "R1,a,1066,5\n", "line 4: year 1066 is not from 1900 to 2100"),
    ("year too late", H + "R1,a,20200,5\n", "line 2: year 20200 is not from 1900 to 2100"),
    ("empty region", H + OK + ",b,2020,5\n", "line 4: region is empty"),
    ("blank region", H + "  ,b,2020,5\n", "line 2: region is empty"),
    ("empty category", H + "R1,,2020,5\n", "line 2: category is empty"),
    ("too many cells on the first row", H + "R1,a,2020,5,9\nR2,a,2020,6\n",
     "line 2: cannot read as CSV: 5 cells, the header has 4"),
    ("too many cells later", H + OK + "R3,a,2020,5,9\n", "line 4: cannot read as CSV"),
    ("too few cells", H + OK + "R3,a,2020\n", "line 4: cannot read as CSV: 3 cells, the header has 4"),
    ("UTF-16 without a mark", (H + OK).encode("utf-16-le"), "not UTF-8 text (it looks like UTF-16 or UTF-32"),
    ("Latin-1", (H + "Ré,a,2020,5\n").encode("latin-1"), "line 2: not UTF-8 text (byte 0xe9)"),
    ("unknown industry", "region,industry,year,employment\nR1,C10,2020,5\nR1,XX,2020,1\n",
     "line 3: industry 'XX' is not in the concordance (1 row(s), code(s) XX): its employment would be lost"),
]

# (case id, file content, check of the output frame, a note the command prints or "")
ACCEPTED = [
    ("UTF-8 with a byte-order mark", (H + OK).encode("utf-8-sig"), lambda o: o["region"].tolist() == ["R1", "R2"], ""),
    ("UTF-16 with a byte-order mark", (H + OK).encode("utf-16"), lambda o: o["employment"].tolist() == [5, 6], ""),
    ("empty employment is missing", H + OK + "R3,a,2020,\n",
     lambda o: pd.isna(o.set_index("region").loc["R3", "employment"]) and o["stars"].max() >= 0, ""),
    ("NA is missing", H + OK + "R3,a,2020,NA\n", lambda o: o["employment"].isna().sum() == 1, ""),
    ("zero employment", H + OK + "R3,a,2020,0\n", lambda o: o.set_index("region").loc["R3", "employment"] == 0, ""),
    ("fractional employment (FTE)", H + "R1,a,2020,2.5\nR2,a,2020,6\n",
     lambda o: o.set_index("region").loc["R1", "employment"] == 2.5, ""),
    ("whole year written 2020.0", H + "R1,a,2020.0,5\nR2,a,2020,6\n", lambda o: o["year"].tolist() == [2020, 2020],
     ""),
    ("blanks around codes", H + " R1 , a ,2020,5\nR2,a,2020,6\n",
     lambda o: sorted(o["region"]) == ["R1", "R2"] and set(o["category"]) == {"a"}, ""),
    ("any category label", H + "R1,my own,2020,5\nR2,my own,2020,6\n", lambda o: set(o["category"]) == {"my own"},
     ""),
    ("extra column", "region,category,year,employment,comment\nR1,a,2020,5,x\nR2,a,2020,6,y\n",
     lambda o: "comment" not in o.columns and len(o) == 2, "column(s) comment ignored (not used by the mapping)"),
]


def _write(tmp_path, content: str | bytes):
    src = tmp_path / "in.csv"
    src.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    conc = tmp_path / "conc.csv"
    conc.write_text("industry,category,weight\nC10,food,1\n", encoding="utf-8")
    return src, conc


@pytest.mark.parametrize(("content", "message"), [pytest.param(c, m, id=i) for i, c, m in REFUSED])
def test_bad_input_is_refused_with_file_line_and_reason(tmp_path, content, message):
    src, conc = _write(tmp_path, content)
    result = CliRunner().invoke(app, ["map", str(src), "-o", str(tmp_path / "o.csv"), "--concordance", str(conc)])
    text = " ".join(result.output.split())
    assert result.exit_code == 1, text
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # a message, not a traceback
    assert "in.csv" in text and message in text, text
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize(("content", "check", "note"), [pytest.param(c, k, n, id=i) for i, c, k, n in ACCEPTED])
def test_odd_input_is_accepted_under_a_stated_rule(tmp_path, content, check, note):
    src, _ = _write(tmp_path, content)
    result = CliRunner().invoke(app, ["map", str(src), "-o", str(tmp_path / "o.csv")])
    text = " ".join(result.output.split())
    assert result.exit_code == 0, text
    assert check(pd.read_csv(tmp_path / "o.csv"))
    assert (note in text) if note else "Note:" not in text


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e308 * 10])
def test_a_non_finite_number_in_parquet_is_refused(tmp_path, value):
    """Before the fix a Parquet ``inf`` passed and that row got 3 stars."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"region": ["R1", "R2", "R3"], "category": ["a"] * 3, "year": [2020] * 3,
                      "employment": pa.array([5.0, 6.0, value], pa.float64(), from_pandas=False)})
    pq.write_table(table, tmp_path / "in.parquet")
    result = CliRunner().invoke(app, ["map", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.csv")])
    text = " ".join(result.output.split())
    assert result.exit_code == 1 and "in.parquet, line 4: employment is not a finite number" in text, text
    assert not (tmp_path / "o.csv").exists()
