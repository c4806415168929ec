"""`clusterobs map INPUT -o OUTPUT [--scheme NAME]`: the contract for users who bring their own data."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.mapping import map_table
from clusterobs.mapping.schemes import SchemeError, load_schemes

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
