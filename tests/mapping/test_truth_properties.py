"""Properties of the computed mapping on the real mirror (NUTS 2021): imputation within national totals, levels
that reconcile, and nothing starred that cannot be ranked."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.mapping.categories import MAX_SPLIT_SHARE, MIN_CELL_COVERAGE


@pytest.fixture(scope="module")
def tables(computed):
    store, _ = computed
    return {name: store.table(name) for name in ("industry_panel", "sbs_employment", "cluster_measures",
                                                  "cluster_stars", "region_data_quality", "region_totals")}


@pytest.mark.parametrize("level", [1, 2])
def test_imputed_cells_never_exceed_the_national_residual(tables, level):
    """Per country, year and division: the cells imputed from shares sum to at most what the national figure leaves
    after the cells taken from data (reported, or the sum of a region's own children)."""
    ip = tables["industry_panel"]
    p = ip[(ip.nuts_version == 2021) & (ip.level == level)].assign(country=lambda d: d.region.str[:2])
    shared = p.imputed & (p.imputation_basis != "children")
    g = p.assign(data=p.employment.where(~shared, 0.0).fillna(0.0), imp=p.employment.where(shared, 0.0).fillna(0.0))
    g = g.groupby(["country", "industry", "year"])[["data", "imp"]].sum().reset_index()
    sbs = tables["sbs_employment"]
    nat = sbs[(sbs.nuts_version == 2021) & (sbs.level == 0)].rename(
        columns={"region": "country", "nace": "industry", "value": "national"})[["country", "industry", "year",
                                                                                  "national"]]
    g = g.merge(nat, on=["country", "industry", "year"])
    g = g[g.national.notna()]
    assert len(g) > 1000
    over = g[g.imp > (g.national - g.data).clip(lower=0) + 1e-6]
    assert over.empty, over.head()


@pytest.mark.parametrize(("parent", "child"), [(1, 2), (0, 1)])
def test_a_parent_is_never_below_the_sum_of_its_known_children(tables, parent, child):
    ip = tables["industry_panel"]
    up = ip[(ip.nuts_version == 2021) & (ip.level == parent)]
    down = ip[(ip.nuts_version == 2021) & (ip.level == child) & ~ip.imputed]
    known = down.assign(parent=down.region.str[:parent + 2]).groupby(["parent", "industry", "year"])["employment"]
    j = up.merge(known.sum().rename("known").reset_index(), left_on=["region", "industry", "year"],
                 right_on=["parent", "industry", "year"])
    assert len(j) > 1000
    below = j[j.employment.notna() & (j.employment < j.known - 1e-6)]
    assert below.empty, below.head()


def test_no_cell_under_the_coverage_threshold_or_from_a_split_region_is_starred(tables):
    m, s = tables["cluster_measures"], tables["cluster_stars"]
    keys = ["nuts_version", "level", "region", "category", "year"]
    j = s.merge(m[[*keys, "coverage", "split_share"]], on=keys)
    weak = (j.coverage < MIN_CELL_COVERAGE) | (j.split_share > MAX_SPLIT_SHARE) | j.coverage.isna()
    assert weak.sum() > 100  # there are such cells: Budapest, Warsaw, Vilnius, Croatia, Ireland, ...
    assert j.loc[weak, "stars"].isna().all()
    assert not j.loc[weak, "rankable"].any()
    split = j[(j.nuts_version == 2021) & (j.level == 2) & (j.split_share > MAX_SPLIT_SHARE)]
    assert {"HU11", "HU12", "PL91", "PL92", "LT01", "LT02"} <= set(split.region)


def test_split_regions_are_no_data_and_named_as_such(tables):
    q = tables["region_data_quality"]
    q = q[(q.nuts_version == 2021) & (q.level == 2) & (q.year == 2015)].set_index("region")
    for code in ("HU11", "PL91", "LT01", "HR05"):
        assert q.loc[code, "no_data"] and "split" in q.loc[code, "no_data_reason"]
    assert not q.loc["DE11", "no_data"] and pd.isna(q.loc["DE11", "no_data_reason"])


def test_the_region_total_is_the_reported_business_economy(tables):
    """The LQ denominator is the sum of a region's reported section totals (B-N without K), a section without a
    total counting as the sum of its divisions, plus S95 (the one division of S in the SBS business economy):
    DE11 (Stuttgart) has no figure for D and E nor for their divisions (they stay out, about 1-2% of business
    employment), and S95 = 2,525."""
    t, sbs = tables["region_totals"], tables["sbs_employment"]
    t = t[(t.nuts_version == 2013) & (t.level == 2) & (t.year == 2015)].set_index("region")
    sbs = sbs[(sbs.nuts_version == 2013) & (sbs.level == 2) & (sbs.year == 2015)]
    sections = sbs[sbs.nace.isin(list("BCDEFGHIJLMN"))].groupby("region")["value"].sum()
    reported = t[(t.total_basis == "reported sections") & t.business_total.notna()].index
    assert len(reported) >= 5  # Austria, Slovenia, two French overseas regions (8 in SBS 2015)
    assert t.loc[reported, "business_total"].tolist() == pytest.approx(sections[reported].tolist())
    s95 = sbs[(sbs.region == "DE11") & (sbs.nace == "S95")]["value"].sum()
    assert s95 == 2525
    assert t.loc["DE11", "business_total"] == pytest.approx(sections["DE11"] + s95)
    assert t.loc["DE11", "total_basis"] == "1 section(s) from divisions"
    assert 0 < t.loc["DE11", "traded_total"] < t.loc["DE11", "business_total"]
