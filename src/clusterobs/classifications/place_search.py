"""Find a NUTS 2021 region by what people call it: its code, its national or Latin-script name, the name of one of
its NUTS 3 regions, one of its cities or a common English or French name.

The names come from three places:

* the store's ``regions`` (GISCO NUTS 2021, levels 0-2: ``NUTS_NAME`` and ``NAME_LATN``);
* the NUTS 3 names of GISCO NUTS 2016 (the mirror has no NUTS 2021 level-3 file), each under the NUTS 2021 level-2
  region holding it: its 2016 parent when that code is also a 2021 level-2 code, else the single 2021 region the JRC
  matrix sends the whole 2016 parent to; a NUTS 3 whose 2016 parent was split (HR04, NO03, NO05) is left out;
* ``place_names.csv``, written for the project: cities (each EU capital and the largest cities of the EU, EFTA, the
  UK and candidate countries) and exonyms (English and French names of countries and regions), each with the NUTS
  2021 region holding it and the source of the name.

Matching folds case and accents (Unicode NFKD, combining marks dropped, a few letters that do not decompose
mapped: ł→l, ø→o, đ→d, æ→ae, œ→oe, ß→ss) and punctuation to spaces, so "ile de france" finds "Île-de-France".
A region's best match ranks it (``TIERS``): an exact code, then an exact name, an exact city or exonym, an exact
NUTS 3 name, then prefixes in that order, then every word of the query starting a word of the name, then a name
merely containing the query.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

PLACE_NAMES = Path(__file__).with_name("place_names.csv")
PLACE_COLUMNS = ["name", "lang", "nuts_code", "kind", "source"]
PLACE_KINDS = ("city", "exonym")
#: how a region was matched → its rank among the tiers of one kind of match (lower is better)
VIA_ORDER = {"code": 0, "name": 1, "city": 2, "exonym": 2, "nuts3": 3}
#: kinds of match: exact, prefix, words, contains; a match's tier is kind × 4 + VIA_ORDER
TIERS = ("exact", "prefix", "words", "contains")
_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae",
                          "œ": "oe", "Œ": "oe", "ß": "ss", "ı": "i", "þ": "th", "ð": "d"})
_NOT_ALNUM = re.compile(r"[^0-9a-z\u0370-\u03ff\u0400-\u04ff]+")
_PARENS = re.compile(r"\s*\([^)]*\)")
_LANG = re.compile(r"^[a-z]{2}$")
_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: "Île-de-France" → "ile de france"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NOT_ALNUM.sub(" ", bare).strip()


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is in Latin script (GISCO's Greek, Bulgarian and Serbian names are not)."""
    return all("LATIN" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


def name_variants(name: str) -> set[str]:
    """The folded forms a name is found by: the whole name, each part of a bilingual "A/B" name, the name without a
    "(BE)"-style qualifier or a "Prov." prefix, and what comes before a comma ("München, Kreisfreie Stadt")."""
    out = set()
    for part in [name, *name.split("/")]:
        for form in (part, _PARENS.sub("", part), part.split(",")[0]):
            form = re.sub(r"^\s*Prov\.\s*", "", form)
            if folded := fold(form):
                out.add(folded)
    return out


def load_place_names(path: Path = PLACE_NAMES, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """``place_names.csv`` checked: every column filled, a known kind, a two-letter language, a NUTS code (one of
    ``codes`` when given) and no name given twice for the same region; a bad row raises ``ValueError`` naming the
    file, the row and the reason."""
    known = set(codes) if codes is not None else None
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != PLACE_COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(PLACE_COLUMNS)}; got {reader.fieldnames}")
        rows, seen = [], set()
        for line, row in enumerate(reader, start=2):
            empty = [c for c in PLACE_COLUMNS if not (row.get(c) or "").strip()]
            if empty:
                raise ValueError(f"{path}: row {line}: empty {', '.join(empty)}")
            if row["kind"] not in PLACE_KINDS:
                raise ValueError(f"{path}: row {line}: kind must be one of {', '.join(PLACE_KINDS)}; "
                                 f"got {row['kind']!r}")
            if not _LANG.match(row["lang"]):
                raise ValueError(f"{path}: row {line}: lang must be a two-letter ISO 639-1 code; got {row['lang']!r}")
            code = row["nuts_code"]
            if not _CODE.match(code) or (known is not None and code not in known):
                raise ValueError(f"{path}: row {line}: {code!r} is not a NUTS 2021 code (levels 0-2)")
            if (fold(row["name"]), code) in seen:
                raise ValueError(f"{path}: row {line}: {row['name']!r} is already given for {code}")
            seen.add((fold(row["name"]), code))
            rows.append({c: row[c].strip() for c in PLACE_COLUMNS})
    return pd.DataFrame(rows, columns=PLACE_COLUMNS)


def nuts3_under_2021(nuts3: pd.DataFrame, codes_2021: Iterable[str], conversion: pd.DataFrame) -> pd.DataFrame:
    """NUTS 2016 level-3 names (``code, name, name_latn, parent``) with ``region``: the NUTS 2021 level-2 region
    holding each (see the module docstring); ``conversion`` is the JRC 2016→2021 level-2 matrix (``code_from``,
    ``code_to``). A NUTS 3 whose parent was split between several 2021 regions is dropped."""
    level2 = set(codes_2021)
    targets = conversion.groupby("code_from")["code_to"].agg(lambda s: sorted(set(s)))
    single = {k: v[0] for k, v in targets.items() if len(v) == 1}

    def region(parent: str) -> str | None:
        if parent in level2:
            return parent
        return single.get(parent)

    out = nuts3.assign(region=nuts3["parent"].map(region))
    return out[out["region"].notna()].reset_index(drop=True)


@dataclass(frozen=True)
class Match:
    """One region found: by what (``via``: code, name, city, exonym, nuts3), under which name (``matched``), how
    (``how``: one of ``TIERS``), and for a NUTS 3 match its code (``nuts3``)."""

    code: str
    level: int
    via: str
    matched: str
    how: str
    nuts3: str | None = None

    @property
    def tier(self) -> int:
        return TIERS.index(self.how) * 4 + VIA_ORDER[self.via]

    @property
    def exact(self) -> bool:
        return self.how == "exact"


class PlaceIndex:
    """The names of the NUTS 2021 regions (levels 0-2), their NUTS 3 regions and places, searchable."""

    def __init__(self, regions: pd.DataFrame, nuts3: pd.DataFrame | None = None,
                 places: pd.DataFrame | None = None) -> None:
        """``regions``: ``code, name, name_latn, level``; ``nuts3``: ``code, name, name_latn, region``;
        ``places``: rows of ``place_names.csv`` (names of regions not in ``regions`` are skipped)."""
        self.levels = {str(c): int(lv) for c, lv in zip(regions["code"], regions["level"], strict=True)}
        #: (folded key, code, via, name as written, NUTS 3 code)
        entries: list[tuple[str, str, str, str, str | None]] = []
        for r in regions.itertuples():
            for name in dict.fromkeys(n for n in (r.name, r.name_latn) if isinstance(n, str) and n):
                entries += [(key, r.code, "name", name, None) for key in name_variants(name)]
        if nuts3 is not None:
            for r in nuts3.itertuples():
                if r.region not in self.levels:
                    continue
                for name in dict.fromkeys(n for n in (r.name, r.name_latn) if isinstance(n, str) and n):
                    entries += [(key, r.region, "nuts3", name, r.code) for key in name_variants(name)]
        if places is not None:
            for r in places.itertuples():
                if r.nuts_code in self.levels:
                    entries.append((fold(r.name), r.nuts_code, r.kind, r.name, None))
        self.entries = list(dict.fromkeys(entries))
        self.words = [key.split() for key, *_ in self.entries]

    def search(self, text: str, *, limit: int = 20) -> list[Match]:
        """The regions matching ``text``, each once under its best match, best first (tier; then NUTS 2 before
        other levels, shorter names, level, code)."""
        query = fold(text)
        if not query:
            return []
        best: dict[str, tuple[tuple[int, int, int, int, str], Match]] = {}
        code = text.strip().upper()
        for c, level in self.levels.items():
            if c == code or (len(code) >= 2 and c.startswith(code)):
                self._keep(best, Match(c, level, "code", c, "exact" if c == code else "prefix"), len(c))
        qwords = query.split()
        for (key, c, via, name, n3), words in zip(self.entries, self.words, strict=True):
            if key == query:
                how = "exact"
            elif key.startswith(query):
                how = "prefix"
            elif _words_match(qwords, words):
                how = "words"
            elif len(query) >= 4 and query in key and via == "name":
                how = "contains"
            else:
                continue
            self._keep(best, Match(c, self.levels[c], via, name, how, n3), len(key))
        ranked = sorted(best.values(), key=lambda kv: kv[0])
        return [m for _, m in ranked[:limit]]

    def _keep(self, best: dict[str, tuple[tuple[int, int, int, int, str], Match]], m: Match, length: int) -> None:
        key = (m.tier, int(m.level != 2), length, m.level, m.code)
        if m.code not in best or key < best[m.code][0]:
            best[m.code] = (key, m)

    def resolve(self, text: str) -> tuple[str | None, list[Match]]:
        """``(code, matches)``: the one region ``text`` names, or None with the candidates to choose from.

        Only an exact match resolves: the one region of the best tier, or the deepest of a chain of nested regions
        tied there (FR1 and FR10 are both "Ile-de-France": FR10). A prefix ("Toulo") or a tie between regions
        ("Limburg": BE22 and NL42) leaves the choice to the reader.
        """
        matches = self.search(text, limit=50)
        if not matches or not matches[0].exact:
            return None, matches
        top = [m for m in matches if m.tier == matches[0].tier]
        deepest = max(top, key=lambda m: len(m.code)).code
        if all(deepest.startswith(m.code) for m in top):
            return deepest, matches
        return None, matches


def _words_match(query: list[str], words: list[str]) -> bool:
    """Every query word starts a different word of the name, in order ("ile france" → "ile de france")."""
    i = 0
    for q in query:
        while i < len(words) and not words[i].startswith(q):
            i += 1
        if i == len(words):
            return False
        i += 1
    return True
