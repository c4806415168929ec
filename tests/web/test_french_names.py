"""The French interface shows no English name of the data's texts: the 77 category names and descriptions, the star
schemes' titles and test descriptions, and the chart source lines (the project's own translations)."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.utils import translation

from clusterobs.charts.specs.text import DATA_TEXTS, data_text
from clusterobs.classifications.category_labels import label, translations
from clusterobs.mapping.schemes import load_schemes
from clusterobs.web.labels import T
from clusterobs.web.mapping import selectors

#: English texts whose French is the same text: none today (write one here, with the reason, if a translation
#: keeps the English, e.g. a proper name)
SAME_IN_FRENCH: set[str] = set()
PAGES = ("/regions/DE11/", "/regions/DE11/portfolio/", "/sectors/automotive/", "/sectors/emerging_digital/",
         "/map/?category=automotive&measure=lq", "/categories/", "/methodology/", "/regions/DE11/clusters/automotive/")


def english_catalogue() -> dict[str, str]:
    """Every English text of the catalogue → what it is (category names and descriptions, scheme titles, test
    descriptions, translated citations)."""
    cats = selectors.data().categories
    out = {str(n): f"name of {k}" for k, n in zip(cats["category"], cats["name"], strict=True)}
    out |= {str(d): f"description of {k}" for k, d in zip(cats["category"], cats["description"], strict=True)}
    for scheme in load_schemes().values():
        out[scheme.title] = f"title of {scheme.name}"
        out |= {t.description: f"test {t.name} of {scheme.name}" for t in scheme.tests}
    out |= {str(t): "citation" for t in DATA_TEXTS if str(t) not in out}
    return out


def page_text(client, url: str) -> str:
    r = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert r.status_code == 200, url
    html = r.content.decode()
    # the figures' JSON too, decoded (their titles, hover labels, legends and source lines)
    figs = [json.dumps(json.loads(m), ensure_ascii=False) for m in
            re.findall(r'<script type="application/json" id="chart-[a-z0-9-]+-data">(.*?)</script>', html, re.S)]
    return unescape(html) + "\n".join(figs)


def english_in(text: str, catalogue: dict[str, str]) -> list[str]:
    return sorted(f"{e!r} ({what})" for e, what in catalogue.items()
                  if e not in SAME_IN_FRENCH and re.search(rf"(?<![\w-]){re.escape(e)}(?![\w-])", text))


def test_the_catalogue_is_complete_and_the_exceptions_are_listed():
    cats = selectors.data().categories
    assert len(cats) == 77 and set(cats["category"]) == set(translations())
    same = {n for k, n in zip(cats["category"], cats["name"], strict=True) if label(k, "fr", n) == n}
    assert same == SAME_IN_FRENCH
    # the data's texts, defined once for the site and the reports (``charts.specs.text``), match the scheme file and
    # the sources, and the one catalogue translates each
    assert len(DATA_TEXTS) == len(set(DATA_TEXTS)) == 18
    with translation.override("fr"):
        assert all(data_text(T, t) != t for t in DATA_TEXTS)
    for scheme in load_schemes().values():
        assert {scheme.title, *(t.description for t in scheme.tests)} <= set(map(str, DATA_TEXTS))
    citations = selectors.data().df("SELECT DISTINCT citation FROM sources")["citation"]
    ours = {c for c in citations if c.startswith(("Source:", "©", "Joint Research Centre"))}
    assert ours and ours <= set(map(str, DATA_TEXTS))


def test_french_descriptions_keep_the_data_counts():
    english = ("Traded cluster 4 of the US Cluster Mapping (Delgado, Porter and Stern 2016): 21 NAICS codes in "
               "6 subclusters (Automotive Parts; Gasoline Engines and Engine Parts; Metal Mills and Foundries; "
               "Military Vehicles and Tanks; Motor Vehicles; Small Vehicles)")
    fr = label("automotive", "fr", english, "description")
    assert fr.startswith("Cluster exportateur n° 4 du US Cluster Mapping")
    assert "21 codes NAICS en 6 sous-clusters (Pièces automobiles\u00a0; moteurs à essence" in fr
    assert label("automotive", "en", english, "description") == english
    assert label("automotive", "fr-be", "Automotive") == "Automobile"
    assert label("not_a_category", "fr", "Whatever") == "Whatever"  # a user's category keeps its English name


@pytest.mark.parametrize("url", PAGES)
def test_french_page_shows_no_english_name(client, url):
    assert english_in(page_text(client, url), english_catalogue()) == []


def test_english_page_shows_the_english_names(client):
    """The check finds the names where they are: the English pages have them."""
    found = english_in(unescape(client.get("/regions/DE11/", HTTP_ACCEPT_LANGUAGE="en").content.decode()),
                       english_catalogue())
    assert "'Automotive' (name of automotive)" in found
    assert any("citation" in f for f in found)


def test_french_chart_caption_and_sector_page(client):
    page = page_text(client, "/map/?category=automotive&measure=lq")
    m = re.search(r'id="chart-strength-map-data">(.*?)</script>', client.get(
        "/map/?category=automotive&measure=lq", HTTP_ACCEPT_LANGUAGE="fr").content.decode(), re.S)
    fig = json.loads(m.group(1))
    assert fig["layout"]["title"]["text"] == "<b>Automobile\u00a0: QL par région</b>"
    assert "Source\u00a0: Eurostat, sbs_r_nuts06_r2 (données régionales SBS" in fig["layout"]["meta"]["source"]
    assert "© EuroGeographics pour les limites administratives" in page
    sector = page_text(client, "/sectors/automotive/")
    assert "<h1>Automobile</h1>" in sector
    assert "Cluster exportateur n° 4 du US Cluster Mapping" in sector
    method = page_text(client, "/methodology/")
    assert "sont les propres traductions du projet" in method
    assert "quotient de localisation d’au moins 2" in method
    assert "Observatoire européen des clusters et de la mutation industrielle (2019)" in method
    cats = page_text(client, "/categories/")
    assert "Dispositifs médicaux (industrie émergente)" in cats and "Biopharmacie (industrie émergente)" in cats
