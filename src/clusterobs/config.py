"""Where clusterobs keeps its data and where it reads the offline mirror.

Settings are read when a ``Settings`` is built, never at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "./var"
DEFAULT_MIRROR = "../shared/data"
#: dataset versions ``clusterobs gc`` keeps besides the protected ones (``store.retention``)
DEFAULT_KEEP = 5


@dataclass(frozen=True)
class Settings:
    """Paths used by the CLI, the store and the readers.

    ``home`` is the data directory (env ``CLUSTEROBS_HOME``, default ``./var``);
    ``mirror`` is the offline copy of the public sources (env ``CLUSTEROBS_MIRROR``,
    default ``../shared/data``).
    """

    home: Path
    mirror: Path

    @classmethod
    def from_env(cls, *, home: str | os.PathLike[str] | None = None,
                 mirror: str | os.PathLike[str] | None = None) -> Settings:
        home_path = Path(home or os.environ.get("CLUSTEROBS_HOME") or DEFAULT_HOME)
        mirror_path = Path(mirror or os.environ.get("CLUSTEROBS_MIRROR") or DEFAULT_MIRROR)
        return cls(home=home_path.resolve(), mirror=mirror_path.resolve())
