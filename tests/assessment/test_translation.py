"""Translations of a questionnaire version: text only, complete, no unknown id; the scores never depend on them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clusterobs.assessment import DefinitionError, bundled, parse, score
from clusterobs.assessment.definition import QUESTIONNAIRES
from clusterobs.assessment.translation import check, localise, overlay, translatable, translation_files

DEFINITION = """
key: t
version: "1"
title: T
subject: region
bands: [{min: 0, label: Low}, {min: 50, label: High, description: Good}]
scales:
  s: [{value: "0", score: 0, label: "No"}, {value: "1", score: 2, label: "Yes"}]
dimensions:
  - id: a
    title: A
    guidance: do a
    questions:
      - {id: a1, text: 'A1?', scale: s, guidance: [g0, g1]}
      - {id: a2, text: 'A2?', help: h2, scale: s, labels: [Never, Always], guidance: [g0, g1]}
      - id: a3
        text: A3?
        weight: 2
        options: [{value: x, score: 0, label: X, guidance: gx}, {value: y, score: 1, label: Y, guidance: gy}]
      - {id: a_comment, kind: text, text: Comment}
"""

TRANSLATION = """
key: t
version: "1"
language: fr
title: T fr
bands: {0: {label: Bas}, 50: {label: Haut, description: Bien}}
scales: {s: {"0": Non, "1": Oui}}
dimensions: {a: {title: A fr, guidance: faire a}}
questions:
  a1: {text: "A1 fr ?", guidance: {"0": g0 fr, "1": g1 fr}}
  a2: {text: "A2 fr ?", help: h2 fr, labels: {"0": Jamais, "1": Toujours}, guidance: {"0": g0 fr, "1": g1 fr}}
  a3: {text: "A3 fr ?", labels: {x: X fr, y: Y fr}, guidance: {x: gx fr, y: gy fr}}
  a_comment: {text: Commentaire}
"""


def numbers(q) -> list:
    return [q.key, q.version, q.subject, q.weak_below, [b.min for b in q.bands],
            [(d.id, d.weight, [(x.id, x.kind, x.weight, [(o.value, o.score) for o in x.options]) for x in d.questions])
             for d in q.dimensions]]


def raw() -> dict:
    return yaml.safe_load(DEFINITION)


def test_a_translation_replaces_every_text_and_nothing_else():
    en, fr = raw(), overlay(raw(), yaml.safe_load(TRANSLATION), source="t.fr.yml")
    assert len(translatable(en)) == 23
    assert fr["title"] == "T fr" and fr["dimensions"][0]["questions"][1]["labels"] == ["Jamais", "Toujours"]
    assert fr["scales"]["s"][1] == {"value": "1", "score": 2, "label": "Oui"}
    assert fr["dimensions"][0]["questions"][2]["options"][1] == {"value": "y", "score": 1, "label": "Y fr",
                                                                 "guidance": "gy fr"}
    assert numbers(parse(fr)) == numbers(parse(en))  # the same ids, weights, values, scores and order
    assert en["title"] == "T"  # the definition itself is left as it was


#: a change to the good translation, and the start of the error it gets: the file, the id, the reason
REFUSED = {
    "t.fr.yml, question a_comment, `text`: missing (the definition has 'Comment')":
        ("  a_comment: {text: Commentaire}\n", ""),
    "t.fr.yml, question a3, guidance of level y: missing": ("guidance: {x: gx fr, y: gy fr}", "guidance: {x: gx fr}"),
    "t.fr.yml, question a9, `text`: unknown id (not in version 1 of t)":
        ("  a_comment: {text: Commentaire}\n", "  a_comment: {text: Commentaire}\n  a9: {text: Neuf}\n"),
    "t.fr.yml, dimension b, `title`: unknown id": ("dimensions: {a:", "dimensions: {b: {title: B}, a:"),
    "t.fr.yml, scale s, level 2: unknown id":
        ('scales: {s: {"0": Non, "1": Oui}}', 'scales: {s: {"0": Non, "1": Oui, "2": Peut-être}}'),
    "t.fr.yml, question a1, `weight`: unknown id": ('{text: "A1 fr ?",', '{text: "A1 fr ?", weight: 3,'),
    "t.fr.yml, `title`: must be text; got ''": ("title: T fr", 'title: ""'),
    "t.fr.yml, questions.a2.labels: key False is not an id": ('labels: {"0": Jamais', "labels: {No: Jamais"),
    "t.fr.yml: `version` is '2' but the definition's is '1'": ('version: "1"', 'version: "2"'),
    "t.fr.yml: `language` is required": ("language: fr\n", ""),
}


@pytest.mark.parametrize("message", list(REFUSED))
def test_an_incomplete_or_unknown_translation_names_the_file_the_id_and_the_reason(message):
    broken = yaml.safe_load(TRANSLATION.replace(*REFUSED[message]))
    with pytest.raises(DefinitionError) as refused:
        check(raw(), broken, source="t.fr.yml")
    assert str(refused.value).startswith(message)


def test_more_problems_are_counted():
    broken = TRANSLATION.replace("  a_comment: {text: Commentaire}\n", "").replace("title: T fr\n", "")
    with pytest.raises(DefinitionError, match=r"\(and 1 more\)"):
        check(raw(), yaml.safe_load(broken), source="t.fr.yml")


def test_shipped_translations_cover_their_versions():
    files = translation_files()
    assert {(k, lang) for k, _v, lang in files} == {("stress_test", "fr"), ("cluster_excellence", "fr")}
    assert set(bundled()) == {"stress_test", "cluster_excellence"}  # a translation is not a questionnaire
    total = 0
    for key, path in bundled().items():
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (key, definition["version"], "fr") in files
        total += len(translatable(definition))
        fr = localise(definition, "fr")
        assert fr.translated and fr.language == "fr"
        en = localise(definition, "en").questionnaire
        for q_en, q_fr in zip(en.questions, fr.questionnaire.questions, strict=True):
            assert (q_en.id, q_en.weight, q_en.kind) == (q_fr.id, q_fr.weight, q_fr.kind)
            assert [(o.value, o.score) for o in q_en.options] == [(o.value, o.score) for o in q_fr.options]
            assert q_fr.text != q_en.text and all(o.guidance for o in q_fr.options)
    assert total == 437
    stress = localise(yaml.safe_load(bundled()["stress_test"].read_text()), "fr-be").questionnaire
    assert stress.question("st_budget").text == "La politique de clusters dispose-t-elle d’un budget pluriannuel\u00a0?"
    assert stress.dimension("strategy").title == "Stratégie et gouvernance"


@pytest.mark.parametrize("key", ["stress_test", "cluster_excellence"])
@pytest.mark.parametrize("pattern", ["0123", "3210", "2222", "1302"])
def test_the_same_answers_score_the_same_in_both_languages(key, pattern):
    definition = yaml.safe_load(bundled()[key].read_text(encoding="utf-8"))
    en, fr = localise(definition, "en").questionnaire, localise(definition, "fr").questionnaire
    choices = [q for q in en.questions if q.kind == "choice"]
    answers = {q.id: pattern[i % 4] for i, q in enumerate(choices)}
    r_en, r_fr = score(en, answers), score(fr, answers)
    assert r_en.overall == r_fr.overall and r_en.by_dimension() == r_fr.by_dimension()
    assert [(w.question, w.cost) for w in r_en.weak_points] == [(w.question, w.cost) for w in r_fr.weak_points]
    if r_fr.weak_points:
        assert r_fr.weak_points[0].guidance != r_en.weak_points[0].guidance


def test_a_version_without_translation_falls_back(tmp_path: Path):
    definition = yaml.safe_load(bundled()["stress_test"].read_text(encoding="utf-8"))
    definition["version"] = "2026.1.1"  # a curator's copy
    shown = localise(definition, "fr")
    assert not shown.translated and shown.questionnaire.dimension("strategy").title == "Strategy and governance"
    assert localise(definition, "en").translated  # the original language needs no translation
    (tmp_path / "t.de.yml").write_text("key: t\nversion: '1'\nlanguage: fr\n")
    with pytest.raises(DefinitionError, match="`language` is 'fr' but the file name says 'de'"):
        translation_files(tmp_path)
    assert QUESTIONNAIRES.is_dir()
