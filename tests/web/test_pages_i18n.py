"""The interface in French: complete catalogue, compiled, chosen by the browser or the language switcher."""

from __future__ import annotations

import json
import re
from html import unescape

from clusterobs.web import compile_messages


def figure(response, name: str) -> dict:
    m = re.search(rf'id="chart-{name}-data">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(m.group(1))


def test_french_catalogue_is_complete_and_compiled():
    assert compile_messages.main(["--check"]) == 0


def test_accept_language_fr_renders_french(client):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    page = unescape(r.content.decode())
    assert r.status_code == 200
    assert '<html lang="fr">' in page
    assert "Observatoire européen des clusters" in page
    assert "Chiffres clés" in page
    assert "Les trois étoiles" in page or "trois étoiles" in page


def test_language_switcher_sets_french_for_the_next_pages(client):
    r = client.post("/i18n/setlang/", {"language": "fr", "next": "/map/?category=automotive&measure=lq"})
    assert r.status_code == 302
    assert r["Location"] == "/map/?category=automotive&measure=lq"
    response = client.get(r["Location"])
    assert "Carte de la force des clusters" in unescape(response.content.decode())
    fig = figure(response, "strength-map")  # the chart, built on the server, is translated too
    assert any(t["name"].startswith("Pas de données (") for t in fig["data"])
    assert fig["layout"]["title"]["text"] == "<b>Automobile\u00a0: QL par région</b>"


def test_french_numbers_and_404(client):
    page = unescape(client.get("/regions/DE11/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "117\u00a0032" in page  # French grouping (Stuttgart's automotive employment, 117,032.0)
    r = client.get("/regions/XX99/", HTTP_ACCEPT_LANGUAGE="fr")
    assert r.status_code == 404
    assert "Aucune région NUTS 2021 n’a le code" in unescape(r.content.decode())


def test_new_texts_are_french_too(client):
    """The caveat box, the \"not ranked\" mark, the headline's kind switch and the emerging label, in French."""
    page = unescape(client.get("/regions/IE04/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "À lire avec précaution" in page and "Pas de données\u00a0: la région a été découpée" in page
    home = unescape(client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "clusters exportateurs à 3 étoiles" in home and "Compter\u00a0:" in home
    sector = unescape(client.get("/sectors/automotive/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "non classé" in sector
    cats = unescape(client.get("/categories/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "Dispositifs médicaux (industrie émergente)" in cats
    method = unescape(client.get("/methodology/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "Couverture, régions découpées et régions sans données" in method
    assert "top 10% of all clusters in Europe within the same cluster category" in method  # quoted as published
