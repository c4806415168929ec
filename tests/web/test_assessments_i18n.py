"""The questionnaires' own texts in the active language: pages, result, radar chart, PDF and CSV; the same scores in
English and French; a version without a translation falls back to English and says so."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from assessment_factories import completed
from django.test import Client
from django.utils import translation

from clusterobs.web.assessments import exports, services
from clusterobs.web.assessments.selectors import questionnaire_current

pytestmark = pytest.mark.django_db

QUESTION_EN = "Is cluster policy part of a written regional or national strategy"
QUESTION_FR = "La politique de clusters fait-elle partie d’une stratégie régionale ou nationale écrite"
CREDIT_FR = "traduits en français par le projet clusterobs"
CREDIT_EN = "which also translated them into French"
FALLBACK_FR = "Cette version du questionnaire n’est pas encore traduite en français"


def french() -> Client:
    """A browser that chose French with the site's language switcher."""
    c = Client()
    assert c.post("/i18n/setlang/", {"language": "fr", "next": "/self-assessment/"}).status_code == 302
    return c


def page(c: Client, url: str) -> str:
    r = c.get(url)
    assert r.status_code == 200, r.content[:500]
    return unescape(r.content.decode())


def radar(html: str) -> dict:
    return json.loads(re.search(r'id="chart-assessment-radar-data">(.*?)</script>', html, re.S).group(1))


def axes(fig: dict) -> list[str]:
    """The radar's axis labels, unwrapped."""
    return [t.replace("<br>", " ") for t in fig["data"][0]["theta"]]


def test_question_pages_follow_the_language_switcher():
    a = completed(level="1")
    step = f"/self-assessment/a/{a.token}/step/1/"
    fr, en = page(french(), step), page(Client(), step)
    assert QUESTION_FR in fr and QUESTION_EN not in fr
    assert "Stratégie et gouvernance" in fr and "Pas de budget dédié" in fr  # a dimension, a question's own labels
    assert QUESTION_EN in en and QUESTION_FR not in en and "No dedicated budget" in en
    assert CREDIT_FR in fr and CREDIT_EN in en and FALLBACK_FR not in fr
    index = page(french(), "/self-assessment/")
    assert "Stress test de la politique de clusters" in index and "Benchmark de l’excellence des clusters" in index
    start = page(french(), "/self-assessment/start/cluster_excellence/")
    assert "Petite\u00a0: moins de 50 membres" in start and "Europe du Nord et de l’Ouest" in start


def test_the_result_radar_csv_and_pdf_in_french():
    from pypdf import PdfReader

    a = completed(level="1")  # every answer in the lower half: all are weak points
    c = french()
    html = page(c, f"/self-assessment/a/{a.token}/result/")
    assert "Points faibles et conseils" in html
    assert "Transformez les mentions des clusters en objectifs explicites" in html  # st_strategy's level-1 guidance
    assert "Inscrivez la politique de clusters dans la stratégie de spécialisation intelligente" in html  # dimension
    assert "Turn the references to clusters" not in html and CREDIT_FR in html
    fig = radar(html)
    assert "Stratégie et gouvernance" in axes(fig) and "Suivi et évaluation" in axes(fig)
    assert "Stress test de la politique de clusters, version 2026.1" in fig["layout"]["meta"]["subtitle"]
    assert "Strategy and governance" in axes(radar(page(Client(), f"/self-assessment/a/{a.token}/result/")))
    rows = list(csv.DictReader(io.StringIO(c.get(f"/self-assessment/a/{a.token}/answers.csv").content.decode())))
    budget = next(r for r in rows if r["question"] == "st_budget")
    assert (budget["dimension"], budget["answer"], budget["answer_label"], budget["score"]) == (
        "strategy", "1", "Financement d’année en année", "1")  # ids and values as in English, texts in French
    assert budget["text"] == "La politique de clusters dispose-t-elle d’un budget pluriannuel\u00a0?"
    r = c.get(f"/self-assessment/a/{a.token}/result.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Stratégie et gouvernance" in text and "Points faibles et conseils" in text


@pytest.mark.parametrize(("key", "level"), [("stress_test", "1"), ("stress_test", "3"), ("cluster_excellence", "0")])
def test_the_same_answers_give_the_same_scores_in_both_languages(key, level):
    a = completed(key, level=level)
    services.assessment_save_answers(assessment=a, answers={"st_budget" if key == "stress_test" else "fn_private": "2"})
    a.refresh_from_db()
    shown = {}
    for lang in ("en", "fr"):
        with translation.override(lang):
            ctx = exports.result_context(a)
        res = ctx["result"]
        shown[lang] = (res.overall, res.by_dimension(), [(w.question, w.cost) for w in res.weak_points],
                       [d["score_text"] for d in ctx["dims"]])
        assert res.overall == pytest.approx(a.overall) and res.by_dimension() == pytest.approx(a.scores)
    assert shown["en"] == shown["fr"]
    en = page(Client(), f"/self-assessment/a/{a.token}/result/")
    fr = page(french(), f"/self-assessment/a/{a.token}/result/")
    score = re.compile(r'<span class="overall-score">(\d+)</span>')
    assert score.search(en).group(1) == score.search(fr).group(1)


def test_a_curators_version_without_translation_falls_back_to_english_with_a_notice():
    old = completed(level="1")  # answered on the shipped version, which has a translation
    draft = services.questionnaire_version_copy(version=questionnaire_current("stress_test"))
    draft.published = True
    draft.save()
    a = completed(level="1")
    assert a.definition["version"] == draft.version
    c = french()
    for url in (f"/self-assessment/a/{a.token}/step/1/", f"/self-assessment/a/{a.token}/result/",
                f"/self-assessment/a/{a.token}/"):
        html = page(c, url)
        assert FALLBACK_FR in html and "Strategy and governance" in html and "Stratégie et" not in html, url
        assert "Étape" in html or "Score global" in html or "Votre progression" in html  # the interface stays French
        assert CREDIT_FR not in html
    assert FALLBACK_FR in page(c, "/self-assessment/start/stress_test/")
    # a stored result keeps its own version: the old one is still shown in French
    html = page(c, f"/self-assessment/a/{old.token}/result/")
    assert "Stratégie et gouvernance" in html and FALLBACK_FR not in html
