"""The place search's names table and matching, without a store: every code of ``place_names.csv`` is a NUTS 2021
code of the mirror's GISCO files, each EU capital is there, and the ranking works on a small hand-made index."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from clusterobs.classifications.place_search import (
    PLACE_NAMES,
    PlaceIndex,
    fold,
    is_latin,
    load_place_names,
    name_variants,
    nuts3_under_2021,
)

#: the 27 capitals of the EU and the NUTS 2021 region holding each (Eurostat / GISCO)
EU_CAPITALS = {
    "Vienna": "AT13", "Brussels": "BE10", "Sofia": "BG41", "Nicosia": "CY00", "Prague": "CZ01", "Berlin": "DE30",
    "Copenhagen": "DK01", "Tallinn": "EE00", "Athens": "EL30", "Madrid": "ES30", "Helsinki": "FI1B",
    "Paris": "FR10", "Zagreb": "HR05", "Budapest": "HU11", "Dublin": "IE06", "Rome": "ITI4", "Vilnius": "LT01",
    "Luxembourg City": "LU00", "Riga": "LV00", "Valletta": "MT00", "Amsterdam": "NL32", "Warsaw": "PL91",
    "Lisbon": "PT17", "Bucharest": "RO32", "Stockholm": "SE11", "Ljubljana": "SI04", "Bratislava": "SK01",
}


@pytest.fixture(scope="module")
def nuts2021(mirror) -> dict[str, str]:
    """Code → Latin name of every NUTS 2021 region (levels 0-2) in the mirror's GISCO 60M files."""
    out = {}
    for level in (0, 1, 2):
        path = mirror / "gisco-nuts2021-60m" / f"NUTS_RG_60M_2021_4326_LEVL_{level}.geojson"
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            out[f["properties"]["NUTS_ID"]] = f["properties"]["NAME_LATN"]
    return out


def test_every_code_of_the_names_table_is_a_nuts_2021_code_of_the_mirror(nuts2021):
    places = load_place_names(codes=nuts2021)  # raises on the first unknown code, naming the row
    assert set(places["nuts_code"]) <= set(nuts2021)
    assert set(places["kind"]) == {"city", "exonym"}
    assert places["source"].str.len().gt(10).all()


def test_the_names_table_holds_each_eu_capital_and_a_hundred_cities():
    places = load_place_names()
    cities = places[places["kind"] == "city"]
    got = dict(zip(cities["name"], cities["nuts_code"], strict=False))
    assert {name: got.get(name) for name in EU_CAPITALS} == EU_CAPITALS
    assert cities["nuts_code"].nunique() >= 150  # regions holding a listed city
    assert len(cities[cities["lang"] == "en"]) >= 300
    exonyms = places[places["kind"] == "exonym"].set_index("name")["nuts_code"]
    for name, code in {"Lombardy": "ITC4", "Bavaria": "DE2", "Tuscany": "ITI1", "Piedmont": "ITC1",
                       "Catalonia": "ES51", "Andalusia": "ES61", "Flanders": "BE2", "Wallonia": "BE3",
                       "Brittany": "FRH0", "Normandy": "FRD", "Saxony": "DED", "Lower Saxony": "DE9",
                       "North Rhine-Westphalia": "DEA", "Germany": "DE", "Allemagne": "DE"}.items():
        assert exonyms[name] == code, name


def test_a_bad_row_is_named_by_file_row_and_reason(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("name,lang,nuts_code,kind,source\nMunich,en,DE21,city,x\nAtlantis,en,ZZ99,city,x\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"names\.csv: row 3: 'ZZ99' is not a NUTS 2021 code"):
        load_place_names(path, codes={"DE21"})
    path.write_text("name,lang,nuts_code,kind,source\nMunich,en,DE21,town,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 2: kind must be one of city, exonym; got 'town'"):
        load_place_names(path)
    path.write_text("name,lang,nuts_code,kind,source\nMunich,en,DE21,city,x\nMUNICH,fr,DE21,city,y\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="row 3: 'MUNICH' is already given for DE21"):
        load_place_names(path)
    path.write_text("name,lang,code,kind,source\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the header must be name,lang,nuts_code,kind,source"):
        load_place_names(path)


def test_fold_drops_case_accents_and_punctuation():
    assert fold("Île-de-France") == fold("ile de france") == "ile de france"
    assert fold("Łódź") == "lodz"
    assert fold("  Provence-Alpes-Côte d’Azur ") == "provence alpes cote d azur"
    assert fold("Straße") == "strasse"
    assert fold("Αθήνα") == "αθηνα"
    assert is_latin("Île-de-France") and not is_latin("Αττική") and not is_latin("Srbija/Сpбија")


def test_name_variants():
    assert name_variants("Prov. Limburg (BE)") == {"limburg be", "limburg"}
    assert {"munchen", "munchen kreisfreie stadt"} <= name_variants("München, Kreisfreie Stadt")
    assert {"valle d aosta", "vallee d aoste"} <= name_variants("Valle d’Aosta/Vallée d’Aoste")


@pytest.fixture
def index() -> PlaceIndex:
    regions = pd.DataFrame([
        ("FR", "France", "France", 0), ("FR1", "Ile-de-France", "Ile-de-France", 1),
        ("FR10", "Ile-de-France", "Ile-de-France", 2), ("FRJ", "Occitanie", "Occitanie", 1),
        ("FRJ2", "Midi-Pyrénées", "Midi-Pyrénées", 2), ("DE2", "Bayern", "Bayern", 1),
        ("DE21", "Oberbayern", "Oberbayern", 2), ("DEA3", "Münster", "Münster", 2),
        ("BE22", "Prov. Limburg (BE)", "Prov. Limburg (BE)", 2), ("NL42", "Limburg (NL)", "Limburg (NL)", 2),
        ("AT13", "Wien", "Wien", 2), ("FRI3", "Poitou-Charentes", "Poitou-Charentes", 2),
    ], columns=["code", "name", "name_latn", "level"])
    nuts3 = pd.DataFrame([("FRJ23", "Haute-Garonne", "Haute-Garonne", "FRJ2"),
                          ("DE212", "München, Kreisfreie Stadt", "München, Kreisfreie Stadt", "DE21"),
                          ("FRI34", "Vienne", "Vienne", "FRI3")], columns=["code", "name", "name_latn", "region"])
    places = pd.DataFrame([("Munich", "en", "DE21", "city", "s"), ("Toulouse", "en", "FRJ2", "city", "s"),
                           ("Bavaria", "en", "DE2", "exonym", "s"), ("Vienne", "fr", "AT13", "city", "s")],
                          columns=["name", "lang", "nuts_code", "kind", "source"])
    return PlaceIndex(regions, nuts3, places)


@pytest.mark.parametrize(("text", "code", "via"), [
    ("Toulouse", "FRJ2", "city"), ("toulouse", "FRJ2", "city"), ("Munich", "DE21", "city"),
    ("münchen", "DE21", "nuts3"), ("Haute-Garonne", "FRJ2", "nuts3"), ("haute garonne", "FRJ2", "nuts3"),
    ("Île-de-France", "FR10", "name"), ("ile de france", "FR10", "name"), ("Bavaria", "DE2", "exonym"),
    ("fr10", "FR10", "code"), ("Occitanie", "FRJ", "name"),
])
def test_resolve_lands_on_the_region(index, text, code, via):
    found, matches = index.resolve(text)
    assert found == code
    assert next(m for m in matches if m.code == code).via == via


def test_ranking_exact_name_then_city_then_nuts3_then_prefix(index):
    # "Vienne" is a city (Wien, a French name) and a NUTS 3 département (in Poitou-Charentes): the city first
    assert [(m.code, m.via) for m in index.search("Vienne")] == [("AT13", "city"), ("FRI3", "nuts3")]
    assert index.resolve("Vienne")[0] == "AT13"
    # a prefix never resolves, and lists each region once, best match first (a name before a city)
    assert [(m.code, m.via, m.how) for m in index.search("mun")] == [("DEA3", "name", "prefix"),
                                                                      ("DE21", "city", "prefix")]
    assert index.resolve("mun")[0] is None
    # a tie between two regions is for the reader to choose
    found, matches = index.resolve("Limburg")
    assert found is None and {m.code for m in matches} == {"BE22", "NL42"}
    # the words of the query each start a word of the name, in order
    assert [m.code for m in index.search("ile france")][:2] == ["FR10", "FR1"]
    assert index.search("   ") == [] and index.search("zzzz") == []


def test_nuts3_of_a_split_2016_region_are_left_out():
    nuts3 = pd.DataFrame([("FRJ23", "Haute-Garonne", "Haute-Garonne", "FRJ2"),
                          ("HR041", "Grad Zagreb", "Grad Zagreb", "HR04"),
                          ("NO011", "Oslo", "Oslo", "NO01")], columns=["code", "name", "name_latn", "parent"])
    pairs = pd.DataFrame([("HR04", "HR02"), ("HR04", "HR05"), ("HR04", "HR06"), ("NO01", "NO08")],
                         columns=["code_from", "code_to"])
    out = nuts3_under_2021(nuts3, ["FRJ2", "HR02", "HR05", "HR06", "NO08"], pairs)
    assert dict(zip(out["code"], out["region"], strict=True)) == {"FRJ23": "FRJ2", "NO011": "NO08"}


def test_the_table_is_the_shipped_file():
    assert PLACE_NAMES.name == "place_names.csv" and PLACE_NAMES.is_file()
