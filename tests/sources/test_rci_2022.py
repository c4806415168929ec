"""RCI 2.0 2022 raw indicators from the real mirror (rci-2022-raw-indicators/)."""

from __future__ import annotations

import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import rci_2022
from clusterobs.sources.ingestlog import IngestLog


@pytest.fixture(scope="module")
def tables(ingested):
    store, _ = ingested
    return {n: store.table(n) for n in ("rci_indicators", "rci_indicator_definitions", "rci_capital_regions")}


def _value(df, region, indicator):
    row = df[(df["region"] == region) & (df["indicator"] == indicator)]
    assert len(row) == 1, (region, indicator)
    return row.iloc[0]


def test_values_checked_by_hand(tables):
    df = tables["rci_indicators"]
    # rci2022_raw_indicators.csv line 3: AT11 higher educational attainment 31.4, unemployment rate 5.121107266
    assert _value(df, "AT11", "rci_higher_educational_attainment")["value"] == 31.4
    assert _value(df, "AT11", "rci_unemployment_rate")["value"] == pytest.approx(5.121107266)
    # line 2: AT_C (AT12 + AT13) higher educational attainment 39.6535131386681 → both members
    for code in ("AT12", "AT13"):
        row = _value(df, code, "rci_higher_educational_attainment")
        assert row["value"] == pytest.approx(39.6535131386681)
        assert (row["region_source_code"], row["method"]) == ("AT_C", "merged region value applied to each member")
    # rci2022_population_gdp_pps.csv line 3: AT11 population 2018 = 292960
    assert _value(df, "AT11", "rci_population_2018")["value"] == 292_960
    # counts of merged regions are not copied: AT12 has no population and no patent count
    assert df[(df["region"] == "AT12") & df["indicator"].isin(rci_2022.COUNTS)].empty
    assert not df.duplicated(["region", "indicator"]).any()
    assert df.loc[df["level"] == 2, "region"].nunique() == 242


def test_definitions_and_directions(tables):
    d = tables["rci_indicator_definitions"].set_index("indicator")
    assert len(d) == 68 and list(d["position"]) == list(range(1, 69))
    assert d.loc["rci_unemployment_rate", "direction"] == -1
    assert d.loc["rci_higher_educational_attainment", "direction"] == 1
    assert d.loc["rci_corruption", "direction_basis"] == "unit of measurement"
    assert d.loc["rci_child_mortality", "name"] == "Infant mortality"  # matched by position (README quirk)
    assert d.loc["rci_total_patent_applications", "pillar"] == "Innovation"
    assert d.loc["rci_total_patent_applications", "sub_index"] == "innovation"
    # description line 49 and its continuation lines 50-51
    assert d.loc["rci_potential_market_size_expressed_in_gdp", "description"].endswith(
        "computed as population weighted average of the NUTS 2 values.")
    assert d["sub_index"].value_counts().to_dict() == {"basic": 31, "efficiency": 17, "innovation": 20}


def test_capital_regions(tables):
    c = tables["rci_capital_regions"]
    assert c.groupby("rci_code").size().to_dict() == {"AT_C": 2, "BE_C": 3, "CZ_C": 2, "DE_C": 2, "HR_C": 2,
                                                       "HU_C": 2, "NL_C": 2}
    be = c[c["rci_code"] == "BE_C"]
    assert list(be["nuts2_2021_code"]) == ["BE10", "BE24", "BE31"] and list(be["published_code"]) == ["B10", "B24",
                                                                                                     "B31"]


def test_quarantine_and_quirks(ingested):
    store, _ = ingested
    q = store.table("quarantine")
    q = q[q["source"] == "rci_2022"]
    assert q.groupby("reason").size().to_dict() == {
        "count of a merged capital region: not applied to its member regions": 35}
    quirks = store.table("quirks")
    quirks = quirks[quirks["source"] == "rci_2022"].set_index("quirk")["rows"].to_dict()
    assert quirks == {
        "Belgian code written B10 for BE10: read as BE10": 3,
        "continuation line joined to the indicator above": 3,
        "indicator named differently in the data header: matched by position": 6,
        "NA or empty cell (not available)": 108,  # README: 108 NA cells
    }


def test_bad_input(ref, editable_mirror):
    mirror = editable_mirror.path
    raw = (mirror / rci_2022.META.folder / rci_2022.RAW).resolve()
    editable_mirror.replace(rci_2022.META.folder, rci_2022.RAW, editable_mirror.head(raw, 20))
    with pytest.raises(SourceError, match=r"rci2022_raw_indicators.csv.*only 19 data rows"):
        rci_2022.read(mirror, IngestLog(), ref)
    editable_mirror.replace(rci_2022.META.folder, rci_2022.RAW, raw.read_text(encoding="utf-8").replace(",", ";"))
    with pytest.raises(SourceError, match=r"rci2022_raw_indicators.csv.*line 1.*wrong delimiter"):
        rci_2022.read(mirror, IngestLog(), ref)
