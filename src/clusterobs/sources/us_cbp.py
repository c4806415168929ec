"""US County Business Patterns 2012, national file: employment by 6-digit NAICS 2012 industry.

The concordance weights NAICS → NACE links by this US employment (``classifications.concordance``).

Lineage: raw file (checksum; derived from the Census Bureau's ``cbp12us.zip``) → the rows of all
legal forms (``lfo`` ``-``) and 6-digit NAICS 2012 codes (the aggregates and the legal-form
breakdowns are left out, not quarantined) → ``us_cbp_employment``. A cell whose employment is
withheld (emp 0 and a letter in ``empflag``) is estimated from the letter's size range and flagged
``emp_estimated``: the midpoint of the range for A-L; for M (100,000 or more, no upper bound) the
establishment counts by employment-size class at their midpoints, never below 100,000.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.download import extract_zip
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "cbp12us.txt"
ZIP = "cbp12us.zip"
TABLES = {
    "us_cbp_employment": "US County Business Patterns 2012: mid-March employment and establishments by 6-digit "
    "NAICS 2012 industry, all legal forms; withheld employment estimated from its size-range flag (emp_estimated)",
}
#: EMPFLAG letters → employment-size range (lowest, highest; None: open), Census Bureau CBP record layout.
EMPFLAG_RANGES: dict[str, tuple[int, int | None]] = {
    "A": (0, 19), "B": (20, 99), "C": (100, 249), "E": (250, 499), "F": (500, 999), "G": (1_000, 2_499),
    "H": (2_500, 4_999), "I": (5_000, 9_999), "J": (10_000, 24_999), "K": (25_000, 49_999),
    "L": (50_000, 99_999), "M": (100_000, None),
}
#: Establishment counts by employment-size class (column → midpoint; the open class 1,000+ at 1,000).
SIZE_CLASSES: dict[str, float] = {
    "n1_4": 2.5, "n5_9": 7.0, "n10_19": 14.5, "n20_49": 34.5, "n50_99": 74.5, "n100_249": 174.5,
    "n250_499": 374.5, "n500_999": 749.5, "n1000": 1_000.0,
}
ALL_LEGAL_FORMS = "-"
COLUMNS = ("naics", "lfo", "empflag", "emp", "est", *SIZE_CLASSES)
QUIRK_MIDPOINT = "withheld employment estimated at the midpoint of its size range (flags A-L)"
QUIRK_OPEN = "withheld employment of 100,000 or more (flag M) estimated from the establishment size classes"
_NAICS6 = re.compile(r"^\d{6}$")
_COUNT = re.compile(r"^\d+$")


def midpoint(flag: str) -> float:
    """The midpoint of a closed EMPFLAG range (A-L): ``G`` (1,000-2,499) → 1,749.5."""
    low, high = EMPFLAG_RANGES[flag]
    if high is None:
        raise ValueError(f"flag {flag!r} ({low:,} or more) has no upper bound, hence no midpoint")
    return (low + high) / 2


def size_class_estimate(counts: dict[str, int]) -> float:
    """Σ establishments × midpoint of their employment-size class (1,000+ counted at 1,000)."""
    return float(sum(counts[c] * m for c, m in SIZE_CLASSES.items()))


def estimate(flag: str, counts: dict[str, int]) -> float:
    """Employment of a withheld cell: its range's midpoint, or for M the size-class estimate, at least 100,000."""
    low, high = EMPFLAG_RANGES[flag]
    return midpoint(flag) if high is not None else max(float(low), size_class_estimate(counts))


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read ``cbp12us.txt``; needs nothing in ``ref``."""
    path = source_path(mirror, META, FILE)
    rows: list[tuple[str, float, int, str | None, bool, int]] = []
    seen: dict[str, int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=COLUMNS, min_rows=META.file(FILE).min_rows):
        code, lfo = rec["naics"].strip(), rec["lfo"].strip()
        if lfo != ALL_LEGAL_FORMS or not _NAICS6.match(code):
            continue  # an aggregate or a legal-form breakdown: outside the table, not an error
        flag, emp, est = rec["empflag"].strip(), rec["emp"].strip(), rec["est"].strip()
        value = f"{code},{lfo},{flag},{emp},{est}"
        counts = {c: rec[c].strip() for c in SIZE_CLASSES}
        bad = [c for c, v in {"emp": emp, "est": est, **counts}.items() if not _COUNT.match(v)]
        reason = None
        if bad:
            reason = f"{bad[0]} is not a whole number: {rec[bad[0]]!r}"
        elif cells.number(emp).problem == cells.NOT_FINITE:  # 309 digits or more overflow to infinity
            reason = f"emp is not a finite number: {emp[:20]}... ({len(emp)} digits)"
        elif flag and flag not in EMPFLAG_RANGES:
            reason = f"unknown employment-size flag {flag!r} (A-M without D)"
        elif flag and int(emp) != 0:
            reason = f"employment-size flag {flag!r} with employment {emp} (a withheld cell has employment 0)"
        elif code in seen:
            reason = f"duplicate of line {seen[code]}"
        if reason:
            log.reject(source=META.id, file=path, line=line, value=value, reason=reason)
            continue
        seen[code] = line
        if flag:
            n = {c: int(v) for c, v in counts.items()}
            kind = QUIRK_MIDPOINT if EMPFLAG_RANGES[flag][1] is not None else QUIRK_OPEN
            log.quirk(source=META.id, file=path, kind=kind, line=line, value=value)
            rows.append((code, estimate(flag, n), int(est), flag, True, line))
        else:
            rows.append((code, float(emp), int(est), None, False, line))
    df = pd.DataFrame(rows, columns=["naics2012", "emp", "est", "empflag", "emp_estimated", "line"])
    return {"us_cbp_employment": df.astype({"emp": "float64", "est": "int64", "emp_estimated": "bool",
                                            "line": "int64"})}


def after_download(folder: Path) -> list[Path]:
    """Extract ``cbp12us.txt`` from the downloaded ``cbp12us.zip`` in ``folder``, atomically."""
    return extract_zip(folder, ZIP, {FILE: FILE}, source=META.id, casefold=True)
