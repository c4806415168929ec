"""RCI overall scores 2010-2019 from the real mirror (rci-scores-2010-2019/rci_2010_2019_zscores.csv)."""

from __future__ import annotations

import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import rci_scores
from clusterobs.sources.ingestlog import IngestLog


@pytest.fixture(scope="module")
def table(ingested):
    store, _ = ingested
    return store.table("rci_scores")


def _edition(table, year):
    return table[table["year"] == year].set_index("region")


def test_values_checked_by_hand(table):
    s19 = _edition(table, 2019)
    # line 2: Austria,AT,,other,AT - Austria,2019,RCI 2019 z-scores,0.47 (country row, level 0)
    assert s19.loc["AT", "value"] == 0.47 and s19.loc["AT", "level"] == 0
    # line 6: AT00 (Wien and its commuting area) 2019 = 0.61 → AT12 and AT13, the Austrian codes never named alone
    for code in ("AT12", "AT13"):
        assert s19.loc[code, "value"] == 0.61 and s19.loc[code, "region_source_code"] == "AT00"
        assert bool(s19.loc[code, "capital_region"])
        assert s19.loc[code, "method"].startswith("merged region value applied to each member (AT00 = AT12+AT13)")
    # line 857: PL90 (pre-2016 Mazowieckie) 2019 = -0.08 → PL91, PL92
    assert s19.loc["PL91", "value"] == -0.08 and s19.loc["PL92", "value"] == -0.08
    # line 1001: UK00 (London and its commuting area) 2019 = 1.06 → UKH2, UKH3, UKI3-UKI7
    uk = s19[s19["region_source_code"] == "UK00"]
    assert sorted(uk.index) == ["UKH2", "UKH3", "UKI3", "UKI4", "UKI5", "UKI6", "UKI7"]
    assert set(uk["value"]) == {1.06}


def test_croatia_converted_from_nuts_2016(table):
    """HR04 (NUTS 2016) was split into HR02, HR05, HR06 in NUTS 2021: each gets HR04's score."""
    s19 = _edition(table, 2019)
    hr04 = s19.loc[["HR02", "HR05", "HR06"]]
    assert set(hr04["region_source_code"]) == {"HR04"}
    assert hr04["value"].nunique() == 1
    assert set(hr04["method"]) == {"NUTS2016→NUTS2021 pop21-weighted mean of HR04"}


def test_coverage_and_quirks(table, ingested):
    store, _ = ingested
    counts = table.groupby(["year", "level"]).size().to_dict()
    assert counts == {(2010, 0): 22, (2010, 2): 269, (2013, 0): 23, (2013, 2): 273, (2016, 0): 23, (2016, 2): 275,
                      (2019, 0): 23, (2019, 2): 283}
    assert not table.duplicated(["region", "year"]).any()
    # lines 468-469: FI1B has no score in 2013 and 2010
    fi = table[table["region_source_code"] == "FI1B"]
    assert sorted(fi["year"]) == [2016, 2019]
    quirks = store.table("quirks")
    quirks = quirks[quirks["source"] == "rci_scores_2010_2019"].set_index("quirk")["rows"].to_dict()
    assert quirks == {"value empty (no score in this edition)": 4,
                      "region flagged 'not enough data' by the publisher: score kept": 1}
    assert not (store.table("quarantine")["source"] == "rci_scores_2010_2019").any()


def test_bad_input(ref, editable_mirror):
    mirror = editable_mirror.path
    raw = (mirror / rci_scores.META.folder / rci_scores.FILE).resolve()
    editable_mirror.replace(rci_scores.META.folder, rci_scores.FILE, editable_mirror.head(raw, 500))
    with pytest.raises(SourceError, match=r"rci_2010_2019_zscores.csv.*only 499 data rows"):
        rci_scores.read(mirror, IngestLog(), ref)
    editable_mirror.replace(rci_scores.META.folder, rci_scores.FILE, raw.read_text(encoding="utf-8").replace(",", ";"))
    with pytest.raises(SourceError, match=r"rci_2010_2019_zscores.csv.*line 1.*wrong delimiter"):
        rci_scores.read(mirror, IngestLog(), ref)
