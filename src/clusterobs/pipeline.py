"""What ``clusterobs ingest`` and ``clusterobs compute`` are made of: sources and stages.

``ingest`` (``clusterobs.ingest``) reads an ordered tuple of **sources**, each a module of ``clusterobs.sources``
that satisfies ``Source``; ``compute`` (``clusterobs.compute``) runs an ordered tuple of **stages**, each a module
(or, for the mapping, an object built with the command's options) that satisfies ``Stage``. Both tuples are plain
imports: a reader (or a tool) follows them from the command to the code. A module satisfies a protocol when it has
the attributes the protocol names (``isinstance(module, Source)`` checks that they are there).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from clusterobs.sources.base import SourceMeta
    from clusterobs.sources.ingestlog import IngestLog
    from clusterobs.store import Store

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step_description, done, total)``."""


@runtime_checkable
class Source(Protocol):
    """A public source read by ``ingest``: its metadata (``<module>.meta.yml``), the tables it writes (name →
    one-line description) and ``read``, which turns the mirror's raw files into validated tables.

    ``read(mirror, log, tables)``: ``tables`` holds what the sources before it produced (the classifications a
    statistical source is validated against); rejected rows go to ``log``. Returns the tables of ``TABLES``."""

    META: SourceMeta
    TABLES: Mapping[str, str]

    def read(self, mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]: ...


@runtime_checkable
class OptionalSource(Source, Protocol):
    """A source read only when its file is in the mirror (``present``)."""

    def present(self, mirror: Path) -> bool: ...


@runtime_checkable
class Stage(Protocol):
    """A step of ``compute``, run in order into the same new dataset version.

    ``compute_stage(store, tables, progress)``: ``store`` is the published (parent) version; ``tables`` what this
    compute has produced so far (the mapping's tables, earlier stages' tables) and its inputs (the user's
    scoreboard indicators of ``--scoreboard-indicators``); ``progress`` may be ``None``. It returns every table of
    its ``TABLES`` (name → one-line description) and nothing else. Options of a stage are keyword-only arguments
    with defaults."""

    TABLES: Mapping[str, str]

    def compute_stage(self, store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None
                      ) -> dict[str, pd.DataFrame]: ...
