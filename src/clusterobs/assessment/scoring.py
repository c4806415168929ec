"""Answers checked against a definition, and scored: per dimension, overall, weak points with their guidance.

Scores are on 0-100. A choice question contributes its answer's score over the question's highest score; a
dimension's score is the weighted mean of its questions' shares, times 100::

    dimension = 100 * sum(w_q * score_q / max_q) / sum(w_q)
    overall   = sum(W_d * dimension_d) / sum(W_d)

A weak point is an answered question whose share is below ``weak_below`` percent (default 50): its guidance is the
text of the level chosen. Weak points are ordered by the points they cost the overall score (the largest first).
A dimension below ``weak_below`` is a weak dimension, with the dimension's own guidance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clusterobs.assessment.definition import TEXT_MAX, Questionnaire
from clusterobs.errors import ClusterobsError


class AnswerError(ClusterobsError):
    """Answers that do not fit the definition; ``errors`` maps question id to the reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def check_answer(q_def: Any, value: Any) -> str | None:
    """The reason an answer is invalid for its question, or None (an empty answer is valid: not answered yet)."""
    if value in (None, ""):
        return None
    if q_def.kind == "text":
        if not isinstance(value, str):
            return "must be text"
        if len(value) > TEXT_MAX:
            return f"must be at most {TEXT_MAX} characters; got {len(value)}"
        return None
    if q_def.option(str(value)) is None:
        return f"must be one of {', '.join(o.value for o in q_def.options)}; got {value!r}"
    return None


def validate(definition: Questionnaire, answers: dict[str, Any], *, complete: bool = False) -> dict[str, Any]:
    """The answers cleaned (strings, empty dropped), or ``AnswerError``; ``complete`` requires every choice."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    known = {q.id: q for q in definition.questions}
    for qid, value in answers.items():
        q = known.get(qid)
        if q is None:
            errors[qid] = "unknown question"
            continue
        reason = check_answer(q, value)
        if reason:
            errors[qid] = reason
        elif value not in (None, ""):
            clean[qid] = str(value)
    if complete:
        for q in definition.questions:
            if q.kind == "choice" and q.id not in clean and q.id not in errors:
                errors[q.id] = "an answer is required"
    if errors:
        raise AnswerError(errors)
    return clean


def missing(definition: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """Ids of the choice questions not answered yet, in the order asked."""
    return [q.id for q in definition.questions if q.kind == "choice" and answers.get(q.id) in (None, "")]


@dataclass(frozen=True)
class WeakPoint:
    dimension: str
    question: str
    text: str
    answer: str
    share: float  # score over the question's maximum, 0-1
    cost: float  # points of the overall score lost on this question
    guidance: str


@dataclass(frozen=True)
class DimensionScore:
    id: str
    title: str
    score: float
    weight: float
    answered: int
    questions: int
    weak: bool
    guidance: str


@dataclass(frozen=True)
class Result:
    key: str
    version: str
    overall: float
    dimensions: tuple[DimensionScore, ...]
    weak_points: tuple[WeakPoint, ...]
    band: str = ""
    band_description: str = ""
    comments: dict[str, str] = field(default_factory=dict)

    def by_dimension(self) -> dict[str, float]:
        return {d.id: d.score for d in self.dimensions}

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "version": self.version, "overall": self.overall, "band": self.band,
                "dimensions": self.by_dimension()}


def score(definition: Questionnaire, answers: dict[str, Any]) -> Result:
    """Score a complete set of answers (``AnswerError`` when one is invalid or missing)."""
    clean = validate(definition, answers, complete=True)
    total_w = sum(d.weight for d in definition.dimensions)
    dims: list[DimensionScore] = []
    weak: list[WeakPoint] = []
    for d in definition.dimensions:
        qs = d.scored
        qw = sum(q.weight for q in qs)
        shares = {q.id: q.option(clean[q.id]).score / q.max_score for q in qs}  # type: ignore[union-attr]
        value = 100 * sum(q.weight * shares[q.id] for q in qs) / qw
        dims.append(DimensionScore(id=d.id, title=d.title, score=value, weight=d.weight, answered=len(qs),
                                   questions=len(qs), weak=value < definition.weak_below, guidance=d.guidance))
        for q in qs:
            if 100 * shares[q.id] < definition.weak_below:
                opt = q.option(clean[q.id])
                cost = 100 * (d.weight / total_w) * (q.weight / qw) * (1 - shares[q.id])
                weak.append(WeakPoint(dimension=d.id, question=q.id, text=q.text, answer=opt.label,  # type: ignore
                                      share=shares[q.id], cost=cost, guidance=opt.guidance))  # type: ignore
    overall = sum(d.weight * d.score for d in dims) / total_w
    band = definition.band(overall)
    comments = {q.id: clean[q.id] for q in definition.questions if q.kind == "text" and q.id in clean}
    weak.sort(key=lambda w: (-w.cost, w.question))
    return Result(key=definition.key, version=definition.version, overall=overall, dimensions=tuple(dims),
                  weak_points=tuple(weak), band=band.label if band else "",
                  band_description=band.description if band else "", comments=comments)
