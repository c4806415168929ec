"""GISCO NUTS 2016 and 2021 boundaries (EPSG:4326): region polygons, label points, boundary lines.

One source over four mirror folders: the meta's ``folder`` is the mirror root and each file
name starts with its folder, ``gisco-nuts<version>-<scale>m/``, which gives the NUTS version
and scale; the layer comes from the file name (``RG`` regions, ``LB`` label points, ``BN``
boundary lines). Lineage: raw GeoJSON (checksum) → features checked (code pattern, level
and country agree with the code, no duplicates, a geometry) → ``nuts_geometries`` (one row
per feature, the geometry as compact GeoJSON text) and ``gisco_regions`` (one row per NUTS
version and code: names and typologies, taken from the 60M file where both scales have the
code, as the 60M files are the complete ones).
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
TABLES = {
    "nuts_geometries": "GISCO NUTS 2016/2021 geometries (EPSG:4326) by version, scale (20M/60M), kind "
    "(region polygon, label point, boundary line), level and code; geometry = GeoJSON text",
    "gisco_regions": "GISCO NUTS 2016/2021 regions, one row per version and code: name, Latin-script name, "
    "level, country, mountain/urban/coastal typology codes",
}
KINDS = {"RG": "region", "LB": "label", "BN": "boundary"}
#: The geometry types each layer may hold.
KIND_TYPES = {"region": ("Polygon", "MultiPolygon"), "label": ("Point",),
              "boundary": ("LineString", "MultiLineString")}
#: Where both scales hold a code, the first of these wins in ``gisco_regions``.
PRIORITY = [("60M", "region"), ("60M", "label"), ("20M", "region")]
CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_FOLDER = re.compile(r"^gisco-nuts(?P<version>\d{4})-(?P<scale>\d+)m/NUTS_(?P<kind>RG|LB|BN)_.*_4326[_.]")
_REGION_COLS = ["nuts_version", "scale", "kind", "code", "name", "name_latn", "level", "country",
                "mount_type", "urbn_type", "coast_type"]


@dataclass(frozen=True)
class Layer:
    """One GeoJSON file of the source and what it holds."""

    name: str
    nuts_version: int
    scale: str
    kind: str
    min_rows: int


def layers() -> list[Layer]:
    """The files of the meta, with version, scale and kind read from their names."""
    out = []
    for f in META.files:
        m = _FOLDER.match(f.name)
        if m is None:
            raise ValueError(f"gisco_nuts.meta.yml: cannot tell version/scale/layer of {f.name!r}")
        out.append(Layer(f.name, int(m["version"]), f"{m['scale']}M", KINDS[m["kind"]], f.min_rows))
    return out


def load_features(path: Path) -> list[Any]:
    """The features of a GeoJSON FeatureCollection in EPSG:4326, or a ``SourceError``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"malformed JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise SourceError(path, "not a GeoJSON FeatureCollection")
    crs = json.dumps(data.get("crs", "EPSG::4326"))
    if "4326" not in crs and "CRS84" not in crs:
        raise SourceError(path, f"expected EPSG:4326 coordinates, the file declares {crs[:80]}")
    return data["features"]


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read every GISCO layer; needs nothing in ``ref``."""
    geometries: list[tuple[int, str, str, int, str, str]] = []
    regions: list[tuple[Any, ...]] = []
    for layer in layers():
        path = source_path(mirror, META, layer.name)
        n = rejected = 0
        seen: set[str] = set()
        for i, feature in enumerate(load_features(path), start=1):
            checked = _check(feature, layer, seen)
            if isinstance(checked, str):
                rejected += 1
                props = feature.get("properties") if isinstance(feature, dict) else feature
                log.reject(source=META.id, file=path, line=None, value=json.dumps(props, ensure_ascii=False),
                           reason=f"feature {i}: {checked}")
                continue
            code, level, props, geometry = checked
            if "repaired" in geometry:
                log.quirk(source=META.id, file=path, kind="invalid geometry repaired (shapely.make_valid)",
                          line=None, value=f"feature {i}, {code}: {geometry.pop('repaired')}")
            seen.add(code)
            n += 1
            geometries.append((layer.nuts_version, layer.scale, layer.kind, level, code,
                               json.dumps(geometry, separators=(",", ":"))))
            if layer.kind != "boundary":
                regions.append(_region_row(props, code, level, layer, path, log))
        # a quarantined feature is in the file, not cut off: it counts towards min_rows, but a layer needs one usable
        if n + rejected < layer.min_rows or (n == 0 and layer.min_rows):
            raise SourceError(path, f"only {n} usable features, expected at least {layer.min_rows} "
                                    f"(truncated file?{f' {rejected} quarantined' if rejected else ''})")
    geo = pd.DataFrame(geometries, columns=["nuts_version", "scale", "kind", "level", "code", "geometry"])
    geo = geo.sort_values(["nuts_version", "scale", "kind", "level", "code"]).reset_index(drop=True)
    return {"nuts_geometries": geo, "gisco_regions": _dedupe(pd.DataFrame(regions, columns=_REGION_COLS), log)}


def _check(feature: Any, layer: Layer, seen: set[str]) -> str | tuple[str, int, dict[str, Any], Any]:
    """``(code, level, properties, geometry)`` of a usable feature, else the reason to reject it."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return "not a GeoJSON feature with properties"
    props = feature["properties"]
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or "type" not in geometry or "coordinates" not in geometry:
        return "feature without geometry"
    level = props.get("LEVL_CODE")
    if not isinstance(level, int) or not 0 <= level <= 3:
        return f"LEVL_CODE {level!r} is not a NUTS level 0-3"
    if layer.kind == "boundary":
        ident = props.get("NUTS_BN_ID")
        if ident is None:
            return "boundary line without NUTS_BN_ID"
        code = str(ident)
    else:
        code = props.get("NUTS_ID")
        if not code:
            return "feature without NUTS_ID"
        if not isinstance(code, str) or not CODE.match(code):
            return f"NUTS_ID {code!r} is not a NUTS code"
        if len(code) - 2 != level:
            return f"NUTS_ID {code} does not have LEVL_CODE {level}"
        if props.get("CNTR_CODE") != code[:2]:
            return f"CNTR_CODE {props.get('CNTR_CODE')!r} does not match NUTS_ID {code}"
    if code in seen:
        return f"duplicate feature for {code} in the same file"
    checked = geometry_check(geometry, layer.kind)
    if isinstance(checked, str):
        return f"{code}: {checked}"
    return code, level, props, checked


def geometry_check(geometry: dict[str, Any], kind: str) -> dict[str, Any] | str:
    """The geometry (made valid when it was not), or why it cannot be used.

    Read with shapely: coordinates that are not numbers, or not finite, fail to read; the type must be the layer's
    (``KIND_TYPES``); the geometry must not be empty and must lie within lon -180..180, lat -90..90. An invalid
    polygon (a self-intersection) is repaired with ``shapely.make_valid`` when the result keeps the type.
    """
    import shapely
    from shapely.geometry import mapping, shape

    try:
        with warnings.catch_warnings():  # a NaN coordinate warns; it is refused below
            warnings.simplefilter("ignore", RuntimeWarning)
            geom = shape(geometry)
        coords = shapely.get_coordinates(geom)
    except Exception as exc:  # shapely raises several types (GEOSException, TypeError, ValueError) on bad input
        return f"unreadable {geometry.get('type')!r} geometry: {' '.join(str(exc).split())[:120]}"
    if geom.geom_type not in KIND_TYPES[kind]:
        return f"{geom.geom_type} geometry in the {kind} layer (expected {' or '.join(KIND_TYPES[kind])})"
    if geom.is_empty:
        return "empty geometry"
    if not np.isfinite(coords).all():
        return "coordinates that are not finite numbers"
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        return (f"coordinates outside lon -180..180, lat -90..90 (bounds {minx:.6g}, {miny:.6g}, {maxx:.6g}, "
                f"{maxy:.6g}): not EPSG:4326")
    if geom.is_valid:
        return geometry
    repaired = shapely.make_valid(geom)
    if repaired.geom_type == "GeometryCollection":
        repaired = shapely.union_all([g for g in repaired.geoms if g.geom_type in KIND_TYPES[kind]])
    if repaired.is_empty or repaired.geom_type not in KIND_TYPES[kind] or not repaired.is_valid:
        return f"invalid geometry ({shapely.is_valid_reason(geom)}) that cannot be repaired"
    return {**mapping(repaired), "repaired": shapely.is_valid_reason(geom)}


def _region_row(props: dict[str, Any], code: str, level: int, layer: Layer, path: Path,
                log: IngestLog) -> tuple[Any, ...]:
    names = []
    for key in ("NUTS_NAME", "NAME_LATN"):
        raw = props.get(key)
        text = raw.strip() if isinstance(raw, str) else None
        if text is not None and text != raw:
            log.quirk(source=META.id, file=path, kind=f"blank space around {key} removed", line=None,
                      value=f"{code}: {raw!r}")
        names.append(text or None)
    types = [props.get(k) if isinstance(props.get(k), int) else None
             for k in ("MOUNT_TYPE", "URBN_TYPE", "COAST_TYPE")]
    return (layer.nuts_version, layer.scale, layer.kind, code, *names, level, code[:2], *types)


def _dedupe(df: pd.DataFrame, log: IngestLog) -> pd.DataFrame:
    """One row per version and code, from the first file of ``PRIORITY`` holding it."""
    rank = {key: i for i, key in enumerate(PRIORITY)}
    df["rank"] = [rank[(s, k)] for s, k in zip(df["scale"], df["kind"], strict=True)]
    df = df.sort_values(["nuts_version", "code", "rank"], kind="stable")
    names = df.groupby(["nuts_version", "code"])["name"].agg(lambda s: sorted(set(s.dropna())))
    for (version, code), distinct in names.items():
        if len(distinct) > 1:
            log.quirk(source=META.id, file=f"NUTS {version}", kind="name differs between scales "
                      "(the 60M name is kept)", line=None, value=f"{code}: {' / '.join(distinct)}")
    out = df.drop_duplicates(["nuts_version", "code"], keep="first")
    out = out.drop(columns=["scale", "kind", "rank"]).reset_index(drop=True)
    for col in ("nuts_version", "level"):
        out[col] = out[col].astype("int64")
    for col in ("mount_type", "urbn_type", "coast_type"):
        out[col] = out[col].astype("Int64")
    return out[["nuts_version", "code", "name", "name_latn", "level", "country",
                "mount_type", "urbn_type", "coast_type"]]
