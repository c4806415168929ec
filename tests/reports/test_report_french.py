"""The region scorecard and the Panorama in French: French headings and sentences, the English report's figures
written the French way, names as the data give them; the catalogue covers every text of the reports."""

from __future__ import annotations

import ast
import io
import re
from html import unescape
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from clusterobs.charts.specs.text import DATA_TEXTS as REPORT_TEXTS
from clusterobs.classifications.category_labels import label
from clusterobs.cli import app
from clusterobs.reports import build_scorecard, write_report
from clusterobs.reports.i18n import DOMAIN, LOCALE, language

N = "\u202f"
REGION = "DE21"  # the English scorecard fixture's region
SOURCES = Path(__file__).resolve().parents[2] / "src" / "clusterobs" / "reports"
#: the chart specs shared by the site and the reports (their texts are in the one catalogue)
SPECS = SOURCES.parent / "charts" / "specs"


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of whitespace (no-break spaces too) collapsed to one space."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture(scope="session")
def scorecard_fr(report_data, tmp_path_factory):
    report = build_scorecard(report_data, REGION, lang="fr")
    out = write_report(report, tmp_path_factory.mktemp("scorecard_fr"))
    return report, out


def test_french_scorecard_has_french_headings_and_the_same_figures(scorecard, scorecard_fr):
    en, en_out = scorecard
    fr, fr_out = scorecard_fr
    assert fr.lang == "fr" and fr.slug == en.slug + "_fr" and fr_out.pdf.name.endswith("_fr.pdf")
    assert fr.facts == en.facts  # the numbers do not depend on the language
    text = pdf_text(fr_out.pdf)
    name = fr.facts["name"]
    for heading in (f"Fiche régionale : {name} ({REGION})", "Vue d’ensemble", "Portefeuille de clusters",
                    "Étoiles et leurs raisons", "Tendances", "Annexe : méthodologie",
                    "Annexe : sources et reproductibilité"):
        assert heading.replace("\u00a0", " ") in text.replace("\u00a0", " "), heading
    assert "Region scorecard" not in text and "Stars and their reasons" not in text
    starred = fr.facts["starred_traded"]  # the engine's headline: traded clusters
    three = fr.facts["by_stars"].get(3, 0)
    assert starred == sum(n for k, n in fr.facts["by_stars"].items() if k > 0) and starred > 10
    employment = round(fr.facts["traded_employment"])
    assert employment >= 1000
    french_employment = f"{employment:,}".replace(",", N)
    assert f"Clusters exportateurs étoilés {starred}" in text and f"Clusters exportateurs trois étoiles {three}" in text
    assert french_employment.replace(N, " ") in text.replace(N, " ")  # the extractor may give a plain space
    share = f"{100 * fr.facts['starred_share']:.1f}".replace(".", ",")
    assert f"{share} %" in text.replace(N, " ").replace("\u00a0", " ")
    english = pdf_text(en_out.pdf)
    assert f"{employment:,}" in english and f"Starred traded clusters {starred}" in english  # English unchanged
    assert "Region scorecard: " in english and "," not in french_employment
    # category names are the project's French translations, and the report says so
    for cluster in fr.facts["starred"][:3]:
        assert cluster["category_name"] in en_out.html.read_text(encoding="utf-8")
        assert label(cluster["category"], "fr", cluster["category_name"]) in fr_out.html.read_text(encoding="utf-8")
    assert "propres traductions du projet" in text
    html = fr_out.html.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and '<html lang="en">' in en_out.html.read_text(encoding="utf-8")


def test_french_chart_captions_and_axes(scorecard_fr):
    report, _ = scorecard_fr
    charts = {c.name: c for c in report.charts}
    assert charts["portfolio"].title.startswith("Portefeuille de clusters de ")
    portfolio = charts["portfolio"].fig
    assert portfolio.layout.yaxis.title.text == "Quotient de localisation"
    assert portfolio.layout.separators == "," + N  # axis ticks written the French way
    assert charts["region-stars"].title.startswith("Clusters étoilés de ")


def _french(english: str) -> str:
    """An English report's number (``1,234``, ``12.3%``) as the French report writes it."""
    return english.replace(",", N).replace(".", ",").replace("%", N + "%")


def test_french_country_panorama_has_french_headings_and_the_same_figures(panoramas_de):
    en, fr, out = panoramas_de
    assert fr.lang == "fr" and fr.slug == en.slug + "_fr" and out.pdf.name.endswith("_fr.pdf")
    assert fr.facts == en.facts  # the numbers (and the correlations) do not depend on the language
    text = pdf_text(out.pdf).replace("\u00a0", " ").replace(N, " ")
    place = fr.facts["place"]
    assert fr.title == f"Panorama des clusters\u00a0: {place}" and en.title == f"Cluster Panorama: {place}"
    for heading in ("Panorama des clusters : ", "Chiffres clés", "Clusters par nombre d’étoiles et par catégorie",
                    "Clusters par région", "Cartes", "Régions en tête par catégorie",
                    "Force des clusters et compétitivité", "Annexe : méthodologie",
                    "Annexe : sources et reproductibilité", "propres traductions du projet"):
        assert heading in text, heading
    for english in ("Cluster Panorama", "Key figures", "Clusters by stars per category", "Clusters by region",
                    "Top regions per category", "Cluster strength and competitiveness", "Annex: methodology",
                    "Regions mapped", "three-star", "traded employment", "Correlation of cluster strength"):
        assert english not in text, english
    # the same figures, written the French way
    assert en.highlights[0][0] == "Regions mapped"
    assert fr.highlights[0][0] == "Régions cartographiées"
    assert [v for _, v in fr.highlights] == [_french(v) for _, v in en.highlights]
    assert any(N in v for _, v in fr.highlights)  # a percentage, at least: "12,3 %"
    tables_en = {s.id: s.tables for s in en.sections}
    compared = 0
    for section in fr.sections:
        if section.id in ("categories", "countries"):
            for t_fr, t_en in zip(section.tables, tables_en[section.id], strict=True):
                if section.id == "countries":  # region names as the data give them; category names translated
                    assert [row[0] for row in t_fr.rows] == [row[0] for row in t_en.rows]
                assert sorted(row[1:] for row in t_fr.rows) == sorted([_french(c) for c in row[1:]]
                                                                      for row in t_en.rows)
                compared += len(t_fr.rows)
    assert compared > 10
    share = _french(fmt_percent(en.facts["starred_share"])).replace(N, " ")
    assert share in text
    charts = {c.name: c for c in fr.charts}
    assert charts["map-three-star"].title.startswith("Clusters trois étoiles par région")
    assert charts["strength-by-region"].fig.layout.separators == "," + N


def fmt_percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def _texts(path: Path) -> set[tuple[str | None, str]]:
    """The (context, msgid) of the ``_(…)``, ``N_(…)``, ``ngettext(…)`` and ``pgettext(…)`` calls of a module and of
    the chart specs' ``t.gettext(…)`` and ``t.ngettext(…)`` (string literals only)."""
    out: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else (
            node.func.attr if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "t" else None)
        if name not in ("_", "N_", "ngettext", "pgettext", "gettext"):
            continue
        args = [a.value if isinstance(a, ast.Constant) else a for a in node.args[: 1 if name in ("_", "N_", "gettext")
                                                                                  else 2]]
        if name == "gettext" and not isinstance(args[0], str):
            continue  # ``data_text``: a text of the data, listed in ``DATA_TEXTS`` (``N_``)
        assert all(isinstance(a, str) for a in args), (path.name, ast.dump(node))
        if name == "pgettext":
            out.add((args[0], args[1]))
        else:
            out |= {(None, a) for a in args[: 2 if name == "ngettext" else 1]}
    return out


def test_the_french_catalogue_translates_every_text_of_the_reports():
    """One catalogue (the site's, ``clusterobs/locale``) holds every text of the reports and of the chart specs they
    share with the site."""
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po"))
    known = {(e.msgctxt, e.msgid) for e in po.translated_entries()} | {
        (e.msgctxt, e.msgid_plural) for e in po if e.msgid_plural}
    wanted = set().union(*(_texts(p) for p in [*SOURCES.glob("*.py"), *SPECS.glob("*.py")]))
    assert len(wanted) > 100
    assert ("report", "Change") in wanted and (None, "clusterobs dataset %(version)s (extracted %(date)s)") in wanted
    assert wanted - known == set()
    assert (LOCALE / "fr" / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()
    with language("fr"):
        from clusterobs.reports.i18n import _, pgettext

        assert _("Stars and their reasons") == "Étoiles et leurs raisons"
        # the same English, two French texts: the site's "Changer" (a button), the report's "Variation" (a column)
        assert (_("Change"), pgettext("report", "Change")) == ("Changer", "Variation")


def test_report_lang_option(computed, tmp_path):
    store, _ = computed
    runner = CliRunner()
    bad = runner.invoke(app, ["report", "region", "LU00", "--lang", "de", "--out", str(tmp_path),
                              "--home", str(store.home)])
    assert bad.exit_code == 2 and "`lang` must be one of en, fr; got 'de'" in bad.output
    assert not list(tmp_path.iterdir())
    ok = runner.invoke(app, ["report", "region", "LU00", "--lang", "fr", "--no-pdf", "--out", str(tmp_path),
                             "--home", str(store.home)])
    assert ok.exit_code == 0, ok.output
    html = (tmp_path / "region_LU00_eco2007_2015_fr.html").read_text(encoding="utf-8")
    assert "Fiche régionale" in html and "(LU00)" in html


def test_french_scorecard_shows_no_english_category_name_scheme_or_source(scorecard_fr, report_data):
    """The French region report (HTML: text, tables, chart captions) has none of the English names of the
    categories, the scheme titles, the test descriptions or the translated citations."""
    _, out = scorecard_fr
    html = unescape(out.html.read_text(encoding="utf-8"))
    cats = report_data.categories
    english = {str(n) for n in cats["name"]} | {str(t) for t in REPORT_TEXTS}
    found = sorted(e for e in english if re.search(rf"(?<![\w-]){re.escape(e)}(?![\w-])", html))
    assert found == [], [(e, html[max(0, html.index(e) - 120):html.index(e) + 40]) for e in found[:5]]
    assert "Automobile" in html and "Source\u00a0: Eurostat, sbs_r_nuts06_r2 (données régionales SBS" in html
