"""A 3-region x 3-category example computed by hand, for every scheme.

        employment          wages               establishments
        a    b    c         a     b     c       a   b   c
  R1   100   50   50      5000  2000  3000     10   5   4     total 200
  R2    10   80   10       300  4800   400      2   8   1     total 100
  R3    40   20  140      2400   600  7000      6   3  12     total 200
  Europe 150 150 200 (total 500)

Percentiles interpolate linearly between order statistics (numpy's default):
employment p90: a [10,40,100] -> 40 + 0.8*60 = 88;  b [20,50,80] -> 74;  c [10,50,140] -> 122
focus p90:      a [.1,.2,.5] -> .44;  b [.1,.25,.8] -> .69;  c [.1,.25,.7] -> .61 (per category)
focus p90 of all 9 cells pooled (eco2007's focus test): [.1,.1,.1,.2,.25,.25,.5,.7,.8] -> .7 + .2*.1 = .72
LQ p75:         a [1/3,2/3,5/3] -> 7/6;  b [1/3,5/6,8/3] -> 1.75;  c [.25,.625,1.75] -> 1.1875
wage/employee p90: a [30,50,60] -> 58;  b [30,40,60] -> 56;  c [40,50,60] -> 58
employment p25: a 25, b 35, c 30;  establishments p25: a [2,6,10] -> 4, b [3,5,8] -> 4, c [1,4,12] -> 2.5
"""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.mapping import map_table

EMP = {"R1": (100, 50, 50), "R2": (10, 80, 10), "R3": (40, 20, 140)}
WAGES = {"R1": (5000, 2000, 3000), "R2": (300, 4800, 400), "R3": (2400, 600, 7000)}
EST = {"R1": (10, 5, 4), "R2": (2, 8, 1), "R3": (6, 3, 12)}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rows = []
    for r in EMP:
        for i, c in enumerate("abc"):
            rows.append({"region": r, "category": c, "year": 2020, "employment": EMP[r][i],
                         "wages": WAGES[r][i], "establishments": EST[r][i]})
    return pd.DataFrame(rows)


def cells(result: pd.DataFrame, col: str) -> dict[str, object]:
    return {f"{r.region}{r.category}": getattr(r, col) for r in result.itertuples()}


def test_measures(data):
    out = map_table(data, scheme="eco2007")
    lq = cells(out, "lq")
    assert lq["R1a"] == pytest.approx(5 / 3)
    assert lq["R2b"] == pytest.approx(8 / 3)
    assert lq["R3c"] == pytest.approx(0.7 / 0.4)
    assert lq["R2c"] == pytest.approx(0.25)
    assert cells(out, "focus")["R2b"] == pytest.approx(0.8)
    assert cells(out, "share_europe")["R3c"] == pytest.approx(140 / 200)
    assert cells(out, "productivity")["R2b"] == pytest.approx(60)
    assert cells(out, "relative_productivity")["R2b"] == pytest.approx(60 / (7400 / 150))
    assert cells(out, "avg_size")["R3c"] == pytest.approx(140 / 12)


def test_eco2007(data):
    out = map_table(data, scheme="eco2007")
    thr = {f"{r.category}": r.size_employment_p90_threshold for r in out.itertuples()}
    assert thr == pytest.approx({"a": 88, "b": 74, "c": 122})
    # focus is pooled over every cell (the first Observatory's "top 10% of clusters by the share of their
    # region's employment"): one threshold for all categories
    assert out["focus_focus_p90_threshold"].tolist() == pytest.approx([0.72] * 9)
    assert cells(out, "stars") == {"R1a": 1, "R1b": 0, "R1c": 0, "R2a": 0, "R2b": 3, "R2c": 0,
                                   "R3a": 0, "R3b": 0, "R3c": 1}
    r1a = out[(out.region == "R1") & (out.category == "a")].iloc[0]
    # R1a's focus .5 was in the top 10% of category a (.44) but is not among all clusters (.72)
    assert (r1a.star_size, r1a.star_specialisation, r1a.star_focus) == (True, False, False)
    assert r1a.specialisation_lq_2_threshold == 2.0


def test_eocic2019(data):
    out = map_table(data, scheme="eocic2019")
    thr = {f"{r.category}": r.productivity_productivity_p90_threshold for r in out.itertuples()}
    assert thr == pytest.approx({"a": 58, "b": 56, "c": 58})
    assert cells(out, "stars") == {"R1a": 1, "R1b": 0, "R1c": 1, "R2a": 0, "R2b": 3, "R2c": 0,
                                   "R3a": 1, "R3b": 0, "R3c": 1}


def test_uscmp(data):
    out = map_table(data, scheme="uscmp")
    thr = {r.category: r.strong_lq_p75_threshold for r in out.itertuples()}
    assert thr == pytest.approx({"a": 7 / 6, "b": 1.75, "c": 1.1875})
    thr = {r.category: r.strong_employment_p25_threshold for r in out.itertuples()}
    assert thr == pytest.approx({"a": 25, "b": 35, "c": 30})
    thr = {r.category: r.strong_establishments_p25_threshold for r in out.itertuples()}
    assert thr == pytest.approx({"a": 4, "b": 4, "c": 2.5})
    assert {k for k, v in cells(out, "star_strong").items() if v} == {"R1a", "R2b", "R3c"}
    assert cells(out, "stars") == {k: int(k in {"R1a", "R2b", "R3c"}) for k in cells(out, "stars")}


def test_uscmp_without_establishments_skips_that_condition(data):
    out = map_table(data.drop(columns=["establishments"]), scheme="uscmp")
    assert out["strong_establishments_p25_pass"].isna().all()
    assert {k for k, v in cells(out, "star_strong").items() if v} == {"R1a", "R2b", "R3c"}


def test_eocic2019_without_wages_cannot_give_the_productivity_star(data):
    out = map_table(data.drop(columns=["wages"]), scheme="eocic2019")
    assert not out["star_productivity"].any()
    assert cells(out, "stars")["R2b"] == 2


def test_missing_is_excluded_and_zero_counts(data):
    """R3c missing: it gets no star and leaves the p90 of c; a zero in R2c stays in the denominators."""
    d = data.copy()
    d.loc[(d.region == "R3") & (d.category == "c"), "employment"] = None
    out = map_table(d, scheme="eco2007")
    r3c = out[(out.region == "R3") & (out.category == "c")].iloc[0]
    assert pd.isna(r3c.lq) and r3c.stars == 0
    # c over R1, R2 only: [10, 50] -> p90 = 46
    assert out.loc[out.category == "c", "size_employment_p90_threshold"].iloc[0] == pytest.approx(46)
    d.loc[(d.region == "R2") & (d.category == "c"), "employment"] = 0
    out = map_table(d, scheme="eco2007")
    r2c = out[(out.region == "R2") & (out.category == "c")].iloc[0]
    assert r2c.lq == 0 and r2c.stars == 0
    # the zero is a value but has no cluster to rank: c's universe is R1 alone (positive employment)
    assert out.loc[out.category == "c", "size_employment_p90_threshold"].iloc[0] == pytest.approx(50)


def test_growth_over_the_longest_window_up_to_five_years():
    """R1 doubles from 2011 to 2016: (2)^(1/5) - 1. R2 lacks 2011 (and 2010 is outside the window),
    so its 2016 growth uses 2012: (150/100)^(1/4) - 1. R3 starts in 2016: no growth."""
    rows = []
    for year in range(2010, 2017):
        rows.append({"region": "R1", "category": "a", "year": year, "employment": 100.0 * 2 ** ((year - 2011) / 5)})
        if year >= 2012:
            rows.append({"region": "R2", "category": "a", "year": year, "employment": 100.0 + 12.5 * (year - 2012)})
    rows.append({"region": "R3", "category": "a", "year": 2016, "employment": 10.0})
    out = map_table(pd.DataFrame(rows), scheme="eco2007").set_index(["region", "year"])
    assert out.loc[("R1", 2016), "growth"] == pytest.approx(2 ** (1 / 5) - 1)
    assert out.loc[("R1", 2016), "growth_window"] == 5
    assert out.loc[("R2", 2016), "growth"] == pytest.approx(1.5 ** (1 / 4) - 1)
    assert out.loc[("R2", 2016), "growth_window"] == 4
    assert pd.isna(out.loc[("R3", 2016), "growth"])
    assert out.loc[("R1", 2011), "growth_window"] == 1
