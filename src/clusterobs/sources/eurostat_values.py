"""Eurostat cell values: numbers, flags and special values, kept apart.

Eurostat publishes a cell as a number followed by optional flag letters
(``"219 d"``, ``"1234 p"``), or as ``:`` when not available, optionally flagged
(``": c"`` confidential). Spreadsheet exports add artefacts of their own. A cell is
parsed into ``(value, flag, quirk)``: ``value`` is None when the cell is missing
(never 0), ``flag`` the letters Eurostat attached, ``quirk`` a short name of what was
done when the text was not a plain number (for the ingest log), or ``ParseError``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: Eurostat's flag letters (https://ec.europa.eu/eurostat/data/database, "flags").
FLAGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "see metadata (imputed)",
    "m": "cannot exist",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}

_NUMBER_FLAG = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([a-z]*)\s*$")
_FLAG_ONLY = re.compile(r"^\s*:?\s*([a-z]+)\s*$")
_EXCEL_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?\s*[AP]M$")


class ParseError(ValueError):
    """The cell is neither a number, a flag nor a known artefact."""


@dataclass(frozen=True)
class Cell:
    value: float | None
    flag: str | None
    quirk: str | None


def parse_cell(text: str, *, thousands: str | None = None) -> Cell:
    """Parse one Eurostat cell; raises ``ParseError`` for text that is none of the known forms.

    ``thousands``: a thousands separator the export put in numbers (``"1,060.2"``), removed
    before parsing and reported as a quirk.
    """
    raw = text.strip().strip('"')
    separated = False
    if thousands and re.match(rf"^-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:\.\d+)?(?:\s*[a-z]*)$", raw):
        raw = raw.replace(thousands, "")
        separated = True
    if raw == "":
        return Cell(None, None, "empty cell read as missing (not available or confidential)")
    if raw == ":":
        return Cell(None, None, None)
    if _not_finite(raw.split()[0]):  # "1e400" overflows to infinity; "inf" would otherwise read as flags i, n, f
        raise ParseError(f"not a finite number: {raw!r}")
    m = _NUMBER_FLAG.match(raw)
    if m:
        flag = m.group(2) or None
        if flag and any(ch not in FLAGS for ch in flag):
            raise ParseError(f"unknown flag {flag!r}")
        quirk = f"value flagged {flag!r}" if flag else None
        if separated:
            quirk = "thousands separator removed" + (f", {quirk}" if quirk else "")
        return Cell(float(m.group(1)), flag, quirk)
    m = _FLAG_ONLY.match(raw)
    if m and all(ch in FLAGS for ch in m.group(1)):
        return Cell(None, m.group(1), f"flag {m.group(1)!r} without a value read as missing")
    if _EXCEL_TIME.match(raw):
        return Cell(None, None, f"spreadsheet artefact {raw!r} read as missing")
    raise ParseError(f"not a number: {raw!r}")


def _not_finite(text: str) -> bool:
    """Whether Python reads ``text`` as a number that is not finite (``nan``, ``inf``, ``-inf``, ``1e400``)."""
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False
