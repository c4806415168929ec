"""The errors clusterobs raises on purpose, in one module.

Reading a source or the user's table: ``SourceError`` (names the file, the line and the reason) and ``InputError``.
The store: ``StoreError``. Reading a dataset version (``clusterobs.store.reads``, used by the web, the API and the
reports): ``BadParameter`` (a value outside its allowed set; ``name`` is the parameter), ``NotFound`` (an unknown
region, category or country; ``name`` is the parameter that named it, when one did) and ``NoDataset`` (nothing
published, or the version is not computed), all ``ReadError``. The API's error envelope takes the parameter from
``name``, never from the message.
"""

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


class InputError(ClusterobsError):
    """The user's table (cluster mapping input, firm data) cannot be read or lacks the columns or values needed."""


class StoreError(ClusterobsError):
    """The analytical store has no published version or cannot be opened."""


class ReadError(ClusterobsError):
    """A read of a dataset version cannot be answered as asked (bad parameter, unknown code, no dataset)."""


class BadParameter(ReadError):
    """A parameter with a value outside its allowed set (the API answers 400 naming ``name``).

    The message keeps one form, "`name` must be …; got …." (or "`name` is required …")."""

    def __init__(self, name: str | None, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(message)


class NotFound(ReadError):
    """An unknown region, category, country or chart (the API answers 404); ``name`` is the parameter that named
    it (``region``, ``category``…) or None."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        self.name = name
        self.message = message
        super().__init__(message)


class NoDataset(ReadError):
    """No dataset version is published, or the published one lacks what the read needs (cluster measures, an
    optional stage's tables): the API answers 503."""


class ReportError(ClusterobsError):
    """A report cannot be made from what the dataset version holds."""
