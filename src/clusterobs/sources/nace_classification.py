"""NACE Rev. 2: the full hierarchy (21 sections, 88 divisions, 272 groups, 615 classes) with English labels.

Lineage: raw file (checksum) → rows checked (code shape agrees with the level, parent exists
and is one level up) → codes turned into Eurostat's dissemination form (``C``, ``C10``,
``C101``, ``C1011``; the file's dotted form kept in ``dotted``) → ``nace``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "Nace2_long.csv"
TABLES = {
    "nace": "NACE Rev. 2 codes at levels 1 (section) to 4 (class): code in Eurostat form (C, C10, C101, C1011), "
    "dotted form as published (C, 10, 10.1, 10.11), parent, section, division and English name",
}

#: The shape of a dotted NACE code at each level.
SHAPES = {
    1: re.compile(r"^[A-U]$"),
    2: re.compile(r"^\d{2}$"),
    3: re.compile(r"^\d{2}\.\d$"),
    4: re.compile(r"^\d{2}\.\d{2}$"),
}
_NA = {"", "NA"}


def eurostat_code(dotted: str, section: str) -> str:
    """``'10.11'`` in section ``C`` → ``'C1011'``; a section letter is returned as it is."""
    return dotted if SHAPES[1].match(dotted) else section + dotted.replace(".", "")


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read and validate the NACE hierarchy; needs nothing in ``ref``."""
    meta = META.file(FILE)
    path = source_path(mirror, META, FILE)
    rows: dict[str, tuple[int, str | None, str, int]] = {}  # dotted -> (level, parent, name, line)
    for line, rec in iter_rows(path, source=META.id, log=log, expected=("nace2", "Name", "Level", "Parent"),
                               min_rows=meta.min_rows):
        code, name, level_text = rec["nace2"].strip(), rec["Name"].strip(), rec["Level"].strip()
        parent = None if rec["Parent"].strip() in _NA else rec["Parent"].strip()
        value = f"{code},{level_text},{rec['Parent']}"
        level = int(level_text) if level_text in {"1", "2", "3", "4"} else None
        if level is None:
            log.reject(source=META.id, file=path, line=line, value=value, reason=f"level {level_text!r} is not 1-4")
        elif not SHAPES[level].match(code):
            log.reject(source=META.id, file=path, line=line, value=value,
                       reason=f"code {code!r} does not have the shape of a level-{level} NACE code")
        elif (parent is None) != (level == 1):
            log.reject(source=META.id, file=path, line=line, value=value,
                       reason="a section has no parent; every other level needs one")
        elif level >= 3 and parent != code[: 2 if level == 3 else 4]:
            log.reject(source=META.id, file=path, line=line, value=value,
                       reason=f"parent {parent!r} is not the code's own prefix")
        elif name in _NA:
            log.reject(source=META.id, file=path, line=line, value=value, reason="no name")
        elif code in rows:
            log.reject(source=META.id, file=path, line=line, value=value,
                       reason=f"duplicate of line {rows[code][3]}")
        else:
            rows[code] = (level, parent, name, line)
    section_of: dict[str, str] = {}

    def section(code: str) -> str | None:
        if code not in section_of:
            level, parent, _, _ = rows[code]
            if level == 1:
                section_of[code] = code
            elif parent in rows and rows[parent][0] == level - 1:
                found = section(parent)
                if found is None:
                    return None
                section_of[code] = found
            else:
                return None
        return section_of[code]

    out = []
    for code, (level, parent, name, line) in rows.items():
        sec = section(code)
        if sec is None:
            log.reject(source=META.id, file=path, line=line, value=f"{code},{level},{parent}",
                       reason=f"parent {parent!r} is not a NACE code one level up (orphan)")
            continue
        division = None if level == 1 else eurostat_code(code[:2], sec)
        parent_code = None if parent is None else eurostat_code(parent, sec)
        out.append((eurostat_code(code, sec), code, level, parent_code, sec, division, name))
    df = pd.DataFrame(out, columns=["code", "dotted", "level", "parent", "section", "division", "name"])
    df = df.sort_values("code").reset_index(drop=True)  # hierarchical order: C, C10, C101, C1011, ...
    df["level"] = df["level"].astype("int64")
    if not df["level"].eq(4).any():
        raise SourceError(path, "no NACE class (level 4) was read")
    return {"nace": df}
