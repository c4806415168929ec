"""SBS 2015 from the real mirror: values checked by hand in sbs_r_nuts06_r2_2015.csv.

``sbs_employment`` now holds 2008-2015 (``ingest.sbs_series``): the rows of this file are those of vintage
``eurostat_sbs_2015``."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def sbs(ingested) -> pd.DataFrame:
    store, _ = ingested
    df = store.table("sbs_employment")
    # the rows of this source: 2015, the later vintage (sbs_series merges it with the 2008-2015 bulk file)
    return df[(df["nuts_version"] == 2013) & (df["vintage"] == "eurostat_sbs_2015")]


def value(sbs: pd.DataFrame, region: str, nace: str):
    row = sbs[(sbs["region"] == region) & (sbs["nace"] == nace)]
    assert len(row) == 1, (region, nace)
    return row.iloc[0]


@pytest.mark.parametrize(
    ("region", "nace", "expected", "line"),
    [
        ("DE", "C", 6_992_286, 2862),  # the magnitude the mirror README quotes
        ("FI", "C10", 34_627, 3457),
        ("FI1B", "C10", 8_156, 3463),
        ("DE11", "C29", 160_445, 12224),
        ("DE21", "J62", 81_627, 37640),
        ("IS00", "C10", 10_526, 3535),
    ],
)
def test_values_checked_by_hand(sbs, region, nace, expected, line):
    row = value(sbs, region, nace)
    assert row["value"] == expected
    assert row["line"] == line
    assert row["year"] == 2015


def test_rows_and_codes(sbs, ingested):
    """56 region codes of the file are outside NUTS 2013: 40 obsolete NUTS 2010 codes (EL11, ITD5, FR9...)
    and 16 extra-regio codes (*Z, *ZZ, ELZZ included). Some extra-regio codes have fewer than 101 rows."""
    store, _ = ingested
    q = store.table("quarantine")
    q = q[q["source"] == "eurostat_sbs_2015"]
    assert len(sbs) + len(q) == 46_859
    assert len(q) == 5_252
    codes = q["value"].str.split(";").str[1]
    assert codes.nunique() == 56
    extra = q["reason"] == "extra-regio NUTS code (no territory)"
    assert codes[extra].nunique() == 16
    assert set(codes[~extra]) >= {"EL11", "ITD5", "FR9", "SI01", "UKI1", "DE41", "FI18"}
    assert sbs.groupby("level")["region"].nunique().to_dict() == {0: 30, 1: 100, 2: 284}
    assert sbs["nace"].nunique() == 101
    bad = q[q["value"].str.startswith("M72;ITD5;")].iloc[0]
    assert bad["line"] == 41562
    assert "not a NUTS 2013 code" in bad["reason"]


def test_missing_is_not_zero(sbs):
    """Of the 8,499 empty cells, 3,591 belong to NUTS 2013 regions; they stay NULL, and zeros stay zeros."""
    assert sbs["value"].isna().sum() == 3_591 + 119 + 30  # empty, flag-only ' d', '12:00 AM'
    assert (sbs["value"] == 0).sum() > 0
    assert value(sbs, "IS", "C10")["value"] == 10_526


def test_quirk_counts(ingested):
    store, _ = ingested
    q = store.table("quirks")
    q = q[q["source"] == "eurostat_sbs_2015"].set_index("quirk")["rows"].to_dict()
    assert q == {
        "empty cell read as missing (not available or confidential)": 3_591,
        "value flagged 'd'": 267,
        "flag 'd' without a value read as missing": 119,
        "spreadsheet artefact '12:00 AM' read as missing": 30,
    }


def test_flags_are_kept(sbs):
    flagged = sbs[sbs["flag"] == "d"]
    assert len(flagged) == 267 + 119
    assert flagged["value"].notna().sum() == 267


def test_conversion_to_2016_and_2021_keeps_country_totals(ingested):
    """For every country and NACE code whose NUTS-2 cells are all known, the converted regions sum to
    the original total; every converted row says how it was made."""
    store, _ = ingested
    df = store.table("sbs_employment")
    df = df[df["year"] == 2015]
    l2 = df[df["level"] == 2].assign(country=lambda d: d["region"].str[:2])
    orig = l2[l2["nuts_version"] == 2013]
    complete = orig.groupby(["country", "nace"])["value"].apply(lambda s: s.notna().all())
    complete = complete[complete].index
    assert len(complete) > 1500
    base = orig.groupby(["country", "nace"])["value"].sum().loc[complete]
    for version in (2016, 2021):
        conv = l2[l2["nuts_version"] == version].groupby(["country", "nace"])["value"].sum().loc[complete]
        rel = ((conv - base).abs() / base.where(base > 0, 1)).astype(float)
        assert rel.max() < 1e-9, rel.idxmax()
        rows = l2[l2["nuts_version"] == version]
        assert rows["conversion"].notna().all()
    split = df[(df["nuts_version"] == 2021) & (df["region"] == "PL91") & (df["nace"] == "C")].iloc[0]
    assert split["converted"]
    assert "PL12" in split["conversion"]
