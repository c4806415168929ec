"""Are the raw files the ones each source module was written for? Checksum and line count, before any read.

Each file of a source's ``.meta.yml`` records its ``sha256`` and ``lines`` (``checksum_from`` says whether the
checksum is the mirror README's or was computed from the mirror file because the README gives none). ``lines`` is
the number of text lines (newline characters, plus an unterminated last line; for ``.gz`` files, of the
decompressed text); binary files (``.xlsx``, ``.zip``) have none. A truncated, extended or edited file therefore
differs in checksum, and the line counts in the message say how much.

A file that differs stops the ingest before anything is read or written (``SourceChanged``), unless its source is
accepted: ``clusterobs ingest --accept-changed SOURCE``. The accepted checksum and line count are recorded in the
new dataset version (``sources`` table and ``_meta`` ``accepted_changes``), and a later ingest into the same data
directory accepts the same bytes again by itself (the published version's record), never different ones.
Files without a recorded checksum (the Eurostat API file: whatever its query returned) are not checked here.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from clusterobs.errors import SourceError

BINARY_SUFFIXES = frozenset({".xlsx", ".zip", ".xls", ".parquet"})
BLOCK = 1 << 20

#: ``check`` values of the ``sources`` table
AS_EXPECTED = "as expected"
ACCEPTED = "accepted change"
ACCEPTED_BEFORE = "accepted change (earlier)"
UNCHECKED = "no checksum recorded"


@dataclass(frozen=True)
class Fingerprint:
    """What a file is: SHA-256, size and text lines (None for a binary file)."""

    sha256: str
    bytes: int
    lines: int | None


@dataclass(frozen=True)
class FileCheck:
    """One raw file compared with what its source's metadata expects."""

    source: str
    file: str
    """Path inside the mirror (``folder/name``)."""
    sha256: str
    bytes: int
    lines: int | None
    expected_sha256: str | None
    expected_lines: int | None
    check: str

    @property
    def changed(self) -> bool:
        return self.expected_sha256 is not None and self.sha256 != self.expected_sha256

    def record(self) -> dict[str, Any]:
        return asdict(self)


def fingerprint(path: Path) -> Fingerprint:
    """SHA-256, bytes and lines of ``path`` in one pass (a second, decompressing one for ``.gz``)."""
    digest = hashlib.sha256()
    size = 0
    newlines = 0
    last = b""
    text = path.suffix.lower() not in BINARY_SUFFIXES
    gz = path.suffix.lower() == ".gz"
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            digest.update(block)
            size += len(block)
            if text and not gz:
                newlines += block.count(b"\n")
                last = block[-1:]
    if gz:
        with gzip.open(path, "rb") as fh:
            for block in iter(lambda: fh.read(BLOCK), b""):
                newlines += block.count(b"\n")
                last = block[-1:]
    lines = (newlines + (1 if last not in (b"", b"\n") else 0)) if text else None
    return Fingerprint(digest.hexdigest(), size, lines)


def compare(source: str, file: str, found: Fingerprint, expected_sha256: str | None,
            expected_lines: int | None, *, accept: bool, accepted_before: dict[str, Any] | None) -> FileCheck:
    """Classify one file: as expected, accepted (now or in the published version), unchecked, or changed."""
    expected = expected_sha256.lower() if expected_sha256 else None
    if expected is None:
        check = UNCHECKED
    elif found.sha256 == expected:
        check = AS_EXPECTED
    elif accept:
        check = ACCEPTED
    elif accepted_before and accepted_before.get("sha256") == found.sha256:
        check = ACCEPTED_BEFORE
    else:
        check = "changed"
    return FileCheck(source=source, file=file, sha256=found.sha256, bytes=found.bytes, lines=found.lines,
                     expected_sha256=expected, expected_lines=expected_lines, check=check)


class SourceChanged(SourceError):
    """Raw files differ from the checksums their sources were written for; nothing was read or published."""

    def __init__(self, mirror: Path, changed: list[FileCheck]) -> None:
        self.changed = changed
        parts = []
        for c in changed:
            parts.append(f"  {c.source}: {c.file}\n"
                         f"    sha256 expected {c.expected_sha256}\n"
                         f"           found    {c.sha256}\n"
                         f"    lines  expected {_n(c.expected_lines)}, found {_n(c.lines)}; {c.bytes:,} bytes")
        sources = sorted({c.source for c in changed})
        flags = " ".join(f"--accept-changed {s}" for s in sources)
        reason = ("differs from the file its source was written for (truncated, edited or a new release?); "
                  f"nothing was read or published. In the mirror {mirror}:\n"
                  + "\n".join(parts)
                  + f"\nIf the change is deliberate, run `clusterobs ingest {flags}`: the new checksum and line "
                  "count are then recorded in the dataset version (`clusterobs info`).")
        super().__init__(mirror / changed[0].file, reason)


def _n(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"
