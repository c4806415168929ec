"""Eurostat's old bulk-download layout (``.tsv.gz``), for any table published that way until 2023.

The layout: a tab-separated text file, usually gzip-compressed. The first header cell names the key
dimensions joined by commas, the last one followed by ``\\time`` (``nace_r2,indic_sb,geo\\time``); the
other header cells are the periods, newest first, often with a trailing space (``"2015 "``). Each data
line starts with the comma-joined key (``C,V16110,DE11``) and has one cell per period: a number, a number
and flag letters (``"86725 d"``), ``:`` (not available) or ``:`` and flag letters (``": c"``).

``read_bulk`` keeps every flag apart from its value: ``value`` is NULL when the cell has no number (a ``c``
cell is missing, never zero) and ``flag`` holds the letters as published. It answers one row per line and
period with the line number, so every value can be traced to its line. What it does not load it says:

* a line with the wrong number of cells or key parts, or a key seen on an earlier line, is quarantined whole;
* a cell that is not one of the forms above (unknown flag letter, text, a number that overflows to
  infinity) is quarantined alone (file, line, period and reason); the line's other cells are loaded;
* an empty cell is read as missing and counted as a quirk.

``lines_read == lines_loaded + lines_quarantined`` always holds (``BulkTable``).
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources.eurostat_values import FLAGS
from clusterobs.sources.ingestlog import IngestLog

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_PERIOD = re.compile(r"^\d{4}$")


@dataclass
class BulkTable:
    """One bulk file read: the cells (long) and the line accounting."""

    data: pd.DataFrame
    """One row per loaded line and period: the key dimensions, ``year``, ``value`` (Float64, NULL = missing),
    ``flag`` (string, NULL = none) and ``line`` (the file's line number, the header being line 1)."""
    dims: list[str]
    years: list[int]
    lines_read: int = 0
    lines_loaded: int = 0
    lines_quarantined: int = 0
    cells_quarantined: int = 0
    flag_counts: dict[str, int] = field(default_factory=dict)


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def read_bulk(path: Path, *, source: str, log: IngestLog, min_rows: int = 0) -> BulkTable:
    """Read a bulk-download file (gzip or plain) into a ``BulkTable``; see the module docstring.

    Raises ``SourceError`` for a file that cannot be read as the layout at all (no header, a header whose first
    cell has no ``\\time``, a period that is not a year, a period given twice, fewer than ``min_rows`` lines loaded,
    bytes that are not UTF-8 or a gzip stream cut short).
    """
    try:
        fh = _open_text(path)
    except OSError as exc:
        raise SourceError(path, f"cannot open: {exc.strerror or exc}") from exc
    try:
        with fh:
            text = fh.read()
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError; a cut stream is an EOFError
        raise SourceError(path, f"cannot read the gzip stream (truncated or corrupt file?): {exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text: {exc.reason}") from exc
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or not lines[0].strip():
        raise SourceError(path, "empty file (no header)", line=1)
    header = lines[0].rstrip("\r").split("\t")
    first = header[0].strip()
    if "\\" not in first:
        raise SourceError(path, f"the first header cell {first!r} is not 'dim1,dim2,...,geo\\time': "
                          "not Eurostat's bulk layout", line=1)
    dims = first.split("\\")[0].split(",")
    years: list[int] = []
    for label in header[1:]:
        label = label.strip()
        if not _PERIOD.match(label):
            raise SourceError(path, f"period {label!r} is not a year (only annual tables are read)", line=1)
        if int(label) in years:
            raise SourceError(path, f"period {label} appears twice in the header", line=1)
        years.append(int(label))
    if not years:
        raise SourceError(path, "the header has no period column", line=1)

    width = 1 + len(years)
    keys: list[list[str]] = []
    cells: list[list[str]] = []
    line_numbers: list[int] = []
    seen: dict[str, int] = {}
    read = quarantined = 0
    for number, raw in enumerate(lines[1:], start=2):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        read += 1
        parts = raw.split("\t")
        reason = None
        key = parts[0].strip().split(",")
        if len(parts) != width:
            reason = (f"expected {width} cells (key and {len(years)} years), found {len(parts)} "
                      "(truncated or malformed line)")
        elif len(key) != len(dims):
            reason = f"key {parts[0]!r} has {len(key)} parts, the header names {len(dims)} ({','.join(dims)})"
        elif parts[0].strip() in seen:
            reason = f"duplicate of line {seen[parts[0].strip()]} (same key)"
        if reason:
            log.reject(source=source, file=path, line=number, value=raw, reason=reason)
            quarantined += 1
            continue
        seen[parts[0].strip()] = number
        keys.append(key)
        cells.append(parts[1:])
        line_numbers.append(number)
    loaded = len(keys)
    if loaded < min_rows:
        raise SourceError(path, f"only {loaded} data lines loaded, expected at least {min_rows} (truncated file?)")

    n_years = len(years)
    flat = [c.strip() for row in cells for c in row]
    num_text: list[str | None] = []
    flag_text: list[str] = []
    for c in flat:  # a plain loop: three times faster than a regular expression over a string column
        if c.startswith(":"):
            num_text.append(None)
            flag_text.append(c[1:].strip())
        else:
            head, _, tail = c.partition(" ")
            num_text.append(head or None)
            flag_text.append(tail.strip())
    texts = np.asarray(num_text, dtype=object)
    number = pd.to_numeric(pd.Series(texts), errors="coerce").to_numpy(dtype="float64")
    empty = np.asarray(flat, dtype=object) == ""
    has_text = texts != None  # noqa: E711 (elementwise on an object array)
    # to_numeric also reads "+5", "inf" and "1_0": the strict form is checked where it read a number
    strict = np.ones(len(flat), dtype=bool)
    for i in np.flatnonzero(has_text):
        if not _NUMBER.match(texts[i]):
            strict[i] = False
    unparsed = has_text & (np.isnan(number) | ~strict)
    flag = pd.Series(flag_text, dtype=object)
    bad_flags = {f for f in set(flag_text) if f and not all(ch in FLAGS for ch in f)}
    unknown_flag = flag.isin(bad_flags).to_numpy() if bad_flags else np.zeros(len(flat), dtype=bool)
    infinite = has_text & ~unparsed & ~np.isfinite(number)
    bad = unparsed | unknown_flag | infinite
    line_rep = np.repeat(np.asarray(line_numbers, dtype="int64"), n_years)
    year_rep = np.tile(np.asarray(years, dtype="int64"), loaded)
    for i in np.flatnonzero(bad):
        why = ("not a finite number" if infinite[i] else
               f"unknown flag {flag.iat[i]!r}" if unknown_flag[i] else "not a number, ':' or a flag")
        log.reject(source=source, file=path, line=int(line_rep[i]), value=f"{year_rep[i]}: {flat[i]}",
                   reason=f"cell of year {year_rep[i]} is {why}: read as missing")
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        log.quirk(source=source, file=path, kind="empty cell read as missing", line=int(line_rep[first]),
                  value=f"{year_rep[first]}: ''", count=int(empty.sum()))
    value = pd.array(number, dtype="Float64")
    value[bad | ~has_text] = pd.NA
    flag = flag.where(~bad & (flag != ""), None)
    data = pd.DataFrame(index=pd.RangeIndex(len(flat)))
    for j, d in enumerate(dims):  # categorical from per-line codes: the key is repeated once per year
        cat = pd.Categorical([k[j].strip() for k in keys])
        data[d] = pd.Categorical.from_codes(np.repeat(cat.codes, n_years), categories=cat.categories)
    data["year"] = year_rep
    data["value"] = value
    data["flag"] = pd.array(flag.to_numpy(), dtype="string")
    data["line"] = line_rep
    counts = data["flag"].value_counts().to_dict()
    return BulkTable(data=data, dims=dims, years=years, lines_read=read, lines_loaded=loaded,
                     lines_quarantined=quarantined, cells_quarantined=int(bad.sum()),
                     flag_counts={str(k): int(v) for k, v in counts.items()})
