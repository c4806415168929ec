"""clusterobs compute on the real SBS 2008-2015 data: star counts, a cell checked by hand, provenance."""

from __future__ import annotations

import pytest

# DE11 (Stuttgart), NUTS 2013 level 2, SBS 2015 persons employed, read by hand in sbs_r_nuts06_r2_2015.csv
# (line numbers in brackets). C30 (line 12692) is empty: confidential, so imputed.
DE11 = {"C13": 3479, "C22": 24696, "C23": 6066, "C24": 5879, "C25": 52410, "C27": 36062, "C28": 159827,
        "C29": 160445}  # [4736, 8948, 9416, 9884, 10352, 11288, 11756, 12224]


def test_star_counts_nuts2_2021(computed):
    """Counts printed by `clusterobs compute` for NUTS-2 (2021) in the latest year (2015), all categories mapped; the
    1,587 cells that cannot be ranked (coverage under 80%, regions split by population, blue growth without an
    anchor) have no stars and are not counted.

    With SBS 2008-2015 (wages and local units, 2026-12), eocic2019's productivity test and uscmp's establishments
    condition run on data: eocic2019 had 15,329 / 1,983 / 531 and uscmp 14,014 / 3,829 without them.

    The count-rule concordance with a per-category focus test (up to 2026-11) gave eco2007 16,503 / 1,755 / 959 /
    503, eocic2019 16,948 / 2,240 / 532, uscmp 15,732 / 3,988; the employment-weighted concordance alone, eco2007
    16,245 / 1,669 / 981 / 535."""
    _, summary = computed
    assert summary.star_counts == {
        "eco2007": {0: 12_046, 1: 4_550, 2: 1_087, 3: 160},
        "eocic2019": {0: 14_536, 1: 2_613, 2: 598, 3: 96},
        "uscmp": {0: 14_275, 1: 3_568},
    }
    assert summary.star_year == 2015


def test_stuttgart_automotive_by_hand(computed):
    store, _ = computed
    con = store.connect()
    w = con.sql("SELECT industry, weight FROM concordance WHERE level = 2 AND category = 'automotive'").df()
    w = dict(zip(w["industry"], w["weight"], strict=True))
    assert set(w) == {*DE11, "C30"}
    known = sum(w[d] * v for d, v in DE11.items())
    m = con.sql("SELECT * FROM cluster_measures WHERE nuts_version = 2013 AND level = 2 AND region = 'DE11' "
                "AND category = 'automotive' AND year = 2015").df().iloc[0]
    # the known divisions give all but the imputed share of the category's employment
    assert m["employment"] * (1 - m["imputed_share"]) == pytest.approx(known, rel=1e-9)
    panel = con.sql("SELECT * FROM industry_panel WHERE nuts_version = 2013 AND level = 2 AND region = 'DE11' "
                    "AND industry = 'C30' AND year = 2015").df().iloc[0]
    assert panel["imputed"]
    assert m["employment"] == pytest.approx(known + w["C30"] * panel["employment"], rel=1e-9)
    tests = con.sql("SELECT scheme, test, condition, value, threshold, passed FROM cluster_star_tests "
                    "WHERE nuts_version = 2013 AND level = 2 AND region = 'DE11' AND category = 'automotive' "
                    "AND year = 2015").df()
    eco = tests[tests["scheme"] == "eco2007"].set_index("test")
    assert eco["passed"].all()
    assert eco.loc["specialisation", "value"] == pytest.approx(m["lq"]) and m["lq"] > 2
    stars = con.sql("SELECT scheme, stars FROM cluster_stars WHERE nuts_version = 2013 AND level = 2 "
                    "AND region = 'DE11' AND category = 'automotive' AND year = 2015").df().set_index("scheme")["stars"]
    assert stars.to_dict() == {"eco2007": 3, "eocic2019": 3, "uscmp": 1}
    est = tests[(tests["scheme"] == "uscmp") & (tests["condition"] == "establishments > p25")].iloc[0]
    assert est["passed"] and est["value"] > est["threshold"]  # local units of 2015 (bulk vintage) are read
    prod = tests[(tests["scheme"] == "eocic2019") & (tests["test"] == "productivity")].iloc[0]
    assert prod["passed"] and prod["value"] == pytest.approx(m["productivity"])
    assert 40_000 < m["productivity"] < 90_000  # EUR of wages and salaries per person employed


def test_lq_properties_on_real_data(computed):
    """Weighted by the regions' traded totals, each traded category's LQ averages to 1 (regions with the category
    known). Focus over the traded categories sums, in each region with all of them known, to the share of the
    region's reported business-economy total that its divisions with a value cover (the denominator is the
    reported total, never the sum of the divisions present): 1 where the divisions add up to the sections."""
    store, _ = computed
    con = store.connect()
    m = con.sql("""SELECT m.*, c.kind FROM cluster_measures m JOIN categories c USING (category)
                   WHERE nuts_version = 2021 AND level = 2 AND year = 2015""").df()
    traded = m[m["kind"] == "traded"]
    complete = traded.groupby("region")["employment"].apply(lambda s: s.notna().all())
    full = traded[traded["region"].isin(complete[complete].index)]
    sums = full.groupby("region")["focus"].sum()
    assert len(sums) > 200
    ip = con.sql("""SELECT region, sum(employment) AS divisions FROM industry_panel
                    WHERE nuts_version = 2021 AND level = 2 AND year = 2015 GROUP BY region""").df().set_index("region")
    tot = con.sql("""SELECT region, business_total FROM region_totals
                     WHERE nuts_version = 2021 AND level = 2 AND year = 2015""").df().set_index("region")
    covered = (ip["divisions"] / tot["business_total"]).reindex(sums.index)
    assert (sums - covered).abs().max() < 1e-6
    assert sums.median() == pytest.approx(1, abs=1e-3) and sums.min() > 0.95
    for _cat, g in full.groupby("category"):
        g = g[g["employment"].notna()]
        mean = (g["lq"] * g["region_total"]).sum() / g["region_total"].sum()
        assert mean == pytest.approx(1, rel=1e-6) or g["region_total"].sum() < traded["region_total"].sum()


def test_not_covered_categories_are_reported_not_mapped(computed):
    store, _ = computed
    con = store.connect()
    cov = con.sql("SELECT * FROM category_data_coverage WHERE nuts_version = 2021 AND level = 2").df()
    not_cov = set(cov.loc[cov["status"] == "not covered", "category"])
    assert {"insurance_services", "local_education_and_training", "local_health_services"} <= not_cov
    mapped = set(con.sql("SELECT DISTINCT category FROM cluster_measures").df()["category"])
    assert not (mapped & not_cov)
    fin = cov.set_index("category").loc["financial_services"]
    # division weights 0.859007 in all, 0.026397 on divisions the SBS holds (count-rule concordance: 0.121429 of
    # 1.407143)
    assert fin["coverage_share"] == pytest.approx(0.026397 / 0.859007, rel=1e-4)
    # 78% of agricultural inputs' US employment is support activities for agriculture (A016), outside the SBS: with
    # the employment weights the category is not mapped (the count rule diluted A01 over its 31 classes: 80% covered)
    assert cov.set_index("category").at["agricultural_inputs_and_services", "status"] == "not covered"


def test_version_records_schemes_and_parent(computed):
    store, summary = computed
    meta = store.meta(summary.version)
    assert meta["parent_version"] == summary.parent
    assert meta["compute"]["schemes"]["eco2007"]["tests"][1]["conditions"][0]["value"] == 2.0
    assert "source_checksums" in meta
    schemes = store.table("star_schemes", summary.version)
    assert set(schemes["scheme"]) == {"eco2007", "eocic2019", "uscmp"}
