"""NAICS 2017 code list and Eurostat's NAICS 2017 → NACE Rev. 2 correspondence.

Lineage: raw files (checksums) → ``naics`` (2- to 6-digit codes; the sector ranges such as
``31-33`` kept, at level 2) and ``naics_nace`` (6-digit NAICS code → NACE class, many-to-many)
with NACE codes in Eurostat form, checked against ``nace``. A link to something other than a
NACE class (the file links ``111336`` to group ``01.2``) or from something other than a NAICS
code (``00``, "Multiple NAICS industries", for households' own-use activities) is quarantined.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE_NAICS = "NAICS2017.csv"
FILE_LINKS = "NAICS2017_NACE.csv"
TABLES = {
    "naics": "NAICS 2017 codes (US Census Bureau) at every level: code, title, level = number of digits "
    "(2 for the sector ranges 31-33, 44-45, 48-49)",
    "naics_nace": "Eurostat NAICS 2017 → NACE Rev. 2 correspondence, many-to-many: 6-digit NAICS code, NACE class "
    "(Eurostat form), both titles and Eurostat's note on partial links",
}

_NAICS = re.compile(r"^\d{2,6}$")
_SECTOR_RANGE = re.compile(r"^(\d{2})-(\d{2})$")
_NACE_CLASS = re.compile(r"^\d{2}\.\d{2}$")


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read both files; needs ``nace`` in ``ref``."""
    naics = _read_naics(mirror, log)
    return {"naics": naics, "naics_nace": _read_links(mirror, log, ref["nace"], set(naics["code"]))}


def _read_naics(mirror: Path, log: IngestLog) -> pd.DataFrame:
    path = source_path(mirror, META, FILE_NAICS)
    rows: list[tuple[str, str, int]] = []
    seen: dict[str, int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=("NAICS 2017", "2017 NAICS US Title"),
                               min_rows=META.file(FILE_NAICS).min_rows):
        code, raw_title = rec["NAICS 2017"].strip(), rec["2017 NAICS US Title"]
        title = raw_title.strip()
        if _NAICS.match(code):
            level = len(code)
        elif _SECTOR_RANGE.match(code):
            level = 2
            log.quirk(source=META.id, file=path, kind="sector range code (e.g. 31-33) kept at level 2",
                      line=line, value=code)
        else:
            log.reject(source=META.id, file=path, line=line, value=code, reason=f"not a NAICS code: {code!r}")
            continue
        if not title:
            log.reject(source=META.id, file=path, line=line, value=code, reason="no title")
            continue
        if code in seen:
            log.reject(source=META.id, file=path, line=line, value=code, reason=f"duplicate of line {seen[code]}")
            continue
        if title != raw_title:
            log.quirk(source=META.id, file=path, kind="title with leading/trailing spaces trimmed",
                      line=line, value=raw_title)
        seen[code] = line
        rows.append((code, title, level))
    df = pd.DataFrame(rows, columns=["code", "title", "level"])
    df["level"] = df["level"].astype("int64")
    return df


def _read_links(mirror: Path, log: IngestLog, nace: pd.DataFrame, naics_codes: set[str]) -> pd.DataFrame:
    path = source_path(mirror, META, FILE_LINKS)
    by_dotted = nace.set_index("dotted")
    classes = by_dotted.loc[by_dotted["level"] == 4, "code"].to_dict()
    rows: list[tuple[str, str, str, str, str | None]] = []
    seen: dict[tuple[str, str], int] = {}
    # The header repeats "NACE Rev. 2": the first holds the code, the second (read as "NACE Rev. 2.1") the title.
    for line, rec in iter_rows(path, source=META.id, log=log,
                               expected=("NAICS 2017", "NACE Rev. 2", "US NAICS 2017", "Notes"),
                               min_rows=META.file(FILE_LINKS).min_rows,
                               rename={"NAICS 2017": "naics", "NACE Rev. 2": "nace", "NACE Rev. 2.1": "nace_title",
                                       "US NAICS 2017": "naics_title", "Notes": "notes"}):
        code, dotted = rec["naics"].strip(), rec["nace"].strip()
        value = f"{code},{dotted},{rec['notes'].strip()}"
        if code not in naics_codes or len(code) != 6:
            reason = (f"not a NAICS 2017 industry code: {code!r} ({rec['naics_title'].strip()})"
                      if code not in naics_codes else f"NAICS code {code!r} is not a 6-digit industry")
            log.reject(source=META.id, file=path, line=line, value=value, reason=reason)
            continue
        if dotted not in classes:
            if dotted in by_dotted.index:
                reason = f"links to NACE level-{by_dotted.at[dotted, 'level']} code {dotted!r}, not to a class"
            elif _NACE_CLASS.match(dotted):
                reason = f"unknown NACE Rev. 2 class {dotted!r}"
            else:
                reason = f"malformed NACE Rev. 2 class code {dotted!r}"
            log.reject(source=META.id, file=path, line=line, value=value, reason=reason)
            continue
        key = (code, dotted)
        if key in seen:
            log.reject(source=META.id, file=path, line=line, value=value,
                       reason=f"duplicate of line {seen[key]} (same NAICS code and NACE class)")
            continue
        seen[key] = line
        nace_title = rec["nace_title"].strip()
        if nace_title != by_dotted.at[dotted, "name"]:
            log.quirk(source=META.id, file=path, kind="NACE title differs from the NACE code list (kept as published)",
                      line=line, value=f"{dotted}: {nace_title}")
        rows.append((code, classes[dotted], nace_title, rec["naics_title"].strip(), rec["notes"].strip() or None))
    return pd.DataFrame(rows, columns=["naics2017", "nace", "nace_title", "naics_title", "notes"])
