"""Benchmark: co-location relatedness for 61 categories × 330 regions × 10 years (issue 5).

Goal, on a 2-core machine: the relatedness matrices of every year (``clusterobs.linkages.colocation``, from long
region × category × year rows to long pair rows, the pairwise-complete Pearson correlation of the employment
shares) in under 1 s. Also timed: the log-LQ method, and the densities of every region and category.

The data are **synthetic** (seeded numpy, made by this script): lognormal region sizes, category affinities with a
shared structure so that categories co-locate, yearly noise, 3 % missing cells. Usage::

    python benchmarks/linkages.py [--repeat N] [--seed S] [--json PATH] [--strict]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from clusterobs.linkages import colocation, opportunities, square

CATEGORIES, REGIONS, YEARS, FIRST_YEAR = 61, 330, 10, 2010
GOAL_SECONDS = 1.0
MISSING = 0.03


def synthetic(seed: int) -> pd.DataFrame:
    """Long rows region, category, year, focus, lq."""
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(REGIONS, 4))
    loadings = rng.normal(size=(4, CATEGORIES))
    base = np.exp(factors @ loadings * 0.5 + rng.normal(size=(REGIONS, CATEGORIES)) * 0.5)
    size = rng.lognormal(11, 1, size=REGIONS)
    frames = []
    for t in range(YEARS):
        emp = base * np.exp(rng.normal(scale=0.05, size=base.shape)) * size[:, None]
        emp[rng.random(emp.shape) < MISSING] = np.nan
        total = np.nansum(emp, axis=1, keepdims=True)
        focus = emp / total
        lq = focus / (np.nansum(emp, axis=0) / np.nansum(emp))
        frames.append(pd.DataFrame({
            "region": np.repeat([f"R{i:03d}" for i in range(REGIONS)], CATEGORIES),
            "category": np.tile([f"c{j:02d}" for j in range(CATEGORIES)], REGIONS),
            "year": FIRST_YEAR + t, "focus": focus.ravel(), "lq": lq.ravel()}))
    return pd.concat(frames, ignore_index=True)


def timed(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = synthetic(args.seed)
    print(f"synthetic panel: {CATEGORIES} categories × {REGIONS} regions × {YEARS} years = {len(rows):,} rows "
          f"({rows['focus'].isna().mean():.1%} missing)")
    share_s, share = timed(lambda: colocation(rows, method="colocation_share", min_regions=10), args.repeat)
    loglq_s, _ = timed(lambda: colocation(rows, method="colocation_loglq", min_regions=10), args.repeat)

    def densities():
        out = []
        for year, one in share.groupby("year"):
            lq = rows[rows["year"] == year][["region", "category", "lq"]]
            out.append(opportunities(lq, square(one)))
        return out

    dens_s, _ = timed(densities, args.repeat)
    pairs = len(share) // YEARS
    table = [("relatedness, employment shares (goal)", share_s), ("relatedness, log LQ", loglq_s),
             ("densities of every region and category", dens_s)]
    print(f"{'step':45} {'seconds':>8} {'ratio to goal':>14}")
    for name, s in table:
        print(f"{name:45} {s:8.3f} {s / GOAL_SECONDS:14.2f}")
    ok = share_s < GOAL_SECONDS
    print(f"{pairs:,} ordered pairs per year; goal: under {GOAL_SECONDS:g} s -> {'OK' if ok else 'FAIL'} "
          f"({share_s / GOAL_SECONDS:.2f} of the goal, fastest of {args.repeat})")
    if args.json:
        args.json.write_text(json.dumps({"benchmark": "linkages", "rows": [
            {"name": name, "rows": len(rows), "wall_s": s, "peak_bytes": None,
             "rows_per_s": len(rows) / s, "goal": f"< {GOAL_SECONDS:g} s" if i == 0 else "",
             "ok": (s < GOAL_SECONDS) if i == 0 else None, "baselines": {}, "load": []}
            for i, (name, s) in enumerate(table)]}))
    if args.strict and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
