"""Benchmark: ``clusterobs compute`` on the real mirror, every year (SBS 2008-2015) and every NUTS unit.

Goal (issue 16): under 60 s wall time on a 2-core machine for all years. Ingests the mirror once (untimed) into a
temporary data directory, then runs the compute in a child process so that the peak resident memory is the
compute's own; prints the years and rows computed, wall and CPU time, peak RSS, and the ratio to the goal. Usage::

    python benchmarks/compute.py [--repeat N] [--home DIR] [--json PATH]

``--home DIR`` computes from a store already ingested there (a new version is published in it); ``--json PATH`` also
writes the figures (the fastest run) for ``benchmarks/results.py``.
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

GOAL_SECONDS = 60.0
INGEST = """
import sys
from clusterobs.config import Settings
from clusterobs.ingest import run_ingest
run_ingest(Settings.from_env(home=sys.argv[1]))
"""
COMPUTE = """
import json, sys
from clusterobs.compute import run_compute
from clusterobs.store import Store
s = run_compute(Store(sys.argv[1]))
m = Store(sys.argv[1]).table("cluster_measures")
print(json.dumps({"rows": sum(s.rows.values()), "years": sorted(int(y) for y in m["year"].unique()),
                  "measures": len(m), "seconds": s.seconds}))
"""


def run_once(home: Path) -> dict:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", COMPUTE, str(home)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**figures, "wall": wall, "cpu": cpu, "peak": max(after.ru_maxrss, before.ru_maxrss) * 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--home", type=Path, help="a data directory already ingested (default: a new temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"mirror {os.environ.get('CLUSTEROBS_MIRROR', '../shared/data')}")
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        if args.home is None:
            print("ingesting the mirror (not timed) ...", flush=True)
            subprocess.run([sys.executable, "-c", INGEST, str(home)], check=True, capture_output=True)
        runs = []
        for i in range(args.repeat):
            load_before = os.getloadavg()[0]
            r = run_once(home)
            r["load"] = [load_before, os.getloadavg()[0]]
            runs.append(r)
            print(f"run {i + 1}: compute of {len(r['years'])} years ({r['years'][0]}-{r['years'][-1]}), "
                  f"{r['measures']:,} cluster_measures rows, {r['rows']:,} rows written: wall {r['wall']:.1f} s "
                  f"(goal < {GOAL_SECONDS:.0f} s, ratio {r['wall'] / GOAL_SECONDS:.2f}), CPU {r['cpu']:.1f} s "
                  f"(CPU/wall {r['cpu'] / r['wall']:.2f} on {os.cpu_count()} cores), peak RSS "
                  f"{r['peak'] / 2**20:,.0f} MiB; load average {r['load'][0]:.1f} before, {r['load'][1]:.1f} after",
                  flush=True)
    if args.json:
        best = min(runs, key=lambda r: r["wall"])
        args.json.write_text(json.dumps({"benchmark": "compute", "rows": [{
            "name": f"clusterobs compute, {len(best['years'])} years of the real mirror (fastest of {len(runs)})",
            "rows": best["rows"], "wall_s": best["wall"], "peak_bytes": best["peak"],
            "rows_per_s": best["rows"] / best["wall"], "goal": f"< {GOAL_SECONDS:g} s",
            "ok": best["wall"] < GOAL_SECONDS, "baselines": {}, "load": best["load"]}]}))


if __name__ == "__main__":
    main()
