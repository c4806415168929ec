"""The reports' texts say what the data hold (issue 16 follow-up): on the real eight-year store no caption claims the
SBS data have one year or no wages, and the source lines cite both SBS sources (the one-year store: in
``test_report_trends``); ``wage_note`` and ``conversion_note`` read the data's years."""

from __future__ import annotations

import re
from html import unescape

from clusterobs.charts.specs.text import conversion_note, wage_note
from clusterobs.reports.formatting import T

STALE = ("SBS 2015 has one", "SBS 2015 lacks", "which SBS 2015 lacks", "SBS 2015 employment converted",
         "not in the SBS 2015 regional statistics")
HISTORY_CITATION = "SBS regional data, 2008-2015, bulk download"


def text(path) -> str:
    html = unescape(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_scorecard_and_panorama_on_the_eight_year_store(report_data, scorecard, panorama):
    assert report_data.years == list(range(2008, 2016))
    for _report, out in (scorecard, panorama):
        body = text(out.html)
        for stale in STALE:
            assert stale not in body, stale
        assert "Source: Eurostat, sbs_r_nuts06_r2 (SBS regional data, persons employed, 2015)" in body
        assert HISTORY_CITATION in body
        assert "values published under NUTS 2006 or 2010 codes, before 2013, first converted to NUTS 2013" in body
    body = text(scorecard[1].html)
    # wages in every year of the real store: the EOCIC productivity test runs, so the note says how
    assert "EOCIC 2019's productivity test compares wages per person employed" in body


def test_wage_and_conversion_notes_read_the_data(report_data):
    assert report_data.years_with("productivity") == list(range(2008, 2016))
    assert wage_note(T, report_data, 2015).startswith("EOCIC 2019's productivity test compares wages")
    assert conversion_note(T, 0, report_data.years) == ""
    assert "NUTS 2006 or 2010" in conversion_note(T, 2, report_data.years)
    assert conversion_note(T, 2, [2015]) == ("SBS data converted from NUTS 2013 to NUTS 2021 with the JRC converter's "
                                          "population weights.")
