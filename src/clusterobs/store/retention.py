"""Which dataset versions ``clusterobs gc`` removes, and which it never touches.

Every ingest and compute writes a whole new version (about 15 MB each); nothing removes them but ``gc``.
It keeps:

* the ``keep`` newest versions (``DEFAULT_KEEP`` = 5 unless told);
* the published version (``current.json``), whatever its age;
* the version it replaced, for ``GRACE`` (10 minutes) after the swap: a server reads ``current.json`` on every
  request and reopens the new version, but requests already running finish on the old one;
* every version another process has open: DuckDB holds a POSIX lock on a database file while a connection is open
  (read-only connections a shared one), so a version whose file cannot be locked exclusively is in use: a running
  ``clusterobs serve`` worker, a report, a notebook. The kernel drops the lock when the process exits, so a crashed
  server pins nothing.

On Linux a file removed while a process still has it open stays readable by that process until it closes it, so
even a reader gc could not see keeps working; only new opens of a removed version fail. ``gc`` runs under the
writers' lock (no ingest or compute at the same time) and removes the leftovers of interrupted runs too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clusterobs.config import DEFAULT_KEEP
from clusterobs.store.store import Store, version_key

GRACE = timedelta(minutes=10)


@dataclass
class Collection:
    """What ``collect`` removed (or would remove, ``dry_run``) and what it kept, with the reason."""

    removed: list[tuple[Path, int]] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)
    leftovers: list[tuple[Path, int]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def freed(self) -> int:
        """Bytes freed (or that would be)."""
        return sum(n for _, n in self.removed) + sum(n for _, n in self.leftovers)


def in_use(path: Path) -> bool:
    """Whether another process has the DuckDB file open (it holds a lock on it).

    Opens in this process are not seen (POSIX locks are per process), so run gc from its own process."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def collect(store: Store, *, keep: int = DEFAULT_KEEP, dry_run: bool = False,
            now: datetime | None = None) -> Collection:
    """Remove the versions the rules above do not keep; the caller holds ``store.lock``."""
    if keep < 0:
        raise ValueError(f"keep must be 0 or more; got {keep}")
    now = now or datetime.now(UTC)
    out = Collection(dry_run=dry_run)
    paths = sorted(store.versions_dir.glob("*.duckdb"), key=lambda p: version_key(p.stem)) \
        if store.versions_dir.is_dir() else []
    pointer = store.pointer()
    current = pointer.get("version")
    previous = pointer.get("previous")
    recent_swap = False
    if pointer.get("published_at"):
        recent_swap = now - datetime.fromisoformat(pointer["published_at"]) < GRACE
    newest = {p.stem for p in paths[len(paths) - keep:]} if keep else set()
    for path in paths:
        v = path.stem
        if v == current:
            out.kept[v] = "published"
        elif v in newest:
            out.kept[v] = f"one of the {keep} newest"
        elif v == previous and recent_swap:
            out.kept[v] = f"replaced less than {int(GRACE.total_seconds() // 60)} minutes ago"
        elif in_use(path):
            out.kept[v] = "open in another process"
        else:
            wal = Path(str(path) + ".wal")
            files = [p for p in (path, wal) if p.exists()]
            size = sum(p.stat().st_size for p in files)
            if not dry_run:
                for p in files:
                    with contextlib.suppress(FileNotFoundError):
                        p.unlink()
            out.removed.append((path, size))
    return out
