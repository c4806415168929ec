"""Writing workbook sheets as the mirror's CSV files (the RIS and RCI sources were converted from xlsx).

The mirror converted with openpyxl (cached values): comma-separated UTF-8, LF line ends, fields
quoted only when needed, blank rows left out, every row as wide as the
header, integers (and integral floats) without a decimal point, other floats in
shortest round-trip form, empty cells empty. ``open_workbook`` and ``write_csv`` reproduce that.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from clusterobs.errors import SourceError
from clusterobs.sources.download import replacing


def open_workbook(path: Path) -> Any:
    """The workbook at ``path`` (read-only, cached values), or a ``SourceError`` naming it."""
    import openpyxl

    if not path.is_file():
        raise SourceError(path, "missing workbook (download the source first)")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise SourceError(path, f"not a readable xlsx workbook: {exc}") from exc


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(dest: Path, rows: Iterable[Sequence[object]]) -> Path:
    """Write ``rows`` (cell values) to ``dest`` atomically, as the mirror wrote its CSVs."""
    with replacing(dest) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        width = 0
        for row in rows:
            if all(v is None or v == "" for v in row):
                continue  # blank sheet rows (formatting only) are not data
            width = width or len(row)
            cells = [v if isinstance(v, str) else cell_text(v) for v in row]
            # read-only sheets may drop a row's trailing empty cells: pad to the header's width
            writer.writerow(cells + [""] * (width - len(cells)))
    return dest
