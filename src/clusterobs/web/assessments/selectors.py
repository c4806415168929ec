"""Reads of the self-assessments (HackSoft selectors): questionnaires offered, an assessment by its token, its
result and comparison group, and the observatory's own data on the assessed region."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from clusterobs.assessment import Comparison, Questionnaire, Result, compare, score
from clusterobs.web import dataset
from clusterobs.web.assessments.models import Assessment, QuestionnaireVersion

log = logging.getLogger(__name__)

SCOREBOARD_TABLE = "scoreboard_strengths"
SCOREBOARD_ROWS = 8
STARRED_ROWS = 12


def questionnaire_current(key: str) -> QuestionnaireVersion:
    """The newest published version of questionnaire ``key`` (the shipped ones are loaded on first use)."""
    from clusterobs.web.assessments.services import questionnaires_load_bundled

    qs = QuestionnaireVersion.objects.filter(key=key, published=True).order_by("-created_at", "-pk")
    version = qs.first()
    if version is None:
        questionnaires_load_bundled()
        version = qs.first()
    if version is None:
        raise Http404(f"no published questionnaire {key!r}")
    return version


def questionnaires_offered() -> list[QuestionnaireVersion]:
    from clusterobs.web.assessments.services import questionnaires_load_bundled

    questionnaires_load_bundled()
    keys = QuestionnaireVersion.objects.filter(published=True).values_list("key", flat=True).distinct()
    return [questionnaire_current(k) for k in sorted(set(keys), key=lambda k: (k != "stress_test", k))]


def assessment_get(token: str) -> Assessment:
    """The assessment with this private token; 404 otherwise (never 403: nothing says whether it exists)."""
    hit = Assessment.objects.select_related("questionnaire").filter(token=token).first() if token else None
    if hit is None:
        raise Http404("no such assessment")
    return hit


def assessment_public_get(public_token: str) -> Assessment:
    hit = (Assessment.objects.select_related("questionnaire")
           .filter(public_token=public_token, completed_at__isnull=False).first() if public_token else None)
    if hit is None:
        raise Http404("no such summary")
    return hit


def assessment_list(*, owner: Any = None, tokens: list[str] | None = None) -> list[Assessment]:
    """The assessments of a logged-in user, or those whose tokens this browser session holds."""
    if getattr(owner, "is_authenticated", False):
        return list(Assessment.objects.filter(owner=owner).select_related("questionnaire"))
    if tokens:
        return list(Assessment.objects.filter(token__in=tokens[-50:], owner__isnull=True)
                    .select_related("questionnaire"))
    return []


def assessment_result(assessment: Assessment) -> Result:
    return score(assessment.questionnaire_def(), assessment.answers)


def size_classes(q: Questionnaire) -> list[dict[str, str]]:
    return [{"value": str(s["value"]), "label": str(s["label"])} for s in q.extra.get("size_classes", [])]


def country_groups(q: Questionnaire) -> dict[str, dict[str, Any]]:
    return dict(q.extra.get("country_groups", {}))


def country_group_of(q: Questionnaire, country: str) -> str:
    for key, group in country_groups(q).items():
        if country in group.get("countries", []):
            return key
    return ""


@dataclass(frozen=True)
class PeerGroup:
    comparison: Comparison | None
    n: int
    description: str  # which assessments form the group (no respondent named)


def assessment_comparison(assessment: Assessment, shown: Questionnaire | None = None) -> PeerGroup:
    """The anonymous aggregate of the other completed assessments of the same questionnaire version (for an
    organisation: of the same size class and country group too), or no comparison below five of them; the group
    is described with the labels of ``shown`` (the definition in the page's language) if given."""
    peers = Assessment.objects.filter(questionnaire_id=assessment.questionnaire_id, completed_at__isnull=False,
                                      scores__isnull=False).exclude(pk=assessment.pk)
    q = shown or assessment.questionnaire_def()
    if q.subject == "organisation":
        peers = peers.filter(size_class=assessment.size_class, country_group=assessment.country_group)
        size = next((s["label"] for s in size_classes(q) if s["value"] == assessment.size_class),
                    assessment.size_class)
        group = country_groups(q).get(assessment.country_group, {}).get("label", assessment.country_group)
        description = f"{size} · {group}"
    else:
        description = ""
    rows = [{"overall": p.overall, "dimensions": p.scores} for p in peers.only("overall", "scores")]
    mine = {"overall": assessment.overall, "dimensions": assessment.scores or {}}
    return PeerGroup(comparison=compare(mine, rows) if assessment.scores else None, n=len(rows),
                     description=description)


# ---- the observatory's own data on the assessed region ----------------------------------------------------


def region_choices() -> list[dict[str, str]]:
    """NUTS 2021 countries and regions (levels 0-2) for the start form; empty without a published dataset."""
    try:
        regions = dataset.data().regions
    except dataset.NotFound:
        return []
    rows = regions[regions["level"] <= 2]
    return [{"code": r.code, "name": str(r.name), "level": int(r.level)} for r in rows.itertuples()]


def region_check(code: str) -> dict[str, Any]:
    """The region (``NotFound`` when the code is not a NUTS 2021 code of the published dataset)."""
    return dataset.region_get(code.strip().upper())


def starred_clusters(code: str) -> list[dict[str, Any]]:
    """The region's starred clusters under the default scheme in the latest year (most stars first)."""
    try:
        region = dataset.region_get(code)
        m = dataset.measures(region=code, level=int(region["level"]), min_stars=1)
    except (dataset.NotFound, dataset.BadParameter, dataset.NoDataset):
        return []
    except Exception:  # the page must not fail because the engine tables are missing
        log.exception("starred clusters of %s could not be read", code)
        return []
    m = m[m["employment"].notna()].sort_values(["stars", "employment"], ascending=[False, False])
    return [{"category": r.category, "name": r.category_name, "stars": int(r.stars), "year": int(r.year),
             "scheme": r.scheme, "employment": r.employment, "lq": r.lq} for r in m.head(STARRED_ROWS).itertuples()]


def scoreboard_weaknesses(obs: Any, code: str) -> list[dict[str, Any]] | None:
    """The region's weaknesses from the Regional Ecosystem Scoreboard's ``scoreboard_strengths`` table, or None
    when the published dataset has no such table (the scoreboard is computed by another stage)."""
    if SCOREBOARD_TABLE not in obs.tables:
        return None
    try:
        df = obs.scoreboard_weaknesses(code, table=SCOREBOARD_TABLE)
    except Exception:  # a table of another shape: say nothing rather than fail the page
        log.exception("%s could not be read for %s", SCOREBOARD_TABLE, code)
        return None
    return df.head(SCOREBOARD_ROWS).to_dict("records")


def region_data(code: str) -> dict[str, Any]:
    """Starred clusters and, where the scoreboard exists, its weaknesses for ``code``."""
    try:
        obs = dataset.data()
    except dataset.NotFound:
        return {"starred": [], "weaknesses": None}
    return {"starred": starred_clusters(code), "weaknesses": scoreboard_weaknesses(obs, code)}
