"""LFS 2008-2016 from the real mirror: values checked by hand in lfst_r_lfe2en2_2008_2016.csv."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def lfs(ingested) -> pd.DataFrame:
    store, _ = ingested
    return store.table("lfs_employment")


def cell(lfs: pd.DataFrame, version: int, region: str, sector: str, year: int):
    row = lfs[(lfs["nuts_version"] == version) & (lfs["region"] == region) & (lfs["sector"] == sector)
              & (lfs["year"] == year)]
    assert len(row) == 1
    return row.iloc[0]


def test_values_in_persons(lfs):
    assert cell(lfs, 2013, "DE11", "TOTAL", 2015)["value"] == 2_122_100  # "2,122.1" thousand, line 27074
    assert cell(lfs, 2013, "DE11", "TOTAL", 2015)["line"] == 27074
    assert cell(lfs, 2013, "FI1B", "J", 2008)["value"] == 51_200  # "51.2", line 2695


def test_all_rows_loaded_and_missing_kept(lfs, ingested):
    original = lfs[lfs["nuts_version"] == 2013]
    assert len(original) == 34_344
    assert original["value"].isna().sum() == 4_412  # ':' cells
    store, _ = ingested
    quirks = store.table("quirks")
    assert quirks.loc[quirks["source"] == "eurostat_lfs_sectors"].set_index("quirk")["rows"].to_dict() == {
        "thousands separator removed": 777,
    }


def test_candidate_regions_stay_in_nuts2013_and_are_reported(lfs, ingested):
    """MK00 and 26 TR regions (2,916 rows) have no JRC weights: kept in 2013, quarantined once for 2016/2021."""
    cand = lfs["region"].str.startswith(("MK", "TR"))
    assert lfs.loc[cand, "nuts_version"].unique().tolist() == [2013]
    assert lfs.loc[cand, "region"].nunique() == 27
    store, _ = ingested
    q = store.table("quarantine")
    q = q[(q["source"] == "eurostat_lfs_sectors")]
    assert len(q) == 2_916
    assert q["reason"].unique().tolist() == [
        "no JRC weights from NUTS 2013 to NUTS 2016/2021 for this region: kept in NUTS 2013 only"
    ]


def test_conversion_keeps_country_totals(lfs):
    """Germany's 2015 employment, 40,210.8 thousand summed by hand over its 2013 regions, is the same in 2021."""
    for version in (2013, 2016, 2021):
        de = lfs[(lfs["nuts_version"] == version) & lfs["region"].str.startswith("DE") & (lfs["sector"] == "TOTAL")
                 & (lfs["year"] == 2015)]
        assert de["value"].sum() == pytest.approx(40_210_800, rel=1e-9)
