"""Finding a region by what people call it, on the real store: the search page, the suggestions endpoint, the
comparison by names, the Regions page, region names in Latin script, and the home page's starting points."""

from __future__ import annotations

import re
from html import unescape

import pytest

from clusterobs.store.reads import NUTS_VERSION

#: the searches a first-time visitor tried (issue 18), and the region each must land on
FIVE = {"Toulouse": "FRJ2", "Munich": "DE21", "Lombardy": "ITC4", "Haute-Garonne": "FRJ2", "Île-de-France": "FR10",
        "ile de france": "FR10"}


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize(("query", "code"), FIVE.items())
def test_each_search_lands_on_the_right_region(client, query, code):
    r = client.get("/search/", {"q": query})
    page = text(r)
    best = re.search(r'id="best-match">.*?href="/regions/(\w+)/"', page, re.S)
    assert best and best.group(1) == code
    first = re.search(r'<tbody><tr data-code="(\w+)"', page)
    assert first and first.group(1) == code
    api = client.get("/api/places", {"q": query}).json()
    assert api["resolved"] == code
    assert api["results"][0]["code"] == code
    assert api["results"][0]["url"] == f"/regions/{code}/"


def test_the_search_page_says_why_a_region_matched(client):
    assert "Toulouse → city in Midi-Pyrénées (FRJ2)" in text(client.get("/search/", {"q": "Toulouse"}))
    assert "Haute-Garonne → NUTS 3 region FRJ23 in Midi-Pyrénées (FRJ2)" in text(
        client.get("/search/", {"q": "Haute-Garonne"}))
    assert "Lombardy → another name of Lombardia (ITC4)" in text(client.get("/search/", {"q": "lombardy"}))
    fr = text(client.get("/search/", {"q": "Toulouse"}, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Toulouse → ville de la région Midi-Pyrénées (FRJ2)" in fr


def test_suggestions_as_one_types(client):
    r = client.get("/api/places", {"q": "muni", "limit": 5})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["q"] == "muni" and body["resolved"] is None  # a prefix proposes, never decides
    hits = {h["code"]: h for h in body["results"]}
    assert hits["DE21"]["via"] == "city" and hits["DE21"]["how"] == "prefix" and hits["DE21"]["matched"] == "Munich"
    assert body["count"] == len(body["results"]) <= 5
    ambiguous = client.get("/api/places", {"q": "Limburg"}).json()
    assert ambiguous["resolved"] is None
    assert {"BE22", "NL42"} <= {h["code"] for h in ambiguous["results"][:2]}
    assert client.get("/api/places", {"q": ""}).status_code == 400
    assert client.get("/api/places", {"q": "zzqqxx"}).json() == {
        "version": ambiguous["version"], "q": "zzqqxx", "resolved": None, "count": 0, "results": []}


def test_the_region_list_api_searches_the_same_way(client):
    body = client.get("/api/regions", {"q": "Munich"}).json()
    assert body["results"][0]["code"] == "DE21"


def test_compare_takes_names(client):
    r = client.get("/compare/", {"regions": "Munich, Lombardy, FR10", "measure": "lq"})
    assert r.status_code == 302
    assert r["Location"] == "/compare/?regions=DE21%2CITC4%2CFR10&measure=lq"
    page = text(client.get(r["Location"]))
    assert "Oberbayern" in page and "Lombardia" in page


def test_compare_asks_to_choose_between_regions_of_the_same_name(client):
    r = client.get("/compare/", {"regions": "Limburg, Munich"})
    assert r.status_code == 200
    page = text(r)
    assert "“Limburg” fits several regions:" in page
    choices = re.findall(r'<a href="([^"]+)" data-code="(\w+)"', page)
    by_code = {code: unescape(url) for url, code in choices}
    assert {"BE22", "NL42"} <= set(by_code)
    chosen = client.get(by_code["NL42"])  # the choice keeps the other entry and resolves it
    assert chosen.status_code == 302 and chosen["Location"] == "/compare/?regions=NL42%2CDE21"


def test_compare_still_reports_an_unknown_code(client):
    r = client.get("/compare/", {"regions": "DE11,XX99"})
    assert r.status_code == 404
    assert "XX99" in text(r)


def test_regions_page_lists_countries_and_their_regions(client, web_store):
    r = client.get("/regions/")
    assert r.status_code == 200
    page = text(r)
    germany = re.search(r'<li data-country="DE">(.*?)</details>', page, re.S).group(1)
    assert '<span class="country-name">Germany</span>' in germany
    con = web_store.connect()
    expected = {c for (c,) in con.execute("SELECT code FROM regions WHERE nuts_version = ? AND level = 2 AND "
                                          "country = 'DE'", [NUTS_VERSION]).fetchall()}
    assert set(re.findall(r'href="/regions/(DE\w\w)/"', germany)) == expected
    assert len(expected) == 38 and ">Oberbayern</a>" in germany
    assert page.index('data-country="AT"') < page.index('data-country="DE"')  # Austria, Belgium, ... Germany
    fr = text(client.get("/regions/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<span class="country-name">Allemagne</span>' in fr
    assert 'href="/regions/"' in text(client.get("/"))  # the Regions menu opens this page


def test_greek_and_bulgarian_regions_are_named_in_latin_script(client):
    page = text(client.get("/regions/EL30/"))
    assert "Attiki" in page and "Αττική" not in page
    listing = text(client.get("/regions/"))
    assert "Kentriki Makedonia" in listing and "Κεντρική" not in listing
    assert "Yugozapaden" in listing and "Югозападен" not in listing
    api = client.get("/api/regions", {"country": "EL", "level": 2}).json()["results"]
    assert {r["code"]: r["name"] for r in api}["EL52"] == "Kentriki Makedonia"
    # the Greek name still finds it
    assert client.get("/api/places", {"q": "Κεντρική Μακεδονία"}).json()["resolved"] == "EL52"


def test_home_leads_a_newcomer(client, web_store):
    con = web_store.connect()
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM cluster_measures ORDER BY year").fetchall()]
    regions, countries = con.execute(
        "SELECT count(DISTINCT m.region), count(DISTINCT r.country) FROM cluster_measures m JOIN regions r "
        "ON r.code = m.region AND r.nuts_version = m.nuts_version WHERE m.level = 2 AND m.employment IS NOT NULL"
    ).fetchone()
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    page = text(client.get("/"))
    line = re.search(r'<p class="coverage" id="data-coverage">(.*?)</p>', page, re.S).group(1)
    assert (f"Data: {span} · {regions} NUTS 2 regions in {countries} countries · employment from Eurostat's "
            "structural business statistics (SBS, sbs_r_nuts06_r2).") in line
    start = re.search(r'<section aria-labelledby="start-title".*?</section>', page, re.S).group(0)
    assert "My region" in start and 'name="q"' in start and 'data-suggest="/api/places"' in start
    assert "My sector" in start and '<select id="home-sector" name="category">' in start
    assert start.count("<option ") == 51  # the traded categories
    assert "The map" in start and 'href="/map/"' in start
    fr = text(client.get("/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Ma région" in fr and "Mon secteur" in fr and "La carte" in fr
    assert f"Données : {span} · {regions} régions NUTS 2 dans {countries} pays" in fr


def test_the_sector_picker_opens_the_sector(client):
    r = client.get("/sectors/", {"category": "automotive"})
    assert r.status_code == 302 and r["Location"] == "/sectors/automotive/"
    assert client.get("/sectors/", {"kind": "local"})["Location"] == "/categories/?kind=local"
