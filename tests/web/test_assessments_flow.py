"""The self-assessment flow without an account: start, answer in steps, validation keeps every answer, finish,
result with the region's data, PDF and CSV downloads."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.utils import translation

from clusterobs.web.assessments.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def start_stress(client: Client, region: str = "DE11") -> Assessment:
    r = client.post("/self-assessment/start/stress_test/", {"region": region})
    assert r.status_code == 302, r.content[:500]
    token = re.search(r"/self-assessment/a/([^/]+)/step/1/", r["Location"]).group(1)
    return Assessment.objects.get(token=token)


def step_answers(a: Assessment, n: int, level: str = "2") -> dict[str, str]:
    d = a.questionnaire_def().dimensions[n - 1]
    return {q.id: level for q in d.questions if q.kind == "choice"}


def answer_all(client: Client, a: Assessment, level: str = "2", **extra: str) -> None:
    for n in range(1, len(a.questionnaire_def().dimensions) + 1):
        data = {**step_answers(a, n, level), "action": "next"}
        data.update({k: v for k, v in extra.items() if k in {q.id for q in a.questionnaire_def().dimensions[n - 1]
                                                             .questions}})
        r = client.post(f"/self-assessment/a/{a.token}/step/{n}/", data)
        assert r.status_code == 302, (n, r.content[:800])


def test_index_offers_both_questionnaires_and_says_they_are_ours(client):
    r = client.get("/self-assessment/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Stress Test for Cluster Policy" in html and "Cluster-excellence benchmark" in html
    assert "official questions of the European Stress Test for Cluster Policy are not public" in html


def test_start_validates_the_region_against_the_store(client):
    r = client.post("/self-assessment/start/stress_test/", {"region": "XX99"})
    assert r.status_code == 400
    assert "is not a NUTS 2021 code" in r.content.decode() and 'value="XX99"' in r.content.decode()
    a = start_stress(client, "de11 — Stuttgart")  # as picked from the suggestions, any case
    assert (a.region, a.region_name, a.country) == ("DE11", "Stuttgart", "DE")
    assert len(a.token) >= 43


def test_a_region_link_prefills_the_start_form(client):
    html = client.get("/self-assessment/start/stress_test/?region=FR10").content.decode()
    assert re.search(r'name="region" value="FR10"', html)


def test_a_validation_error_keeps_every_typed_answer_and_saves_the_valid_ones(client):
    a = start_stress(client)
    data = {"st_strategy": "3", "st_owner": "1", "st_comment": "Our <b>plan</b> & more", "action": "next"}
    r = client.post(f"/self-assessment/a/{a.token}/step/1/", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Choose an answer." in html
    assert re.search(r'value="3"[^>]*name="st_strategy"|name="st_strategy" value="3"[^>]*checked', html)
    assert "Our &lt;b&gt;plan&lt;/b&gt; &amp; more" in html  # kept, and escaped
    a.refresh_from_db()
    assert a.answers == {"st_strategy": "3", "st_owner": "1", "st_comment": "Our <b>plan</b> & more"}


def test_a_comment_too_long_keeps_the_page(client):
    a = start_stress(client)
    long = "x" * 2001
    r = client.post(f"/self-assessment/a/{a.token}/step/1/", {**step_answers(a, 1), "st_comment": long,
                                                               "action": "save"})
    assert r.status_code == 400 and long in r.content.decode()
    a.refresh_from_db()
    assert "st_comment" not in a.answers and a.answers["st_owner"] == "2"


def test_save_for_later_and_resume_from_the_private_link(client):
    a = start_stress(client)
    r = client.post(f"/self-assessment/a/{a.token}/step/1/", {"st_strategy": "1", "action": "save"})
    assert r.status_code == 302 and r["Location"] == f"/self-assessment/a/{a.token}/"
    other = Client()  # another browser with the link: resumes
    r = other.get(f"/self-assessment/a/{a.token}/step/1/")
    assert r.status_code == 200
    assert re.search(r'name="st_strategy" value="1"[^>]*checked', r.content.decode())
    assert "Referrer-Policy" in r.headers and r["Referrer-Policy"] == "same-origin"
    assert "no-cache" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]


def test_autosave_saves_valid_answers_and_names_the_rest(client):
    a = start_stress(client)
    r = client.post(f"/self-assessment/a/{a.token}/step/2/autosave/", {"fw_barriers": "2", "fw_finance": "9"})
    assert r.status_code == 200
    body = r.json()
    assert body["saved"] == ["fw_barriers"] and "fw_finance" in body["errors"]
    a.refresh_from_db()
    assert a.answers == {"fw_barriers": "2"}


def test_finish_needs_every_answer(client):
    a = start_stress(client)
    r = client.post(f"/self-assessment/a/{a.token}/finish/")
    assert r.status_code == 302 and r["Location"].endswith("/step/1/")
    a.refresh_from_db()
    assert a.completed_at is None


def test_complete_flow_result_pdf_and_csv(client):
    from pypdf import PdfReader

    a = start_stress(client)
    answer_all(client, a, "2", st_comment="<script>alert(1)</script>", st_budget="0")
    r = client.post(f"/self-assessment/a/{a.token}/finish/")
    assert r.status_code == 302 and r["Location"] == f"/self-assessment/a/{a.token}/result/"
    a.refresh_from_db()
    # strategy: st_budget (w 1.5 of 6.5) at 0, the rest at 2/3: 100 * (5/6.5 * 2/3) = 51.28; the others 66.67;
    # overall (1.5 * 51.28 + 7.5 * 66.67) / 9 = (76.92 + 500) / 9 = 64.10
    assert a.scores["strategy"] == pytest.approx(100 * 5 / 6.5 * 2 / 3)
    assert a.overall == pytest.approx((1.5 * 100 * 5 / 6.5 * 2 / 3 + 7.5 * 200 / 3) / 9)
    r = client.get(f"/self-assessment/a/{a.token}/result/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Stuttgart (DE11)" in html and '<span class="overall-score">64</span>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "Secure a dedicated budget line" in html  # the guidance of the weak point
    assert "Starred clusters" in html and "Automotive" in html  # the observatory's data on Stuttgart
    assert "Scoreboard weaknesses" in html and "not part of the published dataset yet" not in html
    assert "No comparison yet" in html
    r = client.get(f"/self-assessment/a/{a.token}/answers.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 34 + 7
    assert {r["question"]: r["answer"] for r in rows}["st_budget"] == "0"
    r = client.get(f"/self-assessment/a/{a.token}/result.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Stuttgart (DE11)" in text and "64" in text and "51" in text


def test_logged_in_users_see_their_assessments_listed(client, django_user_model):
    alice = django_user_model.objects.create_user("alice", password="pw-alice-1")
    bob = django_user_model.objects.create_user("bob", password="pw-bob-1")
    client.force_login(alice)
    a = start_stress(client, "FR10")
    assert a.owner == alice
    r = client.get("/self-assessment/")
    assert "Your assessments" in r.content.decode() and a.token in r.content.decode()
    other = Client()
    other.force_login(bob)
    assert a.token not in other.get("/self-assessment/").content.decode()
    anonymous = Client()
    assert a.token not in anonymous.get("/self-assessment/").content.decode()


def test_pages_are_translated_to_french(client):
    r = client.get("/self-assessment/", HTTP_ACCEPT_LANGUAGE="fr")
    html = r.content.decode()
    assert "Deux questionnaires avec scores" in html and "ne sont pas publiques" in html
    a = start_stress(client)
    html = client.get(f"/self-assessment/a/{a.token}/step/1/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Enregistrer et continuer" in html and "Étape 1 sur 7" in html
    assert 'saved: "Enregistr\\u00e9"' in html or 'saved: "Enregistré"' in html


def test_benchmark_start_sets_the_country_group(client):
    r = client.post("/self-assessment/start/cluster_excellence/", {"size_class": "medium", "country": "XX"})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    r = client.post("/self-assessment/start/cluster_excellence/", {"size_class": "medium", "country": "NO",
                                                                     "name": "Arena"})
    assert r.status_code == 302
    a = Assessment.objects.get(token=r["Location"].split("/")[3])
    assert (a.size_class, a.country, a.country_group, a.name, a.region) == ("medium", "NO", "north_west", "Arena", "")
    assert "Norge" in client.get("/self-assessment/start/cluster_excellence/").content.decode()  # store's name


def test_result_page_in_french(client):
    a = start_stress(client)
    answer_all(client, a, "1")
    client.post(f"/self-assessment/a/{a.token}/finish/")
    r = client.get(f"/self-assessment/a/{a.token}/result/", HTTP_ACCEPT_LANGUAGE="fr")
    html = r.content.decode()
    assert r.status_code == 200 and "Points faibles et conseils" in html and "Score global" in html
    assert "1,5" in html  # the dimension weights, written the French way
