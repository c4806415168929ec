"""US Cluster Mapping: relatedness between the 51 traded clusters, and their network-graph positions.

Lineage: raw JSON files (checksums) → ``cluster_relatedness`` (51 × 51 = 2,601 ordered pairs,
the Delgado–Porter–Stern relatedness scores and percentiles, numbers as text in the file,
empty → NULL) and ``cluster_positions`` (colour and x/y of each traded cluster, keyed by the
cluster's slug, e.g. ``aerospace_vehicles_and_defense``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE_RELATED = "relatedClusters.json"
FILE_POSITIONS = "cluster_positions.json"
TABLES = {
    "cluster_relatedness": "US CMP relatedness of traded cluster pairs (51 x 51, ordered): scores and percentiles "
    "overall (cr_all), input-output (cr_io), occupation (cr_occ), co-location (cr_lc); related_90 = related at the "
    "90th percentile (rel_all_90_v3)",
    "cluster_positions": "US CMP cluster network graph: colour and x/y position of each traded cluster, by slug",
}
MEASURES = ("cr_all", "cr_all_pc", "cr_io", "cr_io_pc", "cr_occ", "cr_occ_pc", "cr_lc", "cr_lc_pc")
TRADED = range(1, 52)


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read both JSON files; needs nothing in ``ref``."""
    return {"cluster_relatedness": _read_related(mirror, log), "cluster_positions": _read_positions(mirror, log)}


def load_json(mirror: Path, name: str) -> Any:
    """The parsed JSON of one file of this source, or a ``SourceError``."""
    path = source_path(mirror, META, name)
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(path, f"not valid JSON: {exc}") from exc


def cluster_names(mirror: Path) -> dict[int, str]:
    """The traded clusters' names by code, as relatedClusters.json gives them (both sides of each pair)."""
    names: dict[int, str] = {}
    for rec in load_json(mirror, FILE_RELATED):
        for code, name in ((rec.get("cluster_code"), rec.get("cluster_name")),
                           (rec.get("cluster_code_2"), rec.get("cluster_name_2"))):
            if _int(code) is not None and isinstance(name, str):
                names.setdefault(_int(code), name.strip())  # type: ignore[arg-type]
    return names


def _read_related(mirror: Path, log: IngestLog) -> pd.DataFrame:
    path = source_path(mirror, META, FILE_RELATED)
    data = load_json(mirror, FILE_RELATED)
    if not isinstance(data, list):
        raise SourceError(path, "expected a JSON list of cluster pairs")
    rows: list[dict[str, object]] = []
    seen: dict[tuple[int, int], int] = {}
    for i, rec in enumerate(data, start=1):
        where = f"record {i}: {rec.get('pair_cluster') if isinstance(rec, dict) else rec!r}"
        if not isinstance(rec, dict):
            log.reject(source=META.id, file=path, line=None, value=where, reason="not a JSON object")
            continue
        a, b = _int(rec.get("cluster_code")), _int(rec.get("cluster_code_2"))
        if a not in TRADED or b not in TRADED:
            log.reject(source=META.id, file=path, line=None, value=where,
                       reason=f"cluster codes {rec.get('cluster_code')!r}, {rec.get('cluster_code_2')!r} "
                       "are not traded cluster codes 1-51")
            continue
        row: dict[str, object] = {"cluster_a": a, "cluster_b": b}
        try:
            for m in MEASURES:
                row[m] = _number(rec.get(m))
            flag = _number(rec.get("rel_all_90_v3"))
            if flag not in (None, 0.0, 1.0):
                raise ValueError(f"rel_all_90_v3 is {rec.get('rel_all_90_v3')!r}, not 0 or 1")
        except ValueError as exc:
            log.reject(source=META.id, file=path, line=None, value=where, reason=str(exc))
            continue
        if (a, b) in seen:
            log.reject(source=META.id, file=path, line=None, value=where, reason=f"duplicate of record {seen[(a, b)]}")
            continue
        seen[(a, b)] = i
        row["related_90"] = None if flag is None else flag == 1.0
        rows.append(row)
    if len(rows) < META.file(FILE_RELATED).min_rows:
        raise SourceError(path, f"only {len(rows)} cluster pairs, expected {META.file(FILE_RELATED).min_rows}")
    df = pd.DataFrame(rows, columns=["cluster_a", "cluster_b", *MEASURES, "related_90"])
    df = df.astype({"cluster_a": "int64", "cluster_b": "int64", **dict.fromkeys(MEASURES, "Float64"),
                    "related_90": "boolean"})
    return df.sort_values(["cluster_a", "cluster_b"]).reset_index(drop=True)


def _read_positions(mirror: Path, log: IngestLog) -> pd.DataFrame:
    path = source_path(mirror, META, FILE_POSITIONS)
    data = load_json(mirror, FILE_POSITIONS)
    if not isinstance(data, dict):
        raise SourceError(path, "expected a JSON object keyed by cluster slug")
    rows = []
    for key, rec in data.items():
        try:
            if not isinstance(rec, dict) or not isinstance(rec.get("color"), str):
                raise ValueError("no colour")
            x, y = _number(rec.get("x")), _number(rec.get("y"))
            if x is None or y is None:
                raise ValueError("no x/y position")
        except ValueError as exc:
            log.reject(source=META.id, file=path, line=None, value=f"{key}: {rec!r}", reason=str(exc))
            continue
        rows.append((key, rec["color"], x, y))
    if len(rows) < META.file(FILE_POSITIONS).min_rows:
        raise SourceError(path, f"only {len(rows)} cluster positions, expected {META.file(FILE_POSITIONS).min_rows}")
    return pd.DataFrame(rows, columns=["key", "color", "x", "y"]).sort_values("key").reset_index(drop=True)


def _number(value: object) -> float | None:
    """A JSON number or numeric text ("2.2", "6.20E-06"); empty text or null → None; else ``ValueError``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"not a finite number: {value!r}")
    return out


def _int(value: object) -> int | None:
    try:
        out = _number(value)
    except ValueError:
        return None
    return int(out) if out is not None and out.is_integer() else None
