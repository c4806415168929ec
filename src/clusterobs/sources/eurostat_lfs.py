"""Eurostat LFS employment by NUTS-2 region and NACE Rev. 2 activity aggregate, 2008-2016.

The whole economy (public sector and agriculture included) at section-group level: the
regional total for denominators and broad sector shares, not cluster detail.
Lineage: raw file (checksum) → cells parsed (``:`` missing, thousands separators removed)
→ codes checked (NUTS 2013 or listed candidate-country regions, known aggregates, unit THS,
age Y_GE15) → ``lfs_employment`` in persons.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.eurostat_values import ParseError, parse_cell
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "lfst_r_lfe2en2_2008_2016.csv"
#: The activity aggregates of lfst_r_lfe2en2 and their labels.
SECTORS = {
    "TOTAL": "All NACE activities",
    "A": "Agriculture, forestry and fishing",
    "B-E": "Industry (except construction)",
    "F": "Construction",
    "G-I": "Wholesale and retail trade, transport, accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M_N": "Professional, scientific, technical, administrative and support service activities",
    "O-Q": "Public administration, defence, education, human health and social work activities",
    "R-U": "Arts, entertainment and recreation; other service activities; households; extra-territorial",
    "NRP": "No response",
}
#: Regions of candidate countries present in the file but outside the NUTS 2013 EU/EFTA matrices.
CANDIDATE_PREFIXES = ("MK", "TR")
TABLES = {
    "lfs_employment": "LFS employment (persons, aged 15+) by NUTS-2 region (NUTS 2013 codes), activity "
    "aggregate and year 2008-2016; value NULL = not available",
    "lfs_sectors": "The LFS activity aggregates and their labels",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read and validate the LFS file; needs ``nuts_codes`` in ``ref``."""
    meta = META.file(FILE)
    path = source_path(mirror, META, FILE)
    nuts = ref["nuts_codes"]
    known = set(nuts.loc[(nuts["nuts_version"] == 2013) & (nuts["level"] == 2), "code"])
    rows: list[tuple[str, str, int, float | None, str | None, int]] = []
    seen: dict[tuple[str, str, int], int] = {}
    expected = ("TIME", "GEO", "NACE_R2", "UNIT", "AGE", "Value")
    for line, rec in iter_rows(path, source=META.id, log=log, expected=expected, min_rows=meta.min_rows):
        geo, sector, unit, age = rec["GEO"].strip(), rec["NACE_R2"].strip(), rec["UNIT"], rec["AGE"]
        raw = ",".join(rec[c] for c in expected)

        def reject(reason: str, raw: str = raw, line: int = line) -> None:
            log.reject(source=META.id, file=path, line=line, value=raw, reason=reason)

        if not rec["TIME"].strip().isdigit():
            reject(f"year {rec['TIME']!r} is not a year")
            continue
        year = int(rec["TIME"])
        if sector not in SECTORS:
            reject(f"unknown activity aggregate {sector!r}")
            continue
        if unit != "THS" or age != "Y_GE15":
            reject(f"unexpected unit/age {unit}/{age} (expected THS/Y_GE15)")
            continue
        if geo not in known and not (geo.startswith(CANDIDATE_PREFIXES) and len(geo) == 4):
            reject(f"region code {geo!r} is not a NUTS 2013 NUTS-2 code")
            continue
        try:
            cell = parse_cell(rec["Value"], thousands=",")
        except ParseError as exc:
            reject(str(exc))
            continue
        if cell.value is not None and cell.value < 0:
            reject("negative employment")
            continue
        key = (geo, sector, year)
        if key in seen:
            reject(f"duplicate of line {seen[key]} (same region, aggregate and year)")
            continue
        seen[key] = line
        if cell.quirk:
            log.quirk(source=META.id, file=path, kind=cell.quirk, line=line, value=rec["Value"])
        value = None if cell.value is None else round(cell.value * 1000.0, 6)
        rows.append((geo, sector, year, value, cell.flag, line))
    df = pd.DataFrame(rows, columns=["region", "sector", "year", "value", "flag", "line"])
    df["value"] = df["value"].astype("Float64")
    df["flag"] = df["flag"].astype("string")
    df.insert(1, "nuts_version", 2013)
    df.insert(2, "level", 2)
    sectors = pd.DataFrame({"sector": list(SECTORS), "name": list(SECTORS.values())})
    return {"lfs_employment": df, "lfs_sectors": sectors}
