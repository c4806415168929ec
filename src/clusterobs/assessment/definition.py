"""Questionnaire definitions: versioned YAML files read into typed, validated objects.

A definition has dimensions (weighted), each with questions. A ``choice`` question has answer options, each with
a score (a whole number, 0 upwards), a label and the guidance for a respondent at that level; a question has a
weight inside its dimension. A ``text`` question is an optional free-text comment (not scored). ``bands`` name score
ranges of the overall result. ``scales`` are shared option labels a question can refer to (``scale: maturity``),
with its own ``guidance`` list, one entry per option.

Every problem is reported with the file (or source name), the question or dimension, and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from clusterobs.errors import ClusterobsError

QUESTIONNAIRES = Path(__file__).resolve().parent / "questionnaires"
SUBJECTS = ("region", "organisation")
TEXT_MAX = 2000


class DefinitionError(ClusterobsError):
    """A questionnaire definition that cannot be used; the message names the file, the item and the reason."""


@dataclass(frozen=True)
class Option:
    value: str
    score: int
    label: str
    guidance: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str = "choice"  # choice (scored) or text (free comment, not scored)
    weight: float = 1.0
    help: str = ""
    options: tuple[Option, ...] = ()

    @property
    def max_score(self) -> int:
        return max((o.score for o in self.options), default=0)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    description: str
    weight: float
    guidance: str
    questions: tuple[Question, ...]

    @property
    def scored(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "choice")


@dataclass(frozen=True)
class Band:
    min: float
    label: str
    description: str


@dataclass(frozen=True)
class Questionnaire:
    key: str
    version: str
    title: str
    subject: str
    intro: str
    basis: str
    dimensions: tuple[Dimension, ...]
    bands: tuple[Band, ...] = ()
    weak_below: float = 50.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for d in self.dimensions for q in d.questions)

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def band(self, score: float) -> Band | None:
        hit = [b for b in self.bands if score >= b.min]
        return max(hit, key=lambda b: b.min) if hit else None


def _need(raw: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise DefinitionError(f"{where}: `{key}` is required")
    value = raw[key]
    if not isinstance(value, kind):
        raise DefinitionError(f"{where}: `{key}` must be {getattr(kind, '__name__', kind)}; got {value!r}")
    return value


def _weight(raw: dict[str, Any], where: str) -> float:
    w = raw.get("weight", 1)
    if isinstance(w, bool) or not isinstance(w, int | float) or w <= 0:
        raise DefinitionError(f"{where}: `weight` must be a number above 0; got {w!r}")
    return float(w)


def _options(raw: dict[str, Any], scales: dict[str, list[dict[str, Any]]], where: str) -> tuple[Option, ...]:
    if "scale" in raw:
        scale = scales.get(raw["scale"])
        if scale is None:
            raise DefinitionError(f"{where}: unknown scale {raw['scale']!r}; scales: {', '.join(scales) or 'none'}")
        guidance = raw.get("guidance")
        if not isinstance(guidance, list) or len(guidance) != len(scale):
            raise DefinitionError(f"{where}: `guidance` must list one text per level of scale {raw['scale']!r} "
                                  f"({len(scale)}); got {len(guidance) if isinstance(guidance, list) else guidance!r}")
        items = [{**level, "guidance": g} for level, g in zip(scale, guidance, strict=True)]
        labels = raw.get("labels")
        if labels is not None:
            if not isinstance(labels, list) or len(labels) != len(scale):
                raise DefinitionError(f"{where}: `labels` must list one label per level of the scale ({len(scale)})")
            items = [{**item, "label": label} for item, label in zip(items, labels, strict=True)]
    else:
        items = raw.get("options")
        if not isinstance(items, list):
            raise DefinitionError(f"{where}: a choice question needs `options` (a list) or a `scale`")
    if len(items) < 2:
        raise DefinitionError(f"{where}: a choice question needs at least 2 options; got {len(items)}")
    out: list[Option] = []
    for i, item in enumerate(items):
        at = f"{where}, option {i + 1}"
        score = item.get("score")
        if isinstance(score, bool) or not isinstance(score, int) or score < 0:
            raise DefinitionError(f"{at}: `score` must be a whole number >= 0; got {score!r}")
        value = str(item.get("value", score))
        out.append(Option(value=value, score=score, label=_need(item, "label", at),
                          guidance=_need(item, "guidance", at)))
    values = [o.value for o in out]
    if len(set(values)) != len(values):
        raise DefinitionError(f"{where}: option values must be unique; got {values}")
    if max(o.score for o in out) == 0:
        raise DefinitionError(f"{where}: at least one option must score above 0")
    return tuple(out)


def parse(raw: Any, *, source: str = "<definition>") -> Questionnaire:
    """A validated ``Questionnaire`` from the mapping read from YAML (or stored as JSON)."""
    if not isinstance(raw, dict):
        raise DefinitionError(f"{source}: a questionnaire must be a mapping; got {type(raw).__name__}")
    key = _need(raw, "key", source)
    version = str(_need(raw, "version", source, (str, int, float)))
    subject = _need(raw, "subject", source)
    if subject not in SUBJECTS:
        raise DefinitionError(f"{source}: `subject` must be one of {', '.join(SUBJECTS)}; got {subject!r}")
    scales = raw.get("scales") or {}
    if not isinstance(scales, dict):
        raise DefinitionError(f"{source}: `scales` must be a mapping of name to levels")
    dims_raw = raw.get("dimensions")
    if not isinstance(dims_raw, list) or not dims_raw:
        raise DefinitionError(f"{source}: `dimensions` must be a non-empty list")
    seen_q: set[str] = set()
    seen_d: set[str] = set()
    dims: list[Dimension] = []
    for i, d in enumerate(dims_raw):
        dwhere = f"{source}, dimension {d.get('id', i + 1) if isinstance(d, dict) else i + 1}"
        if not isinstance(d, dict):
            raise DefinitionError(f"{dwhere}: must be a mapping")
        did = _need(d, "id", dwhere)
        if did in seen_d:
            raise DefinitionError(f"{dwhere}: duplicate dimension id {did!r}")
        seen_d.add(did)
        questions: list[Question] = []
        for j, q in enumerate(d.get("questions") or []):
            qwhere = f"{source}, question {q.get('id', j + 1) if isinstance(q, dict) else j + 1} ({did})"
            if not isinstance(q, dict):
                raise DefinitionError(f"{qwhere}: must be a mapping")
            qid = _need(q, "id", qwhere)
            if qid in seen_q:
                raise DefinitionError(f"{qwhere}: duplicate question id {qid!r}")
            seen_q.add(qid)
            kind = q.get("kind", "choice")
            if kind not in ("choice", "text"):
                raise DefinitionError(f"{qwhere}: `kind` must be choice or text; got {kind!r}")
            opts = _options(q, scales, qwhere) if kind == "choice" else ()
            questions.append(Question(id=qid, text=_need(q, "text", qwhere), kind=kind, weight=_weight(q, qwhere),
                                      help=str(q.get("help") or ""), options=opts))
        if not any(q.kind == "choice" for q in questions):
            raise DefinitionError(f"{dwhere}: needs at least one choice question")
        dims.append(Dimension(id=did, title=_need(d, "title", dwhere), description=str(d.get("description") or ""),
                              weight=_weight(d, dwhere), guidance=_need(d, "guidance", dwhere),
                              questions=tuple(questions)))
    bands = []
    for b in raw.get("bands") or []:
        if not isinstance(b, dict) or not isinstance(b.get("min"), int | float):
            raise DefinitionError(f"{source}: every band needs a numeric `min`; got {b!r}")
        bands.append(Band(min=float(b["min"]), label=_need(b, "label", f"{source}, band"),
                          description=str(b.get("description") or "")))
    weak = raw.get("weak_below", 50)
    if not isinstance(weak, int | float) or not 0 < weak <= 100:
        raise DefinitionError(f"{source}: `weak_below` must be a number in (0, 100]; got {weak!r}")
    known = {"key", "version", "title", "subject", "intro", "basis", "scales", "dimensions", "bands", "weak_below"}
    return Questionnaire(key=key, version=version, title=_need(raw, "title", source), subject=subject,
                         intro=str(raw.get("intro") or ""), basis=str(raw.get("basis") or ""),
                         dimensions=tuple(dims), bands=tuple(sorted(bands, key=lambda b: b.min)),
                         weak_below=float(weak), extra={k: v for k, v in raw.items() if k not in known})


def parse_yaml(text: str, *, source: str = "<yaml>") -> Questionnaire:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{source}: not valid YAML: {exc}") from exc
    return parse(raw, source=source)


def load(path: Path | str) -> Questionnaire:
    path = Path(path)
    return parse_yaml(path.read_text(encoding="utf-8"), source=str(path))


def bundled() -> dict[str, Path]:
    """The questionnaire files shipped with clusterobs: ``{key: path}`` (the file name is ``<key>.yml``; its
    translations, ``<key>.<language>.yml``, are not definitions)."""
    return {p.stem: p for p in sorted(QUESTIONNAIRES.glob("*.yml")) if "." not in p.stem}
