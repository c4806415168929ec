"""Matchmaking: recommended partners for a profile or a partnership request, by a documented score with reasons.

For a source S (a profile, or a request with its organisation's region) and a candidate profile C::

    score = 0.35·shared + 0.25·complementary + 0.25·text + 0.15·geography            (0 ≤ score ≤ 1)

- shared = |S ∩ C| / |S ∪ C| over their cluster categories (Jaccard; 0 when both have none);
- complementary = share of C's categories not in S that are *related* to one of S's categories (0 when C has
  none outside S, or when the published dataset has no ``relatedness`` table: the reasons then say so);
- text = cosine similarity of TF-IDF vectors of the descriptions and keywords (words of 3+ letters, lower case;
  tf = count / words in the text, idf = ln((1 + N) / (1 + df)) + 1 over the N texts compared);
- geography = 1 in another country, 0.5 in another region of the same country, 0 in the same region
  (one NUTS code a prefix of the other).

Related categories: from the store's ``relatedness`` table (NUTS 2021, the finest level, the latest year, the first
method by name), a pair is related when its value is in the top decile of that slice's pairs.

Worked example (the test checks it): S = {a, b} in DE11, "battery cell recycling"; C1 = {b, c} in FR10,
"battery recycling plants"; C2 = {d} in DE12, "organic food"; related pairs {(a, c)}. N = 3 texts; df: battery 2,
recycling 2, cell 1, plants 1, organic 1, food 1 → idf(battery, recycling) = ln(4/3)+1 = 1.28768, idf(others)
= ln(4/2)+1 = 1.69315. S = (battery, cell, recycling)·(1/3) idf; C1 = (battery, recycling, plants)·(1/3) idf.
cos(S, C1) = (1.28768² + 1.28768²) / (1.28768² + 1.69315² + 1.28768²) = 3.31623 / 6.18295 = 0.53635.
C1: shared = 1/3, complementary = 1/1 (c is related to a), text = 0.53635, geography = 1 →
score = 0.35/3 + 0.25 + 0.25·0.53635 + 0.15 = 0.11667 + 0.25 + 0.13409 + 0.15 = 0.65076.
C2: shared = 0, complementary = 0/1, text = 0 (no word in common), geography = 0.5 → score = 0.075.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

log = logging.getLogger(__name__)

WEIGHTS = {"shared": 0.35, "complementary": 0.25, "text": 0.25, "geography": 0.15}
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
RELATED_QUANTILE = 0.9


@dataclass(frozen=True)
class Party:
    """What matchmaking knows of a profile or request."""

    key: int
    region: str
    categories: frozenset[str]
    text: str


@dataclass
class Match:
    key: int
    score: float
    parts: dict[str, float]
    shared: list[str] = field(default_factory=list)
    complementary: list[tuple[str, str]] = field(default_factory=list)  # (candidate's category, source's category)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")]


def tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    docs = [Counter(words(t)) for t in texts]
    n = len(docs)
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log((1 + n) / (1 + k)) + 1 for w, k in df.items()}
    return [{w: c / sum(d.values()) * idf[w] for w, c in d.items()} for d in docs]


def cosine(u: dict[str, float], v: dict[str, float]) -> float:
    dot = sum(x * v.get(w, 0.0) for w, x in u.items())
    nu, nv = math.sqrt(sum(x * x for x in u.values())), math.sqrt(sum(x * x for x in v.values()))
    return dot / (nu * nv) if nu and nv else 0.0


def geography(a: str, b: str) -> float:
    a, b = a.upper(), b.upper()
    if a[:2] != b[:2]:
        return 1.0
    return 0.0 if a.startswith(b) or b.startswith(a) else 0.5


def score(source: Party, candidates: Iterable[Party], related: set[frozenset[str]] | None) -> list[Match]:
    """Every candidate scored against the source, best first (ties by key)."""
    candidates = [c for c in candidates if c.key != source.key]
    vectors = tfidf([source.text] + [c.text for c in candidates])
    out = []
    for cand, vec in zip(candidates, vectors[1:], strict=True):
        union, common = source.categories | cand.categories, source.categories & cand.categories
        extra = sorted(cand.categories - source.categories)
        comp = [(c, s) for c in extra for s in sorted(source.categories) if frozenset((c, s)) in (related or set())]
        comp = list({c: (c, s) for c, s in comp}.values())
        parts = {"shared": len(common) / len(union) if union else 0.0,
                 "complementary": len(comp) / len(extra) if extra and related else 0.0,
                 "text": cosine(vectors[0], vec),
                 "geography": geography(source.region, cand.region)}
        total = sum(WEIGHTS[k] * v for k, v in parts.items())
        out.append(Match(cand.key, total, parts, sorted(common), comp))
    return sorted(out, key=lambda m: (-m.score, m.key))


def related_pairs(reads: VersionReads) -> tuple[set[frozenset[str]] | None, str | None]:
    """Related category pairs from the store's finest, latest ``relatedness`` matrix
    (``VersionReads.relatedness_latest``), or (None, None) when it is not published."""
    try:
        latest = reads.relatedness_latest()
    except Exception:  # a table of another shape: matchmaking goes on without it, and says so
        log.exception("relatedness table unreadable; matchmaking without complementary categories")
        return None, None
    if latest is None:
        return None, None
    method, level, year, df = latest
    if df.empty:
        return None, None
    cut = float(df["value"].quantile(RELATED_QUANTILE))
    top = df[df["value"] >= cut]
    pairs = {frozenset((str(i), str(j))) for i, j in zip(top["category_i"], top["category_j"], strict=True)}
    return pairs, f"{method}, NUTS {level}, {year}"
