"""Regional Innovation Scoreboard 2023 from the real mirror (ris-2023/ris2023_regional_database.csv)."""

from __future__ import annotations

import dataclasses

import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import ris
from clusterobs.sources.ingestlog import IngestLog


@pytest.fixture(scope="module")
def table(ingested):
    store, _ = ingested
    return store.table("ris_indicators")


def _value(table, region, indicator, year):
    row = table[(table["region"] == region) & (table["indicator"] == indicator) & (table["year"] == year)]
    assert len(row) == 1, (region, indicator, year)
    return row.iloc[0]


def test_summary_index_values_checked_by_hand(table):
    # line 64089: 0 Summary Innovation Index,2023,EU,...,EU,European Union,1,108.47,EU
    eu = _value(table, "EU", "ris_0", 2023)
    assert eu["value"] == 108.47 and eu["level"] == 0 and eu["line"] == 64089
    # line 985: HR03 (NUTS 2021 NUTS-2) 2023 = 72.61, Emerging
    hr = _value(table, "HR03", "ris_0", 2023)
    assert (hr["value"], hr["method"], hr["performance_group"]) == (72.61, "same code", "Emerging")
    # line 4905: 1.1.2 tertiary education, FR1 (Île de France, NUTS-1) 2023 = 190.3; FR1 has one NUTS-2 region, FR10
    fr = _value(table, "FR10", "ris_1_1_2", 2023)
    assert (fr["value"], fr["region_source_code"], fr["line"]) == (190.3, "FR1", 4905)
    assert fr["value_kind"] == "normalised score (EU 2016 = 100)" and bool(fr["regional"])


def test_nuts1_region_applied_to_each_nuts2_region(table):
    # line 9: AT1 (Ostösterreich) 2023 = 136.31 → AT11, AT12, AT13
    at = table[(table["region_source_code"] == "AT1") & (table["indicator"] == "ris_0") & (table["year"] == 2023)]
    assert sorted(at["region"]) == ["AT11", "AT12", "AT13"]
    assert set(at["value"]) == {136.31}
    assert set(at["method"]) == {"NUTS-1 value applied to each NUTS-2 region"}
    # line 1833: UKC is a NUTS 2016 NUTS-1 code (UK); its NUTS 2021 regions are UKC1 and UKC2
    uk = table[(table["region_source_code"] == "UKC") & (table["indicator"] == "ris_0") & (table["year"] == 2023)]
    assert sorted(uk["region"]) == ["UKC1", "UKC2"] and set(uk["value"]) == {110.49}
    assert set(uk["source_nuts_version"]) == {2016}
    # line 63369: Cyprus, a single-region country, → CY00
    cy = _value(table, "CY00", "ris_0", 2023)
    assert (cy["value"], cy["method"]) == (114.29, "single-region country")


def test_coverage_and_uniqueness(table):
    assert not table.duplicated(["region", "indicator", "year"]).any()
    assert table["value"].notna().all()
    regions = table.loc[table["level"] == 2, "region"]
    assert regions.nunique() == 300
    assert "NO0B" not in set(table["region"])
    summary = table[table["indicator"] == "ris_0"]
    assert sorted(summary["year"].unique()) == list(range(2016, 2024))
    # national-only indicators have no regional rows: 1.1.1 doctorate graduates only for EU and single-region countries
    doctorates = table.loc[table["indicator"] == "ris_1_1_1", "region_source_code"]
    assert set(doctorates) <= {"EU", "CY", "EE", "LU", "LV", "MT"}
    assert set(table["kind"]) == {"index", "dimension", "indicator", "structural"}


def test_quarantine_and_quirks(ingested):
    store, _ = ingested
    q = store.table("quarantine")
    q = q[q["source"] == "ris_2023"]
    assert q.groupby("reason").size().to_dict() == {"NO0B (Jan Mayen and Svalbard) has no RIS data: dropped": 264}
    quirks = store.table("quirks")
    quirks = quirks[quirks["source"] == "ris_2023"].set_index("quirk")["rows"]
    assert quirks["comma in the indicator code (5.1,7) read as a dot"] == 5
    # README: 21,136 empty Value cells; 88 of them are NO0B rows, quarantined with the region
    no0b_empty = 264 - 176  # NO0B has a value (0) on 176 rows: 22 indicators x 8 years
    assert quirks["Value empty (not available)"] + no0b_empty == 21_136
    # structural 5.1.7 read from "5.1,7"
    table = store.table("ris_indicators")
    assert (table["indicator_code"] == "5.1.7").sum() == 5


def test_structural_differences_may_be_negative(table):
    # line 65551: 5.6.2 Average annual population growtt (SD),2023,...,LV,Latvia,1,-0.84
    lv = _value(table, "LV00", "ris_5_6_2", 2023)
    assert lv["value"] == -0.84 and lv["kind"] == "structural"


def test_truncated_file_fails_naming_it(ref, editable_mirror):
    mirror = editable_mirror.path
    original = mirror / ris.META.folder / ris.FILE
    editable_mirror.replace(ris.META.folder, ris.FILE, editable_mirror.head(original.resolve(), 1000))
    with pytest.raises(SourceError) as err:
        ris.read(mirror, IngestLog(), ref)
    assert ris.FILE in str(err.value) and "truncated" in str(err.value)


def test_wrong_delimiter_fails_on_line_1(ref, editable_mirror):
    mirror = editable_mirror.path
    text = editable_mirror.head((mirror / ris.META.folder / ris.FILE).resolve(), 50).replace(",", ";")
    editable_mirror.replace(ris.META.folder, ris.FILE, text)
    with pytest.raises(SourceError) as err:
        ris.read(mirror, IngestLog(), ref)
    message = str(err.value)
    assert ris.FILE in message and "line 1" in message and "wrong delimiter" in message


def test_bad_rows_are_quarantined_with_line(ref, editable_mirror, monkeypatch):
    mirror = editable_mirror.path
    lines = editable_mirror.head((mirror / ris.META.folder / ris.FILE).resolve(), 3).splitlines(keepends=True)
    bad = [
        "0 Summary Innovation Index,2023,EU,XX,Nowhere,XX99,Nowhere,1,50,Leader\n",  # line 4: unknown code
        "0 Summary Innovation Index,2031,EU,AT,Austria,AT1,Ostösterreich,1,50,Leader\n",  # line 5: year
        "0 Summary Innovation Index,2016,EU,AT,Austria,AT1,Ostösterreich,1,abc,Leader\n",  # line 6: duplicate of 2
        "0 Summary Innovation Index,2018,EU,AT,Austria,AT1,Ostösterreich,1,-3,Leader\n",  # line 7: negative
    ]
    editable_mirror.replace(ris.META.folder, ris.FILE, "".join(lines + bad))
    log = IngestLog()
    small = dataclasses.replace(ris.META, files=(dataclasses.replace(ris.META.files[0], min_rows=0),
                                                 *ris.META.files[1:]))
    monkeypatch.setattr(ris, "META", small)
    out = ris.read(mirror, log, ref)["ris_indicators"]
    q = log.quarantine_frame()
    assert list(zip(q["line"], q["reason"], strict=True)) == [
        (4, "region code is not a NUTS 2021 code of level 1 or 2, a single-region country or EU"),
        (5, "year is not 2016-2023"),
        (6, "duplicate of an earlier line (same indicator, region and year)"),
        (7, "Value negative (not a structural indicator) or not finite"),
    ]
    assert sorted(out["year"].unique()) == [2016, 2017]
