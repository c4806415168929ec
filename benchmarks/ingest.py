"""Benchmark: a full ingest of the offline mirror.

Goal (issue 2): under 30 s wall time and under 1 GB peak memory on a 2-core machine.
Runs the ingest in a child process so that the peak resident memory measured is the
ingest's own, into a temporary data directory. Usage::

    python benchmarks/ingest.py [--repeat N] [--json PATH]

``--json PATH`` also writes the figures (the fastest run) for ``benchmarks/results.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 30.0
GOAL_BYTES = 1 << 30
CHILD = """
import sys
from pathlib import Path
from clusterobs.config import Settings
from clusterobs.ingest import run_ingest
s = run_ingest(Settings.from_env(home=sys.argv[1]))
print(sum(s.tables.values()))
"""


def run_once(home: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-c", CHILD, str(home)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak_kib, before) * 1024, int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"mirror {os.environ.get('CLUSTEROBS_MIRROR', '../shared/data')}")
    runs = []
    for i in range(args.repeat):
        load_before = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as tmp:
            wall, peak, rows = run_once(Path(tmp))
        runs.append((wall, peak, rows, load_before, os.getloadavg()[0]))
        print(f"run {i + 1}: ingest wall {wall:.2f} s (goal < {GOAL_SECONDS:.0f} s, ratio {wall / GOAL_SECONDS:.2f}); "
              f"peak RSS {peak / 2**20:.0f} MiB (goal < 1024 MiB, ratio {peak / GOAL_BYTES:.2f}); "
              f"{rows:,} rows written, {rows / wall:,.0f} rows/s")
    if args.json:
        wall, peak, rows, before, after = min(runs)
        args.json.write_text(json.dumps({"benchmark": "ingest", "rows": [{
            "name": f"ingest of the offline mirror (fastest of {len(runs)})", "rows": rows, "wall_s": wall,
            "peak_bytes": peak, "rows_per_s": rows / wall, "goal": f"< {GOAL_SECONDS:g} s, < {GOAL_BYTES >> 20} MiB",
            "ok": wall < GOAL_SECONDS and peak < GOAL_BYTES, "baselines": {}, "load": [before, after]}]}))


if __name__ == "__main__":
    main()
