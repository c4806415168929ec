"""Benchmark: ``clusterobs compute`` on the real mirror, every year (SBS 2008-2015) and every NUTS unit.

Goal (issue 16, issue 22 item 3): under 60 s wall time on a 2-core machine for all years. Ingests the mirror once
(untimed) into a temporary data directory, then runs the compute in a child process so that the peak resident memory
is the compute's own (CPU time and peak RSS include its worker processes); prints the years and rows computed, wall
and CPU time, their ratio, peak RSS, and the ratio to the goal. The baseline in the same run is the compute in one
process (``--workers 1``), the figure before the NUTS versions were mapped in parallel. Usage::

    python benchmarks/compute.py [--repeat N] [--home DIR] [--json PATH] [--no-baseline]

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
s = run_compute(Store(sys.argv[1]), workers=int(sys.argv[2]) if sys.argv[2] != "default" else None)
m = Store(sys.argv[1]).table("cluster_measures")
print(json.dumps({"rows": sum(s.rows.values()), "years": sorted(int(y) for y in m["year"].unique()),
                  "measures": len(m), "seconds": s.seconds}))
"""


def run_once(home: Path, workers: str = "default") -> dict:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", COMPUTE, str(home), workers], check=True, capture_output=True,
                         text=True)
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
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-process compute (--workers 1)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"mirror {os.environ.get('CLUSTEROBS_MIRROR', '../shared/data')}")
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        if args.home is None:
            print("ingesting the mirror (not timed) ...", flush=True)
            subprocess.run([sys.executable, "-c", INGEST, str(home)], check=True, capture_output=True)
        runs, baseline = [], []
        for i in range(args.repeat):
            for workers, into in (() if args.no_baseline else (("1", baseline),)) + (("default", runs),):
                load_before = os.getloadavg()[0]
                r = run_once(home, workers)
                r["load"] = [load_before, os.getloadavg()[0]]
                into.append(r)
                _report(f"run {i + 1}" + (", one process (baseline)" if workers == "1" else ""), r)
        if baseline:
            best, base = min(runs, key=lambda r: r["wall"]), min(baseline, key=lambda r: r["wall"])
            print(f"parallel against one process: wall {best['wall']:.1f} s / {base['wall']:.1f} s = "
                  f"{best['wall'] / base['wall']:.2f}")
    if args.json:
        best = min(runs, key=lambda r: r["wall"])
        # as the other benchmarks: the baseline's time over ours (above 1: faster than one process)
        baselines = ({"one process (--workers 1)": min(r["wall"] for r in baseline) / best["wall"]}
                     if baseline else {})
        args.json.write_text(json.dumps({"benchmark": "compute", "rows": [{
            "name": f"clusterobs compute, {len(best['years'])} years of the real mirror (fastest of {len(runs)})",
            "rows": best["rows"], "wall_s": best["wall"], "peak_bytes": best["peak"], "cpu_s": best["cpu"],
            "cpu_per_wall": best["cpu"] / best["wall"],
            "rows_per_s": best["rows"] / best["wall"], "goal": f"< {GOAL_SECONDS:g} s",
            "ok": best["wall"] < GOAL_SECONDS, "baselines": baselines, "load": best["load"]}]}))


def _report(label: str, r: dict) -> None:
    print(f"{label}: compute of {len(r['years'])} years ({r['years'][0]}-{r['years'][-1]}), "
          f"{r['measures']:,} cluster_measures rows, {r['rows']:,} rows written: wall {r['wall']:.1f} s "
          f"(goal < {GOAL_SECONDS:.0f} s, ratio {r['wall'] / GOAL_SECONDS:.2f}), CPU {r['cpu']:.1f} s "
          f"(CPU/wall {r['cpu'] / r['wall']:.2f} on {os.cpu_count()} cores), peak RSS "
          f"{r['peak'] / 2**20:,.0f} MiB; load average {r['load'][0]:.1f} before, {r['load'][1]:.1f} after",
          flush=True)


if __name__ == "__main__":
    main()
