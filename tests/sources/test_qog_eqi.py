"""European Quality of Government Index 2021 from the real mirror (qog-eqi-2021/eqi_2021_nuts.csv)."""

from __future__ import annotations

import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import qog_eqi
from clusterobs.sources.ingestlog import IngestLog


@pytest.fixture(scope="module")
def table(ingested):
    store, _ = ingested
    return store.table("eqi_scores")


def _values(table, indicator):
    return table[table["indicator"] == indicator].set_index("region")


def test_values_checked_by_hand(table):
    eqi = _values(table, "eqi")
    # line 2: AT11,Burgenland (AT),2021,...,.826,.668967,.9830329999999999,.77,1.01,.606
    assert eqi.loc["AT11", "value"] == 0.826 and eqi.loc["AT11", "line"] == 2
    assert _values(table, "eqi_high").loc["AT11", "value"] == pytest.approx(0.983033)
    assert _values(table, "eqi_corruption").loc["AT11", "value"] == 0.606
    # line 28: CY (NUTS-0, single-region country) -.439 → CY00
    assert eqi.loc["CY00", "value"] == -0.439 and eqi.loc["CY00", "method"] == "single-region country"


def test_croatia_converted_from_nuts_2016(table):
    """HR04 (NUTS 2016, line 144: -1.421) was split into HR02, HR05, HR06 in NUTS 2021; HR03 kept its code."""
    eqi = _values(table, "eqi")
    for code in ("HR02", "HR05", "HR06"):
        assert eqi.loc[code, "value"] == pytest.approx(-1.421)
        assert eqi.loc[code, "region_source_code"] == "HR04"
        assert eqi.loc[code, "method"] == "NUTS2016→NUTS2021 pop21-weighted mean of HR04"
    assert eqi.loc["HR03", "value"] == pytest.approx(-0.94) and eqi.loc["HR03", "method"] == "same code"
    assert "HR04" not in eqi.index


def test_coverage(table, ingested):
    store, _ = ingested
    assert table.groupby("indicator").size().to_dict() == {i: 240 for i in qog_eqi.INDICATORS.values()}
    assert set(table["year"]) == {2021} and set(table["source_nuts_version"]) == {2016}
    assert not table.duplicated(["region", "indicator"]).any()
    q = store.table("quarantine")
    assert not (q["source"] == "qog_eqi_2021").any()
    quirks = store.table("quirks").set_index(["source", "quirk"])["rows"]
    assert quirks["qog_eqi_2021", "number without leading zero (Stata export), read as float"] == 866


def test_bad_input(ref, editable_mirror):
    mirror = editable_mirror.path
    raw = (mirror / qog_eqi.META.folder / qog_eqi.FILE).resolve()
    editable_mirror.replace(qog_eqi.META.folder, qog_eqi.FILE, editable_mirror.head(raw, 40))
    with pytest.raises(SourceError, match=r"eqi_2021_nuts.csv.*only 39 data rows"):
        qog_eqi.read(mirror, IngestLog(), ref)
    editable_mirror.replace(qog_eqi.META.folder, qog_eqi.FILE, raw.read_text(encoding="utf-8").replace(",", "\t"))
    with pytest.raises(SourceError, match=r"eqi_2021_nuts.csv.*line 1.*wrong delimiter"):
        qog_eqi.read(mirror, IngestLog(), ref)


def test_nuts_conversion_agrees_with_the_rci_2022_copy_of_the_eqi(ingested):
    """RCI 2022 republishes the three EQI 2021 pillars in NUTS 2021 codes ("HR02, HR_C: value of the former HR04").

    Our NUTS 2016 → 2021 conversion of QoG's own file gives the same values everywhere except where RCI merged a
    capital region (13 members: its value is the merged region's) and where a NUTS 2021 region took in part of a
    neighbour (NL31 from NL33, RO12 a sliver of RO11: population-weighted means, RCI kept the old value).
    """
    store, _ = ingested
    eqi, rci = store.table("eqi_scores"), store.table("rci_indicators")
    pairs = {"eqi_corruption": "rci_corruption", "eqi_quality": "rci_quality_and_accountability",
             "eqi_impartiality": "rci_impartiality"}
    for ours, theirs in pairs.items():
        m = eqi[eqi["indicator"] == ours].merge(rci[rci["indicator"] == theirs], on="region", suffixes=("", "_rci"))
        assert len(m) == 240
        differ = m.loc[(m["value"] - m["value_rci"]).abs() > 1e-9]
        merged = differ["region_source_code_rci"].str.endswith("_C")
        assert merged.sum() == 13
        assert sorted(differ.loc[~merged, "region"]) == ["NL31", "RO12"]
        hr = m.set_index("region").loc[["HR02", "HR05", "HR06"]]
        assert (hr["value"] - hr["value_rci"]).abs().max() < 1e-9
