"""European Quality of Government Index 2021 from the real mirror (qog-eqi-2021/eqi_2021_nuts.csv)."""

from __future__ import annotations

import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import qog_eqi
from clusterobs.sources.ingestlog import IngestLog

from .scoreboard_helpers import head, ref_tables, replace_file


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


def test_bad_input(ingested, symlink_mirror, tmp_path):
    store, _ = ingested
    mirror = symlink_mirror(tmp_path / "m")
    raw = (mirror / qog_eqi.META.folder / qog_eqi.FILE).resolve()
    replace_file(mirror, qog_eqi.META.folder, qog_eqi.FILE, head(raw, 40))
    with pytest.raises(SourceError, match=r"eqi_2021_nuts.csv.*only 39 data rows"):
        qog_eqi.read(mirror, IngestLog(), ref_tables(store))
    replace_file(mirror, qog_eqi.META.folder, qog_eqi.FILE, raw.read_text(encoding="utf-8").replace(",", "\t"))
    with pytest.raises(SourceError, match=r"eqi_2021_nuts.csv.*line 1.*wrong delimiter"):
        qog_eqi.read(mirror, IngestLog(), ref_tables(store))
