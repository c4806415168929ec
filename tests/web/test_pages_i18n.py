"""The interface in French: complete catalogue, compiled, chosen by the browser or the language switcher."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from clusterobs.web import compile_messages

pytestmark = pytest.mark.django_db


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
    assert fig["layout"]["title"]["text"] == "<b>Automotive\u00a0: QL par région</b>"


def test_french_numbers_and_404(client):
    page = unescape(client.get("/regions/DE11/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "117\u00a0055" in page  # French grouping
    r = client.get("/regions/XX99/", HTTP_ACCEPT_LANGUAGE="fr")
    assert r.status_code == 404
    assert "Aucune région NUTS 2021 n’a le code" in unescape(r.content.decode())
