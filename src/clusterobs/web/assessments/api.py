"""API of the self-assessments, mounted under /api/ by ``clusterobs.web.api``: the questionnaires (definitions)
and a result read through its private or public token (404 for any other)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from clusterobs.web.api_schemas import ERRORS
from clusterobs.web.assessments import selectors
from clusterobs.web.assessments.models import Assessment, QuestionnaireVersion

router = Router(tags=["assessments"])


class DimensionSummary(Schema):
    id: str
    title: str
    weight: float
    questions: int


class QuestionnaireSummary(Schema):
    key: str
    version: str
    title: str
    subject: str
    dimensions: list[DimensionSummary]


class ResultOut(Schema):
    questionnaire: str
    version: str
    completed: str | None
    overall: float | None
    dimensions: dict[str, float]
    region: str | None = None
    region_name: str | None = None
    size_class: str | None = None
    country_group: str | None = None
    name: str | None = None
    answers: dict[str, str] | None = None


def _summary(v: QuestionnaireVersion) -> dict[str, Any]:
    q = v.questionnaire()
    return {"key": q.key, "version": q.version, "title": q.title, "subject": q.subject,
            "dimensions": [{"id": d.id, "title": d.title, "weight": d.weight, "questions": len(d.scored)}
                           for d in q.dimensions]}


@router.get("/assessments/questionnaires", response={200: list[QuestionnaireSummary], **ERRORS},
            summary="The questionnaires offered (newest published versions)")
def questionnaire_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(v) for v in selectors.questionnaires_offered()]


@router.get("/assessments/questionnaires/{key}/{version}", response={200: dict[str, Any], **ERRORS},
            summary="One questionnaire version's full definition")
def questionnaire_get(request: HttpRequest, key: str, version: str) -> dict[str, Any]:
    v = QuestionnaireVersion.objects.filter(key=key, version=version, published=True).first()
    if v is None:
        raise HttpError(404, f"no published version {version!r} of questionnaire {key!r}")
    return v.definition


def _result(a: Assessment, *, public: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"questionnaire": a.definition.get("key"), "version": a.definition.get("version"),
                           "completed": a.completed_at.isoformat() if a.completed_at else None,
                           "overall": None if a.overall is None else round(a.overall, 2),
                           "dimensions": {k: round(v, 2) for k, v in (a.scores or {}).items()}}
    if a.region:
        out.update(region=a.region, region_name=a.region_name)
    else:
        out.update(size_class=a.size_class, country_group=a.country_group, name=a.name or None)
    if not public:
        out["answers"] = a.answers
    return out


@router.get("/assessments/results/{token}", response={200: ResultOut, **ERRORS},
            summary="A result through its private token")
def result_private(request: HttpRequest, token: str) -> dict[str, Any]:
    try:
        return _result(selectors.assessment_get(token), public=False)
    except Http404 as exc:
        raise HttpError(404, "no such assessment") from exc


@router.get("/assessments/public/{public_token}", response={200: ResultOut, **ERRORS}, exclude_none=True,
            summary="A published benchmark summary (no answers)")
def result_public(request: HttpRequest, public_token: str) -> dict[str, Any]:
    try:
        return _result(selectors.assessment_public_get(public_token), public=True)
    except Http404 as exc:
        raise HttpError(404, "no such summary") from exc
