"""What every source module shares: its metadata, its raw files and their checksums.

A source module (one per public source) has a ``<name>.meta.yml`` beside it with the
title, publisher, licence, citation, where the mirrored bytes came from, and for each
file the canonical address to download it from. It exposes ``META`` and a ``read``
function that turns the raw files into validated tables, sending rejected rows to the
ingest log. A source with *derived* files (made from other files, not downloadable as
such) also exposes ``after_download(folder) -> list[Path]``, which rebuilds them in the
source's folder once its originals are downloaded (see ``download.after_download``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from clusterobs.errors import SourceError


@dataclass(frozen=True)
class RemoteFile:
    """One raw file of a source: its name in the mirror folder and where to download it."""

    name: str
    url: str
    sha256: str | None = None
    """The checksum the source module was written for (``sources.integrity``): another one stops the ingest."""
    lines: int | None = None
    """Text lines of that file (``sources.integrity.fingerprint``), shown beside a checksum mismatch."""
    min_rows: int = 0
    """Fewer data rows than this means the file is truncated: the ingest fails."""
    derived: bool = False
    """Not downloadable as such: the source module's ``after_download`` rebuilds it from other files."""
    optional: bool = False
    """Needed only to rebuild a derived file; the offline mirror may lack it."""
    derived_from: tuple[str, ...] = ()
    """For a derived file: the names of the files of this source it is rebuilt from."""


@dataclass(frozen=True)
class SourceMeta:
    """Provenance of a public source, loaded from its ``.meta.yml``."""

    id: str
    folder: str
    title: str
    publisher: str
    publisher_url: str
    licence: str
    citation: str
    origin: str
    files: tuple[RemoteFile, ...]
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def file(self, name: str) -> RemoteFile:
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(f"{self.id} has no file {name!r}")


def load_meta(module_file: str) -> SourceMeta:
    """Read ``<module>.meta.yml`` sitting next to the module that calls this."""
    path = Path(module_file).with_suffix(".meta.yml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = tuple(
        RemoteFile(name=f["name"], url=f["url"], sha256=f.get("sha256"),
                   lines=int(f["lines"]) if f.get("lines") is not None else None,
                   min_rows=int(f.get("min_rows", 0)),
                   derived=bool(f.get("derived", False)), optional=bool(f.get("optional", False)),
                   derived_from=tuple(f.get("derived_from", ())))
        for f in raw.pop("files")
    )
    names = {f.name for f in files}
    for f in files:
        unknown = [n for n in f.derived_from if n not in names]
        if unknown:
            raise ValueError(f"{path}: {f.name} is derived from {', '.join(unknown)}, not among the files listed")
    known = {k: raw.pop(k) for k in list(raw) if k in SourceMeta.__dataclass_fields__}
    return SourceMeta(files=files, extra=raw, **known)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_path(mirror: Path, meta: SourceMeta, name: str) -> Path:
    """The path of one raw file in the mirror, or a ``SourceError`` naming what is missing."""
    path = mirror / meta.folder / name
    if not path.is_file():
        raise SourceError(path, f"missing file of source {meta.id!r} (looked in the mirror {mirror})")
    return path
