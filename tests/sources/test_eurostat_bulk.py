"""Eurostat's bulk layout on lines written here: every cell form, every flag, every way a line or file can be wrong."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources.eurostat_bulk import read_bulk
from clusterobs.sources.eurostat_values import FLAGS
from clusterobs.sources.ingestlog import IngestLog

HEADER = "nace_r2,indic_sb,geo\\time\t2015 \t2014 \t2013 "


def write(tmp_path: Path, lines: list[str], *, gz: bool = False, name: str = "t.tsv") -> Path:
    text = "\n".join(lines) + "\n"
    path = tmp_path / (name + (".gz" if gz else ""))
    if gz:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, **kw):
    log = IngestLog()
    return read_bulk(path, source="test", log=log, **kw), log


def cell(table, key: str, year: int) -> pd.Series:
    nace, indic, geo = key.split(",")
    d = table.data
    row = d[(d["nace_r2"] == nace) & (d["indic_sb"] == indic) & (d["geo"] == geo) & (d["year"] == year)]
    assert len(row) == 1, (key, year)
    return row.iloc[0]


LINES = [
    HEADER,
    "C,V16110,DE11\t160445 \t: c\t123 b",       # line 2
    "C,V16110,DE12\t0 \t: \t86725 d",           # line 3
    "C10,V11210,DE11\t1212 p\t: cd\t5.5 bc",    # line 4
]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_cells_plain_and_gzip(tmp_path, gz):
    table, log = read(write(tmp_path, LINES, gz=gz))
    assert table.dims == ["nace_r2", "indic_sb", "geo"]
    assert table.years == [2015, 2014, 2013]  # "2015 " etc.: the trailing spaces of the labels are dropped
    assert (table.lines_read, table.lines_loaded, table.lines_quarantined, table.cells_quarantined) == (3, 3, 0, 0)
    assert len(table.data) == 9  # 3 lines x 3 years
    assert not log.rejected and not log.quirk_counts
    expected = {
        ("C,V16110,DE11", 2015): (160445.0, None, 2),
        ("C,V16110,DE11", 2014): (None, "c", 2),  # ": c": missing, never zero
        ("C,V16110,DE11", 2013): (123.0, "b", 2),
        ("C,V16110,DE12", 2015): (0.0, None, 3),  # a real zero stays zero
        ("C,V16110,DE12", 2014): (None, None, 3),  # ":" alone: not available, no flag
        ("C,V16110,DE12", 2013): (86725.0, "d", 3),
        ("C10,V11210,DE11", 2015): (1212.0, "p", 4),
        ("C10,V11210,DE11", 2014): (None, "cd", 4),
        ("C10,V11210,DE11", 2013): (5.5, "bc", 4),
    }
    for (key, year), (value, flag, line) in expected.items():
        row = cell(table, key, year)
        assert (None if pd.isna(row["value"]) else row["value"]) == value, (key, year)
        assert (None if pd.isna(row["flag"]) else row["flag"]) == flag, (key, year)
        assert row["line"] == line
    assert table.flag_counts == {"c": 1, "b": 1, "d": 1, "p": 1, "cd": 1, "bc": 1}
    assert str(table.data["value"].dtype) == "Float64"


def test_a_c_cell_is_null_never_zero(tmp_path):
    table, _ = read(write(tmp_path, [HEADER, "C,V16110,AT\t: c\t: c\t0 c"]))
    c = table.data.sort_values("year", ascending=False)
    assert c["value"].isna().tolist() == [True, True, False]
    assert c["flag"].tolist() == ["c", "c", "c"]
    assert c["value"].iloc[2] == 0  # "0 c" is published as a number: zero, flagged
    assert c["value"].fillna(-1).tolist() == [-1, -1, 0]


def test_every_flag_letter(tmp_path):
    letters = sorted(FLAGS)
    assert "".join(letters) == "bcdefimnprsuz"  # Eurostat's thirteen letters
    header = "nace_r2,indic_sb,geo\\time\t2015 \t2014 "
    lines = [header] + [f"C,V16110,X{i:02d}\t{i + 1} {f}\t: {f}" for i, f in enumerate(letters)]
    table, log = read(write(tmp_path, lines, gz=True))
    assert not log.rejected
    assert table.lines_loaded == 13 and table.cells_quarantined == 0
    assert table.flag_counts == {f: 2 for f in letters}
    y15 = table.data[table.data["year"] == 2015].sort_values("line")
    assert y15["flag"].tolist() == letters
    assert y15["value"].tolist() == [float(i + 1) for i in range(13)]
    assert table.data.loc[table.data["year"] == 2014, "value"].isna().all()


def test_bad_lines_are_quarantined_whole(tmp_path):
    lines = [
        HEADER,
        "C,V16110,DE11\t1 \t2 \t3 ",          # 2: fine
        "C,V16110,DE12\t1 \t2 ",              # 3: a year cell missing
        "C,V16110\t1 \t2 \t3 ",               # 4: two key parts
        "C,V16110,DE13,X\t1 \t2 \t3 ",        # 5: four key parts
        "C,V16110,DE11\t7 \t8 \t9 ",          # 6: the key of line 2 again
        "",                                   # 7: blank: not a line read
        "C,V16110,DE14\t4 \t5 \t6 ",          # 8: fine
    ]
    path = write(tmp_path, lines)
    table, log = read(path)
    assert (table.lines_read, table.lines_loaded, table.lines_quarantined) == (6, 2, 4)
    assert table.lines_read == table.lines_loaded + table.lines_quarantined
    q = log.quarantine_frame()
    assert q["file"].tolist() == ["t.tsv"] * 4
    assert q["source"].tolist() == ["test"] * 4
    assert q["line"].tolist() == [3, 4, 5, 6]
    assert q["reason"].tolist() == [
        "expected 4 cells (key and 3 years), found 3 (truncated or malformed line)",
        "key 'C,V16110' has 2 parts, the header names 3 (nace_r2,indic_sb,geo)",
        "key 'C,V16110,DE13,X' has 4 parts, the header names 3 (nace_r2,indic_sb,geo)",
        "duplicate of line 2 (same key)",
    ]
    assert q["value"].iloc[0] == "C,V16110,DE12\t1 \t2 "
    assert sorted(table.data["line"].unique()) == [2, 8]
    assert cell(table, "C,V16110,DE11", 2015)["value"] == 1  # the first of the duplicates is kept


def test_bad_cells_are_quarantined_alone(tmp_path):
    lines = [
        HEADER,
        "C,V16110,DE11\t10 x\t20 \t30 ",       # 2: unknown flag letter
        "C,V16110,DE12\tabc\t21 \t: q",        # 3: text; ": q" unknown flag on a missing cell
        "C,V16110,DE13\t1e400\t22 \t32 ",      # 4: overflows to infinity
        "C,V16110,DE14\t11 \tinf\t33 ",        # 5: 'inf' is text, not a number of the layout
    ]
    table, log = read(write(tmp_path, lines))
    assert (table.lines_read, table.lines_loaded, table.lines_quarantined) == (4, 4, 0)
    assert table.cells_quarantined == 5
    q = log.quarantine_frame()
    got = sorted(zip(q["line"].tolist(), q["value"], q["reason"], strict=True))
    assert got == [
        (2, "2015: 10 x", "cell of year 2015 is unknown flag 'x': read as missing"),
        (3, "2013: : q", "cell of year 2013 is unknown flag 'q': read as missing"),
        (3, "2015: abc", "cell of year 2015 is not a number, ':' or a flag: read as missing"),
        (4, "2015: 1e400", "cell of year 2015 is not a finite number: read as missing"),
        (5, "2014: inf", "cell of year 2014 is not a number, ':' or a flag: read as missing"),
    ]
    # the quarantined cell is missing, without the flag; the other cells of its line are loaded
    bad = cell(table, "C,V16110,DE11", 2015)
    assert pd.isna(bad["value"]) and pd.isna(bad["flag"])
    assert cell(table, "C,V16110,DE11", 2014)["value"] == 20
    assert cell(table, "C,V16110,DE13", 2013)["value"] == 32
    assert cell(table, "C,V16110,DE12", 2014)["value"] == 21
    assert table.flag_counts == {}


def test_an_empty_cell_is_missing_and_a_quirk(tmp_path):
    table, log = read(write(tmp_path, [HEADER, "C,V16110,DE11\t5 \t\t7 ", "C,V16110,DE12\t \t6 \t8 "]))
    assert not log.rejected
    assert pd.isna(cell(table, "C,V16110,DE11", 2014)["value"])
    assert pd.isna(cell(table, "C,V16110,DE12", 2015)["value"])
    assert cell(table, "C,V16110,DE11", 2013)["value"] == 7
    q = log.quirks_frame()
    assert q[["quirk", "rows", "first_line", "example"]].values.tolist() == [
        ["empty cell read as missing", 2, 2, "2014: ''"]]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("nace_r2,indic_sb,geo\t2015 \t2014 ", "is not 'dim1,dim2,...,geo\\\\time'"),
        ("nace_r2,indic_sb,geo\\time\t2015 \t2014Q1 ", "period '2014Q1' is not a year"),
        ("nace_r2,indic_sb,geo\\time\t2015 \t2015 ", "period 2015 appears twice in the header"),
        ("nace_r2,indic_sb,geo\\time", "the header has no period column"),
    ],
)
def test_a_header_that_is_not_the_layout(tmp_path, header, message):
    with pytest.raises(SourceError, match=message) as err:
        read(write(tmp_path, [header, "C,V16110,DE11\t1 \t2 "]))
    assert err.value.line == 1


def test_a_truncated_gzip_stream(tmp_path):
    whole = gzip.compress(("\n".join([HEADER] + [f"C,V16110,DE{i:03d}\t{i} \t{i} \t{i} " for i in range(2000)])
                           + "\n").encode())
    path = tmp_path / "cut.tsv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match="cannot read the gzip stream"):
        read(path)


def test_min_rows(tmp_path):
    path = write(tmp_path, LINES, gz=True)
    assert read(path, min_rows=3)[0].lines_loaded == 3
    with pytest.raises(SourceError, match="only 3 data lines loaded, expected at least 4"):
        read(path, min_rows=4)


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.tsv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="empty file"):
        read(path)


def test_crlf_and_bom(tmp_path):
    path = tmp_path / "win.tsv"
    path.write_bytes(("\ufeff" + "\r\n".join(LINES) + "\r\n").encode("utf-8"))
    table, log = read(path)
    assert not log.rejected and table.lines_loaded == 3
    assert cell(table, "C10,V11210,DE11", 2013)["value"] == 5.5
    assert cell(table, "C10,V11210,DE11", 2013)["flag"] == "bc"
