"""Writes of the self-assessments (HackSoft services): load the bundled questionnaires, start, save, complete,
publish a summary, copy a version for curators."""

from __future__ import annotations

from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterobs.assessment import AnswerError, Questionnaire, bundled, parse_yaml, score, validate
from clusterobs.assessment.scoring import check_answer
from clusterobs.web.assessments.models import Assessment, QuestionnaireVersion, new_token


def questionnaire_version_from_yaml(*, text: str, published: bool = False,
                                    source: str = "<admin>") -> QuestionnaireVersion:
    """A new version from YAML text (``DefinitionError`` names the problem); key, version and title from it."""
    q = parse_yaml(text, source=source)
    return QuestionnaireVersion.objects.create(key=q.key, version=q.version, title=q.title, source=text,
                                               definition=yaml.safe_load(text), published=published)


def questionnaires_load_bundled() -> list[QuestionnaireVersion]:
    """Create (published) the shipped questionnaire versions that the database does not have yet."""
    created = []
    for key, path in bundled().items():
        text = path.read_text(encoding="utf-8")
        q = parse_yaml(text, source=str(path))
        if not QuestionnaireVersion.objects.filter(key=key, version=q.version).exists():
            try:
                with transaction.atomic():
                    created.append(questionnaire_version_from_yaml(text=text, published=True, source=str(path)))
            except IntegrityError:  # another worker loaded it at the same moment
                pass
    return created


def questionnaire_version_copy(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A draft copy of ``version`` under the next free version name (``2026.1`` → ``2026.1.1``), to edit."""
    n = 1
    while QuestionnaireVersion.objects.filter(key=version.key, version=f"{version.version}.{n}").exists():
        n += 1
    new = f"{version.version}.{n}"
    raw = dict(version.definition)
    raw["version"] = new
    text = version.source
    lines = text.splitlines()
    for i, line in enumerate(lines):  # keep the curator's YAML (comments included): rewrite the top-level version
        if line.startswith("version:"):
            lines[i] = f'version: "{new}"'
            break
    text = "\n".join(lines) + "\n"
    parse_yaml(text, source=f"copy of {version}")
    return QuestionnaireVersion.objects.create(key=version.key, version=new, title=version.title, source=text,
                                               definition=yaml.safe_load(text), published=False)


def assessment_start(*, version: QuestionnaireVersion, owner: Any = None, **subject: str) -> Assessment:
    """A new assessment on ``version`` (its definition copied), for a region or an organisation."""
    owner = owner if getattr(owner, "is_authenticated", False) else None
    return Assessment.objects.create(questionnaire=version, definition=version.definition, owner=owner,
                                     token=new_token(), **subject)


def _rescore(assessment: Assessment, q: Questionnaire) -> None:
    result = score(q, assessment.answers)
    assessment.overall = result.overall
    assessment.scores = result.by_dimension()


def assessment_save_answers(*, assessment: Assessment, answers: dict[str, Any]) -> dict[str, str]:
    """Save every valid answer given (an empty one clears it); return the reasons of the invalid ones.

    A completed assessment is scored again, so its result follows an edited answer.
    """
    q = assessment.questionnaire_def()
    known = {x.id: x for x in q.questions}
    errors: dict[str, str] = {}
    merged = dict(assessment.answers)
    for qid, value in answers.items():
        if qid not in known:
            errors[qid] = "unknown question"
            continue
        reason = check_answer(known[qid], value)
        if reason:
            errors[qid] = reason
        elif value in (None, ""):
            merged.pop(qid, None)
        else:
            merged[qid] = str(value)
    assessment.answers = merged
    if assessment.completed:
        try:
            _rescore(assessment, q)
        except AnswerError as exc:  # an answer was cleared: the assessment is open again
            assessment.completed_at = None
            assessment.overall = assessment.scores = None
            errors.update({k: v for k, v in exc.errors.items() if k in answers})
    assessment.save()
    return errors


def assessment_complete(*, assessment: Assessment) -> Assessment:
    """Score and close the assessment (``AnswerError`` lists the questions still to answer)."""
    q = assessment.questionnaire_def()
    validate(q, assessment.answers, complete=True)
    _rescore(assessment, q)
    assessment.completed_at = assessment.completed_at or timezone.now()
    assessment.save()
    return assessment


def assessment_publish(*, assessment: Assessment, publish: bool) -> Assessment:
    """Give the result a read-only public summary link (a separate token), or withdraw it (the old link dies)."""
    assessment.public_token = new_token() if publish else None
    assessment.save(update_fields=["public_token", "updated_at"])
    return assessment


def assessment_delete(*, assessment: Assessment) -> None:
    """Delete the assessment and its answers for good (its private and public links then answer 404)."""
    assessment.delete()
