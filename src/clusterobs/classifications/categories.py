"""Cluster categories: the 51 traded and 16 local US Cluster Mapping clusters, and the 10 emerging industries.

Traded and local categories come from the ``cluster_naics`` table; their key is a slug of the
cluster name (``aerospace_vehicles_and_defense``), the same key the CMP network graph
(``cluster_positions``) uses. Emerging industries are defined in ``emerging.yml`` beside this
module, as NACE codes with weights (this project's definitions, see the file's header).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from clusterobs.errors import ClusterobsError

EMERGING_FILE = Path(__file__).with_name("emerging.yml")
TABLES = {
    "categories": "Cluster categories: category key (slug), CMP cluster code (NULL for emerging), name, kind "
    "(traded, local, emerging) and a description or rationale",
}
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[A-U](\d{2}|\d{4})$")  # a NACE division or class in Eurostat form


class EmergingDefinitionError(ClusterobsError, ValueError):
    """The emerging-industries file is not valid; the message names the file, the entry and the code."""


@dataclass(frozen=True)
class EmergingIndustry:
    category: str
    name: str
    rationale: str
    nace: dict[str, float]


def slug(name: str) -> str:
    """``'Marketing, Design, and Publishing'`` → ``'marketing_design_and_publishing'``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def cluster_categories(cluster_naics: pd.DataFrame) -> pd.DataFrame:
    """One row per traded or local CMP cluster found in ``cluster_naics``, ordered by code."""
    rows = []
    for code, grp in cluster_naics.groupby("cluster_code", sort=True):
        name, kind = grp["cluster_name"].iloc[0], grp["traded_local"].iloc[0]
        subs = sorted(grp["subcluster_name"].dropna().unique())
        desc = (f"{kind.capitalize()} cluster {code} of the US Cluster Mapping (Delgado, Porter and Stern 2016): "
                f"{len(grp)} NAICS codes in {len(subs)} subclusters ({'; '.join(subs)})")
        rows.append((slug(name), int(code), name, kind, desc))
    return pd.DataFrame(rows, columns=["category", "cmp_code", "name", "kind", "description"])


def emerging_definitions(path: Path = EMERGING_FILE, nace_codes: Collection[str] | None = None,
                         ) -> list[EmergingIndustry]:
    """Read and validate the emerging-industries file.

    ``nace_codes``: the known NACE codes (Eurostat form); without it only the form of each code is checked.
    """
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise EmergingDefinitionError(f"{path}: cannot read the emerging industries: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("industries"), list) or not raw["industries"]:
        raise EmergingDefinitionError(f"{path}: expected a non-empty list under 'industries'")
    known = None if nace_codes is None else set(nace_codes)
    out: list[EmergingIndustry] = []
    for i, entry in enumerate(raw["industries"], start=1):
        out.append(_industry(path, i, entry, known))
    dupes = sorted({e.category for e in out if [x.category for x in out].count(e.category) > 1})
    if dupes:
        raise EmergingDefinitionError(f"{path}: category {dupes[0]!r} is defined twice")
    return out


def emerging_concordance(nace: pd.DataFrame | None = None, *, path: Path = EMERGING_FILE) -> pd.DataFrame:
    """The emerging industries as written: ``industry`` (NACE class or division), ``category``, ``weight``.

    With ``nace`` (the ``nace`` table), every code must be one of its classes or divisions.
    """
    codes = None if nace is None else nace.loc[nace["level"].isin([2, 4]), "code"]
    rows = [(code, ind.category, w) for ind in emerging_definitions(path, codes) for code, w in ind.nace.items()]
    return pd.DataFrame(rows, columns=["industry", "category", "weight"]).astype({"weight": "float64"})


def emerging_anchors(path: Path = EMERGING_FILE) -> pd.DataFrame:
    """``category, industry, min_lq``: the anchor divisions of the emerging industries that declare them."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    rows = []
    for entry in raw.get("industries") or []:
        anchors = entry.get("anchors") if isinstance(entry, dict) else None
        if not anchors:
            continue
        divisions, min_lq = anchors.get("divisions"), anchors.get("min_lq")
        if (not isinstance(divisions, list) or not divisions or not all(isinstance(d, str) for d in divisions)
                or not isinstance(min_lq, int | float) or min_lq < 0):
            raise EmergingDefinitionError(f"{Path(path).name}, industry {entry.get('category')!r}: anchors must be "
                                          f"{{divisions: [NACE divisions], min_lq: a number >= 0}}; got {anchors!r}")
        rows += [(entry["category"], d, float(min_lq)) for d in divisions]
    return pd.DataFrame(rows, columns=["category", "industry", "min_lq"])


def categories(cluster_naics: pd.DataFrame, *, path: Path = EMERGING_FILE) -> pd.DataFrame:
    """The ``categories`` table: traded (1-51), local (101-116), then the emerging industries."""
    emerging = pd.DataFrame([(e.category, None, e.name, "emerging", e.rationale) for e in emerging_definitions(path)],
                            columns=["category", "cmp_code", "name", "kind", "description"])
    df = pd.concat([cluster_categories(cluster_naics), emerging], ignore_index=True)
    df["cmp_code"] = df["cmp_code"].astype("Int64")
    if df["category"].duplicated().any():
        raise EmergingDefinitionError(f"{path}: category {df.loc[df['category'].duplicated(), 'category'].iloc[0]!r} "
                                      "is already a traded or local cluster")
    return df


def _industry(path: Path, i: int, entry: Any, known: set[str] | None) -> EmergingIndustry:
    where = f"{path.name}, industry #{i}"
    if not isinstance(entry, dict):
        raise EmergingDefinitionError(f"{where}: expected a mapping with category, name, rationale and nace")
    category = entry.get("category")
    if not isinstance(category, str) or not _SLUG.match(category):
        raise EmergingDefinitionError(f"{where}: category {category!r} is not a slug (lower case, digits, '_')")
    where = f"{path.name}, industry {category!r}"
    missing = [k for k in ("name", "rationale") if not isinstance(entry.get(k), str) or not entry[k].strip()]
    if missing:
        raise EmergingDefinitionError(f"{where}: no {' and no '.join(missing)}")
    codes = entry.get("nace")
    if not isinstance(codes, dict) or not codes:
        raise EmergingDefinitionError(f"{where}: 'nace' must map NACE codes to weights")
    for code, weight in codes.items():
        if not isinstance(code, str) or not _CODE.match(code):
            raise EmergingDefinitionError(
                f"{where}: {code!r} is not a NACE class (C2110) or division (J62) code in Eurostat form")
        if known is not None and code not in known:
            raise EmergingDefinitionError(f"{where}: unknown NACE code {code!r} (not a NACE Rev. 2 class or division)")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise EmergingDefinitionError(f"{where}, code {code}: weight {weight!r} is not in (0, 1]")
        if len(code) == 5 and code[:3] in codes:
            raise EmergingDefinitionError(f"{where}: class {code} and its division {code[:3]} are both listed")
    return EmergingIndustry(category, entry["name"].strip(), " ".join(entry["rationale"].split()),
                            {c: float(w) for c, w in codes.items()})


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice in one mapping (PyYAML keeps the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} written twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
