"""The real store built once per test run and shared by pytest-xdist's workers (``tests/conftest.py``).

The run's shared temporary directory (``tmp_path_factory.getbasetemp().parent``, which every worker sees) holds
``ingested/`` (one ingest of the mirror) and ``computed/`` (a copy of it after ``clusterobs compute``), each with the
pickled summary beside it. Whoever comes first builds one under its file lock (``filelock``); the others wait for
it. The first worker also starts this file as a script at the start of the run (``start_background_build``), so
that the store is being built while the workers run the tests that do not need it (ordered first under xdist).
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def build_once(shared: Path, name: str, build: Callable[[Path], T]) -> tuple[Path, T]:
    """``build(shared / name)`` once per run under a file lock; every caller gets the directory and ``build``'s
    (pickled) result."""
    from filelock import FileLock

    target, result = shared / name, shared / f"{name}.pickle"
    with FileLock(shared / f"{name}.lock"):
        if not result.exists():
            if target.exists():  # a builder that failed half-way
                shutil.rmtree(target)
            target.mkdir()
            result.write_bytes(pickle.dumps(build(target)))
    return target, pickle.loads(result.read_bytes())


def copy_store(source: Path, home: Path) -> None:
    """Copy the data directory ``source`` into ``home``: the files ``home`` lacks, and ``current.json`` (replaced
    atomically), so that a version already there (and maybe open) is left alone; never the writers' lock."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        dest = home / rel
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif path.name != "writer.lock" and (rel.name == "current.json" or not dest.exists()):
            partial = dest.with_name(dest.name + ".copying")
            shutil.copy2(path, partial)
            os.replace(partial, dest)


def shared_ingest(shared: Path, mirror: Path) -> tuple[Path, Any]:
    """The run's one ingest of ``mirror``: (its data directory, ``IngestSummary``)."""
    from clusterobs.config import Settings
    from clusterobs.ingest import run_ingest

    return build_once(shared, "ingested", lambda home: run_ingest(Settings(home=home, mirror=mirror)))


def shared_compute(shared: Path, mirror: Path) -> tuple[Path, Any]:
    """The run's one compute, on a copy of its ingest: (its data directory, ``ComputeSummary``)."""
    from clusterobs.compute import run_compute
    from clusterobs.store import Store

    ingest, _ = shared_ingest(shared, mirror)

    def compute(home: Path) -> Any:
        copy_store(ingest, home)
        return run_compute(Store(home))

    return build_once(shared, "computed", compute)


def start_background_build(shared: Path, mirror: Path, log: Path) -> subprocess.Popen:
    """This file as a script in a child process: builds the run's ingest and compute (unless already built)."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, __file__, str(shared), str(mirror)], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


if __name__ == "__main__":
    shared_compute(Path(sys.argv[1]), Path(sys.argv[2]))
