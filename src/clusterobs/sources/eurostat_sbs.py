"""Eurostat SBS 2015: persons employed by NUTS 0/1/2 region and NACE Rev. 2 code.

Lineage: raw file (checksum) → rows parsed with flags kept apart → codes checked against
NUTS 2013 (JRC tables, GISCO countries) and NACE Rev. 2 → ``sbs_employment`` in the
file's own NUTS 2013 codes. Conversion to NUTS 2016/2021 happens later, in
``clusterobs.classifications.nuts_conversion``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.eurostat_values import ParseError, parse_cell
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "sbs_r_nuts06_r2_2015.csv"
YEAR = 2015
TABLES = {
    "sbs_employment": "SBS persons employed 2015 by region (NUTS 2013 codes, levels 0-2) and NACE code; "
    "value NULL = missing or confidential, flag = Eurostat flag letters",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read and validate the SBS file; needs ``nace`` and ``nuts_codes`` in ``ref``."""
    meta = META.file(FILE)
    path = source_path(mirror, META, FILE)
    nace_codes = set(ref["nace"]["code"])
    nuts = ref["nuts_codes"]
    known = nuts.loc[nuts["nuts_version"] == 2013].set_index("code")["level"].to_dict()
    rows: list[tuple[str, int, str, int, float | None, str | None, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=("nace_r2", "geo", "n2015"),
                               delimiter=";", min_rows=meta.min_rows):
        nace, geo, text = rec["nace_r2"].strip(), rec["geo"].strip(), rec["n2015"]
        if nace not in nace_codes:
            log.reject(source=META.id, file=path, line=line, value=f"{nace};{geo};{text}",
                       reason=f"unknown NACE Rev. 2 code {nace!r}")
            continue
        if geo not in known:
            reason = ("extra-regio NUTS code (no territory)" if geo.endswith("Z")
                      else "region code is not a NUTS 2013 code (obsolete NUTS 2010 code or unknown)")
            log.reject(source=META.id, file=path, line=line, value=f"{nace};{geo};{text}", reason=reason)
            continue
        try:
            cell = parse_cell(text)
        except ParseError as exc:
            log.reject(source=META.id, file=path, line=line, value=text, reason=str(exc))
            continue
        if cell.value is not None and cell.value < 0:
            log.reject(source=META.id, file=path, line=line, value=text, reason="negative employment")
            continue
        key = (geo, nace)
        if key in seen:
            log.reject(source=META.id, file=path, line=line, value=f"{nace};{geo};{text}",
                       reason=f"duplicate of line {seen[key]} (same region and NACE code)")
            continue
        seen[key] = line
        if cell.quirk:
            log.quirk(source=META.id, file=path, kind=cell.quirk, line=line, value=text)
        rows.append((geo, int(known[geo]), nace, YEAR, cell.value, cell.flag, line))
    df = pd.DataFrame(rows, columns=["region", "level", "nace", "year", "value", "flag", "line"])
    df["value"] = df["value"].astype("Float64")
    df["flag"] = df["flag"].astype("string")
    df.insert(1, "nuts_version", 2013)
    return {"sbs_employment": df}
