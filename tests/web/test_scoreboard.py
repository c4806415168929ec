"""Scoreboard pages and API on the computed store: values shown are the stored ones, state lives in the URL,
errors use the site's pages and the API's envelope."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from clusterobs.web.scoreboard import selectors as sb


def text(response) -> str:
    return unescape(response.content.decode())


def figure(response, name: str) -> dict:
    m = re.search(rf'<script type="application/json" id="chart-{name}-data">(.*?)</script>', response.content.decode(),
                  re.S)
    assert m, f"chart {name} not on the page"
    return json.loads(m.group(1))


def test_index_ranks_the_overall_index_and_maps_it(client):
    r = client.get("/scoreboard/")
    assert r.status_code == 200
    page = text(r)
    best = sb.scores(name="overall").sort_values("rank").iloc[0]
    assert f"{best.score:.1f}" in page and best.region_name in page
    fig = figure(r, "scoreboard-map")
    assert "Overall index" in fig["layout"]["meta"]["title"]
    assert any("No data" in t["name"] for t in fig["data"])  # regions without a score stay on the map, grey
    assert "Venture capital" in page and "no data" in page  # the empty sub-dimension is shown, not filled


def test_index_dimension_in_the_url(client):
    r = client.get("/scoreboard/?dimension=governance")
    assert r.status_code == 200
    assert "Quality of governance" in figure(r, "scoreboard-map")["layout"]["meta"]["title"]
    assert "dimension=governance" in text(r)  # share link and downloads keep it
    assert client.get("/scoreboard/?dimension=nothing").status_code == 400


def test_region_page_three_views(client):
    code = "DE21"
    overall = client.get(f"/scoreboard/{code}/")
    assert overall.status_code == 200
    score = sb.scores(name="overall", region=[code]).iloc[0]
    assert f"{score.score:.1f}" in text(overall)
    assert figure(overall, "scoreboard-ranks")["data"][0]["x"]
    detail = client.get(f"/scoreboard/{code}/?view=detail")
    assert detail.status_code == 200
    assert "R&D expenditure, all sectors" in text(detail) and "EU 2016 = 100" in text(detail)
    card = client.get(f"/scoreboard/{code}/?view=scorecard")
    strengths = sb.strengths(code)
    names = strengths.loc[strengths["kind"] == "strength", "indicator_name"]
    assert len(names) and all(n in text(card) for n in names)
    assert client.get(f"/scoreboard/{code}/?view=other").status_code == 400


def test_peer_chooser(client):
    r = client.get("/scoreboard/DE21/?peers=AT13,FR10")
    assert r.status_code == 200
    fig = figure(r, "scoreboard-profile")
    assert "AT13, FR10" in fig["layout"]["meta"]["subtitle"]
    assert "Peers chosen by the user." in fig["layout"]["meta"]["notes"]
    default = figure(client.get("/scoreboard/DE21/"), "scoreboard-profile")
    assert ", ".join(sb.default_peers("DE21")) in default["layout"]["meta"]["subtitle"]
    for bad in ("DE21", "XX99", "AT11,AT12,AT13,AT21,AT22,AT31"):
        assert client.get(f"/scoreboard/DE21/?peers={bad}").status_code == 400
    assert client.get("/scoreboard/ZZ99/").status_code == 404


def test_a_nuts1_code_lists_its_nuts2_regions(client):
    r = client.get("/scoreboard/DE2/")
    assert r.status_code == 200
    page = text(r)
    assert "/scoreboard/DE21/" in page and "/scoreboard/DE27/" in page and "/scoreboard/DE30/" not in page


def test_api_scores_json_and_csv(client):
    r = client.get("/api/scoreboard/scores?name=overall&region=DE21,PL91")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and {x["region"] for x in body["results"]} == {"DE21", "PL91"}
    stored = sb.scores(name="overall", region=["DE21"]).iloc[0]
    de = next(x for x in body["results"] if x["region"] == "DE21")
    assert de["score"] == pytest.approx(stored.score) and de["rank"] == stored["rank"]
    c = client.get("/api/scoreboard/scores?name=overall&region=DE21&format=csv")
    rows = list(csv.DictReader(io.StringIO(c.content.decode())))
    assert float(rows[0]["score"]) == pytest.approx(stored.score)
    assert 'filename="scoreboard-scores_overall_DE21.csv"' in c["Content-Disposition"]


def test_api_ranks_intervals_values_strengths(client):
    ranks = client.get("/api/scoreboard/ranks?region=DE21&name=overall").json()["results"][0]
    assert ranks["rank_p05"] <= ranks["rank_median"] <= ranks["rank_p95"] and ranks["draws"] == 1000
    iv = client.get("/api/scoreboard/intervals?region=DE21").json()
    assert {x["name"] for x in iv["results"]} >= {"overall", "governance"}
    v = client.get("/api/scoreboard/values?region=DE21&indicator=rd_expenditure").json()["results"][0]
    assert v["raw"] == pytest.approx(4.35) and v["transformed"] == pytest.approx(1.677, abs=1e-3)  # log1p(4.35)
    st = client.get("/api/scoreboard/strengths?region=DE21&peers=AT13,FR10").json()
    assert st["count"] == len(sb.indicators())
    assert {x["peers_used"] for x in st["results"]} <= {0, 1, 2}
    ind = client.get("/api/scoreboard/indicators?format=xlsx")
    assert ind.status_code == 200 and ind["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_errors_use_the_envelope(client):
    r = client.get("/api/scoreboard/scores?name=nope")
    assert r.status_code == 400 and r.json()["error"]["parameter"] == "name"
    r = client.get("/api/scoreboard/scores?region=XX11")
    assert r.status_code == 404 and "unknown region" in r.json()["error"]["message"]
    r = client.get("/api/scoreboard/strengths?region=DE21&peers=AT11,AT12,AT13,AT21,AT22,AT31")
    assert r.status_code == 400 and "at most 5" in r.json()["error"]["message"]


def test_french(client):
    r = client.get("/scoreboard/DE21/?view=scorecard", HTTP_ACCEPT_LANGUAGE="fr")
    page = text(r)
    assert '<html lang="fr">' in page and "Forces" in page and "Faiblesses" in page


def test_chart_image_export(client):
    r = client.get("/api/figures/scoreboard-gaps.svg?region=DE21&dimension=knowledge_skills")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert b"Oberbayern" in r.content
