"""Where a report command's time goes, for ``benchmarks/reports.py``: with ``CLUSTEROBS_TIMINGS`` naming a file,
each ``mark(phase)`` appends a JSON line ``{"phase": ..., "wall": <time.time()>, "cpu": <CPU seconds of this
process so far, every thread>}`` to it; without it ``mark`` does nothing (one dictionary lookup).

The phases of ``clusterobs report …`` (``reports/cli.py``, ``reports/render.py``, ``reports/images.py``):
``command`` (the report command runs: interpreter, ``clusterobs.cli`` and typer done), ``browser`` (Chromium's
start handed to its thread), ``imports`` (the report's modules), ``dataset`` (the store's version opened),
``built`` (every section built; each chart was handed to Chromium as its section was built), ``warm`` (WeasyPrint
warmed up while the charts are drawn), ``chromium`` (the browser's tabs are ready: from the browser's thread),
``charts`` (the last chart image received), ``html`` and ``pdf`` (each written), ``exit`` (the exit handlers
registered after the first mark have run: Chromium closed and its profile removed).
"""

from __future__ import annotations

import atexit
import json
import os
import time

ENV = "CLUSTEROBS_TIMINGS"
_exit_marked = False


def mark(phase: str) -> None:
    """Append ``phase``'s timestamp to the file ``CLUSTEROBS_TIMINGS`` names, if set. The first mark also has
    ``exit`` marked at interpreter exit, after the exit handlers registered later (closing Chromium)."""
    global _exit_marked
    path = os.environ.get(ENV)
    if not path:
        return
    if not _exit_marked:
        _exit_marked = True
        atexit.register(mark, "exit")
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"phase": phase, "wall": time.time(), "cpu": time.process_time()}) + "\n")
