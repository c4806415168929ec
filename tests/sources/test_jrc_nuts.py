"""JRC NUTS conversion matrices, checked against rows read by hand in the CSV files."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import jrc_nuts
from clusterobs.sources.ingestlog import IngestLog

HEADER = "code_v2013,code_v2021,uniqueID,areaKm,pop11,pop21,artif_surf12,artif_surf18,bu_vol\n"


def mirror() -> Path:
    return Path(os.environ.get("CLUSTEROBS_MIRROR", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"))


@pytest.fixture(scope="module")
def read() -> tuple[pd.DataFrame, IngestLog]:
    log = IngestLog()
    return jrc_nuts.read(mirror(), log, {})["nuts_conversion"], log


def test_ten_matrices(read):
    conv = read[0]
    size = conv.groupby(["from_version", "to_version", "level"]).agg(rows=("code_from", "size"),
                                                                     old=("code_from", "nunique"),
                                                                     new=("code_to", "nunique"))
    assert size.to_dict("index") == {
        # into NUTS 2013, for the SBS years published under older codes: one row per data line of
        # n{1,2}_cm_v2006_v2013.csv (118, 331) and n{1,2}_cm_v2010_v2013.csv (106, 299); NUTS 2006 wrote Greece GR
        # (GR11→EL51), those rows included
        (2006, 2013, 1): {"rows": 118, "old": 102, "new": 102},
        (2006, 2013, 2): {"rows": 331, "old": 290, "new": 291},
        (2010, 2013, 1): {"rows": 106, "old": 102, "new": 102},
        (2010, 2013, 2): {"rows": 299, "old": 288, "new": 291},
        (2013, 2016, 1): {"rows": 118, "old": 103, "new": 109},
        (2013, 2016, 2): {"rows": 311, "old": 293, "new": 298},  # 312 lines: UKN0→UKN1 merged into UKN0
        (2013, 2021, 2): {"rows": 322, "old": 291, "new": 297},
        (2016, 2021, 1): {"rows": 108, "old": 107, "new": 107},
        (2016, 2021, 2): {"rows": 309, "old": 296, "new": 297},  # 310 lines: UKN1→UKN0 merged
        (2021, 2024, 2): {"rows": 261, "old": 257, "new": 259},
    }
    assert list(conv.columns) == jrc_nuts.COLUMNS


def test_shares_sum_to_one_per_old_region(read):
    conv = read[0]
    sums = conv.groupby(["from_version", "to_version", "level", "code_from"])[["w_pop21", "w_area"]].sum()
    assert ((sums - 1).abs() < 1e-9).all().all()


def test_pl12_splits_into_pl91_and_pl92(read):
    conv = read[0]
    pl12 = conv[(conv["from_version"] == 2013) & (conv["to_version"] == 2021) & (conv["code_from"] == "PL12")]
    assert pl12["code_to"].tolist() == ["PL91", "PL92"]
    # n2_cm_v2013_v2021.csv lines 231-232: pop21 3244378.0 and 2234906.0
    assert pl12["pop21"].tolist() == [3244378.0, 2234906.0]
    assert pl12["w_pop21"].tolist() == pytest.approx([3244378 / 5479284, 2234906 / 5479284], rel=1e-12)
    assert pl12["w_pop21"].iat[0] == pytest.approx(0.5921171, abs=1e-7)
    area = [6104.060675329863, 29454.382889755565]
    assert pl12["w_area"].tolist() == pytest.approx([a / sum(area) for a in area], rel=1e-12)


def test_ukn1_artefact_is_merged_into_ukn0(read):
    conv, log = read
    assert not (conv[["code_from", "code_to"]] == "UKN1").any().any()
    ukn0 = conv[(conv["from_version"] == 2013) & (conv["to_version"] == 2016) & (conv["code_from"] == "UKN0")]
    assert ukn0["code_to"].tolist() == ["UKN0"]
    assert ukn0["pop21"].iat[0] == pytest.approx(851987.7574465174 + 933406.8078214567)
    assert ukn0["w_pop21"].iat[0] == 1.0
    quirks = log.quirks_frame()
    assert quirks["quirk"].str.startswith("JRC artefact code (UKN1").sum() == 2


def test_no0b_without_population_falls_back_to_area(read):
    conv, log = read
    no0b = conv[(conv["from_version"] == 2021) & (conv["code_from"] == "NO0B")].iloc[0]
    assert no0b["pop21"] == 0.0
    assert no0b["w_pop21"] == 1.0
    assert bool(no0b["w_pop21_from_area"])
    assert conv["w_pop21_from_area"].sum() == 1
    q = log.quirks_frame()
    assert q.loc[q["quirk"] == "pop21 total is 0: w_pop21 = area share", "example"].tolist() == ["NO0B"]
    assert log.quarantine_frame().empty


def test_eurostat_country_codes(read):
    conv = read[0]
    countries = set(conv["code_from"].str[:2]) | set(conv["code_to"].str[:2])
    assert {"EL", "UK"} <= countries
    assert "GB" not in countries
    # NUTS 2006 spelled Greece GR: those codes are only old codes of the 2006→2013 matrices, each going to an EL code
    gr = conv[conv["code_from"].str.startswith("GR")]
    assert set(gr["from_version"]) == {2006} and gr["code_to"].str.startswith("EL").all()
    assert len(gr) == 13 + 6  # the GR lines of n2_ and n1_cm_v2006_v2013.csv
    assert gr.loc[gr["code_from"] == "GR11", "code_to"].tolist() == ["EL51"]
    assert not conv["code_to"].str.startswith("GR").any()
    assert "UK" not in set(conv.loc[conv["to_version"] == 2024, "code_to"].str[:2])


def _write(tmp_path: Path, body: str, name: str = "n2_cm_v2013_v2021.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_negative_weight_is_quarantined_with_file_and_line(tmp_path):
    path = _write(tmp_path, "AT11,AT11,AT11AT11,10,5,5,1,1,1\n"
                            "AT12,AT12,AT12AT12,10,5,5,1,1,1\n"
                            "AT12,AT13,AT12AT13,10,-5,5,1,1,1\n"
                            "AT13,AT13,AT13AT13,10,x,5,1,1,1\n")
    log = IngestLog()
    df = jrc_nuts.read_matrix(path, log)
    assert df["code_from"].tolist() == ["AT11"]
    q = log.quarantine_frame()
    assert q[["file", "line", "reason"]].values.tolist() == [
        ["n2_cm_v2013_v2021.csv", 3, "another row of AT12 was rejected (line 4): its shares would be wrong"],
        ["n2_cm_v2013_v2021.csv", 4, "negative weight pop11=-5"],
        ["n2_cm_v2013_v2021.csv", 5, "pop11 'x' is not a number"],
    ]


def test_wrong_level_codes_and_duplicates_are_quarantined(tmp_path):
    path = _write(tmp_path, "AT1,AT11,AT1AT11,10,5,5,1,1,1\n"
                            "AT11,AT11,AT11AT11,10,5,5,1,1,1\n"
                            "AT11,AT11,AT11AT11,10,5,5,1,1,1\n")
    log = IngestLog()
    assert jrc_nuts.read_matrix(path, log)["code_from"].tolist() == ["AT11"]
    assert log.quarantine_frame()["reason"].tolist() == [
        "'AT1' is not a NUTS-2 code", "duplicate of line 3 (same pair of codes; the first is kept)"]


def test_unexpected_file_name_or_header_fails(tmp_path):
    with pytest.raises(SourceError, match="cannot tell level"):
        jrc_nuts.read_matrix(_write(tmp_path, "", name="matrix.csv"), IngestLog())
    path = tmp_path / "n2_cm_v2013_v2016.csv"
    path.write_text(HEADER, encoding="utf-8")  # columns say 2021, the name says 2016
    with pytest.raises(SourceError, match="code_v2016"):
        jrc_nuts.read_matrix(path, IngestLog())
