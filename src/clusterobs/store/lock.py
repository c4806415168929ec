"""One writer at a time per data directory: an exclusive ``flock`` on ``<home>/writer.lock``.

``clusterobs ingest``, ``compute``, ``gc`` and every ``Store.begin``/``derive`` take it. The kernel releases
the lock when its holder exits, however it exits (even ``kill -9``), so holding it also proves that no other
writer is alive: only then are the leftovers of an interrupted run (``*.building`` files and their ``.wal``)
removed. The lock file holds the holder's pid, host, command and start time, for the message a second writer
gets. It is reentrant within one thread (``begin`` inside a locked ``ingest``); another thread or process
conflicts. POSIX only (``fcntl``), like the server.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clusterobs.errors import StoreError

LOCK_NAME = "writer.lock"
POLL_SECONDS = 0.5

_held = threading.local()


class StoreBusy(StoreError):
    """Another clusterobs process (or thread) is writing to the same data directory."""

    def __init__(self, home: Path, holder: dict[str, Any], waited: float) -> None:
        self.home = home
        self.holder = holder
        who = describe(holder)
        after = f" after waiting {waited:.0f} s" if waited > 0 else ""
        super().__init__(
            f"{who} is writing to {home}{after}; nothing was done. Wait for it to finish, or pass "
            "`--wait SECONDS` to queue behind it")


def describe(holder: dict[str, Any]) -> str:
    """``another clusterobs ingest (pid 123 on host, since 2026-01-01T10:00:00+00:00)``."""
    if not holder:
        return "another clusterobs process"
    return (f"another `{holder.get('command', 'clusterobs')}` (pid {holder.get('pid')} on {holder.get('host')}, "
            f"since {holder.get('since')})")


def _counts() -> dict[str, int]:
    if not hasattr(_held, "counts"):
        _held.counts = {}
    return _held.counts


def held(home: Path) -> bool:
    """Whether this thread holds the writer lock of ``home``."""
    return _counts().get(str(Path(home).resolve()), 0) > 0


class HomeLock:
    """Context manager taking the writer lock of ``home``.

    ``wait`` seconds to wait for another holder (0: refuse at once with ``StoreBusy``); ``on_wait`` is called once
    with the holder's description when waiting starts. ``acquired_fresh`` says whether this entry took the lock
    (False when the thread already held it).
    """

    def __init__(self, home: Path, *, command: str = "clusterobs", wait: float = 0.0,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.home = Path(home).resolve()
        self.command = command
        self.wait = wait
        self.on_wait = on_wait
        self.acquired_fresh = False
        self._fd: int | None = None

    def __enter__(self) -> HomeLock:
        key = str(self.home)
        counts = _counts()
        if counts.get(key, 0) > 0:
            counts[key] += 1
            return self
        self.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.home / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= self.wait:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise StoreBusy(self.home, holder, waited) from None
                if not told and self.on_wait is not None:
                    self.on_wait(describe(_read_holder(fd)))
                    told = True
                time.sleep(min(POLL_SECONDS, max(self.wait - waited, 0.01)))
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                  "argv": sys.argv[1:6], "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        self._fd = fd
        counts[key] = 1
        self.acquired_fresh = True
        return self

    def __exit__(self, *exc: object) -> None:
        key = str(self.home)
        counts = _counts()
        counts[key] -= 1
        if counts[key] > 0 or self._fd is None:
            return
        del counts[key]
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        raw = os.pread(fd, 4096, 0)
        data = json.loads(raw.decode()) if raw else {}
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
