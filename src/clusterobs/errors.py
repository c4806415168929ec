"""Errors that name the file, the line and the reason."""

from __future__ import annotations

from pathlib import Path


class ClusterobsError(Exception):
    """Base class of the errors clusterobs raises on purpose."""


class SourceError(ClusterobsError):
    """A source file cannot be used at all (missing, truncated, wrong format).

    The ingest stops and the previously published dataset version keeps serving.
    """

    def __init__(self, file: str | Path, reason: str, *, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}, line {line}" if line is not None else self.file
        super().__init__(f"{where}: {reason}")


class StoreError(ClusterobsError):
    """The analytical store has no published version or cannot be opened."""
