"""NUTS-2 panel 2008-2019 from the real mirror (i40-nuts2-indicators-2008-2019/I40_indicator_db.tsv)."""

from __future__ import annotations

import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import i40_indicators
from clusterobs.sources.ingestlog import IngestLog

POP = "demo_r_d2jan_UNIT_NR__SEX_T__AGE_TOTAL"
HRST = "hrst_st_rcat_CATEGORY_HRST__UNIT_PC_POP"
GERD = "rd_e_gerdreg_SECTPERF_TOTAL__UNIT_PC_GDP"


@pytest.fixture(scope="module")
def table(ingested):
    store, _ = ingested
    return store.table("i40_indicators").set_index(["region", "indicator", "year"]).sort_index()


def test_values_checked_by_hand(table):
    # line 3906: DE11 2015, population 4008288.0, HRST 39.1 %, GERD 6.17 % of GDP; line 2273: HU11 2010 all empty
    assert table.loc[("DE11", POP, 2015), "value"] == 4_008_288
    assert table.loc[("DE11", HRST, 2015), "value"] == 39.1
    assert table.loc[("DE11", GERD, 2015), "value"] == 6.17
    assert ("HU11", POP, 2010) in table.index  # from HU10 (below), not from HU11's empty row
    assert table.loc[("DE11", HRST, 2015), "line"] == 3906


def test_split_region_percentages_averaged_counts_split(table):
    """HR04 (NUTS 2016; line 2297: 2010 population 2886876, HRST 19.2 %, GERD 0.97 %) → HR02, HR05, HR06."""
    parts = ["HR02", "HR05", "HR06"]
    pops = [table.loc[(c, POP, 2010), "value"] for c in parts]
    assert sum(pops) == pytest.approx(2_886_876)
    assert all(0 < p < 2_886_876 for p in pops)
    for code in parts:
        assert table.loc[(code, HRST, 2010), "value"] == pytest.approx(19.2)
        assert table.loc[(code, GERD, 2010), "value"] == pytest.approx(0.97)
        assert table.loc[(code, HRST, 2010), "region_source_code"] == "HR04"


def test_nuts_2013_codes_fill_only_what_2016_codes_lack(table):
    # line 2283: HU10 2010 (NUTS 2013; HU11 + HU12 since 2016) population 2951436, HRST 31.5
    # line 2273: HU11 2010 is empty
    hu = [table.loc[(c, POP, 2010)] for c in ("HU11", "HU12")]
    assert sum(r["value"] for r in hu) == pytest.approx(2_951_436)
    assert {r["source_nuts_version"] for r in hu} == {2013}
    assert table.loc[("HU11", HRST, 2010), "value"] == pytest.approx(31.5)
    assert table.loc[("HU11", HRST, 2010), "method"] == "NUTS2013→NUTS2021 pop21-weighted mean of HU10"
    # line 2266: HU11 2017 population 1752704.0 under its own NUTS 2016 code
    assert table.loc[("HU11", POP, 2017), "value"] == 1_752_704
    assert table.loc[("HU11", POP, 2017), "source_nuts_version"] == 2016
    # line 2765: FR41 (Lorraine, NUTS 2013) GERD 2010 = 1.22, while FRF3 (its NUTS 2016 code) has no 2010 value
    assert table.loc[("FRF3", GERD, 2010), "value"] == pytest.approx(1.22)
    assert table.loc[("FRF3", GERD, 2010), "source_nuts_version"] == 2013


def test_definitions_quarantine_and_quirks(ingested, table):
    store, _ = ingested
    d = store.table("i40_indicator_definitions").set_index("indicator")
    assert len(d) == 101
    assert d.loc[POP, "aggregation"] == "sum" and d.loc[HRST, "aggregation"] == "mean"
    assert d.loc[GERD, "unit"] == "% of GDP"
    assert not table.index.duplicated().any()
    q = store.table("quarantine")
    q = q[q["source"] == "i40_nuts2_indicators"]
    reason = ("region code is not a NUTS 2016 or NUTS 2013 NUTS-2 code (aggregate, extra-regio or an older NUTS "
              "version)")
    assert q.groupby("reason").size().to_dict() == {reason: 232}
    assert {"EU28", "UKZZ", "EL11", "UKN1"} <= set(q["value"])
    quirks = store.table("quirks")
    quirks = quirks[quirks["source"] == "i40_nuts2_indicators"].set_index("quirk")["rows"].to_dict()
    assert quirks["trailing space in ColumnName or DataType stripped"] == 95
    assert quirks["empty fourth field (trailing tab) ignored"] == 2


def test_bad_input(ref, editable_mirror):
    mirror = editable_mirror.path
    folder = i40_indicators.META.folder
    raw = (mirror / folder / i40_indicators.FILE).resolve()
    editable_mirror.replace(folder, i40_indicators.FILE, editable_mirror.head(raw, 300))
    with pytest.raises(SourceError, match=r"I40_indicator_db.tsv.*only"):
        i40_indicators.read(mirror, IngestLog(), ref)
    editable_mirror.replace(folder, i40_indicators.FILE, editable_mirror.head(raw, 300).replace("\t", ","))
    with pytest.raises(SourceError, match=r"I40_indicator_db.tsv.*line 1.*wrong delimiter"):
        i40_indicators.read(mirror, IngestLog(), ref)
    desc = (mirror / folder / i40_indicators.DESCRIPTION).resolve()
    editable_mirror.replace(folder, i40_indicators.DESCRIPTION, desc.read_text(encoding="utf-8").replace("\t", ";"))
    with pytest.raises(SourceError, match=r"I40_indicator_db_column_description.tsv.*line 1.*wrong delimiter"):
        i40_indicators.read(mirror, IngestLog(), ref)
