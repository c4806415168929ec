"""US County Business Patterns 2012, national file (us-cbp-2012-national/cbp12us.txt): reader, estimates, download."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import download, us_cbp
from clusterobs.sources.base import sha256_file
from clusterobs.sources.ingestlog import IngestLog

FOLDER = us_cbp.META.folder
# The withheld cells of flags A-L (17 rows, lfo "-"), as the file gives them: code → flag.
WITHHELD_CLOSED = {"212231": "G", "212324": "G", "212392": "G", "221116": "F", "311230": "J", "325120": "J",
                   "327213": "J", "335224": "I", "451211": "L", "454112": "I", "483112": "J", "485112": "H",
                   "486990": "E", "532111": "L", "532210": "J", "532230": "K", "812191": "K"}
# The Census Bureau's EMPFLAG ranges, written out here, and their midpoints computed by hand.
MIDPOINTS = {"A": 9.5, "B": 59.5, "C": 174.5, "E": 374.5, "F": 749.5, "G": 1_749.5, "H": 3_749.5, "I": 7_499.5,
             "J": 17_499.5, "K": 37_499.5, "L": 74_999.5}


@pytest.fixture(scope="module")
def read(mirror: Path) -> tuple[pd.DataFrame, IngestLog]:
    log = IngestLog()
    return us_cbp.read(mirror, log, {})["us_cbp_employment"], log


def test_totals_match_the_readme(read: tuple[pd.DataFrame, IngestLog]) -> None:
    df, log = read
    assert len(df) == 978 and df["naics2012"].is_unique
    assert df["naics2012"].str.fullmatch(r"\d{6}").all()
    published = df.loc[~df["emp_estimated"], "emp"]
    assert published.sum() == 113_174_515  # the README's sum of the 978 codes; withheld cells are published as 0
    assert int(df["emp_estimated"].sum()) == 21
    assert df.loc[df["emp_estimated"], "empflag"].notna().all() and df.loc[~df["emp_estimated"], "empflag"].isna().all()
    assert log.quarantine_frame().empty
    row = df.set_index("naics2012").loc["336411"]  # line 4596: aircraft manufacturing
    assert (row["emp"], row["est"], row["line"]) == (151_264, 284, 4596)


def test_withheld_cells_are_estimated_at_their_range_midpoint(read: tuple[pd.DataFrame, IngestLog]) -> None:
    df = read[0].set_index("naics2012")
    for flag, mid in MIDPOINTS.items():
        assert us_cbp.midpoint(flag) == mid
    est = df[df["emp_estimated"]]
    assert dict(zip(est.index[est["empflag"] != "M"], est.loc[est["empflag"] != "M", "empflag"], strict=True)) == (
        WITHHELD_CLOSED)
    for code, flag in WITHHELD_CLOSED.items():
        assert df.at[code, "emp"] == MIDPOINTS[flag], code
    assert df.at["212231", "emp"] == (1_000 + 2_499) / 2  # line 354, flag G
    assert df.at["212231", "line"] == 354


def test_flag_m_is_estimated_from_the_size_classes(read: tuple[pd.DataFrame, IngestLog]) -> None:
    df = read[0].set_index("naics2012")
    assert sorted(df.index[df["empflag"] == "M"]) == ["444110", "452910", "517210", "621492"]
    # line 6970, 452910 (warehouse clubs and supercenters): establishments by size class 64, 4, 29, 77, 48, 2109,
    # 2765, 68, 0 at the class midpoints 2.5, 7, 14.5, 34.5, 74.5, 174.5, 374.5, 749.5, 1000
    by_hand = 64 * 2.5 + 4 * 7 + 29 * 14.5 + 77 * 34.5 + 48 * 74.5 + 2109 * 174.5 + 2765 * 374.5 + 68 * 749.5
    assert by_hand == 1_461_320
    assert df.at["452910", "emp"] == by_hand
    # Its parent 4529 is published (1,786,833) and its only sibling 452990 too (321,553): the exact value is
    # 1,465,280, which the estimate misses by 0.3%.
    assert abs(df.at["452910", "emp"] / (1_786_833 - 321_553) - 1) < 0.003
    # line 11232, 621492 (kidney dialysis): 1082, 926, 1892, 1903, 175, 18, 7, 4, 1 → 125,072.5, above the floor
    assert df.at["621492", "emp"] == 125_072.5
    assert us_cbp.estimate("M", {c: 0 for c in us_cbp.SIZE_CLASSES} | {"n1000": 3}) == 100_000  # the floor
    with pytest.raises(ValueError, match="no upper bound"):
        us_cbp.midpoint("M")


def test_estimates_agree_with_the_published_total(read: tuple[pd.DataFrame, IngestLog]) -> None:
    """The all-industries total (115,938,468) leaves 2,763,953 to the withheld cells and to the unclassified
    establishments (NAICS 99, themselves withheld at 5,000-9,999): the 21 estimates sum to 2,899,023, 5% more."""
    df = read[0]
    estimated = df.loc[df["emp_estimated"], "emp"].sum()
    assert estimated == 2_899_023
    assert 115_938_468 - 113_174_515 == 2_763_953
    assert 1.0 < estimated / 2_763_953 < 1.06


def test_quirks_are_counted(read: tuple[pd.DataFrame, IngestLog]) -> None:
    q = read[1].quirks_frame().set_index("quirk")
    assert q.at[us_cbp.QUIRK_MIDPOINT, "rows"] == 17 and q.at[us_cbp.QUIRK_MIDPOINT, "first_line"] == 354
    assert q.at[us_cbp.QUIRK_OPEN, "rows"] == 4 and q.at[us_cbp.QUIRK_OPEN, "first_line"] == 6344


def test_bad_rows_are_quarantined_with_file_line_and_reason(editable_mirror) -> None:
    lines = editable_mirror.text(FOLDER, us_cbp.FILE).splitlines(keepends=True)
    assert len(lines) == 1 + 12_977
    assert lines[4595].startswith('"98","336411","-",,"H",151264,')  # line 4596
    lines[4595] = lines[4595].replace(",151264,", ",15x264,", 1)
    assert lines[434].startswith('"98","212324","-","G","D",0,')  # line 435
    lines[434] = lines[434].replace('"212324","-","G"', '"212324","-","D"', 1)
    assert lines[6982].startswith('"98","452990","-",,"G",321553,')  # line 6983
    lines[6982] = lines[6982].replace('"452990","-",,', '"452990","-","B",', 1)  # a flag with employment
    assert lines[4602].startswith('"98","336412","-",')  # line 4603
    lines.append(lines[4602])  # line 12979: a duplicate of line 4603
    editable_mirror.replace(FOLDER, us_cbp.FILE, "".join(lines))
    log = IngestLog()
    df = us_cbp.read(editable_mirror.path, log, {})["us_cbp_employment"]
    q = log.quarantine_frame().set_index("line")
    assert set(q["file"]) == {us_cbp.FILE} and set(q["source"]) == {"us_cbp"}
    assert q.at[4596, "reason"] == "emp is not a whole number: '15x264'"
    assert q.at[4596, "value"] == "336411,-,,15x264,284"
    assert q.at[435, "reason"] == "unknown employment-size flag 'D' (A-M without D)"
    assert q.at[6983, "reason"] == "employment-size flag 'B' with employment 321553 (a withheld cell has employment 0)"
    assert q.at[12979, "reason"] == "duplicate of line 4603"
    # 979 in-scope rows read (the 978 codes and the duplicate): each one loaded or quarantined
    assert len(q) == 4 and len(df) == 975 and len(df) + len(q) == 979
    assert not {"336411", "212324", "452990"} & set(df["naics2012"])
    assert df.set_index("naics2012").at["336412", "line"] == 4603


def test_a_truncated_file_fails(editable_mirror) -> None:
    editable_mirror.replace(FOLDER, us_cbp.FILE, editable_mirror.text(FOLDER, us_cbp.FILE, lines=2000))
    with pytest.raises(SourceError, match=r"cbp12us.txt: only 1999 data rows, expected at least 12900"):
        us_cbp.read(editable_mirror.path, IngestLog(), {})


def test_meta_points_at_the_census_bureau_zip(mirror: Path) -> None:
    txt, zipped = us_cbp.META.file(us_cbp.FILE), us_cbp.META.file(us_cbp.ZIP)
    assert zipped.url == "https://www2.census.gov/programs-surveys/cbp/datasets/2012/cbp12us.zip"
    assert txt.derived and txt.derived_from == (us_cbp.ZIP,) and zipped.optional
    assert txt.sha256 == sha256_file(mirror / FOLDER / us_cbp.FILE)
    assert us_cbp.META.citation == "Source: U.S. Census Bureau, County Business Patterns 2012"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def test_after_download_extracts_the_text_file(tmp_path: Path) -> None:
    body = b'"uscode","naics","lfo"\r\n"98","336411","-"\r\n'
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / us_cbp.ZIP).write_bytes(_zip({"cbp12us.txt": body}))
    (folder / us_cbp.FILE).write_text("previous\n")
    assert download.after_download(us_cbp, tmp_path) == [folder / us_cbp.FILE]
    assert (folder / us_cbp.FILE).read_bytes() == body
    assert sorted(p.name for p in folder.iterdir()) == [us_cbp.FILE, us_cbp.ZIP]


def test_after_download_fails_naming_what_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    with pytest.raises(SourceError, match=r"cbp12us.zip: missing zip of source 'us_cbp'"):
        download.after_download(us_cbp, tmp_path)
    (folder / us_cbp.ZIP).write_bytes(_zip({"readme.txt": b"x"}))
    with pytest.raises(SourceError, match=r"cbp12us.zip: the zip has no cbp12us.txt \(members: readme.txt\)"):
        download.after_download(us_cbp, tmp_path)
    (folder / us_cbp.ZIP).write_bytes(b"<html>Not Found</html>")
    with pytest.raises(SourceError, match=r"cbp12us.zip: not a zip archive"):
        download.after_download(us_cbp, tmp_path)
    assert not (folder / us_cbp.FILE).exists() and not list(folder.glob("*.part"))
