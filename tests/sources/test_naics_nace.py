"""NAICS 2017 list and the NAICS 2017 → NACE Rev. 2 correspondence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.sources import nace_classification, naics_nace
from clusterobs.sources.ingestlog import IngestLog

FOLDER = "eurostat-classifications"


@pytest.fixture(scope="module")
def ref(mirror: Path) -> dict[str, pd.DataFrame]:
    return nace_classification.read(mirror, IngestLog(), {})


@pytest.fixture(scope="module")
def read(mirror: Path, ref: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], IngestLog]:
    log = IngestLog()
    return naics_nace.read(mirror, log, ref), log


def test_naics_list(read: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    naics = read[0]["naics"]
    assert len(naics) == 2196
    assert naics["level"].value_counts().to_dict() == {6: 1057, 5: 709, 4: 311, 3: 99, 2: 20}
    by_code = naics.set_index("code")
    assert by_code.at["31-33", "level"] == 2 and by_code.at["31-33", "title"] == "Manufacturing"
    assert by_code.at["928110", "title"] == "National Security"  # "National Security " in the file
    quirks = read[1].quirks_frame().set_index("quirk")["rows"].to_dict()
    assert quirks["sector range code (e.g. 31-33) kept at level 2"] == 3
    assert quirks["title with leading/trailing spaces trimmed"] == 1182


def test_correspondence_counts(read: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    links = read[0]["naics_nace"]
    assert len(links) == 1790 - 3
    assert links["naics2017"].nunique() == 1056
    assert links["nace"].nunique() == 613
    assert not links.duplicated(["naics2017", "nace"]).any()
    assert links["naics2017"].str.fullmatch(r"\d{6}").all()
    assert links["nace"].str.fullmatch(r"[A-U]\d{4}").all()


def test_quarantined_links(read: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    q = read[1].quarantine_frame()
    assert q["file"].tolist() == ["NAICS2017_NACE.csv"] * 3
    assert q["line"].tolist() == [24, 1789, 1790]
    assert q["reason"].iloc[0] == "links to NACE level-3 code '01.2', not to a class"
    assert q["reason"].iloc[1].startswith("not a NAICS 2017 industry code: '00'")


def test_aircraft_links(read: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    links = read[0]["naics_nace"]
    c3030 = links[links["nace"] == "C3030"]
    assert sorted(c3030["naics2017"]) == ["333318", "334220", "336360", "336411", "336412", "336413",
                                          "336414", "336415", "336419"]
    row = c3030.set_index("naics2017").loc["336360"]
    assert row["naics_title"] == "Motor Vehicle Seating and Interior Trim Manufacturing"
    assert row["notes"] == "Aircraft seats"
    assert row["nace_title"] == "Manufacture of air and spacecraft and related machinery"


def test_many_to_many(read: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    links = read[0]["naics_nace"]
    assert sorted(links.loc[links["naics2017"] == "335220", "nace"]) == ["C2751", "C2752"]
    assert links.groupby("naics2017")["nace"].nunique().max() > 1
    assert links.groupby("nace")["naics2017"].nunique().max() > 1


def test_unknown_and_malformed_classes_quarantined(mirror: Path, tmp_path: Path,
                                                   ref: dict[str, pd.DataFrame]) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    for name in ("NAICS2017.csv", "NAICS2017_NACE.csv"):
        (folder / name).write_bytes((mirror / FOLDER / name).read_bytes())
    with (folder / "NAICS2017_NACE.csv").open("a", encoding="utf-8") as fh:
        fh.write("336411,99.99,Nothing,Aircraft Manufacturing,\n336411,3030,Aircraft,Aircraft Manufacturing,\n"
                 "336411,30.30,Manufacture of air and spacecraft and related machinery,Aircraft Manufacturing,\n")
    log = IngestLog()
    naics_nace.read(tmp_path, log, ref)
    q = log.quarantine_frame().set_index("line")
    assert q.at[1792, "reason"] == "unknown NACE Rev. 2 class '99.99'"
    assert q.at[1793, "reason"] == "malformed NACE Rev. 2 class code '3030'"
    assert q.at[1794, "reason"].startswith("duplicate of line 813")
