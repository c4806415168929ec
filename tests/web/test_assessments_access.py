"""Who can read and change an assessment: only holders of its private link (404 for anyone else, never 403);
tokens carry at least 128 bits; forms need the CSRF token; public summaries show scores only."""

from __future__ import annotations

import base64

import pytest
from assessment_factories import completed
from django.test import Client
from django.utils import translation

from clusterobs.web.assessments import services
from clusterobs.web.assessments.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_tokens_carry_at_least_128_bits():
    a, b = completed(), completed()
    for token in (a.token, b.token):
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128 and len(token) >= 43
    assert a.token != b.token


PRIVATE = ["/", "step/1/", "result/", "result.pdf", "answers.csv", "radar.svg"]


@pytest.mark.parametrize("suffix", PRIVATE)
def test_without_the_private_link_nothing_is_found(suffix, django_user_model):
    a = completed()
    intruder = Client()
    intruder.force_login(django_user_model.objects.create_user("mallory", password="pw-mallory-1"))
    for token in (a.token[:-1] + ("A" if a.token[-1] != "A" else "B"), "x", str(a.pk)):
        r = intruder.get(f"/self-assessment/a/{token}/{suffix}")
        assert r.status_code == 404, (token, suffix)
    r = intruder.get(f"/api/assessments/results/{a.token[:-2]}")
    assert r.status_code == 404


def test_without_the_private_link_nothing_can_be_changed():
    a = completed()
    before = dict(a.answers)
    intruder = Client()
    bad = a.token[::-1]
    assert intruder.post(f"/self-assessment/a/{bad}/step/1/", {"st_strategy": "0"}).status_code == 404
    assert intruder.post(f"/self-assessment/a/{bad}/step/1/autosave/", {"st_strategy": "0"}).status_code == 404
    assert intruder.post(f"/self-assessment/a/{bad}/finish/").status_code == 404
    a.refresh_from_db()
    assert a.answers == before


def test_the_public_token_is_not_a_private_one():
    a = completed("cluster_excellence")
    services.assessment_publish(assessment=a, publish=True)
    assert Client().get(f"/self-assessment/a/{a.public_token}/").status_code == 404
    assert Client().get(f"/self-assessment/public/{a.token}/").status_code == 404


def test_forms_enforce_csrf():
    a = completed()
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/self-assessment/start/stress_test/", {"region": "DE11"}).status_code == 403
    assert csrf_client.post(f"/self-assessment/a/{a.token}/step/1/", {"st_strategy": "0"}).status_code == 403
    assert csrf_client.post(f"/self-assessment/a/{a.token}/step/1/autosave/", {"st_strategy": "0"}).status_code == 403
    page = csrf_client.get(f"/self-assessment/a/{a.token}/step/1/")
    token = page.cookies["csrftoken"].value
    r = csrf_client.post(f"/self-assessment/a/{a.token}/step/1/autosave/", {"st_strategy": "0",
                                                                           "csrfmiddlewaretoken": token})
    assert r.status_code == 200 and r.json()["saved"] == ["st_strategy"]


def test_public_summary_of_a_benchmark_shows_scores_not_answers():
    a = completed("cluster_excellence", level="3")
    services.assessment_save_answers(assessment=a, answers={"structure_comment": "secret plan"})
    owner = Client()
    r = owner.post(f"/self-assessment/a/{a.token}/publish/", {"publish": "1"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.public_token and len(a.public_token) >= 43
    r = Client().get(f"/self-assessment/public/{a.public_token}/")
    html = r.content.decode()
    assert r.status_code == 200 and '<span class="overall-score">100</span>' in html and "Org" in html
    assert "secret plan" not in html and "Weak points" not in html
    api = Client().get(f"/api/assessments/public/{a.public_token}").json()
    assert api["overall"] == 100 and "answers" not in api
    old = a.public_token
    owner.post(f"/self-assessment/a/{a.token}/publish/", {"publish": "0"})
    assert Client().get(f"/self-assessment/public/{old}/").status_code == 404


def test_the_stress_test_has_no_public_summary():
    a = completed()
    assert Client().post(f"/self-assessment/a/{a.token}/publish/", {"publish": "1"}).status_code == 404
    a.refresh_from_db()
    assert a.public_token is None


def test_the_owner_can_delete_an_assessment_for_good():
    a = completed("cluster_excellence")
    services.assessment_publish(assessment=a, publish=True)
    c = Client()
    r = c.post(f"/self-assessment/a/{a.token}/delete/")  # not confirmed: kept
    assert r.status_code == 302 and Assessment.objects.filter(pk=a.pk).exists()
    r = c.post(f"/self-assessment/a/{a.token}/delete/", {"confirm": "1"})
    assert r.status_code == 302 and r["Location"] == "/self-assessment/"
    assert not Assessment.objects.filter(pk=a.pk).exists()
    assert c.get(f"/self-assessment/a/{a.token}/").status_code == 404
    assert c.get(f"/self-assessment/public/{a.public_token}/").status_code == 404
    assert Client().post(f"/self-assessment/a/{a.token}/delete/", {"confirm": "1"}).status_code == 404


def test_an_organisation_name_with_markup_is_text_everywhere():
    a = completed("cluster_excellence", size_class="small", country="DE", country_group="north_west",
                  name='<a href="https://evil.example">X</a>')
    services.assessment_publish(assessment=a, publish=True)
    html = Client().get(f"/self-assessment/public/{a.public_token}/").content.decode()
    assert '<a href="https://evil.example">' not in html
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;X&lt;/a&gt;" in html
    assert "\\u003ca href" not in html.split('id="chart-assessment-radar-data"')[1].split("</script>")[0]
