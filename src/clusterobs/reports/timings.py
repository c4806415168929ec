"""Where a report command's time goes, for ``benchmarks/reports.py``: with ``CLUSTEROBS_TIMINGS`` naming a file,
each ``mark(phase)`` appends a JSON line ``{"phase": ..., "wall": <time.time()>, "cpu": <CPU seconds of this
process so far, every thread>, "pid": ...}`` to it; without it ``mark`` does nothing (one dictionary lookup).

The phases of ``clusterobs report …`` (``reports/cli.py``, ``reports/render.py``, ``reports/images.py``):
``command`` (the report command runs: interpreter, ``clusterobs.cli`` and typer done; ``start`` marks it),
``browser`` (Chromium's start handed to its thread, the PDF worker started), ``imports`` (the report's modules),
``dataset`` (the store's version opened), ``built`` (every section built; each chart was handed to Chromium as its
section was built), ``charts`` (the last chart image received), ``html`` and ``pdf`` (each written), ``exit`` (the
exit handlers registered after ``start`` have run: Chromium closed and its profile removed). Beside them:
``chromium`` (the browser's tabs are ready: from the browser's thread), ``sent <chart>`` and ``drawn <chart>`` (a
chart handed to Chromium, its image received), ``warm`` (WeasyPrint warmed up in this process) or, from the PDF
worker's process (``reports.pdf``), ``worker ready`` and ``worker done``.
"""

from __future__ import annotations

import atexit
import json
import os
import time

ENV = "CLUSTEROBS_TIMINGS"


def mark(phase: str) -> None:
    """Append ``phase``'s timestamp to the file ``CLUSTEROBS_TIMINGS`` names, if set."""
    path = os.environ.get(ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"phase": phase, "wall": time.time(), "cpu": time.process_time(), "pid": os.getpid()})
                + "\n")


def start() -> None:
    """Mark ``command``, and ``exit`` at interpreter exit, after the exit handlers registered later (closing
    Chromium) have run."""
    if os.environ.get(ENV):
        mark("command")
        atexit.register(mark, "exit")
