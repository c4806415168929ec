"""Benchmark: the scoreboard pipeline plus 1,000 Monte Carlo draws for 330 regions × 20 indicators.

Goal (issue 9), on a 2-core machine: under 3 s wall for the whole pipeline (imputation, transformation,
outlier treatment, normalisation, aggregation, ranks) and 1,000 seeded draws of weights and normalisations.

The data are **synthetic** (seeded numpy, made here): 330 regions, 20 indicators in 5 dimensions × 2
sub-dimensions, 3 years each, lognormal values with 5 % missing cells and a few extreme values (so the outlier
step works). Usage::

    python benchmarks/scoreboard.py [--repeat N] [--draws D] [--strict] [--json PATH]

Prints the best and median wall time of each part and the ratio to the goal; exit 1 with ``--strict`` when the
goal is missed. ``--json PATH`` also writes the figures (the fastest run) for ``benchmarks/results.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.scoreboard.pipeline import Settings, run_pipeline
from clusterobs.scoreboard.registry import Dimension, Indicator, Registry, SubDimension
from clusterobs.scoreboard.uncertainty import monte_carlo_ranks

GOAL_S = 3.0


def synthetic(n_regions: int = 330, n_ind: int = 20, seed: int = 7) -> tuple[pd.DataFrame, Registry, list[str]]:
    rng = np.random.default_rng(seed)
    regions = [f"R{i:03d}" for i in range(n_regions)]
    dims = tuple(Dimension(f"d{d}", f"Dimension {d}", (SubDimension("a", "A"), SubDimension("b", "B")))
                 for d in range(5))
    inds = tuple(Indicator(f"i{j:02d}", f"Indicator {j}", f"d{j % 5}", "ab"[(j // 5) % 2], "synthetic", f"i{j:02d}",
                           "u", 1 if j % 3 else -1, "log" if j % 4 == 0 else "none") for j in range(n_ind))
    rows = []
    for ind in inds:
        base = rng.lognormal(3, 0.6, n_regions)
        base[rng.integers(0, n_regions, 3)] *= 20  # extreme values
        for year in (2019, 2020, 2021):
            v = base * rng.normal(1, 0.05, n_regions)
            keep = rng.random(n_regions) > 0.05
            rows.append(pd.DataFrame({"indicator": ind.id, "region": np.array(regions)[keep], "year": year,
                                      "value": v[keep]}))
    return pd.concat(rows, ignore_index=True), Registry(dims, inds), regions


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    args = ap.parse_args()
    obs, registry, regions = synthetic()
    load0 = os.getloadavg()[0]
    times: dict[str, list[float]] = {"pipeline": [], "monte_carlo": [], "total": []}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = run_pipeline(obs, registry, regions, Settings())
        t1 = time.perf_counter()
        treated = result.values.pivot(index="region", columns="indicator", values="treated")
        monte_carlo_ranks(treated, registry, draws=args.draws, seed=1)
        t2 = time.perf_counter()
        times["pipeline"].append(t1 - t0)
        times["monte_carlo"].append(t2 - t1)
        times["total"].append(t2 - t0)
    print(f"scoreboard: {len(regions)} regions × {len(registry.indicators)} indicators, {args.draws} draws, "
          f"{args.repeat} runs")
    for k, v in times.items():
        print(f"  {k:<12} best {min(v):6.3f} s   median {statistics.median(v):6.3f} s")
    best = min(times["total"])
    print(f"  goal: total under {GOAL_S:.1f} s; best/goal = {best / GOAL_S:.2f} "
          f"({'met' if best < GOAL_S else 'MISSED'})")
    if args.json:
        load = [load0, os.getloadavg()[0]]
        n = len(regions) * len(registry.indicators)
        rows = [{"name": f"pipeline + {args.draws} Monte Carlo draws ({len(regions)} regions × "
                         f"{len(registry.indicators)} indicators)", "rows": n, "wall_s": best, "peak_bytes": None,
                 "rows_per_s": n / best, "goal": f"< {GOAL_S:g} s", "ok": best < GOAL_S, "baselines": {},
                 "load": load}]
        rows += [{"name": f" {k}", "rows": n, "wall_s": min(v), "peak_bytes": None, "rows_per_s": n / min(v),
                  "goal": "", "ok": None, "baselines": {}, "load": load} for k, v in times.items() if k != "total"]
        args.json.write_text(json.dumps({"benchmark": "scoreboard", "rows": rows}, indent=2), encoding="utf-8")
    return 1 if args.strict and best >= GOAL_S else 0


if __name__ == "__main__":
    sys.exit(main())
