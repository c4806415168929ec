"""Hand-computed: imputation within national totals, levels reconciled upward, partial coverage of a category,
region totals from reported sections, rankability and split regions.

Country XX (NUTS 2021): national C10 = 100, C11 = 120 (C = 220).
  XX11: C10 = 80 reported.
  XX12: section C = 60, C11 = 10 known, C10 missing -> section residual 50 -> C10 = 50 before the national cap.
  XX13: section C = 30, C10 and C11 missing -> shared 100:120 -> C10 = 13.636, C11 = 16.364.
  National residual of C10 = 100 - 80 = 20 < 50 + 13.636 imputed -> both scaled by 20 / 63.636:
  XX12 C10 = 15.714, XX13 C10 = 4.286 (sum 20). C11: residual 120 - 10 = 110 >= 16.364, unchanged.
Level 1, XX1 (parent of XX11-XX13): C = 100, C11 = 95 reported, C10 missing -> imputed 5 from its section,
  below its child XX11's reported 80; every child has a value -> the sum of the children, 80 + 20 = 100
  ("children"). Level 1, XY1: C10 reported 5 below its child XY11's reported 9 -> raised to 9.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pytest
from sbs_store import sbs_backend

from clusterobs.classifications.nuts_conversion import split_shares
from clusterobs.mapping import map_table
from clusterobs.mapping.categories import rankability, to_categories
from clusterobs.mapping.panel import region_totals, sbs_industry_panel

SBS = [
    ("XX", 0, "C", 220), ("XX", 0, "C10", 100), ("XX", 0, "C11", 120),
    ("XX1", 1, "C", 100), ("XX1", 1, "C10", None), ("XX1", 1, "C11", 95),
    ("XX11", 2, "C", 80), ("XX11", 2, "C10", 80), ("XX11", 2, "C11", 0),
    ("XX12", 2, "C", 60), ("XX12", 2, "C10", None), ("XX12", 2, "C11", 10),
    ("XX13", 2, "C", 30), ("XX13", 2, "C10", None), ("XX13", 2, "C11", None),
    ("XY1", 1, "C", 20), ("XY1", 1, "C10", 5), ("XY11", 2, "C", 20), ("XY11", 2, "C10", 9), ("XY12", 2, "C", 0),
    ("XY12", 2, "C10", None),
]
NACE = [("C", 1, "C"), ("C10", 2, "C"), ("C11", 2, "C")]


@pytest.fixture(scope="module")
def con():
    return sbs_backend(SBS, NACE)


def cells(df: pd.DataFrame) -> dict[str, tuple[float | None, str | None]]:
    return {f"{r.region}:{r.industry}": (None if pd.isna(r.employment) else r.employment,
                                         None if pd.isna(r.imputation_basis) else r.imputation_basis)
            for r in df.itertuples()}


def test_imputed_cells_never_exceed_the_national_residual(con):
    p = cells(sbs_industry_panel(con, nuts_version=2021, level=2).execute())
    factor = 20 / (50 + 30 * 100 / 220)
    assert p["XX12:C10"] == (pytest.approx(50 * factor), "country+national cap")
    assert p["XX13:C10"] == (pytest.approx(30 * 100 / 220 * factor), "country+national cap")
    assert p["XX12:C10"][0] + p["XX13:C10"][0] == pytest.approx(100 - 80)
    assert p["XX13:C11"] == (pytest.approx(30 * 120 / 220), "country")  # within its residual of 110
    assert p["XX11:C10"] == (80, None)


def test_a_parent_is_never_below_its_known_children(con):
    p = cells(sbs_industry_panel(con, nuts_version=2021, level=1).execute())
    assert p["XX1:C10"] == (pytest.approx(100), "children")  # imputed 5 from its section; its children sum to 100
    assert p["XX1:C11"] == (95, None)  # reported and above its children (0 + 10 + 16.4): kept
    assert p["XY1:C10"] == (9, "children")  # reported 5 below its child's reported 9: raised, flagged


CONC = pd.DataFrame({"industry": ["C10", "C11", "C11"], "category": ["k", "k", "m"], "weight": [0.5, 0.25, 0.5]})


def test_a_category_with_a_missing_division_keeps_the_others_and_its_coverage(con):
    panel = sbs_industry_panel(con, nuts_version=2021, level=2, impute=False)
    out = to_categories(panel, ibis.memtable(CONC)).execute().set_index(["region", "category"])
    # XX12: C10 missing -> k = 0.25 * 10 from C11 alone, covering 0.25 of k's 0.75
    assert out.loc[("XX12", "k"), "employment"] == pytest.approx(2.5)
    assert out.loc[("XX12", "k"), "coverage"] == pytest.approx(1 / 3)
    assert out.loc[("XX11", "k"), "employment"] == pytest.approx(40)
    assert out.loc[("XX11", "k"), "coverage"] == pytest.approx(1)
    assert out.loc[("XX12", "m"), "coverage"] == pytest.approx(1)
    # XX13: nothing known for k -> no employment, coverage 0
    assert pd.isna(out.loc[("XX13", "k"), "employment"]) and out.loc[("XX13", "k"), "coverage"] == 0
    ranked = rankability(to_categories(panel, ibis.memtable(CONC))).execute().set_index(["region", "category"])
    assert not ranked.loc[("XX12", "k"), "rankable"]
    assert ranked.loc[("XX12", "k"), "caveat"].startswith("coverage 33%")
    assert ranked.loc[("XX11", "k"), "rankable"] and pd.isna(ranked.loc[("XX11", "k"), "caveat"])
    assert ranked.loc[("XX13", "k"), "caveat"] == "no data"


def test_the_region_total_is_the_reported_one_whatever_divisions_are_missing(con):
    panel = sbs_industry_panel(con, nuts_version=2021, level=2, impute=False)
    traded = ibis.memtable(pd.DataFrame({"category": ["k"]}))
    t = region_totals(con, panel, ibis.memtable(CONC), traded, nuts_version=2021, level=2).execute()
    t = t.set_index("region")
    # XX12 reports section C = 60 although its C10 is missing: the total stays 60, not the 10 present
    assert t.loc["XX12", "business_total"] == 60 and t.loc["XX12", "total_basis"] == "reported sections"
    # traded share over the divisions with a value: C11 alone, w_traded(C11) = 0.25
    assert t.loc["XX12", "traded_total"] == pytest.approx(60 * 0.25)
    # XX11: C10 80 (w .5), C11 0 -> share 40/80
    assert t.loc["XX11", "traded_total"] == pytest.approx(80 * 0.5)


def test_split_share_counts_fractions_of_old_regions():
    mat = pd.DataFrame({"code_from": ["A", "A", "B", "C", "C"], "code_to": ["A1", "A2", "B", "B", "C"],
                        "share": [0.6, 0.4, 1.0, 0.05, 0.95], "mass": [60.0, 40.0, 100.0, 5.0, 95.0]})
    s = split_shares(mat)
    assert s["A1"] == 1 and s["A2"] == 1  # both halves of A carry A's structure, not their own
    assert s["B"] == pytest.approx(5 / 105)  # a border adjustment
    assert s["C"] == 0  # C kept 95% of itself


def test_a_cell_under_the_coverage_threshold_is_shown_and_never_starred():
    rows = []
    for r, (a, b) in {"R1": (100, 10), "R2": (None, 50), "R3": (30, 40), "R4": (20, 20)}.items():
        rows += [{"region": r, "industry": "C10", "year": 2020, "employment": a},
                 {"region": r, "industry": "C11", "year": 2020, "employment": b}]
    conc = pd.DataFrame({"industry": ["C10", "C11", "C11"], "category": ["k", "k", "m"], "weight": [0.9, 0.1, 0.9]})
    out = map_table(pd.DataFrame(rows), concordance=conc, scheme="eco2007").set_index(["region", "category"])
    r2k = out.loc[("R2", "k")]
    assert r2k.employment == pytest.approx(5) and r2k.coverage == pytest.approx(0.1)
    assert not r2k.rankable and pd.isna(r2k.stars) and not r2k.star_size
    # R2 is out of k's size universe: p90 over R1, R3, R4 (91, 31, 20) = 31 + .8 * 60 = 79
    assert out.loc[("R1", "k"), "size_employment_p90_threshold"] == pytest.approx(79)
    assert out.loc[("R1", "k"), "stars"] >= 1


def test_an_industry_without_its_anchor_activity_is_not_rankable():
    """Blue growth needs water transport (or offshore extraction): a region whose LQ in every anchor division is
    below min_lq keeps its cell, not rankable. LQ of H50: R1 (10/100) / (12/300) = 2.5; R2 (2/200) / .04 = .25."""
    from clusterobs.mapping.categories import apply_anchors

    panel = pd.DataFrame({"region": ["R1", "R1", "R2", "R2"], "year": 2015, "industry": ["H50", "C30", "H50", "C30"],
                          "employment": [10.0, 90.0, 2.0, 198.0]})
    totals = pd.DataFrame({"region": ["R1", "R2"], "year": 2015, "business_total": [100.0, 200.0]})
    cells = pd.DataFrame({"region": ["R1", "R2", "R2"], "year": 2015, "category": ["blue", "blue", "aero"],
                          "employment": [30.0, 50.0, 150.0], "rankable": True, "caveat": None}).astype(
        {"caveat": "string"})
    anchors = pd.DataFrame({"category": ["blue"], "industry": ["H50"], "min_lq": [0.5]})
    out = apply_anchors(ibis.memtable(cells), ibis.memtable(panel), ibis.memtable(totals), anchors).execute()
    out = out.set_index(["region", "category"])
    assert out.loc[("R1", "blue"), "rankable"] and pd.isna(out.loc[("R1", "blue"), "caveat"])
    assert not out.loc[("R2", "blue"), "rankable"]
    assert out.loc[("R2", "blue"), "caveat"].startswith("no anchor activity") and "H50" in out.loc[("R2", "blue"),
                                                                                                   "caveat"]
    assert out.loc[("R2", "aero"), "rankable"]  # no anchors: untouched
