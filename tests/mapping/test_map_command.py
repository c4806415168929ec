"""`clusterobs map INPUT -o OUTPUT [--scheme NAME]`: the contract for users who bring their own data."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.mapping import map_table
from clusterobs.mapping.schemes import SchemeError, load_schemes

pytestmark = pytest.mark.usefixtures("wide_cli")  # long temporary paths under pytest-xdist

EMP = {"R1": (100, 50, 50), "R2": (10, 80, 10), "R3": (40, 20, 140)}


def hand_table() -> pd.DataFrame:
    return pd.DataFrame([{"region": r, "category": c, "year": 2020, "employment": EMP[r][i]}
                         for r in EMP for i, c in enumerate("abc")])


def run(*args: str):
    return CliRunner().invoke(app, ["map", *args])


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_default_scheme_eco2007(tmp_path, suffix):
    src = tmp_path / "in.csv"
    hand_table().to_csv(src, index=False)
    out = tmp_path / f"out{suffix}"
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    for col in ("region", "category", "year", "employment", "lq", "focus", "stars", "star_size",
                "star_specialisation", "star_focus"):
        assert col in df.columns
    stars = {f"{r.region}{r.category}": r.stars for r in df.itertuples()}
    # as in test_hand_example: focus pooled over all cells (p90 = .72), so R1a and R3c keep their size star only
    assert stars["R2b"] == 3 and stars["R1a"] == 1 and stars["R3c"] == 1 and sum(stars.values()) == 5


def test_uscmp_has_one_test_named_strong(tmp_path):
    src = tmp_path / "in.parquet"
    hand_table().to_parquet(src)
    out = tmp_path / "out.csv"
    assert run(str(src), "-o", str(out), "--scheme", "uscmp").exit_code == 0
    df = pd.read_csv(out)
    assert [c for c in df.columns if c.startswith("star_")] == ["star_strong"]
    assert set(df.loc[df["star_strong"], "region"] + df.loc[df["star_strong"], "category"]) == {"R1a", "R2b", "R3c"}


def test_industry_input_goes_through_the_concordance(tmp_path):
    df = pd.DataFrame({"region": ["R1", "R1", "R2", "R2"], "industry": ["C29", "C10", "C29", "C10"],
                       "year": 2020, "employment": [100.0, 100.0, 10.0, 190.0]})
    conc = pd.DataFrame({"industry": ["C29", "C10", "C10"], "category": ["auto", "food", "auto"],
                         "weight": [1.0, 0.5, 0.5]})
    src, cfile, out = tmp_path / "in.csv", tmp_path / "conc.csv", tmp_path / "out.csv"
    df.to_csv(src, index=False)
    conc.to_csv(cfile, index=False)
    result = run(str(src), "-o", str(out), "--concordance", str(cfile))
    assert result.exit_code == 0, result.output
    res = pd.read_csv(out).set_index(["region", "category"])
    assert res.loc[("R1", "auto"), "employment"] == 150  # 100 + 0.5 * 100
    assert res.loc[("R2", "food"), "employment"] == 95


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("region,category,year\nR1,a,2020\n", "missing column(s) employment"),
        ("region,category,year,employment\nR1,a,2020,5\nR1,b,2020,-3\n", "line 3: employment is negative"),
        ("region,category,year,employment\nR1,a,2020,5\nR1,a,2020,6\n",
         "line 3: duplicate region/category/year of line 2"),
        ("region,category,year,employment\nR1,a,2020,five\n", "line 2: employment is not a number"),
    ],
)
def test_bad_input_names_file_line_and_reason(tmp_path, content, message):
    src = tmp_path / "bad.csv"
    src.write_text(content)
    result = run(str(src), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 1
    assert "bad.csv" in result.output and message in " ".join(result.output.split())
    assert not (tmp_path / "o.csv").exists()


def test_library_call_returns_pandas_or_polars():
    a = map_table(hand_table(), scheme="eco2007")
    b = map_table(pl.from_pandas(hand_table()), scheme="eco2007", output="polars")
    assert isinstance(b, pl.DataFrame)
    assert a["stars"].tolist() == b["stars"].to_list()


def test_scheme_file_is_validated(tmp_path):
    bad = tmp_path / "schemes.yml"
    head = "mine:\n  tests:\n    - name: size\n      conditions:\n"
    bad.write_text(head + "        - {measure: jobs, op: '>=', value: 1}\n")
    with pytest.raises(SchemeError, match=r"`size.measure` of scheme 'mine' must be one of employment"):
        load_schemes(bad)
    bad.write_text(head + "        - {measure: lq, percentile: 120}\n")
    with pytest.raises(SchemeError, match="must be a number from 0 to 100; got 120"):
        load_schemes(bad)


def test_a_user_adds_a_scheme_by_writing_one_entry(tmp_path):
    f = tmp_path / "schemes.yml"
    f.write_text("lq15:\n  tests:\n    - name: specialised\n      conditions:\n"
                 "        - {measure: lq, op: '>=', value: 1.5}\n")
    scheme = load_schemes(f)["lq15"]
    out = map_table(hand_table(), scheme=scheme)
    assert set(out.loc[out["star_specialised"], "region"] + out.loc[out["star_specialised"], "category"]) == {
        "R1a", "R2b", "R3c"}


HEADER = "region,category,year,employment\n"


def _refused(tmp_path, name: str, data: bytes) -> str:
    """Run `clusterobs map` on a file holding ``data``: it must stop with exit code 1, a message (no traceback)
    naming the file, and no output; the message with its white space normalised."""
    src = tmp_path / name
    src.write_bytes(data)
    result = run(str(src), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # the CLI's own exit, not a crash
    assert not (tmp_path / "o.csv").exists()
    message = " ".join(result.output.split())
    assert name in message, message
    return message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"  \n"])
def test_an_empty_file_is_refused_with_its_name(tmp_path, data):
    assert "empty.csv: empty file (no header, no rows)" in _refused(tmp_path, "empty.csv", data)


def test_a_header_without_rows_is_refused(tmp_path):
    assert "head.csv: no data rows (a header and nothing else)" in _refused(tmp_path, "head.csv", HEADER.encode())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_utf16_file_with_a_byte_order_mark_is_read(tmp_path, encoding):
    """Excel's "Unicode text" and PowerShell's default are UTF-16 with a byte-order mark: read as such."""
    src = tmp_path / "u16.csv"
    src.write_bytes((HEADER + "R1,a,2020,5\nR2,a,2020,6\n").encode(encoding))
    result = run(str(src), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["region"].tolist() == ["R1", "R2"] and out["employment"].tolist() == [5, 6]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_a_byte_order_mark_is_refused(tmp_path, encoding):
    message = _refused(tmp_path, "u16.csv", (HEADER + "R1,a,2020,5\nR2,a,2020,6\n").encode(encoding))
    assert "u16.csv: not UTF-8 text (it looks like UTF-16 or UTF-32 without a byte-order mark)" in message
    assert "reads UTF-8 CSV (with or without a byte-order mark)" in message


def test_a_latin1_file_is_refused_with_the_line_of_the_first_bad_byte(tmp_path):
    message = _refused(tmp_path, "l1.csv", (HEADER + "R1,a,2020,5\nRé,a,2020,6\n").encode("latin-1"))
    assert "l1.csv, line 3: not UTF-8 text (byte 0xe9)" in message
    assert "reads UTF-8 CSV (with or without a byte-order mark)" in message


def test_utf8_with_a_byte_order_mark_is_read(tmp_path):
    src = tmp_path / "bom.csv"
    src.write_bytes((HEADER + "R1,a,2020,5\nR2,a,2020,6\n").encode("utf-8-sig"))
    result = run(str(src), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "o.csv")["region"].tolist() == ["R1", "R2"]


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "nan", "NaN", "1e400", "-1e400"])
@pytest.mark.parametrize("column", ["employment", "wages"])
def test_a_number_that_is_not_finite_is_refused(tmp_path, value, column):
    content = "region,category,year,employment,wages\nR1,a,2020,5,10\n" + (
        f"R2,a,2020,{value},10\n" if column == "employment" else f"R2,a,2020,6,{value}\n")
    message = _refused(tmp_path, "nf.csv", content.encode())
    assert f"nf.csv, line 3: {column} is not a finite number: {value!r}" in message


def test_a_nan_in_parquet_is_refused_but_a_null_is_a_missing_value(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    def parquet(name: str, fifth: float | None) -> bytes:
        df = hand_table()
        employment = [float(v) for v in df.pop("employment")]
        employment[4] = fifth
        table = pa.Table.from_pandas(df, preserve_index=False).append_column(
            "employment", pa.array(employment, type=pa.float64(), from_pandas=False))  # NaN stays NaN, None null
        pq.write_table(table, tmp_path / name)
        return (tmp_path / name).read_bytes()

    message = _refused(tmp_path, "nan.parquet", parquet("nan.parquet", float("nan")))
    assert "nan.parquet, line 6: employment is not a finite number: nan" in message
    parquet("null.parquet", None)
    assert run(str(tmp_path / "null.parquet"), "-o", str(tmp_path / "o.csv")).exit_code == 0


def test_an_empty_cell_is_a_missing_value_not_an_error(tmp_path):
    """A cell left empty (or NA, as R writes it) is missing: the row gets no measures and no star."""
    src = tmp_path / "gap.csv"
    src.write_text(HEADER + "R1,a,2020,5\nR2,a,2020,\nR3,a,2020,NA\n")
    result = run(str(src), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "o.csv").set_index("region")
    assert out.loc["R1", "employment"] == 5 and out[["employment"]].loc[["R2", "R3"]].isna().all().all()
    assert (out.loc[["R2", "R3"], "stars"] == 0).all()


def test_a_fractional_year_is_refused_and_a_whole_one_written_with_decimals_read(tmp_path):
    message = _refused(tmp_path, "y.csv", (HEADER + "R1,a,2020,5\nR1,b,2020.5,6\n").encode())
    assert "y.csv, line 3: year is not a whole number: '2020.5'" in message
    for year in ("inf", "nan", ""):
        assert "y.csv, line 3: year is not a whole number" in _refused(
            tmp_path, "y.csv", (HEADER + f"R1,a,2020,5\nR1,b,{year},6\n").encode())
    src = tmp_path / "whole.csv"
    src.write_text(HEADER + "R1,a,2020.0,5\nR2,a,2020,6\n")
    assert run(str(src), "-o", str(tmp_path / "o.csv")).exit_code == 0
    assert pd.read_csv(tmp_path / "o.csv")["year"].tolist() == [2020, 2020]


@pytest.mark.parametrize("second", ["7", "5"])
def test_a_duplicate_key_is_refused_whether_or_not_its_values_differ(tmp_path, second):
    """Two rows for one region, category and year: which to keep cannot be guessed, so both kinds stop."""
    message = _refused(tmp_path, "dup.csv", (HEADER + f"R1,a,2020,5\nR2,a,2020,1\nR1,a,2020,{second}\n").encode())
    assert "dup.csv, line 4: duplicate region/category/year of line 2" in message


def test_a_row_with_too_many_cells_is_refused_with_its_line(tmp_path):
    message = _refused(tmp_path, "ragged.csv", (HEADER + "R1,a,2020,5\nR2,a,2020,6,7\n").encode())
    assert "ragged.csv, line 3: cannot read as CSV: 5 cells, the header has 4" in message
