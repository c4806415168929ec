"""The chart specs below Django (``clusterobs.charts.specs``): their texts in a language given by a translator, and
the region-stars spec on a small frame, with reads stubbed (no store, no Django)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs import text as tx
from clusterobs.charts.specs.region_stars import region_stars

FRENCH = {
    "clusterobs dataset %(version)s (extracted %(date)s)":
        "jeu de données clusterobs %(version)s (extrait le %(date)s)",
    "1 star": "1 étoile", "%(value)s%%": "%(value)s %%", "size": "taille",
    "Source: U.S. Census Bureau, County Business Patterns 2012": "Source : U.S. Census Bureau, CBP 2012",
}


class Words:
    """A translator from a dict (English when absent), dates as given, numbers with a decimal comma."""

    def __init__(self, catalogue: dict[str, str] | None = None) -> None:
        self.catalogue = catalogue or {}

    def gettext(self, message: str) -> str:
        return self.catalogue.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def date(self, iso: str) -> str:
        return f"<{iso[:10]}>"

    def number(self, x: float, digits: int) -> str:
        return f"{float(x):,.{digits}f}".replace(",", " ").replace(".", ",")


class Reads:
    """What the specs read of a dataset version."""

    version = "v7"

    def __init__(self, wages: list[int]) -> None:
        self.wages = wages
        self.meta = {"created_at": "2026-11-05T10:00:00"}
        self.years = [2008, 2015]
        self.schemes = pd.DataFrame({"scheme": ["eco2007", "eco2007", "uscmp"], "title": ["ECO", "ECO", "US"]})

    def citations(self, source_ids: list[str]) -> list[str]:
        known = {"us_cbp": "Source: U.S. Census Bureau, County Business Patterns 2012", "gisco_nuts": "GISCO"}
        return [known[s] for s in source_ids if s in known]

    def years_with(self, measure: str) -> list[int]:
        assert measure == "productivity"
        return self.wages


def test_texts_take_the_translator_and_the_reads():
    fr, en = Words(FRENCH), Words()
    assert isinstance(fr, tx.Translator)
    assert tx.source_line(fr, Reads([]), ["us_cbp", "nothing", "gisco_nuts"]) == (
        "Source : U.S. Census Bureau, CBP 2012 · GISCO · jeu de données clusterobs v7 (extrait le <2026-11-05>)")
    assert tx.star_labels(fr)[1] == "1 étoile" and tx.test_label(fr, "size") == "taille"
    assert tx.test_label(fr, "my_test") == "my_test" and tx.scheme_short("uscmp") == "US CMP"
    assert tx.percent(fr, 0.1234) == "12,3 %" and tx.percent(fr, math.nan) == ":"
    assert tx.conversion_note(en, 0, [2008]) == ""
    assert "NUTS 2006 or 2010" in tx.conversion_note(en, 2, [2008, 2015])
    assert tx.conversion_note(en, 1, [2015]).startswith("SBS data converted from NUTS 2013 to NUTS 2021")
    assert tx.wage_note(en, Reads([2015]), 2015).startswith("EOCIC 2019's productivity test compares wages")
    assert tx.wage_note(en, Reads([2008, 2009, 2010]), 2015) == (
        "EOCIC 2019's productivity test needs wages, which the data of 2015 do not have (wages: 2008–2010): at most "
        "two stars in 2015.")
    assert tx.wage_note(en, Reads([]), 2015).endswith("which the data do not have: at most two stars.")
    assert (tx.years_text([2013, 2015]), tx.years_text(range(2008, 2011)), tx.years_text([])) == (
        "2013, 2015", "2008–2010", "")
    assert tx.scheme_title(en, Reads([]), "uscmp") == "US" and tx.scheme_title(en, Reads([]), "mine") == "mine"
    assert tx.cell_caveat(fr, 10.0, False, 0.5, 0.0, min_coverage=0.8, max_split=0.5) == (
        "Not ranked: the data cover 50 % of the category's industries (below 80 %)")
    assert tx.data_text(fr, None) == "" and tx.data_text(fr, "unknown") == "unknown"


def cells() -> pd.DataFrame:
    """Two schemes of one region: Automotive starred under both, Finance not rankable, Tourism without data."""
    rows = []
    for scheme, auto in (("eco2007", 2), ("uscmp", 1)):
        rows += [
            {"scheme": scheme, "category": "automotive", "category_name": "Automotive", "kind": "traded",
             "stars": float(auto), "tests_passed": "size,specialisation" if scheme == "eco2007" else "strong",
             "employment": 5000.0, "rankable": True, "coverage": 1.0, "split_share": 0.0},
            {"scheme": scheme, "category": "finance", "category_name": "Finance", "kind": "traded", "stars": math.nan,
             "tests_passed": "", "employment": 300.0, "rankable": False, "coverage": 0.5, "split_share": 0.0},
            {"scheme": scheme, "category": "tourism", "category_name": "Tourism", "kind": "traded",
             "stars": 1.0 if scheme == "eco2007" else math.nan, "tests_passed": "focus",
             "employment": 800.0 if scheme == "eco2007" else math.nan, "rankable": scheme == "eco2007",
             "coverage": 1.0, "split_share": 0.0},
        ]
    return pd.DataFrame(rows)


def test_region_stars_spec():
    out = region_stars(Words(), Reads([2015]), region={"code": "AA11", "name": "Alpha", "level": 2}, year=2015,
                       scheme="eco2007", measures=cells(), min_coverage=0.8, max_split=0.5,
                       url=lambda c: f"/sectors/{c}/", filename="region-stars_AA11")
    assert isinstance(out, ChartOut) and out.name == "region-stars" and out.filename == "region-stars_AA11"
    assert out.title == "Starred clusters of Alpha"
    assert out.summary == "Alpha has 2 starred traded clusters under ECO 2007: Automotive (★★), Tourism (★)."
    assert out.table == [["Category", "ECO 2007", "US CMP"], ["Automotive", "2", "1"], ["Tourism", "1", ":"]]
    assert out.notes[-1] == "×: no data, or a cell that cannot be ranked (hover for the reason)."
    assert "SBS data converted to NUTS 2021" in out.notes[2]  # the reads hold 2008: the older codes are said
    assert list(out.fig.layout.yaxis.categoryarray) == ["Automotive", "Tourism"]
    hovers = {h for trace in out.fig.data for _url, h in trace.customdata}
    assert "<b>Automotive</b><br>ECO 2007: 2 stars (size, specialisation)" in hovers
    assert "<b>Tourism</b><br>US CMP: No data: employment missing or confidential in the source" in hovers
    assert {u for trace in out.fig.data for u, _h in trace.customdata} == {"/sectors/automotive/",
                                                                           "/sectors/tourism/"}
    # printed (a report): no links, no hover to send the reader to, the engine's count when given
    printed = region_stars(Words(), Reads([2015]), region={"code": "AA11", "name": "Alpha", "level": 2}, year=2015,
                           scheme="uscmp", measures=cells(), min_coverage=0.8, max_split=0.5, starred=4,
                           interactive=False)
    assert printed.notes[-1] == "×: no data, or a cell that cannot be ranked."
    assert printed.summary == "Alpha has 4 starred traded clusters under US CMP: Automotive (★)."
    assert {u for trace in printed.fig.data for u, _h in trace.customdata} == {""}


def test_region_stars_without_a_starred_cluster_says_why():
    none = cells().assign(stars=0.0)
    with pytest.raises(EmptyChart, match=r"^Alpha has no starred cluster under any scheme in 2015\.$"):
        region_stars(Words(), Reads([]), region={"code": "AA11", "name": "Alpha", "level": 2}, year=2015,
                     scheme="eco2007", measures=none, min_coverage=0.8, max_split=0.5)
    with pytest.raises(EmptyChart, match=r"^No data: the region was split"):
        region_stars(Words(), Reads([]), region={"code": "AA11", "name": "Alpha", "level": 2}, year=2015,
                     scheme="eco2007", measures=none, min_coverage=0.8, max_split=0.5,
                     no_data_words="No data: the region was split from an older NUTS region by population.")


def test_region_stars_counts_the_rows_it_draws():
    """Every category with two or three stars is drawn, past ``ROWS`` too: the note counts the rows drawn (the web's
    note said 20 while drawing more)."""
    m = pd.DataFrame([{"scheme": "eco2007", "category": f"c{i}", "category_name": f"C{i:02d}", "kind": "traded",
                       "stars": 2.0 if i < 22 else 1.0, "tests_passed": "size", "employment": 100.0 + i,
                       "rankable": True, "coverage": 1.0, "split_share": 0.0} for i in range(25)])
    out = region_stars(Words(), Reads([2015]), region={"code": "AA11", "name": "Alpha", "level": 2}, year=2015,
                       scheme="eco2007", measures=m, min_coverage=0.8, max_split=0.5)
    assert len(out.table) == 1 + 22
    assert out.notes[0] == "The 22 categories with the most stars; 3 more in the table of starred clusters."


# ---- the other charts' specs, called as the reports could: a translator and small frames, no store, no Django ----


def test_measure_texts_in_the_translators_language():
    fr, en = Words(FRENCH), Words()
    assert tx.value_text(fr, "growth", 0.05) == "+5,0 %" and tx.value_text(fr, "growth", -0.021) == "−2,1 %"
    assert tx.value_text(fr, "employment", 126714) == "126 714" and tx.value_text(en, "lq", 1.234) == "1,23"
    assert tx.value_text(en, "stars", 2) == "★★" and tx.value_text(en, "stars", 0) == "0"
    assert tx.value_text(en, "share_europe", 0.00012) == "0,012%" and tx.value_text(en, "lq", None) == ":"
    assert tx.value_text(en, "productivity", 41000.4) == "41 000 EUR"
    assert tx.growth_text(en, 0.1, 2, 2015) == "+10,0% a year, 2013–2015" and tx.growth_text(en, None, 2, 2015) == ":"
    assert tx.flag_words(en, "b, p") == "b: break in series, p: provisional" and tx.flag_words(en, None) == ""
    assert tx.imputed_words(fr, 0.25) == "25 % of the employment imputed (Eurostat cells missing)"
    assert tx.imputed_words(fr, 0.0) == ""
    assert tx.measure_short(en, "lq") == "LQ" and tx.measure_short(en, "mine") == "mine"
    assert tx.unit_subtitle(en, "lq", year=2015, level=2, scheme="uscmp") == (
        "Location quotient (LQ) (ratio, Europe = 1) · 2015 · NUTS 2 (regions), NUTS 2021 · stars: US CMP")
    quality = pd.DataFrame({"region": ["AA11", "BB22"], "no_data": [True, False], "split_share": [0.0, 0.0],
                            "traded_rankable": [10, 40], "traded_categories": [51, 51]})
    assert tx.region_words(en, quality, "AA11", max_split=0.5) == (
        "No data: only 10 of 51 traded categories can be ranked (fewer than half: too little data or coverage).")
    assert tx.region_words(en, quality, "BB22", max_split=0.5) == "" == tx.region_words(en, quality, "ZZ",
                                                                                        max_split=0.5)
    frame = pd.DataFrame({"value": [1.0, math.nan, math.nan, 2.0], "employment": [5.0, 3.0, math.nan, 4.0],
                          "rankable": [True, False, True, True], "imputed": [False, False, False, True]})
    assert tx.no_data_counts(en, frame, min_coverage=0.8) == [
        "2 of 4 regions: no data (grey); hover for the reason.",
        "1 region has employment in this category that cannot be ranked (coverage below 80% of the category's "
        "industries, or split by population): grey.",
        "1 regions with at least 10% of the value imputed from their section's residual (outlined); hover shows the "
        "share."]


def test_sector_top_spec():
    from clusterobs.charts.specs.sector import sector_top

    rows = pd.DataFrame({
        "region": ["AA11", "BB22", "CC33", "DD44"], "region_name": ["Alpha", "Beta", "Gamma", "Delta"],
        "employment": [5000.0, 3000.0, math.nan, 4000.0], "stars": [3, 2, 0, 1],
        "imputed_share": [0.0, 0.2, 0.0, 0.0], "rankable": [True, True, True, False],
        "region_no_data": [False, False, False, False]})
    out = sector_top(Words(), Reads([2015]), category={"name": "Automotive", "status": "covered"}, rows=rows,
                     measure="stars", level=2, scheme="eco2007", year=2015, min_coverage=0.8,
                     url=lambda c: f"/regions/{c}/", filename="sector-top_automotive")
    assert (out.name, out.title, out.filename) == ("sector-top", "Automotive: top regions by employment",
                                                  "sector-top_automotive")
    assert out.summary == "Top region for Automotive by employment: Alpha (AA11), 5 000; 2 regions ranked."
    assert out.table == [["Rank", "Region", "Employment", "Stars"], ["1", "Alpha (AA11)", "5 000", "3"],
                         ["2", "Beta (BB22)", "3 000", "2"]]
    assert out.notes[:3] == [
        "1 of 4 regions have no value (not ranked).",
        "1 region with a value is not ranked: coverage below 80% of the category's industries, split from an older "
        "region by population, or a no-data region (listed in the table with the reason).",
        "Hatched bars: at least 10% of the value imputed."]
    with pytest.raises(EmptyChart, match=r"^Automotive is not mapped: the SBS business statistics do not cover"):
        sector_top(Words(), Reads([2015]), category={"name": "Automotive", "status": "not covered"},
                   rows=rows.assign(employment=math.nan), measure="employment", level=2, scheme="eco2007",
                   year=2015, min_coverage=0.8)


def test_compare_stars_spec():
    from clusterobs.charts.specs.compare import compare_stars

    base = {"kind": "traded", "level": 2, "coverage": 1.0, "split_share": 0.0, "region_no_data": False}
    m = pd.DataFrame([
        {**base, "region": "AA11", "category": "auto", "category_name": "Automotive", "stars": 2, "employment": 900.0,
         "rankable": True, "tests_passed": "size,focus"},
        {**base, "region": "BB22", "category": "auto", "category_name": "Automotive", "stars": 1, "employment": 300.0,
         "rankable": False, "coverage": 0.5, "tests_passed": ""},
        {**base, "region": "AA11", "category": "tour", "category_name": "Tourism", "stars": 0, "employment": 50.0,
         "rankable": True, "tests_passed": ""},
        {**base, "region": "BB22", "category": "tour", "category_name": "Tourism", "stars": 1, "employment": 80.0,
         "rankable": True, "tests_passed": "focus"},
        {**base, "region": "BB22", "category": "bank", "category_name": "Banks", "stars": 3, "employment": 80.0,
         "rankable": True, "tests_passed": "size", "kind": "local"}])
    regions = [{"code": "AA11", "name": "Alpha"}, {"code": "BB22", "name": "A region with a very long name"}]
    out = compare_stars(Words(), Reads([2015]), regions=regions, measures=m, scheme="eco2007", year=2015,
                        no_data_words={}, min_coverage=0.8, max_split=0.5)
    assert out.title == "Starred clusters compared"
    assert out.table == [["Category", "AA11 Alpha", "BB22 A region with a very …"], ["Automotive", "2", ":"],
                         ["Tourism", "0", "1"]]  # the local category is not compared; the unranked cell has no stars
    assert out.summary == "Starred traded clusters per region: AA11 Alpha: 1; BB22 A region with a very …: 1."
    hovers = {h for trace in out.fig.data for _url, h in trace.customdata}
    assert ("<b>Automotive</b><br>BB22 A region with a very …<br>Not ranked: the data cover 50% of the category's "
            "industries (below 80%)") in hovers
    assert "<b>Automotive</b><br>AA11 Alpha<br>2 stars (size, focus)" in hovers


def test_scoreboard_gaps_and_dimension_labels():
    from clusterobs.charts.specs import scoreboard as sb
    from clusterobs.scoreboard.pipeline import OVERALL

    assert sb.OVERALL == OVERALL  # the engine's name, which the charts cannot import
    fr = Words({"Overall index": "Indice global", "Demand conditions": "Conditions de la demande"})
    assert sb.dimension_label(fr, OVERALL) == "Indice global"
    assert sb.dimension_label(fr, "demand") == "Conditions de la demande"
    assert sb.dimension_label(fr, "my_dim", {"my_dim": "My dimension"}) == "My dimension"
    st = pd.DataFrame({"indicator_name": ["Patents", "Broadband", "Unknown"], "value": [80.0, 20.0, math.nan],
                       "vs_europe": [30.0, -25.0, math.nan], "europe": [50.0, 45.0, 40.0],
                       "peers_mean": [55.0, 40.0, math.nan], "kind": ["strength", "weakness", ""]})
    out = sb.gaps(Words(), Reads([2015]), region={"code": "AA11", "name": "Alpha"}, strengths=st)
    assert out.title == "Alpha: indicators against the European average"
    assert out.summary == "1 strengths and 1 weaknesses of Alpha among 2 indicators."
    assert out.table == [["Indicator", "Score", "European average", "Peers (mean)", "Assessment"],
                         ["Patents", "80.0", "50.0", "55.0", "Strength"],
                         ["Broadband", "20.0", "45.0", "40.0", "Weakness"]]


def test_linkages_opportunities_spec():
    from clusterobs.charts.specs.linkages import opportunities

    rows = pd.DataFrame({"rank": [1, 2, math.nan], "category": ["a", "b", "c"],
                         "category_name": ["Aero", "Bio", "Chem"], "density": [0.456, 0.3, math.nan],
                         "lq": [0.8, math.nan, 1.5], "specialised": [False, False, True]})
    out = opportunities(Words(), Reads([2015]), region={"code": "AA11", "name": "Alpha"}, rows=rows, year=2015,
                        url=lambda c: f"/linkages/{c}/")
    assert out.title == "Closest opportunities of Alpha"
    assert out.summary == "The closest opportunities of Alpha: Aero (0,46), Bio (0,30)."
    assert out.table == [["Rank", "Category", "Density", "LQ"], ["1", "Aero", "0,46", "0,80"],
                         ["2", "Bio", "0,30", ":"]]
    assert out.notes[0].startswith("Traded categories with LQ < 1, ranked by density (the top 2); 1 categories where")
    with pytest.raises(EmptyChart, match=r"^Alpha has no traded category with a density in 2015"):
        opportunities(Words(), Reads([2015]), region={"name": "Alpha"}, rows=rows.assign(rank=math.nan), year=2015)
