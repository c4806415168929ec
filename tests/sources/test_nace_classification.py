"""NACE Rev. 2 hierarchy: counts, codes in Eurostat form, hierarchy checks and quarantine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.sources import nace_classification
from clusterobs.sources.ingestlog import IngestLog

FOLDER = "eurostat-classifications"


@pytest.fixture(scope="module")
def nace(mirror: Path) -> pd.DataFrame:
    log = IngestLog()
    df = nace_classification.read(mirror, log, {})["nace"]
    assert log.rejected == [] and not log.quirk_counts
    return df


def test_counts(nace: pd.DataFrame) -> None:
    assert len(nace) == 996
    assert nace["level"].value_counts().to_dict() == {4: 615, 3: 272, 2: 88, 1: 21}
    assert nace["code"].is_unique


def test_codes_used_by_the_sbs_are_present(nace: pd.DataFrame) -> None:
    assert {"C10", "G451", "S95", "B", "C", "M75", "C1011"} <= set(nace["code"])


def test_one_class_row(nace: pd.DataFrame) -> None:
    row = nace.set_index("code").loc["C3030"]
    assert row["dotted"] == "30.30"
    assert row["level"] == 4
    assert (row["parent"], row["section"], row["division"]) == ("C303", "C", "C30")
    assert row["name"] == "Manufacture of air and spacecraft and related machinery"


def test_sections_and_divisions(nace: pd.DataFrame) -> None:
    sections = nace[nace["level"] == 1]
    assert sections["parent"].isna().all() and sections["division"].isna().all()
    assert sections.set_index("code").at["B", "name"] == "MINING AND QUARRYING"
    g451 = nace.set_index("code").loc["G451"]
    assert (g451["dotted"], g451["parent"], g451["division"], g451["name"]) == (
        "45.1", "G45", "G45", "Sale of motor vehicles")


def test_every_parent_is_one_level_up_and_a_prefix(nace: pd.DataFrame) -> None:
    by_code = nace.set_index("code")
    for code, level, parent, section, division in nace[nace["level"] > 1][
            ["code", "level", "parent", "section", "division"]].itertuples(index=False):
        assert by_code.at[parent, "level"] == level - 1
        assert code.startswith(parent) and code.startswith(section) and code.startswith(division)
        assert code == section + by_code.at[code, "dotted"].replace(".", "")


def test_bad_rows_are_quarantined_with_their_line(mirror: Path, tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    text = (mirror / FOLDER / "Nace2_long.csv").read_text(encoding="utf-8")
    bad = ['"10.999","Too long","4","10.9",NA,NA,NA',
           '"77.77","Orphan class","4","77.7",NA,NA,NA',
           '"01.11","Duplicate","4","01.1",NA,NA,NA',
           '"02.10","Wrong parent","4","01.1",NA,NA,NA']
    (folder / "Nace2_long.csv").write_text(text.rstrip("\n") + "\n" + "\n".join(bad) + "\n", encoding="utf-8")
    log = IngestLog()
    df = nace_classification.read(tmp_path, log, {})["nace"]
    assert len(df) == 996
    q = log.quarantine_frame()
    assert q["line"].tolist() == [998, 999, 1000, 1001]
    assert q["file"].unique().tolist() == ["Nace2_long.csv"]
    reasons = dict(zip(q["line"], q["reason"], strict=True))
    assert "shape of a level-4" in reasons[998]
    assert "orphan" in reasons[999]
    assert "duplicate of line 4" in reasons[1000]
    assert "not the code's own prefix" in reasons[1001]


def test_eurostat_code() -> None:
    assert nace_classification.eurostat_code("10.11", "C") == "C1011"
    assert nace_classification.eurostat_code("45.1", "G") == "G451"
    assert nace_classification.eurostat_code("K", "K") == "K"
