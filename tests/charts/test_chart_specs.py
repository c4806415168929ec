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
