"""Reading delimited text files line by line, with the checks every source needs.

* a UTF-8 byte-order mark is removed wherever it is (the mirror's READMEs are not always
  right about which files carry one);
* the header must hold the expected columns: a header that does not split on the expected
  delimiter is reported as a wrong delimiter, naming file and line 1;
* a row with the wrong number of fields is quarantined with its line number;
* an empty file, or fewer data rows than the source's ``min_rows``, fails the ingest
  (a truncated file must not silently publish half a dataset).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from clusterobs.errors import SourceError
from clusterobs.sources.ingestlog import IngestLog

BOM = "\ufeff"


def iter_rows(
    path: Path,
    *,
    source: str,
    log: IngestLog,
    expected: Sequence[str],
    delimiter: str = ",",
    min_rows: int = 0,
    rename: dict[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each well-formed data row of ``path``.

    ``expected`` are the header names the file must contain (others are kept too);
    ``rename`` maps header names to the keys the rows are given. Duplicate header names
    get a ``.1`` suffix, as pandas does.
    """
    try:
        fh = path.open("r", encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError(path, f"cannot open: {exc.strerror or exc}") from exc
    with fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceError(path, "empty file (no header)", line=1) from None
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not UTF-8 text: {exc.reason}", line=1) from exc
        header = [h.replace(BOM, "").strip() for h in header]
        missing = [c for c in expected if c not in header]
        if missing:
            joined = delimiter.join(header)
            hint = ""
            for other in (",", ";", "\t", "|"):
                if other != delimiter and all(c in joined.split(other) for c in expected):
                    hint = f"; the header splits on {other!r}, not on {delimiter!r}: wrong delimiter"
            raise SourceError(
                path, f"header lacks column(s) {', '.join(missing)} (header read: {joined[:120]!r}){hint}", line=1
            )
        keys = _dedupe(header)
        if rename:
            keys = [rename.get(k, k) for k in keys]
        n = 0
        try:
            for record in reader:
                line = reader.line_num
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue
                if len(record) != len(keys):
                    log.reject(source=source, file=path, line=line, value=delimiter.join(record),
                               reason=f"expected {len(keys)} fields, found {len(record)} (truncated or malformed row)")
                    continue
                n += 1
                yield line, dict(zip(keys, record, strict=True))
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not UTF-8 text: {exc.reason}", line=reader.line_num + 1) from exc
        except csv.Error as exc:
            raise SourceError(path, f"malformed CSV: {exc}", line=reader.line_num) from exc
    if n < min_rows:
        raise SourceError(path, f"only {n} data rows, expected at least {min_rows} (truncated file?)")


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out
