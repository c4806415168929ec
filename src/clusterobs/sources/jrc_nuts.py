"""JRC NUTS converter matrices: how regions of one NUTS version intersect those of the next.

Lineage: raw CSV (checksum) → rows checked (codes of the file's level, finite non-negative
weights, no duplicate pair) → the JRC artefact code UKN1 (2016) merged into UKN0 → shares of
each old region's total by population 2021 (``w_pop21``) and area (``w_area``) →
``nuts_conversion``. When one row of an old region is rejected as invalid, the region's other rows
are rejected too: shares computed from the remaining rows would silently move the lost part
(a repeated pair of codes only loses the repetition).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
TABLES = {
    "nuts_conversion": "JRC NUTS conversion weights: one row per intersection of an old-version and a "
    "new-version region (levels 1-2; 2006→2013, 2010→2013, 2013→2016, 2013→2021, 2016→2021, 2021→2024) with area, "
    "population and built-up measures, and the row's share of its old region by pop21 (w_pop21) and area (w_area)",
}
#: CSV column → table column, for the intersection sizes.
WEIGHTS = {"areaKm": "area_km2", "pop11": "pop11", "pop21": "pop21", "artif_surf12": "artif_surf12",
           "artif_surf18": "artif_surf18", "bu_vol": "bu_vol"}
#: Codes of the JRC matrices that are not NUTS codes of that version → the code they belong to.
ARTEFACTS = {2016: {"UKN1": "UKN0"}}
COLUMNS = ["from_version", "to_version", "level", "code_from", "code_to", *WEIGHTS.values(),
           "w_pop21", "w_area", "w_pop21_from_area"]
_NAME = re.compile(r"^n(?P<level>[12])_cm_v(?P<old>\d{4})_v(?P<new>\d{4})\.csv$")
_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]+$")


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the ten matrices; needs nothing in ``ref``."""
    frames = [read_matrix(source_path(mirror, META, f.name), log, min_rows=f.min_rows) for f in META.files]
    return {"nuts_conversion": pd.concat(frames, ignore_index=True)}


def read_matrix(path: Path, log: IngestLog, *, min_rows: int = 0) -> pd.DataFrame:
    """One matrix ``n<level>_cm_v<old>_v<new>.csv`` as rows of ``nuts_conversion``."""
    m = _NAME.match(path.name)
    if m is None:
        raise SourceError(path, "file name is not n<level>_cm_v<old>_v<new>.csv: cannot tell level and versions")
    level, old, new = int(m["level"]), int(m["old"]), int(m["new"])
    col_from, col_to = f"code_v{old}", f"code_v{new}"
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    bad: dict[str, int] = {}

    for line, rec in iter_rows(path, source=META.id, log=log, expected=(col_from, col_to, *WEIGHTS),
                               min_rows=min_rows):
        raw = ",".join(rec.values())
        a, b = rec[col_from].strip(), rec[col_to].strip()
        reason = _check_codes(a, b, level)
        values: dict[str, float] = {}
        for csv_col, col in WEIGHTS.items():
            if reason:
                break
            try:
                values[col] = float(rec[csv_col])
            except ValueError:
                reason = f"{csv_col} {rec[csv_col]!r} is not a number"
                break
            if not math.isfinite(values[col]):
                reason = f"{csv_col} {rec[csv_col]!r} is not a finite number"
            elif values[col] < 0:
                reason = f"negative weight {csv_col}={rec[csv_col]}"
        if reason:
            log.reject(source=META.id, file=path, line=line, value=raw, reason=reason)
            if _CODE.match(a):
                bad.setdefault(a, line)
            continue
        if (a, b) in seen:
            log.reject(source=META.id, file=path, line=line, value=raw,
                       reason=f"duplicate of line {seen[(a, b)]} (same pair of codes; the first is kept)")
            continue
        seen[(a, b)] = line
        if rec.get("uniqueID", a + b) != a + b:
            log.quirk(source=META.id, file=path, kind="uniqueID is not code_from+code_to (ignored)",
                      line=line, value=rec["uniqueID"])
        a2, b2 = ARTEFACTS.get(old, {}).get(a, a), ARTEFACTS.get(new, {}).get(b, b)
        if (a2, b2) != (a, b):
            log.quirk(source=META.id, file=path, line=line, value=f"{a},{b}",
                      kind="JRC artefact code (UKN1, not a NUTS 2016 code) merged into UKN0")
        rows.append({"code_from": a2, "code_to": b2, "line": line, **values})

    df = pd.DataFrame(rows, columns=["code_from", "code_to", "line", *WEIGHTS.values()])
    dropped = df["code_from"].isin(list(bad))
    for a, line in df.loc[dropped, ["code_from", "line"]].itertuples(index=False):
        log.reject(source=META.id, file=path, line=int(line), value=a,
                   reason=f"another row of {a} was rejected (line {bad[a]}): its shares would be wrong")
    df = df.loc[~dropped].groupby(["code_from", "code_to"], as_index=False)[list(WEIGHTS.values())].sum()
    df = _shares(df, path, log)
    df.insert(0, "level", level)
    df.insert(0, "to_version", new)
    df.insert(0, "from_version", old)
    return df[COLUMNS].sort_values(["code_from", "code_to"]).reset_index(drop=True)


#: NUTS 2006 spelled Greece GR; NUTS 2010 renamed its codes EL (GR11 → EL11 → EL51): the same country.
_COUNTRY = {"GR": "EL"}


def _check_codes(a: str, b: str, level: int) -> str | None:
    for code in (a, b):
        if not _CODE.match(code) or len(code) != level + 2:
            return f"{code!r} is not a NUTS-{level} code"
    if _COUNTRY.get(a[:2], a[:2]) != _COUNTRY.get(b[:2], b[:2]):
        return f"{a} and {b} are in different countries"
    return None


def _shares(df: pd.DataFrame, path: Path, log: IngestLog) -> pd.DataFrame:
    """Add ``w_area`` and ``w_pop21``; an old region without population falls back to area."""
    by = df.groupby("code_from")
    area, pop = by["area_km2"].transform("sum"), by["pop21"].transform("sum")
    no_area = area <= 0
    for code in sorted(set(df.loc[no_area, "code_from"])):
        log.reject(source=META.id, file=path, line=None, value=code,
                   reason=f"{code} has total area 0: no share can be computed")
    df, area, pop = df.loc[~no_area].copy(), area[~no_area], pop[~no_area]
    df["w_area"] = df["area_km2"] / area
    df["w_pop21_from_area"] = pop <= 0
    df["w_pop21"] = (df["pop21"] / pop.where(pop > 0)).where(pop > 0, df["w_area"])
    for code in sorted(set(df.loc[df["w_pop21_from_area"], "code_from"])):
        log.quirk(source=META.id, file=path, kind="pop21 total is 0: w_pop21 = area share", line=None,
                  value=code)
    return df
