"""The reports tell the truth about gaps: no-data regions are never ranked, headline figures are the engine's
(``clusterobs.mapping.headlines``), a split region's scorecard says so and shows no stars, cells carry their
coverage and imputation marks, and the French reports say it too."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from clusterobs.mapping.headlines import headline
from clusterobs.reports import build_panorama, build_scorecard, write_report
from clusterobs.reports import common as report_common
from clusterobs.reports.common import MARK_IMPUTED, MARK_NOT_RANKABLE, MARK_PARTIAL, category_label
from clusterobs.reports.i18n import language

#: NUTS 2021 regions split from an older region by population (the 2015 SBS is NUTS 2013): no-data
SPLIT = ("HU11", "HU12", "PL91", "PL92", "LT01", "LT02", "IE04", "IE05", "IE06")


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def quality(report_data):
    return report_data.region_quality(year=2015, level=2)


@pytest.fixture(scope="session")
def hu11(report_data, tmp_path_factory):
    report = build_scorecard(report_data, "HU11")
    return report, write_report(report, tmp_path_factory.mktemp("hu11"))


@pytest.fixture(scope="session")
def de11(report_data):
    return build_scorecard(report_data, "DE11")


# ---- the Panorama -----------------------------------------------------------------------------------------------

def _flat(values: object) -> list:
    if values is None:
        return []
    if isinstance(values, str) or np.ndim(values) == 0:
        return [values]
    return [x for v in values for x in _flat(v)]


def test_split_regions_are_no_data_in_the_engine(quality):
    flagged = set(quality.loc[quality["no_data"], "region"])
    assert set(SPLIT) <= flagged
    assert (quality.set_index("region").loc[list(SPLIT), "split_share"] > 0.5).all()


def test_panorama_ranks_no_no_data_region(panorama, quality):
    report, _ = panorama
    no_data = set(quality.loc[quality["no_data"], "region"])
    assert set(report.facts["excluded_regions"]) == no_data
    pattern = re.compile(r"\((" + "|".join(sorted(no_data)) + r")\)")
    sections = {s.id: s for s in report.sections}
    for sid in ("categories", "top-regions"):
        for table in sections[sid].tables:
            for row in table.rows:
                assert not any(pattern.search(cell) for cell in row), (sid, row)
    # the top-regions chart, the per-region bars and the scatter plots hold ranked regions only
    for chart in report.charts:
        if chart.name in ("top-regions", "strength-by-country") or chart.name.startswith("scatter-"):
            labels = [str(v) for trace in chart.fig.data for attr in ("x", "y", "text", "customdata")
                      for v in _flat(getattr(trace, attr, None))]
            assert labels, chart.name
            assert not any(pattern.search(label) or label in no_data for label in labels), chart.name
    # the country table counts the regions left out, separately from those ranked
    countries = sections["countries"].tables[0]
    hu = next(r for r in countries.rows if r[0] == "HU")
    assert countries.header[1:3] == ["Regions ranked", "Regions left out"]
    assert hu[2] == str(int((quality["no_data"] & quality["region"].str.startswith("HU")).sum()))


def test_panorama_maps_draw_no_data_regions_grey(panorama):
    report, _ = panorama
    for name in ("map-three-star", "map-starred-share"):
        fig = next(c for c in report.charts if c.name == name).fig
        grey = [t for t in fig.data if (t.name or "").startswith("No data / not rankable")]
        assert len(grey) == 1, [t.name for t in fig.data]
        assert set(SPLIT) <= set(grey[0].locations)
        coloured = {loc for t in fig.data if t is not grey[0] and getattr(t, "locations", None) is not None
                    for loc in t.locations}
        assert not coloured & set(SPLIT)


def test_panorama_headline_is_the_engines_headline(panorama, report_data, quality):
    report, _ = panorama
    cells = report_data.measures(scheme="eco2007", year=2015)
    expected = headline(cells, kind="traded", quality=quality)
    for key in ("by_stars", "starred", "employment", "starred_share", "clusters", "regions", "not_rankable",
                "no_data", "categories", "excluded_regions"):
        assert report.facts[key] == expected[key], key
    # the stored region_headlines table gives the same Europe once the no-data regions are left out
    rows = report_data.region_headlines(scheme="eco2007", year=2015)
    ranked = rows[~rows["no_data"]]
    assert int(ranked["stars_3"].sum()) == report.facts["by_stars"][3]
    assert int(ranked["starred"].sum()) == report.facts["starred"]
    assert ranked["employment"].sum() == pytest.approx(report.facts["employment"])
    # and the headline counts traded cells only: fewer than every starred cell of every kind
    starred_any_kind = int(((cells["stars"] > 0) & cells["rankable"]).sum())
    assert report.facts["starred"] < starred_any_kind
    # the printed figures
    highlights = dict(report.highlights)
    assert highlights["3-star clusters"] == f"{expected['by_stars'][3]:,}"
    assert highlights["Regions left out (too little data)"] == str(len(expected["excluded_regions"]))
    assert highlights["Traded employment in starred clusters"] == f"{100 * expected['starred_share']:.1f}%"


def test_panorama_names_the_regions_left_out_and_why(panorama, quality):
    report, out = panorama
    n = int(quality["no_data"].sum())
    overview = next(s for s in report.sections if s.id == "overview")
    sentence = next(p for p in overview.paragraphs if "left out for too little data" in p)
    assert sentence.startswith(f"{n} regions left out for too little data: ")
    for code in SPLIT:
        assert f"({code})" in sentence
    annex = next(s for s in report.sections if s.id == "methodology")
    left = next(t for t in annex.tables if t.caption.startswith("Regions left out"))
    assert len(left.rows) == n
    budapest = next(r for r in left.rows if r[0].endswith("(HU11)"))
    assert budapest[3].startswith("split from an older NUTS region by population")
    text = squash(pdf_text(out.pdf))
    assert squash(f"{n} regions left out for too little data") in text
    assert squash("top 10% of all clusters in Europe within the same cluster category") in text
    assert squash("categories pooled") in text
    for heading in ("Coverage.", "Imputation.", "Split regions.", "No-data regions."):
        assert squash(heading) in text


def test_country_aggregates_count_rankable_cells_only(panorama, report_data, quality):
    report, _ = panorama
    cells = report_data.measures(scheme="eco2007", year=2015, country="HU")
    expected = headline(cells, kind="traded", quality=quality)
    countries = next(s for s in report.sections if s.id == "countries").tables[0]
    hu = next(r for r in countries.rows if r[0] == "HU")
    header = countries.header
    assert hu[header.index("3 stars")] == f"{expected['by_stars'].get(3, 0):,}"
    assert hu[header.index("Traded employment")] == f"{round(expected['employment']):,}"
    assert hu[header.index("In starred clusters")] == f"{100 * expected['starred_share']:.1f}%"


# ---- the region scorecard ---------------------------------------------------------------------------------------

def test_split_region_scorecard_says_why_and_shows_no_stars(hu11, report_data):
    report, out = hu11
    assert report.facts["no_data"] is True
    assert report.facts["by_stars"] == {} and report.facts["starred"] == [] and report.facts["starred_share"] is None
    assert report.caveats and "split from an older NUTS region by population" in report.caveats[0]
    highlights = dict(report.highlights)
    assert highlights["Starred traded clusters"] == highlights["3-star traded clusters"] == "not ranked"
    portfolio = next(s for s in report.sections if s.id == "portfolio")
    rows = portfolio.tables[0].rows
    assert rows and all(r[1] == "not ranked" and r[0].endswith(MARK_NOT_RANKABLE) for r in rows)
    stars = next(s for s in report.sections if s.id == "stars")
    assert stars.absent and "cannot be ranked" in stars.absent and not stars.tables
    html = out.html.read_text(encoding="utf-8")
    assert '<aside class="caveats" role="note">' in html and "Read with care" in html
    text = squash(pdf_text(out.pdf))
    assert squash("Budapest is left out of the maps, rankings and headline figures") in text
    assert squash("split from an older NUTS region by population (100% of it)") in text
    assert "★" not in "".join(c for t in portfolio.tables for r in t.rows for c in r)
    # the bubbles are drawn grey, none coloured by stars
    fig = next(c for c in report.charts if c.name == "portfolio").fig
    assert [t.name for t in fig.data if t.type == "scatter" and t.mode and "markers" in t.mode] == ["Not rankable"]


def test_normal_region_keeps_its_stars_with_coverage_marks(de11, report_data, quality):
    report = de11
    cells = report_data.measures(scheme="eco2007", year=2015, region="DE11")
    expected = headline(cells, kind="traded", quality=quality[quality["region"] == "DE11"])
    assert report.facts["no_data"] is False
    assert report.facts["by_stars"] == expected["by_stars"] and report.facts["starred_traded"] == expected["starred"]
    assert report.facts["starred_share"] == pytest.approx(expected["starred_share"])
    assert expected["by_stars"].get(3, 0) >= 1
    highlights = dict(report.highlights)
    assert highlights["Starred traded clusters"] == str(expected["starred"])
    # every row of the portfolio table carries the marks of its cell
    traded = cells[cells["kind"] == "traded"].set_index("category_name")
    table = next(s for s in report.sections if s.id == "portfolio").tables[0]
    partial = 0
    for row in table.rows:
        name, _, marks = row[0].rpartition(" ")
        if not set(marks) <= {MARK_IMPUTED, MARK_PARTIAL, MARK_NOT_RANKABLE}:
            name, marks = row[0], ""
        cell = traded.loc[name]
        assert (MARK_NOT_RANKABLE in marks) == (not cell["rankable"]), name
        assert (MARK_PARTIAL in marks) == bool(cell["rankable"] and cell["coverage"] < 1), name
        assert (MARK_IMPUTED in marks) == bool(cell["imputed_share"] >= 0.1), name
        assert (row[1] == "not ranked") == (not cell["rankable"]), name
        partial += MARK_PARTIAL in marks
    assert partial >= 1, "DE11 has partly covered starred categories in its top 20"
    assert "partly covered" in table.note
    # the category below the coverage threshold is named in the caveat box, not starred
    low = cells[(cells["kind"] == "traded") & cells["employment"].notna() & ~cells["rankable"]]
    assert len(low) >= 1
    assert any(low["category_name"].iloc[0] in c and "less than 80%" in c for c in report.caveats)
    assert low["category"].iloc[0] not in {c["category"] for c in report.facts["starred"]}


def test_region_caveats_are_shown_when_the_table_is_present(report_data, monkeypatch):
    """``region_caveats`` (the SBS/LFS check, an engine stage) in the box: a stand-in with the table's columns."""
    rows = pd.DataFrame({"region": ["DE11", "DE11"], "sector": ["B-E", "J"],
                         "sector_name": ["Industry (except construction)", "Information and communication"],
                         "sbs_missing": [None, None], "ratio": [2.739, 0.42], "flag": ["high", "low"],
                         "caveat": ["SBS counts 2.7× the LFS employment in industry (B–E): …", "…"]})
    monkeypatch.setattr(report_data, "region_caveats", lambda code, **_: rows if code == "DE11" else None)
    report = build_scorecard(report_data, "DE11")
    assert ("SBS/LFS check: the SBS counts 2.7× the LFS employment in Industry (except construction) (B-E): head "
            "offices registered here, or workers commuting in?") in report.caveats
    assert any(c.startswith("SBS/LFS check: the SBS counts only 42% of the LFS employment in Information and "
                            "communication (J)") for c in report.caveats)
    french = build_scorecard(report_data, "DE11", lang="fr")
    assert any(c.startswith("Contrôle SBS/EFT\u00a0: les SBS comptent 2,7\u00d7 l’emploi EFT") for c in french.caveats)


def test_region_caveats_of_the_dataset(report_data):
    """With the engine's ``region_caveats`` (merged from the trust branch), a flagged region says so; without it,
    the read is skipped."""
    if not report_data.has("region_caveats"):
        assert report_data.region_caveats("FR10", year=2015, level=2) is None
        return
    flagged = report_data.region_caveats("FR10", year=2015, level=2)
    assert len(flagged) and set(flagged["flag"].astype(str)) <= {"high", "low", "True"}
    report = build_scorecard(report_data, "FR10")
    checks = [c for c in report.caveats if c.startswith("SBS/LFS check")]
    assert len(checks) == len(flagged)
    industry = flagged[flagged["sector"] == "B-E"]
    if len(industry):  # Île-de-France: head offices (2.7× on the 2026-11 mirror)
        assert any(f"{industry['ratio'].iloc[0]:.1f}× the LFS employment" in c for c in checks)


def test_emerging_industries_named_like_a_traded_category_say_so(report_data):
    assert category_label("Biopharmaceuticals", "emerging", {"Biopharmaceuticals"}) == \
        "Biopharmaceuticals (emerging)"
    assert category_label("Biopharmaceuticals", "traded", {"Biopharmaceuticals"}) == "Biopharmaceuticals"
    assert category_label("Mobility technologies", "emerging", {"Automotive"}) == "Mobility technologies"
    with language("fr"):
        assert category_label("Biopharmaceuticals", "emerging", {"Biopharmaceuticals"}) == \
            "Biopharmaceuticals (émergente)"
    m = report_common.label_categories(report_data.measures(scheme="eco2007", year=2015, region="DE11"),
                                       report_data.categories)
    names = dict(zip(m["category"], m["category_name"], strict=True))
    assert names["emerging_biopharmaceuticals"] == "Biopharmaceuticals (emerging)"
    assert names["biopharmaceuticals"] == "Biopharmaceuticals"
    assert m["category_name"].is_unique


def test_star_strip_keeps_emerging_and_traded_apart(de11, report_data):
    """Before the label, an emerging industry and the traded category of the same name made one row of stars."""
    fig = next(c for c in de11.charts if c.name == "region-stars").fig
    rows = list(fig.layout.yaxis.categoryarray)
    assert len(rows) == len(set(rows))
    traded = {n.lower() for n in report_data.categories.loc[report_data.categories["kind"] == "traded", "name"]}
    for row in rows:  # the label marks an emerging industry named like a traded category ("Medical devices")
        if row.endswith(" (emerging)"):
            assert row.removesuffix(" (emerging)").lower() in traded


def test_report_thresholds_are_the_engines():
    from clusterobs.mapping import categories, compute

    assert report_common.MIN_CELL_COVERAGE == categories.MIN_CELL_COVERAGE
    assert report_common.MAX_SPLIT_SHARE == categories.MAX_SPLIT_SHARE
    assert report_common.MIN_REGION_RANKABLE == compute.MIN_REGION_RANKABLE


# ---- in French --------------------------------------------------------------------------------------------------

def test_french_split_region_scorecard(report_data, tmp_path):
    report = build_scorecard(report_data, "HU11", lang="fr")
    out = write_report(report, tmp_path, pdf=False)
    assert report.facts == build_scorecard(report_data, "HU11").facts
    assert report.caveats[0].startswith("Budapest est exclue des cartes, des classements et des chiffres clés")
    assert "scindée d’une ancienne région NUTS au prorata de la population" in report.caveats[0]
    assert dict(report.highlights)["Clusters exportateurs étoilés"] == "non classé"
    html = out.html.read_text(encoding="utf-8")
    assert "À lire avec prudence" in html and "(émergente)" not in html.split("</header>")[0]


def test_french_panorama_carries_the_new_texts(panoramas_de):
    _en, _fr, out = panoramas_de
    text = pdf_text(out.pdf).replace("\u00a0", " ").replace("\u202f", " ")
    for phrase in ("Couverture. Une catégorie est formée d’activités", "Régions scindées.", "Régions sans données.",
                   "dans les 10 % supérieurs de tous les clusters d’Europe de la même catégorie",
                   "catégories confondues", "Régions classées", "Régions exclues (trop peu de données)"):
        assert phrase in text, phrase


def test_a_country_whose_regions_are_all_left_out_still_has_its_panorama(report_data, quality):
    """Ireland's three NUTS 2021 regions were split from the NUTS 2013 ones by population: none can be ranked."""
    report = build_panorama(report_data, country="IE")
    ie = set(quality.loc[quality["no_data"] & quality["region"].str.startswith("IE"), "region"])
    assert ie == {"IE04", "IE05", "IE06"}
    assert report.facts["regions"] == 0 and report.facts["by_stars"] == {} and report.facts["starred_share"] is None
    assert set(report.facts["excluded_regions"]) == ie
    overview = next(s for s in report.sections if s.id == "overview")
    assert overview.paragraphs[0] == (f"In 2015, no region of {report.facts['place']} can be ranked: each is left out "
                                      "for too little data, and the figures below are empty.")
    assert overview.paragraphs[1].startswith("3 regions left out for too little data: ")
    assert dict(report.highlights)["Regions left out (too little data)"] == "3"
