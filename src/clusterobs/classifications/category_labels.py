"""Category names and descriptions in the reader's language: one function, ``label``.

English is the data's own text (the ``categories`` table: the US Cluster Mapping's names and this project's emerging
industries). The French names and descriptions are this project's own translations, kept in ``categories_fr.csv``
beside this module, one row per category key: ``name_fr``, and ``description_fr`` (for a traded or local cluster the
French list of its subclusters, put into the French form of the generated description; for an emerging industry the
whole rationale). A language or category without a translation gets the English.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd

from clusterobs.errors import ClusterobsError

TRANSLATIONS_FILE = Path(__file__).with_name("categories_fr.csv")
#: the languages with translated category names; English is the source
LANGUAGES = ("en", "fr")
Field = Literal["name", "description"]
#: the generated description of a CMP cluster (``categories.cluster_categories``)
_CMP = re.compile(r"^(Traded|Local) cluster (\d+) of the US Cluster Mapping \(Delgado, Porter and Stern 2016\): "
                  r"(\d+) NAICS codes in (\d+) subclusters \(.*\)$")
_KIND_FR = {"Traded": "exportateur", "Local": "local"}


class CategoryTranslationError(ClusterobsError, ValueError):
    """The translations file is not valid; the message names the file, the row and the reason."""


def _french_spaces(text: str) -> str:
    """French typography: a no-break space before ``:`` and ``;``."""
    return text.replace(" :", "\u00a0:").replace(" ;", "\u00a0;")


@cache
def translations(path: Path = TRANSLATIONS_FILE) -> dict[str, dict[str, str]]:
    """Category key → ``{"name": ..., "description": ...}`` in French, as the file gives them."""
    out: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["category", "name_fr", "description_fr"]:
            raise CategoryTranslationError(f"{path}: expected the columns category, name_fr, description_fr; "
                                           f"got {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            key, name, desc = (row.get(k) or "" for k in ("category", "name_fr", "description_fr"))
            if not key or not name.strip() or not desc.strip():
                raise CategoryTranslationError(f"{path}, line {line}: a category key, a name and a description "
                                               f"are all needed; got {row}")
            if key in out:
                raise CategoryTranslationError(f"{path}, line {line}: category {key!r} is translated twice")
            out[key] = {"name": _french_spaces(name.strip()), "description": _french_spaces(desc.strip())}
    return out


def label(category: str, lang: str | None, english: str, field: Field = "name") -> str:
    """``category``'s name (or description) in ``lang``; ``english``, the data's text, when there is no translation.

    ``lang`` is a language code as Django or the reports give it (``fr``, ``fr-be``, ``en``, ``None``)."""
    if not lang or not lang.lower().startswith("fr") or english is None:
        return english
    fr = translations().get(category)
    if fr is None:
        return english
    if field == "name":
        return fr["name"]
    m = _CMP.match(str(english))
    if m is None:
        return fr["description"] if category.startswith("emerging_") else english
    kind, code, naics, subs = m.groups()
    return _french_spaces(
        f"Cluster {_KIND_FR[kind]} n° {code} du US Cluster Mapping (cartographie des clusters des États-Unis ; "
        f"Delgado, Porter et Stern 2016) : {naics} {'code' if naics == '1' else 'codes'} NAICS "
        f"en {subs} {'sous-cluster' if subs == '1' else 'sous-clusters'} ({fr['description']})")


def translate_categories(categories: pd.DataFrame, lang: str | None, *, key: str = "category") -> pd.DataFrame:
    """``categories`` with its ``name`` and ``description`` columns (those present) in ``lang``."""
    if categories.empty or key not in categories.columns:
        return categories
    out = categories.copy()
    for field in ("name", "description"):
        if field in out.columns:
            out[field] = [label(str(k), lang, v, field) for k, v in zip(out[key], out[field], strict=True)]
    return out
