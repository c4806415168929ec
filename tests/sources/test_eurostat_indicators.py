"""NUTS-2 indicators 2007-2018 from the real mirror (nuts2_indicators_2007_2018.csv, line 2808 for DE11 2015)."""

from __future__ import annotations

import pytest


def test_stuttgart_2015(ingested):
    store, _ = ingested
    df = store.table("regional_indicators")
    de11 = df[(df["region"] == "DE11") & (df["year"] == 2015)].set_index("indicator")["value"]
    assert de11["region_gdp"] == pytest.approx(196_383.38)
    assert de11["region_population"] == 4_008_288
    assert de11["unemployment_rate_t"] == 3.3
    assert de11["gdp_per_capita_eur"] == pytest.approx(196_383.38e6 / 4_008_288)
    assert "patents" not in de11.index  # empty cell: absent, not zero


def test_coverage(ingested):
    store, _ = ingested
    df = store.table("regional_indicators")
    assert df["region"].nunique() == 332
    assert sorted(df["year"].unique()) == list(range(2007, 2019))
    assert not df.loc[(df["indicator"] == "region_population") & (df["year"] == 2007)].shape[0]
    assert df.loc[df["indicator"] == "patents", "year"].max() == 2012
    cat = store.table("indicator_catalogue").set_index("indicator")
    assert cat.loc["region_gdp", "eurostat_table"] == "tgs00003"
