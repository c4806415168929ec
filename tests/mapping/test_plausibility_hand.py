"""The SBS/LFS plausibility check on two regions computed by hand.

Country XA, one NUTS-1 region XA0 with two NUTS-2 regions, NUTS 2013, 2015; persons employed.

SBS by NACE section (XA02's section B is confidential; its division B05 has 200, B06 is missing too):

    region  B      C       D      E      F       G       H       I       J       L      M       N
    XA01    1,000  50,000  5,000  4,000  20,000  30,000  10,000  10,000  10,000  3,000  12,000  8,000
    XA02    :      10,000  1,000    800   2,000  20,000   5,000   5,000   2,000  1,000   6,000  4,000
    XA0     1,500  60,000  6,000  4,800  (only B-E published at NUTS 1)

LFS by aggregate (J of XA02 not available):

    region  B-E     F       G-I     J      L      M_N
    XA01    20,000  20,000  50,000  4,000  6,000  25,000
    XA02    30,000  10,000  28,000  :      1,500   9,000

Aggregates, ratio = SBS / LFS, band 0.5-2, LFS of at least 5,000 persons to be judged:

    XA01 B-E  60,000 / 20,000 = 3.0      high
    XA01 F    20,000 / 20,000 = 1.0
    XA01 G-I  50,000 / 50,000 = 1.0
    XA01 J    10,000 /  4,000 = 2.5      not judged: LFS below 5,000
    XA01 L     3,000 /  6,000 = 0.5      the bound itself: not flagged
    XA01 M_N  20,000 / 25,000 = 0.8
    XA01 B-N_X_K 163,000 / 125,000 = 1.304
    XA02 B-E  12,000 (B from its divisions: a lower bound) / 30,000 = 0.4   not flagged low: SBS incomplete
    XA02 F     2,000 / 10,000 = 0.2      low
    XA02 G-I  30,000 / 28,000 = 1.0714
    XA02 J     2,000 / :      no ratio
    XA02 L     1,000 /  1,500 = 0.667    (not judged anyway)
    XA02 M_N  10,000 /  9,000 = 1.111
    XA02 B-N_X_K 57,000 / : (J missing) no ratio
    XA0  B-E  72,300 / (20,000 + 30,000) = 1.446
    XA0  F    no SBS; LFS 30,000
    XA0  J    LFS missing for XA02, so no NUTS-1 sum, and no SBS: no row (nothing to compare)
"""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.mapping.plausibility import COLUMNS, TABLES, caveat_text, compute_stage, region_caveats
from clusterobs.store import Store

SECTIONS = "BCDEFGHIJLMN"
SBS = {
    "XA01": [1000, 50000, 5000, 4000, 20000, 30000, 10000, 10000, 10000, 3000, 12000, 8000],
    "XA02": [None, 10000, 1000, 800, 2000, 20000, 5000, 5000, 2000, 1000, 6000, 4000],
}
LFS = {
    "XA01": {"B-E": 20000, "F": 20000, "G-I": 50000, "J": 4000, "L": 6000, "M_N": 25000, "TOTAL": 140000},
    "XA02": {"B-E": 30000, "F": 10000, "G-I": 28000, "J": None, "L": 1500, "M_N": 9000, "TOTAL": 90000},
}


def frames() -> dict[str, pd.DataFrame]:
    unit = {"nuts_version": 2013, "year": 2015}
    sbs = [{"region": r, "level": 2, "nace": s, "value": v, **unit} for r, vals in SBS.items()
           for s, v in zip(SECTIONS, vals, strict=True)]
    sbs += [{"region": "XA02", "level": 2, "nace": d, "value": v, **unit} for d, v in (("B05", 200.0), ("B06", None))]
    sbs += [{"region": "XA0", "level": 1, "nace": s, "value": v, **unit}
            for s, v in zip("BCDE", (1500, 60000, 6000, 4800), strict=True)]
    lfs = [{"region": r, "level": 2, "sector": s, "value": v, **unit} for r, vals in LFS.items()
           for s, v in vals.items()]
    nace = pd.DataFrame({"code": [*SECTIONS, "B05", "B06"], "level": [1] * 12 + [2, 2],
                         "section": [*SECTIONS, "B", "B"]})
    nuts = pd.DataFrame({"nuts_version": 2013, "code": ["XA", "XA0", "XA01", "XA02"], "level": [0, 1, 2, 2]})
    return {"sbs_employment": pd.DataFrame(sbs).astype({"value": float}),
            "lfs_employment": pd.DataFrame(lfs).astype({"value": float}), "nace": nace, "nuts_codes": nuts,
            "lfs_sectors": pd.DataFrame({"sector": ["B-E", "F", "G-I", "J", "L", "M_N", "TOTAL"],
                                         "name": ["Industry (except construction)", "Construction", "Trade",
                                                  "Information and communication", "Real estate activities",
                                                  "Professional", "All NACE activities"]})}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    f = frames()
    return region_caveats(f["sbs_employment"], f["lfs_employment"], nace=f["nace"], nuts_codes=f["nuts_codes"])


def row(df: pd.DataFrame, region: str, sector: str) -> pd.Series:
    hit = df[(df["region"] == region) & (df["sector"] == sector)]
    assert len(hit) == 1, (region, sector)
    return hit.iloc[0]


@pytest.mark.parametrize(("region", "sector", "sbs", "lfs", "ratio", "flag"), [
    ("XA01", "B-E", 60000, 20000, 3.0, "high"),
    ("XA01", "F", 20000, 20000, 1.0, None),
    ("XA01", "G-I", 50000, 50000, 1.0, None),
    ("XA01", "J", 10000, 4000, 2.5, None),
    ("XA01", "L", 3000, 6000, 0.5, None),
    ("XA01", "M_N", 20000, 25000, 0.8, None),
    ("XA01", "B-N_X_K", 163000, 125000, 163 / 125, None),
    ("XA02", "B-E", 12000, 30000, 0.4, None),
    ("XA02", "F", 2000, 10000, 0.2, "low"),
    ("XA02", "G-I", 30000, 28000, 30 / 28, None),
    ("XA02", "J", 2000, None, None, None),
    ("XA02", "L", 1000, 1500, 1 / 1.5, None),
    ("XA02", "M_N", 10000, 9000, 10 / 9, None),
    ("XA02", "B-N_X_K", 57000, None, None, None),
    ("XA0", "B-E", 72300, 50000, 1.446, None),
    ("XA0", "F", None, 30000, None, None),
])
def test_ratios_and_flags_by_hand(table, region, sector, sbs, lfs, ratio, flag):
    r = row(table, region, sector)
    for column, expected in (("sbs_employment", sbs), ("lfs_employment", lfs), ("ratio", ratio)):
        if expected is None:
            assert pd.isna(r[column]), column
        else:
            assert r[column] == pytest.approx(expected, rel=1e-12), column
    assert (None if pd.isna(r["flag"]) else r["flag"]) == flag


def test_missing_section_is_named_and_the_sum_is_a_lower_bound(table):
    assert row(table, "XA02", "B-E")["sbs_missing"] == "B"
    assert row(table, "XA02", "B-N_X_K")["sbs_missing"] == "B"
    assert pd.isna(row(table, "XA01", "B-E")["sbs_missing"])
    assert row(table, "XA0", "B-E")["sections"] == "B, C, D, E"
    assert row(table, "XA0", "F")["sbs_missing"] == "F"


def test_caveat_texts(table):
    assert row(table, "XA01", "B-E")["caveat"] == (
        "SBS counts 3.0× the LFS employment in industry (B–E): head offices registered here, or workers commuting in?")
    assert row(table, "XA02", "F")["caveat"].startswith("SBS counts only 20% of the LFS employment in construction (F)")
    assert table.loc[table["flag"].isna(), "caveat"].isna().all()
    assert caveat_text("L", 2.46, "high", lower_bound=True).startswith("SBS counts at least 2.5× the LFS employment")


def test_one_row_per_key_and_no_level_without_sbs(table):
    assert list(table.columns) == COLUMNS
    assert not table.duplicated(["nuts_version", "level", "region", "year", "sector"]).any()
    assert set(table["level"]) == {1, 2}  # no SBS row at level 0: nothing to check there
    assert len(table[table["region"] == "XA01"]) == 7
    # XA0: J has neither figure, so no row; the total has the known sections' sum (a lower bound) and no LFS
    assert set(table.loc[table["region"] == "XA0", "sector"]) == {"B-E", "F", "G-I", "L", "M_N", "B-N_X_K"}
    total = row(table, "XA0", "B-N_X_K")
    assert total["sbs_employment"] == 72300 and total["sbs_missing"] == "F, G, H, I, J, L, M, N"


def test_band_is_a_parameter():
    f = frames()
    wide = region_caveats(f["sbs_employment"], f["lfs_employment"], nace=f["nace"], lower=0.1, upper=4.0)
    assert wide["flag"].isna().all()
    small = region_caveats(f["sbs_employment"], f["lfs_employment"], nace=f["nace"], min_lfs=0)
    assert row(small, "XA01", "J")["flag"] == "high"


def test_stage_contract(tmp_path):
    store = Store(tmp_path)
    with store.begin() as w:
        for name, df in frames().items():
            w.write(name, df, description=name)
        w.publish()
    out = compute_stage(store, {}, None)
    assert set(out) == set(TABLES)
    t = out["region_caveats"]
    assert row(t, "XA01", "B-E")["sector_name"] == "Industry (except construction)"
    assert row(t, "XA01", "B-N_X_K")["sector_name"] == "Business economy: sections B to N without K"
    assert row(t, "XA01", "B-E")["flag"] == "high"
