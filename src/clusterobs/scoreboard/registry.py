"""The indicator registry: dimensions, sub-dimensions and indicators, read from ``registry.yml``.

Like a star scheme, the registry is configuration kept as written; validation gives one message form
("`direction` of indicator gdp_per_capita must be one of 1, -1; got 2.") naming the file and the entry.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from clusterobs.errors import ClusterobsError

REGISTRY_FILE = Path(__file__).with_name("registry.yml")
TRANSFORMATIONS = ("none", "log", "log1p", "sqrt")
DIRECTIONS = (1, -1)


class RegistryError(ClusterobsError):
    """The registry (or a user's indicator file) is invalid: names the file, the entry and the reason."""


@dataclass(frozen=True)
class SubDimension:
    id: str
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    subdimensions: tuple[SubDimension, ...]
    weight: float = 1.0
    description: str = ""


@dataclass(frozen=True)
class Indicator:
    """One indicator as configured.

    ``source`` is the store table and ``source_id`` the indicator's id inside it; ``direction`` 1 = higher is
    better, -1 = lower is better; ``prenormalised`` marks values that are already normalised scores (the RIS:
    EU 2016 = 100): they are not transformed or winsorised again, and the normalisation applied to put them on
    the common scale is recorded as a second normalisation.
    """

    id: str
    name: str
    dimension: str
    subdimension: str
    source: str
    source_id: str
    unit: str
    direction: int = 1
    transformation: str = "none"
    weight: float = 1.0
    prenormalised: bool = False
    year: int | None = None
    note: str = ""
    user: bool = False


@dataclass(frozen=True)
class Registry:
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...] = field(default_factory=tuple)
    file: str = ""

    # ---- lookups ----------------------------------------------------------------------------------------------
    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def subdimension_key(self, ind: Indicator) -> str:
        return f"{ind.dimension}/{ind.subdimension}"

    def subdimensions(self) -> list[tuple[Dimension, SubDimension]]:
        return [(d, s) for d in self.dimensions for s in d.subdimensions]

    def with_indicators(self, extra: list[Indicator], *, file: str = "") -> Registry:
        """A new registry with ``extra`` added (validated; an id already present replaces nothing: error)."""
        new = replace(self, indicators=(*self.indicators, *extra))
        validate(new, file or self.file)
        return new

    def to_frame(self) -> pd.DataFrame:
        """The ``scoreboard_indicators`` table: one row per indicator, with dimension and sub-dimension names."""
        rows = []
        for ind in self.indicators:
            dim = self.dimension(ind.dimension)
            sub = next(s for s in dim.subdimensions if s.id == ind.subdimension)
            row = asdict(ind)
            row.update(dimension_name=dim.name, subdimension_name=sub.name, dimension_weight=dim.weight,
                       subdimension_weight=sub.weight)
            rows.append(row)
        cols = ["id", "name", "dimension", "dimension_name", "subdimension", "subdimension_name", "source",
                "source_id", "unit", "direction", "transformation", "weight", "subdimension_weight",
                "dimension_weight", "prenormalised", "year", "note", "user"]
        df = pd.DataFrame(rows, columns=cols)
        df["year"] = df["year"].astype("Int64")
        return df


def _require(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] in (None, ""):
        raise RegistryError(f"{where}: `{key}` is required")
    return entry[key]


def _number(value: Any, key: str, where: str, *, positive: bool = True) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise RegistryError(f"{where}: `{key}` must be a number; got {value!r}") from None
    if not math.isfinite(x):  # inf, nan, and 1e400, which overflows
        raise RegistryError(f"{where}: `{key}` must be a finite number; got {value!r}")
    if positive and not x > 0:
        raise RegistryError(f"{where}: `{key}` must be a number above 0; got {value!r}")
    return x


def parse_indicator(entry: dict[str, Any], where: str, *, user: bool = False) -> Indicator:
    """One indicator from a mapping (a YAML entry or a CSV row), checked field by field."""
    ident = str(_require(entry, "id", where)).strip()
    where = f"{where} (indicator {ident})"
    direction_raw = entry.get("direction", 1)
    try:
        direction = int(direction_raw)
    except (TypeError, ValueError):
        direction = 0
    if direction not in DIRECTIONS:
        raise RegistryError(f"{where}: `direction` must be one of 1, -1; got {direction_raw!r}")
    transformation = str(entry.get("transformation") or "none").strip()
    if transformation not in TRANSFORMATIONS:
        raise RegistryError(f"{where}: `transformation` must be one of {', '.join(TRANSFORMATIONS)}; "
                            f"got {transformation!r}")
    year = entry.get("year")
    if year in ("", None) or (isinstance(year, float) and pd.isna(year)):
        year = None
    else:
        year = int(_number(year, "year", where))
    prenormalised = entry.get("prenormalised", False)
    if isinstance(prenormalised, str):
        prenormalised = prenormalised.strip().lower() in ("1", "true", "yes")
    return Indicator(
        id=ident, name=str(_require(entry, "name", where)), dimension=str(_require(entry, "dimension", where)),
        subdimension=str(_require(entry, "subdimension", where)), source=str(_require(entry, "source", where)),
        source_id=str(entry.get("source_id") or ident), unit=str(entry.get("unit") or ""), direction=direction,
        transformation=transformation, weight=_number(entry.get("weight", 1), "weight", where),
        prenormalised=bool(prenormalised), year=year, note=str(entry.get("note") or ""), user=user)


def validate(registry: Registry, file: str) -> None:
    """Every indicator points to a declared dimension and sub-dimension; ids are unique."""
    subs = {(d.id, s.id) for d in registry.dimensions for s in d.subdimensions}
    dims = {d.id for d in registry.dimensions}
    seen: set[str] = set()
    for ind in registry.indicators:
        where = f"{file}: indicator {ind.id}"
        if ind.id in seen:
            raise RegistryError(f"{where}: the id is used twice")
        seen.add(ind.id)
        if ind.dimension not in dims:
            raise RegistryError(f"{where}: `dimension` must be one of {', '.join(sorted(dims))}; "
                                f"got {ind.dimension!r}")
        if (ind.dimension, ind.subdimension) not in subs:
            known = sorted(s for d, s in subs if d == ind.dimension)
            raise RegistryError(f"{where}: `subdimension` of dimension {ind.dimension} must be one of "
                                f"{', '.join(known)}; got {ind.subdimension!r}")


def load_registry(path: Path | str = REGISTRY_FILE) -> Registry:
    """Read and validate a registry file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read the registry: {exc}") from exc
    if not isinstance(raw, dict) or "dimensions" not in raw:
        raise RegistryError(f"{path}: the registry needs a `dimensions` list and an `indicators` list")
    dims = []
    for i, d in enumerate(raw["dimensions"], start=1):
        where = f"{path}: dimension {i}"
        subs = tuple(SubDimension(id=str(_require(s, "id", where)), name=str(_require(s, "name", where)),
                                  weight=_number(s.get("weight", 1), "weight", where))
                     for s in _require(d, "subdimensions", where))
        dims.append(Dimension(id=str(_require(d, "id", where)), name=str(_require(d, "name", where)),
                              subdimensions=subs, weight=_number(d.get("weight", 1), "weight", where),
                              description=str(d.get("description") or "")))
    inds = tuple(parse_indicator(e, f"{path}: indicator entry {i}") for i, e in
                 enumerate(raw.get("indicators") or [], start=1))
    registry = Registry(dimensions=tuple(dims), indicators=inds, file=str(path))
    validate(registry, str(path))
    return registry
