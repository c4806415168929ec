"""The SBS/LFS plausibility check (`region_caveats`) of a real compute of the 2026-11 mirror.

Île-de-France, 2015: SBS persons employed in sections B, C, D, E = 6,387 + 853,178 + 160,903 + 65,359 = 1,085,827
(sbs_r_nuts06_r2_2015.csv, lines 196, 3004, 14704, 15640); LFS industry (B-E) 396.4 thousand (lfst_r_lfe2en2,
line 27952). Ratio 2.7392, measured on the mirror; the same in NUTS 2013 (FR10), in NUTS 2021 at level 2 (FR10)
and at level 1 (FR1, whose only NUTS-2 region is FR10).
"""

from __future__ import annotations

import pytest

#: (NUTS version, level, region) of Île-de-France
ILE_DE_FRANCE = [(2013, 2, "FR10"), (2016, 2, "FR10"), (2021, 2, "FR10"), (2021, 1, "FR1")]


@pytest.fixture(scope="module")
def caveats(computed):
    store, summary = computed
    t = store.table("region_caveats", summary.version)
    assert set(t["year"]) == set(range(2008, 2016))  # one check per year with both SBS and LFS
    return t[t["year"] == 2015]


def _one(df, version, level, region, sector):
    hit = df[(df["nuts_version"] == version) & (df["level"] == level) & (df["region"] == region)
             & (df["sector"] == sector) & (df["year"] == 2015)]
    assert len(hit) == 1
    return hit.iloc[0]


@pytest.mark.parametrize(("version", "level", "region"), ILE_DE_FRANCE)
def test_ile_de_france_industry_is_flagged(caveats, version, level, region):
    r = _one(caveats, version, level, region, "B-E")
    assert r["sbs_employment"] == pytest.approx(1_085_827)
    assert r["lfs_employment"] == pytest.approx(396_400)
    assert 2.6 < r["ratio"] < 2.9  # measured 2.7392
    assert r["flag"] == "high"
    assert r["caveat"].startswith("SBS counts 2.7× the LFS employment in industry (B–E): head offices")


def test_a_plausible_region_is_not_flagged(caveats):
    """Zuid-Holland (NL33): every ratio within the band (measured 0.88 for B-E, 1.40 for M_N, the highest)."""
    nl33 = caveats[(caveats["nuts_version"] == 2021) & (caveats["level"] == 2) & (caveats["region"] == "NL33")]
    assert len(nl33) == 7 and nl33["ratio"].notna().all()
    assert nl33["flag"].isna().all()
    assert 0.8 < _one(caveats, 2021, 2, "NL33", "B-E")["ratio"] < 0.95  # measured 0.8796


def test_flagged_share_matches_the_documented_distribution(caveats):
    """docs/mapping.md: at NUTS 2013 level 2, 1,641 comparisons are judged (LFS of 5,000 persons or more), 78 are
    flagged (4.8%), in 59 of the 283 regions with a ratio."""
    m = caveats[(caveats["nuts_version"] == 2013) & (caveats["level"] == 2)]
    judged = m[m["ratio"].notna() & (m["lfs_employment"] >= 5000)]
    flagged = m[m["flag"].notna()]
    assert 1500 < len(judged) < 1800
    assert 0.03 < len(flagged) / len(judged) < 0.07
    assert 50 <= flagged["region"].nunique() <= 70
    assert set(flagged["flag"]) == {"high", "low"}
    # a lower bound is never flagged low, and nothing below 5,000 LFS persons is flagged
    assert not ((flagged["flag"] == "low") & flagged["sbs_missing"].notna()).any()
    assert (flagged["lfs_employment"] >= 5000).all()
