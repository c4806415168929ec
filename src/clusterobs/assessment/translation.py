"""Translations of a questionnaire version: text only, keyed by the ids the definition already has.

A translation file sits beside its definition (``stress_test.fr.yml`` beside ``stress_test.yml``) and names the
version it translates. It holds the texts and nothing else: weights, scores, option values and the order of things
stay in the one definition, so a score cannot depend on the language. Its shape::

    key: stress_test
    version: "2026.1"
    language: fr
    title: …
    intro: …
    basis: …
    bands: {0: {label: …, description: …}, 40: {…}}          # keyed by `min`
    scales: {maturity: {"0": …, "1": …}}                      # level labels, keyed by option value
    dimensions: {strategy: {title: …, description: …, guidance: …}}
    questions:
      st_budget: {text: …, help: …, labels: {"0": …}, guidance: {"0": …, "1": …}}   # labels: if the question
      st_comment: {text: …}                                                       # relabels its scale or has options
    size_classes: {small: …}                                  # the benchmark's extras
    country_groups: {north_west: …}

``overlay`` checks that a translation covers every translatable text of its version and names no unknown id (each
problem with the file, the id and the reason, like ``DefinitionError`` elsewhere) and returns the definition with
the texts replaced; ``localise`` does it for a stored definition and a language, falling back to the original.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from clusterobs.assessment.definition import QUESTIONNAIRES, DefinitionError, Questionnaire, parse

#: the language the definitions are written in
SOURCE_LANGUAGE = "en"
HEADER = ("key", "version", "language")

Path_ = tuple[str, ...]


def _levels(raw_q: dict[str, Any], scales: dict[str, Any]) -> list[str]:
    """The option values of a choice question, in order (from its scale or its own options)."""
    items = scales.get(raw_q["scale"], []) if "scale" in raw_q else raw_q.get("options") or []
    return [str(item.get("value", item.get("score"))) for item in items]


def translatable(raw: dict[str, Any]) -> dict[Path_, str]:
    """Every text of a (valid) definition that a translation must give, by its place: ``("questions", "st_budget",
    "guidance", "0")`` → the English text."""
    out: dict[Path_, str] = {}

    def put(path: Path_, value: Any) -> None:
        if value not in (None, ""):
            out[path] = str(value)

    for k in ("title", "intro", "basis"):
        put((k,), raw.get(k))
    for b in raw.get("bands") or []:
        put(("bands", _band_key(b["min"]), "label"), b.get("label"))
        put(("bands", _band_key(b["min"]), "description"), b.get("description"))
    scales = raw.get("scales") or {}
    for name, levels in scales.items():
        for level in levels:
            put(("scales", name, str(level.get("value", level.get("score")))), level.get("label"))
    for d in raw.get("dimensions") or []:
        for k in ("title", "description", "guidance"):
            put(("dimensions", d["id"], k), d.get(k))
        for q in d.get("questions") or []:
            put(("questions", q["id"], "text"), q.get("text"))
            put(("questions", q["id"], "help"), q.get("help"))
            if q.get("kind", "choice") != "choice":
                continue
            values = _levels(q, scales)
            if "scale" in q:
                labels = q.get("labels") or [None] * len(values)
                guidance = q.get("guidance") or []
            else:
                labels = [o.get("label") for o in q["options"]]
                guidance = [o.get("guidance") for o in q["options"]]
            for value, label, text in zip(values, labels, guidance, strict=False):
                put(("questions", q["id"], "labels", value), label)
                put(("questions", q["id"], "guidance", value), text)
    for s in raw.get("size_classes") or []:
        put(("size_classes", str(s.get("value"))), s.get("label"))
    for gid, g in (raw.get("country_groups") or {}).items():
        put(("country_groups", str(gid)), g.get("label"))
    return out


def _band_key(value: Any) -> str:
    return f"{float(value):g}"


def _flatten(node: Any, path: Path_, out: dict[Path_, Any], source: str) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, bool) or k is None:
                raise DefinitionError(f"{source}, {'.'.join(path) or 'top level'}: key {k!r} is not an id "
                                      f"(quote it: YAML reads No/Yes/Off as booleans)")
            key = _band_key(k) if path == ("bands",) and isinstance(k, int | float) else str(k)
            _flatten(v, (*path, key), out, source)
    else:
        out[path] = node


def _describe(path: Path_) -> str:
    """A place in words: ``question st_budget, guidance of level 0``."""
    kinds = {"questions": "question", "dimensions": "dimension", "scales": "scale", "bands": "band from",
             "size_classes": "size class", "country_groups": "country group"}
    if len(path) == 1:
        return f"`{path[0]}`"
    head = f"{kinds.get(path[0], path[0])} {path[1]}"
    rest = path[2:]
    if path[0] == "scales":
        return f"{head}, level {rest[0]}" if rest else head
    if len(rest) == 2:
        return f"{head}, {'label' if rest[0] == 'labels' else rest[0]} of level {rest[1]}"
    return f"{head}, `{rest[0]}`" if rest else head


def check(raw: dict[str, Any], translation: Any, *, source: str = "<translation>") -> dict[Path_, str]:
    """The translated texts by place, or ``DefinitionError`` naming the file, the id and the reason of the first
    problem (and how many more there are): a text missing, an unknown id, a text that is not text."""
    if not isinstance(translation, dict):
        raise DefinitionError(f"{source}: a translation must be a mapping; got {type(translation).__name__}")
    for k in HEADER:
        if translation.get(k) in (None, ""):
            raise DefinitionError(f"{source}: `{k}` is required")
    for k in ("key", "version"):
        if str(translation[k]) != str(raw.get(k)):
            raise DefinitionError(f"{source}: `{k}` is {translation[k]!r} but the definition's is {raw.get(k)!r}")
    given: dict[Path_, Any] = {}
    _flatten({k: v for k, v in translation.items() if k not in HEADER}, (), given, source)
    expected = translatable(raw)
    problems = [f"{_describe(p)}: unknown id (not in version {raw.get('version')} of {raw.get('key')})"
                for p in given if p not in expected]
    problems += [f"{_describe(p)}: must be text; got {v!r}" for p, v in given.items()
                 if p in expected and (not isinstance(v, str) or not v.strip())]
    problems += [f"{_describe(p)}: missing (the definition has {expected[p][:60]!r})" for p in expected
                 if p not in given]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DefinitionError(f"{source}, {problems[0]}{more}")
    return {p: str(v) for p, v in given.items()}


def overlay(raw: dict[str, Any], translation: Any, *, source: str = "<translation>") -> dict[str, Any]:
    """The definition with its texts replaced by the (checked) translation; numbers and structure untouched."""
    texts = check(raw, translation, source=source)
    out = copy.deepcopy(raw)

    def put(node: dict[str, Any], k: str, *path: str) -> None:
        if path in texts:  # complete: every text the definition has is given
            node[k] = texts[path]

    for k in ("title", "intro", "basis"):
        put(out, k, k)
    for b in out.get("bands") or []:
        for k in ("label", "description"):
            put(b, k, "bands", _band_key(b["min"]), k)
    for name, levels in (out.get("scales") or {}).items():
        for level in levels:
            put(level, "label", "scales", name, str(level.get("value", level.get("score"))))
    for d in out.get("dimensions") or []:
        for k in ("title", "description", "guidance"):
            put(d, k, "dimensions", d["id"], k)
        for q in d.get("questions") or []:
            for k in ("text", "help"):
                put(q, k, "questions", q["id"], k)
            if q.get("kind", "choice") != "choice":
                continue
            values = _levels(q, raw.get("scales") or {})
            if "scale" in q:
                if q.get("labels"):
                    q["labels"] = [texts[("questions", q["id"], "labels", v)] for v in values]
                q["guidance"] = [texts[("questions", q["id"], "guidance", v)] for v in values]
            else:
                for v, o in zip(values, q["options"], strict=True):
                    put(o, "label", "questions", q["id"], "labels", v)
                    put(o, "guidance", "questions", q["id"], "guidance", v)
    for s in out.get("size_classes") or []:
        put(s, "label", "size_classes", str(s.get("value")))
    for gid, g in (out.get("country_groups") or {}).items():
        put(g, "label", "country_groups", str(gid))
    return out


def load_translation(path: Path | str, raw: dict[str, Any]) -> dict[str, Any]:
    """The definition ``raw`` overlaid with the translation file at ``path`` (checked against it)."""
    path = Path(path)
    try:
        translation = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: not valid YAML: {exc}") from exc
    return overlay(raw, translation, source=str(path))


def _language_of(path: Path) -> str:
    """``stress_test.fr.yml`` → ``fr``; a definition (``stress_test.yml``) has none."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) >= 3 else ""


def translation_files(directory: Path = QUESTIONNAIRES) -> dict[tuple[str, str, str], Path]:
    """The translation files of a folder: ``{(key, version, language): path}`` (each file names what it
    translates; old versions' files can stay beside the current one under another name)."""
    return _translation_files(directory, tuple((p, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.*.yml"))))


@functools.lru_cache(maxsize=8)
def _translation_files(directory: Path, files: tuple[tuple[Path, int], ...]) -> dict[tuple[str, str, str], Path]:
    out: dict[tuple[str, str, str], Path] = {}
    for path, _mtime in files:
        head = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(head, dict):
            raise DefinitionError(f"{path}: a translation must be a mapping")
        language = str(head.get("language") or "")
        if language != _language_of(path):
            raise DefinitionError(f"{path}: `language` is {language!r} but the file name says "
                                  f"{_language_of(path)!r}")
        where = (str(head.get("key")), str(head.get("version")), language)
        if where in out:
            raise DefinitionError(f"{path}: version {where[1]} of {where[0]} in {language} is translated by "
                                  f"{out[where]} already")
        out[where] = path
    return out


@dataclass(frozen=True)
class Localised:
    """A definition as shown in one language: ``translated`` is False when it fell back to the original."""

    questionnaire: Questionnaire
    language: str
    translated: bool
    #: the languages this version is translated into (besides the original)
    available: tuple[str, ...] = ()


@functools.lru_cache(maxsize=64)
def _overlaid(path: Path, mtime: int, raw_json: str) -> dict[str, Any]:
    return load_translation(path, json.loads(raw_json))


def localise(raw: dict[str, Any], language: str, *, source: str = "<definition>",
             directory: Path = QUESTIONNAIRES) -> Localised:
    """The stored definition ``raw`` in ``language`` (``fr``, or ``fr-be``): overlaid with the translation of its
    version when there is one, else as written (``translated`` False)."""
    lang = (language or SOURCE_LANGUAGE).split("-")[0].lower()
    files = translation_files(directory)
    key, version = str(raw.get("key")), str(raw.get("version"))
    available = tuple(sorted(lg for k, v, lg in files if (k, v) == (key, version)))
    path = files.get((key, version, lang))
    if lang == SOURCE_LANGUAGE or path is None:
        return Localised(parse(raw, source=source), lang, lang == SOURCE_LANGUAGE, available)
    # the stored definition is the one overlaid (a result keeps its copy); cached by its text
    text = json.dumps(raw, sort_keys=True)
    return Localised(parse(_overlaid(path, path.stat().st_mtime_ns, text), source=f"{source} ({path.name})"),
                     lang, True, available)
