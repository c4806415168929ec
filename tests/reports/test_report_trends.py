"""The Cluster Trends report and the history in the Panorama and the scorecards, on a small multi-year store whose
figures are computed by hand (``trends_store``: 2015 copied to 2010 with known changes), on the same store with
one year, and on the real computed store once it holds several years."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from trends_store import build_history_store
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.reports import ReportData, build_panorama, build_scorecard, build_trends, history, write_report
from clusterobs.reports import formatting as fmt

N = "\u202f"


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def cagr(first: float, last: float, years: int = 5) -> float:
    return (last / first) ** (1 / years) - 1


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    store = build_history_store(tmp_path_factory.mktemp("history"), [2008, 2010, 2015])
    data = ReportData.open(store)
    yield store, data
    data.close()


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    store = build_history_store(tmp_path_factory.mktemp("one_year"), [2015])
    data = ReportData.open(store)
    yield store, data
    data.close()


@pytest.fixture(scope="module")
def trends(multi):
    return build_trends(multi[1])


def _table(report, section: str, index: int = 0):
    sec = next(s for s in report.sections if s.id == section)
    return sec.tables[index]


# ---- the window ---------------------------------------------------------------------------------------------------

def test_the_window_is_the_longest_of_at_most_five_years():
    assert history.window([2008, 2010, 2015]) == history.Window(2010, 2015)
    assert history.window(list(range(2008, 2016))) == history.Window(2010, 2015)
    assert history.window([2012, 2014, 2015]) == history.Window(2012, 2015)
    assert history.window([2015]) is None and history.window([]) is None
    assert history.window([2008, 2015]) is None  # no year within five years of the last
    assert history.window([2008, 2010, 2015], last=2010) == history.Window(2008, 2010)


# ---- Cluster Trends on the hand-computed store --------------------------------------------------------------------

def test_category_growth_counts_comparable_cells_without_breaks(trends):
    f = trends.facts
    assert f["window"] == [2010, 2015] and f["years"] == [2008, 2010, 2015]
    auto = f["categories"]["automotive"]  # AA11 8,000 → 10,000; AA12 4,000 → 4,000; BB11 1,250 → 1,000
    assert (auto["cells"], auto["employment_0"], auto["employment_1"]) == (3, 13250, 15000)
    assert auto["growth"] == pytest.approx(cagr(13250, 15000))
    aero = f["categories"]["aerospace"]  # BB11 breaks series (flag b in 2015): left out, counted as a break
    assert (aero["cells"], aero["breaks"], aero["employment_0"], aero["growth"]) == (2, 1, 5000, 0)
    tex = f["categories"]["textiles"]  # AA12 cannot be ranked in 2010 (coverage 50%): not comparable
    assert (tex["cells"], tex["employment_0"], tex["employment_1"]) == (2, 6500, 6500)
    assert f["emerging"]["em_digital"]["growth"] == pytest.approx(cagr(5000, 6000))
    assert f["traded_growth"] == pytest.approx(cagr(13250 + 5000 + 6500, 15000 + 5000 + 6500))
    rows = _table(trends, "categories").rows
    assert rows[0] == ["Automotive", "3", "13,250", "15,000", f"+{100 * cagr(13250, 15000):.1f}%", "0"]


def test_regions_gaining_and_losing_three_star_clusters(trends):
    f = trends.facts
    # AA11 automotive 2 → 3 stars (gains a three-star cluster); AA12 aerospace 3 → 2 (loses one); BB11 unchanged
    assert (f["regions_gaining"], f["regions_losing"]) == (1, 1)
    assert (f["three_star_first"], f["three_star_last"]) == (2, 2)
    assert (f["new_stars"], f["new_three_star"]) == (1, 1)
    gained, lost = _table(trends, "stars", 0), _table(trends, "stars", 1)
    assert gained.rows == [["Alpha North (AA11)", "0", "1", "+1", "2", "2"]]
    assert lost.rows == [["Alpha South (AA12)", "1", "0", "-1", "2", "2"]]
    assert _table(trends, "stars", 2).rows == [["Alpha North (AA11)", "Automotive", "★★", "★★★", "10,000"]]


def test_structural_change_by_country(trends, multi):
    _store, data = multi
    _w, cells = history.past(data, scheme="eco2007", year=2015, level=2)
    change = history.structural_change(cells).set_index(["country", "category"])["change"]
    # AA: 2010 automotive 12,000 of 17,500, aerospace 5,000, textiles 500 (AA12's not comparable); 2015 14,000 of
    # 19,500. BB: automotive 1,250 and textiles 6,000 (aerospace breaks series) → 1,000 and 6,000
    assert change[("AA", "automotive")] == pytest.approx(14000 / 19500 - 12000 / 17500)
    assert change[("AA", "aerospace")] == pytest.approx(5000 / 19500 - 5000 / 17500)
    assert change[("BB", "textiles")] == pytest.approx(6000 / 7000 - 6000 / 7250)
    assert ("BB", "aerospace") not in change.index
    summary = history.structural_summary(history.structural_change(cells)).set_index("country")
    assert summary.loc["AA", "gainer"] == "Automotive"
    assert summary.loc["AA", "loser"] == "Aerospace Vehicles and Defense"
    assert summary.loc["AA", "index"] == pytest.approx(14000 / 19500 - 12000 / 17500)  # the gains = the losses
    assert summary.loc["BB", "gainer"] == "Textile Manufacturing"
    assert _table(trends, "structure").rows[0][:3] == ["AA", "Automotive",
                                                       f"+{100 * (14000 / 19500 - 12000 / 17500):.1f} pp"]


def test_caveats_are_counted_and_stated(trends):
    c = trends.facts["caveats"]
    assert (c["with_data"], c["comparable"], c["not_comparable"], c["breaks"], c["counted"]) == (9, 8, 1, 1, 7)
    assert c["imputed_0"] == 0 and c["imputed_1"] == pytest.approx(0.2 * 10000 / 26500)
    text = " ".join(trends.caveats)
    for words in ("Breaks in series: 1 comparable cell", "Imputation: 0.0% ", "7.5% in 2015", "Vintages"):
        assert words in text, words


def test_co_growth_of_related_and_other_pairs():
    # growths of three categories in four regions: a and b move together (r = +1), a and c opposite (r = -1)
    g = {"a": [0.01, 0.02, 0.03, 0.04], "b": [0.02, 0.04, 0.06, 0.08], "c": [0.04, 0.03, 0.02, 0.01]}
    cells = pd.DataFrame([{"region": f"R{i}", "category": c, "kind": "traded", "comparable": True, "break": False,
                           "employment_0": 100.0, "employment_1": 100.0, "growth": v[i]}
                          for c, v in g.items() for i in range(4)])
    rel = pd.DataFrame({"category_i": ["a", "a", "b"], "category_j": ["b", "c", "c"], "value": [0.9, 0.1, 0.2],
                        "related": [True, False, False]})
    cg = history.co_growth(cells, rel, method="uscmp", min_regions=4)
    assert cg.pairs.set_index(["category_i", "category_j"])["r"].to_dict() == pytest.approx(
        {("a", "b"): 1.0, ("a", "c"): -1.0, ("b", "c"): -1.0})
    assert (cg.related_mean, cg.related_n, cg.other_mean, cg.other_n) == pytest.approx((1.0, 1, -1.0, 2))
    assert cg.rho == pytest.approx(0.866025, abs=1e-6)  # ranks of relatedness 3,1,2 against r ranks 3,1.5,1.5
    assert history.co_growth(cells, rel, method="uscmp", min_regions=5).rho_n == 0  # too few regions


def test_too_few_regions_for_co_growth_is_said(trends):
    sec = next(s for s in trends.sections if s.id == "cross-sectoral")
    assert sec.absent and "10 regions or more" in sec.absent
    assert any("US Cluster Mapping relatedness" in p for p in sec.paragraphs)


def test_trends_html_pdf_and_cli(multi, trends, tmp_path):
    out = write_report(trends, tmp_path / "api")
    assert out.html.name == "trends_eco2007_2015.html"
    text = pdf_text(out.pdf)
    for words in ("European Cluster Trends", "Traded categories by growth", "Emerging industries by growth",
                  "Regions gaining and losing starred clusters", "Structural change by country",
                  "Cross-sectoral trends", "What the data allow", "Annex: methodology"):
        assert words in text, words
    assert {c.name for c in trends.charts} == {"growth-categories", "growth-emerging", "stars-change",
                                               "structural-change"}
    assert all(c.image for c in trends.charts)
    store, _ = multi
    result = CliRunner().invoke(app, ["report", "trends", "--country", "AA", "--no-pdf", "--out", str(tmp_path),
                                      "--home", str(store.home)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "trends_AA_eco2007_2015.html").read_text(encoding="utf-8")
    assert "Cluster Trends: Alpha" in html and "Structural change by region" in html


def test_french_trends_report(multi, trends, tmp_path):
    fr = build_trends(multi[1], lang="fr")
    assert fr.facts == trends.facts and fr.slug == trends.slug + "_fr"
    out = write_report(fr, tmp_path)
    text = pdf_text(out.pdf).replace("\u00a0", " ").replace(N, " ")
    for english in ("Cluster Trends", "Traded categories by growth", "Regions gaining", "Structural change",
                    "What the data allow", "Key figures", "Growth window"):
        assert english not in text, english
    assert "Tendances des clusters" in text
    assert fr.highlights[1][1] == f"+{100 * trends.facts['traded_growth']:.1f}".replace(".", ",") + N + "%"


# ---- the Panorama and the scorecard use the history ---------------------------------------------------------------

def test_panorama_growth_columns_and_new_stars(multi):
    report = build_panorama(multi[1])
    assert report.facts["growth_window"] == [2010, 2015] and report.facts["new_stars"] == 1
    cats = _table(report, "categories")
    assert cats.header[-1] == "Growth 2010–2015"
    growth = {r[0]: r[-1] for r in cats.rows}
    assert growth["Automotive"] == f"+{100 * cagr(13250, 15000):.1f}%"
    countries = {r[0]: r[-1] for r in _table(report, "countries").rows}
    assert countries == {"AA": f"+{100 * cagr(17500, 19500):.1f}%", "BB": f"{100 * cagr(7250, 7000):.1f}%"}
    overview = next(s for s in report.sections if s.id == "overview")
    assert any(p.startswith("New stars since 2010: 1 traded cluster ") for p in overview.paragraphs)


def test_scorecard_growth_timeline_and_new_stars(multi):
    report = build_scorecard(multi[1], "AA11")
    assert report.facts["growth_window"] == [2010, 2015]
    assert report.facts["new_stars"] == [{"category": "automotive", "stars_0": 2, "stars_1": 3}]
    table = _table(report, "portfolio")
    assert table.header[-1] == "Growth 2010–2015"
    assert {r[0]: r[-1] for r in table.rows}["Automotive *"] == f"+{100 * cagr(8000, 10000):.1f}%"
    stars = next(s for s in report.sections if s.id == "stars")
    assert stars.tables[0].rows == [["Automotive", "★★", "★★★", "8,000", "10,000"]]
    line = next(c for c in report.charts if c.name == "timeline")
    series = {t.name: (list(t.x), list(t.y)) for t in line.fig.data}
    assert series["Automotive"] == ([2008, 2010, 2015], [8000, 8000, 10000])
    assert list(series) == ["Automotive", "Aerospace Vehicles and Defense"]  # most stars first
    broken = build_scorecard(multi[1], "BB11")  # aerospace: an input flagged b in 2015
    assert {r[0]: r[-1] for r in _table(broken, "portfolio").rows}["Aerospace Vehicles and Defense"] == "+0.0% b"


# ---- one year: every report still builds and says so --------------------------------------------------------------

def test_one_year_store_builds_every_report_and_says_so(single, tmp_path):
    _store, data = single
    report = build_trends(data)
    assert report.facts["window"] is None and report.slug == "trends_eco2007_2015"
    assert [s.id for s in report.sections] == ["overview", "methodology", "sources"]
    assert "growth, stars gained or lost and structural change need two years" in report.sections[0].paragraphs[0]
    write_report(report, tmp_path, pdf=False)
    panorama = build_panorama(data)
    assert panorama.facts["growth_window"] is None
    assert all("Growth" not in h for t in panorama.sections[1].tables for h in t.header)
    scorecard = build_scorecard(data, "AA11")
    assert scorecard.facts["growth_window"] is None and scorecard.facts["new_stars"] is None
    assert "timeline" not in {c.name for c in scorecard.charts}
    assert "Growth" not in " ".join(_table(scorecard, "portfolio").header)


# ---- the real computed store ---------------------------------------------------------------------------------------

def test_trends_on_the_real_store(report_data):
    """Holds once the SBS 2008–2015 panel is computed: the window is 2010–2015 and a category's growth is the
    compound annual growth of its cells that can be ranked in both years (no-data regions and breaks left out)."""
    years = report_data.years
    if len(years) < 2:
        pytest.skip(f"the computed store holds one year of cluster data ({years[0]}): the SBS 2008–2015 panel is not "
                    "ingested yet (issue 16), so there is no growth window")
    report = build_trends(report_data)
    assert report.facts["window"] == [2010, 2015]
    assert len(report.facts["categories"]) >= 45 and len(report.facts["emerging"]) >= 8
    cols = set(report_data.df("SELECT column_name FROM information_schema.columns "
                              "WHERE table_name = 'cluster_measures'")["column_name"])
    flags = "m.flags" if "flags" in cols else "''"
    engine_break = "coalesce(m.growth_break AND m.growth_window = 5, false)" if "growth_break" in cols else "false"
    cells = report_data.df(f"""
        SELECT m.region, m.year, m.employment, m.rankable AND NOT coalesce(q.no_data, false) AS counts,
               CAST({flags} AS VARCHAR) AS flags, {engine_break} AS engine_break
        FROM cluster_measures m LEFT JOIN region_data_quality q USING (nuts_version, level, region, year)
        WHERE m.nuts_version = 2021 AND m.level = 2 AND m.category = 'automotive' AND m.year BETWEEN 2010 AND 2015""")
    wide = cells.pivot(index="region", columns="year", values=["employment", "counts"])
    broken = set(cells.loc[(cells["year"] > 2010) & cells["flags"].fillna("").str.contains("b"), "region"]) | set(
        cells.loc[(cells["year"] == 2015) & cells["engine_break"].astype(bool), "region"])
    ok = (wide[("counts", 2010)].fillna(False).astype(bool) & wide[("counts", 2015)].fillna(False).astype(bool)
          & (wide[("employment", 2010)] > 0) & ~wide.index.isin(broken))
    e0, e1 = wide.loc[ok, ("employment", 2010)].sum(), wide.loc[ok, ("employment", 2015)].sum()
    auto = report.facts["categories"]["automotive"]
    assert auto["cells"] == int(ok.sum()) > 150
    assert auto["growth"] == pytest.approx(cagr(e0, e1), rel=1e-9)


# ---- pairs sharing a NACE division (issue 16 follow-up: they move together by construction) --------------------------

def test_shared_pairs_are_the_categories_with_a_weight_on_the_same_division():
    divisions = pd.DataFrame({"industry": ["J59", "J59", "C29", "C28", "C28", "C28"],
                              "category": ["music", "video", "auto", "auto", "metal", "auto"]})
    assert history.shared_pairs(divisions) == {("music", "video"), ("auto", "metal")}


def test_co_growth_leaves_out_pairs_sharing_a_nace_division():
    # as test_co_growth_of_related_and_other_pairs; a and b share a division, so only a–c and b–c are compared
    g = {"a": [0.01, 0.02, 0.03, 0.04], "b": [0.02, 0.04, 0.06, 0.08], "c": [0.04, 0.03, 0.02, 0.01]}
    cells = pd.DataFrame([{"region": f"R{i}", "category": c, "kind": "traded", "comparable": True, "break": False,
                           "employment_0": 100.0, "employment_1": 100.0, "growth": v[i]}
                          for c, v in g.items() for i in range(4)])
    rel = pd.DataFrame({"category_i": ["a", "a", "b"], "category_j": ["b", "c", "c"], "value": [0.9, 0.1, 0.2],
                        "related": [True, False, True]})
    cg = history.co_growth(cells, rel, method="uscmp", min_regions=4, exclude={("b", "a")})  # either order
    assert cg.shared_n == 1 and cg.as_dict()["shared_division_pairs_left_out"] == 1
    assert set(zip(cg.pairs["category_i"], cg.pairs["category_j"], strict=True)) == {("a", "c"), ("b", "c")}
    # related: b–c alone (r = -1); other: a–c (r = -1); ρ of relatedness (0.1, 0.2) against r (-1, -1): ranks tie
    assert (cg.related_mean, cg.related_n, cg.other_mean, cg.other_n, cg.rho_n) == pytest.approx(
        (-1.0, 1, -1.0, 1, 2))
    assert history.co_growth(cells, rel, method="uscmp", min_regions=4).shared_n == 0


def test_division_pairs_read_the_concordance_at_division_level(report_data):
    pairs = report_data.division_pairs()
    div = report_data.df("SELECT DISTINCT industry, category FROM concordance WHERE level = 2 AND weight > 0")
    by_cat = div.groupby("category")["industry"].agg(set).to_dict()
    # music and sound recording and video production both draw on division J59: the +1.00 pair of the issue
    assert "J59" in by_cat["music_and_sound_recording"] & by_cat["video_production_and_distribution"]
    assert ("music_and_sound_recording", "video_production_and_distribution") in pairs
    assert all(i < j and by_cat[i] & by_cat[j] for i, j in pairs)
    n_shared = sum(1 for i in by_cat for j in by_cat if i < j and by_cat[i] & by_cat[j])
    assert len(pairs) == n_shared


def test_trends_on_the_real_store_leaves_out_pairs_sharing_a_division(report_data):
    if len(report_data.years) < 2:
        pytest.skip("one year of cluster data: no co-growth")
    report = build_trends(report_data)
    sec = next(s for s in report.sections if s.id == "cross-sectoral")
    cg = report.facts["co_growth"]
    assert cg["shared_division_pairs_left_out"] > 0
    n = fmt.integer(cg["shared_division_pairs_left_out"])
    assert any(p.startswith(f"Left out: {n} pairs of categories that share a NACE division") for p in sec.paragraphs)
    music = {"Music and Sound Recording", "Video Production and Distribution"}
    for table in sec.tables:
        assert not any(set(row[:2]) == music for row in table.rows), "a pair sharing J59 is listed"


def test_one_year_store_says_one_year(single, tmp_path):
    """The reports' wording on the store of one year: no claim about SBS 2015; the year and the wages read from it."""
    from test_report_wording import HISTORY_CITATION, STALE, text

    from clusterobs.charts.specs.text import wage_note
    from clusterobs.reports.formatting import T

    data = single[1]
    assert data.years == [2015]
    expected = ("EOCIC 2019's productivity test compares wages" if 2015 in data.years_with("productivity") else
                "EOCIC 2019's productivity test needs wages, which the data do not have: at most two stars.")
    assert wage_note(T, data, 2015).startswith(expected)
    out = write_report(build_scorecard(data, "AA11"), tmp_path / "out", pdf=False)
    body = text(out.html)
    for stale in STALE:
        assert stale not in body, stale
    assert "Growth needs two years of data; the dataset has one (2015), so the x axis shows employment." in body
    assert expected in body
    assert HISTORY_CITATION not in body  # the one-year store did not ingest the 2008-2015 panel


def test_co_growth_verdict_needs_a_material_difference():
    """Related pairs grew together "more" only when their mean r exceeds the others' by more than 0.05: on the mirror
    (pairs sharing a NACE division left out) it is 0.08 against 0.07, which is no finding."""
    from clusterobs.reports.trends import MIN_COGROWTH_GAP, co_growth_verdict

    assert MIN_COGROWTH_GAP == 0.05
    assert co_growth_verdict(0.26, 0.12) == ("Related categories grew together more than unrelated ones over this "
                                             "window.")
    assert co_growth_verdict(0.08, 0.07).startswith("Over this window, related and unrelated categories grew together "
                                                    "about as much")
    assert co_growth_verdict(0.0, 0.2) == ("Over this window, related categories did not grow together more than "
                                           "unrelated ones.")
