"""Users' own indicators, from a CSV file: validated row by row; any error stops the load and names the file,
the row and the reason, and nothing of the previous state changes.

One row per value, the definition repeated on each row of an indicator (it must not change between rows)::

    indicator,name,dimension,subdimension,unit,direction,transformation,weight,region,year,value
    broadband_rural,Rural broadband,knowledge_skills,digital_skills,% of households,1,none,1,AT11,2022,81.5

``direction`` (1 or -1), ``transformation`` (none, log, log1p, sqrt) and ``weight`` (> 0) are optional
(defaults 1, none, 1). ``region`` must be a NUTS 2021 level-2 code; ``dimension``/``subdimension`` those of the
registry. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from clusterobs.scoreboard.registry import Indicator, Registry, RegistryError, parse_indicator

REQUIRED = ("indicator", "name", "dimension", "subdimension", "region", "year", "value")
DEFINITION = ("name", "dimension", "subdimension", "unit", "direction", "transformation", "weight")
TABLE = "scoreboard_user_indicators"
COLUMNS = ["indicator", "name", "dimension", "subdimension", "unit", "direction", "transformation", "weight",
           "region", "year", "value", "file", "row"]


class UserIndicatorError(RegistryError):
    """A user's indicator file cannot be loaded (file, row, reason)."""


def read_user_file(path: Path | str, registry: Registry, regions: set[str], *,
                   previous: pd.DataFrame | None = None, replace: bool = False) -> pd.DataFrame:
    """Validate ``path`` and return the user table (``COLUMNS``), merged with ``previous`` user indicators."""
    path = Path(path)
    name = path.name
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UserIndicatorError(f"{name}: cannot read the file as UTF-8 CSV: {exc}") from exc
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise UserIndicatorError(f"{name}, row 1: missing column(s) {', '.join(missing)}; "
                                 f"expected {', '.join(REQUIRED)} (and optionally unit, direction, "
                                 f"transformation, weight)")
    if df.empty:
        raise UserIndicatorError(f"{name}: the file has a header but no rows")
    prev = previous if previous is not None and len(previous) else pd.DataFrame(columns=COLUMNS)
    prev_ids = set(prev["indicator"])
    builtin = {i.id for i in registry.indicators if not i.user}
    defs: dict[str, tuple[Indicator, int]] = {}
    out = []
    seen: set[tuple[str, str, int]] = set()
    for i, row in enumerate(df.to_dict("records"), start=2):
        where = f"{name}, row {i}"
        ident = row["indicator"].strip()
        if not ident:
            raise UserIndicatorError(f"{where}: `indicator` is empty")
        if ident in builtin:
            raise UserIndicatorError(f"{where}: indicator {ident} is a built-in indicator of the registry; "
                                     f"choose another id")
        if ident in prev_ids and not replace:
            raise UserIndicatorError(f"{where}: indicator {ident} was loaded before; load with --replace to "
                                     f"replace it")
        entry = {k: row.get(k, "") for k in DEFINITION} | {"id": ident, "source": "user", "source_id": ident}
        try:
            ind = parse_indicator({k: v for k, v in entry.items() if v != ""} | {"id": ident}, where, user=True)
        except RegistryError as exc:
            raise UserIndicatorError(str(exc).replace(f" (indicator {ident})", "")) from None
        if ident not in defs:
            try:
                registry.with_indicators([ind], file=name)
            except RegistryError as exc:
                reason = str(exc).split(f"indicator {ident}: ", 1)[-1]
                raise UserIndicatorError(f"{where}: {reason}") from None
        if ident in defs and defs[ident][0] != ind:
            raise UserIndicatorError(f"{where}: the definition of {ident} differs from row {defs[ident][1]} "
                                     f"(name, dimension, subdimension, unit, direction, transformation and "
                                     f"weight must be the same on every row of an indicator)")
        defs.setdefault(ident, (ind, i))
        region = row["region"].strip().upper()
        if region not in regions:
            raise UserIndicatorError(f"{where}: region {row['region']!r} is not a NUTS 2021 level-2 code")
        try:
            year = int(row["year"].strip())
        except ValueError:
            raise UserIndicatorError(f"{where}: `year` must be a whole number; got {row['year']!r}") from None
        text = row["value"].strip()
        try:
            value = float(text)
        except ValueError:
            raise UserIndicatorError(f"{where}: `value` must be a number (empty rows are left out, not "
                                     f"zero); got {text!r}") from None
        if not math.isfinite(value):
            raise UserIndicatorError(f"{where}: `value` must be finite; got {text!r}")
        key = (ident, region, year)
        if key in seen:
            raise UserIndicatorError(f"{where}: a second value for {ident}, {region}, {year}")
        seen.add(key)
        out.append({"indicator": ident, "name": ind.name, "dimension": ind.dimension,
                    "subdimension": ind.subdimension, "unit": ind.unit, "direction": ind.direction,
                    "transformation": ind.transformation, "weight": ind.weight, "region": region, "year": year,
                    "value": value, "file": name, "row": i})
    new = pd.DataFrame(out, columns=COLUMNS)
    keep = prev[~prev["indicator"].isin(set(new["indicator"]))]
    return pd.concat([keep, new], ignore_index=True) if len(keep) else new


def user_registry(registry: Registry, user: pd.DataFrame | None) -> Registry:
    """The registry with the user's indicators appended (their definitions from the user table)."""
    if user is None or user.empty:
        return registry
    defs = user.drop_duplicates("indicator")
    extra = [parse_indicator({"id": r.indicator, "name": r.name, "dimension": r.dimension,
                              "subdimension": r.subdimension, "source": "user", "source_id": r.indicator,
                              "unit": r.unit, "direction": r.direction, "transformation": r.transformation,
                              "weight": r.weight}, f"{TABLE} ({r.file})", user=True)
             for r in defs.itertuples()]
    return registry.with_indicators(extra, file=TABLE)


def user_table(user: pd.DataFrame | None) -> pd.DataFrame:
    """The user table with its column types fixed (an empty one when no user indicator was loaded)."""
    df = user if user is not None else pd.DataFrame(columns=COLUMNS)
    df = df.reindex(columns=COLUMNS)
    return df.astype({"indicator": "string", "name": "string", "dimension": "string", "subdimension": "string",
                      "unit": "string", "direction": "int64", "transformation": "string", "weight": "float64",
                      "region": "string", "year": "int64", "value": "float64", "file": "string", "row": "int64"})
