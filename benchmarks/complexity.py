"""Benchmark: economic complexity (``clusterobs.complexity``) against ``ecomplexity`` 0.5.3 on the engine's panel.

Goal (issue 19), on a 2-core machine: every output (RCA, M, density, ECI, PCI, diversity, ubiquity, COI, COG) of the
300 regions × 615 industries × 20 years synthetic panel of ``benchmarks/engine.py`` (same seed, same generator: 3.69 M
rows, about 8 % structural zeros and 3 % missing cells, which both count as 0) at least 10× faster than
``ecomplexity`` 0.5.3 on the same panel in the same run, under 2 GB peak memory.

Each side runs in a child process of its own, reads the same Parquet file into pandas (untimed) and reports its wall
time, CPU time and peak resident memory (Linux ``VmHWM``, reset before the step):

* ``ours``: ``complexity_table(df)``, this virtualenv, with its parts (checking and the dense array, the years, the
  long table);
* ``ecomplexity``: ``ecomplexity(df, cols, check_logsupermodularity=False, verbose=False)`` (its log-supermodularity
  check is off: it is a diagnostic we do not compute; every other argument at its default), in the throwaway
  virtualenv of ``benchmarks/engine.py`` (``benchmarks/.peers/ecomplexity``, made on first use) or ``--peer-python``.
  Its BLAS runs on one thread as ours does (``--peer-blas-threads``, 0 for its default): on a busy machine two
  BLAS threads wait for each other and would make it look slower than it is.

Then every column is compared on the rows both return (max absolute difference; missing against missing). Usage::

    python benchmarks/complexity.py [--repeat N] [--seed S] [--no-ecomplexity] [--peer-python PATH]
                                    [--peer-blas-threads N] [--strict] [--json PATH]

Exit status 1 when the results disagree beyond 1e-6 (or, with ``--strict``, when a goal is missed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import engine as eb  # noqa: E402  (the panel, the measuring helpers and the peer virtualenv)

GOAL_SPEEDUP = 10.0
GOAL_BYTES = 2 << 30
TOLERANCE = 1e-6
MEASURES = ("rca", "mcp", "density", "eci", "pci", "diversity", "ubiquity", "coi", "cog")
KEYS = ["region", "category", "year"]


def child_ours(work: Path) -> None:
    import pandas as pd

    from clusterobs.complexity import complexity_table
    from clusterobs.complexity.table import assemble, compute_years, read_panel

    s = eb.Steps()
    df = pd.read_parquet(work / "panel.parquet")
    out = s.run("total", lambda: complexity_table(df))
    panel = s.run("check + dense array", lambda: read_panel(df))
    years = s.run("20 years (matrices)", lambda: compute_years(panel))
    s.run("long table", lambda: assemble(panel, years))
    out.to_parquet(work / "ours.parquet")
    s.report(rows=len(out))


def child_ecomplexity(work: Path) -> None:
    import warnings

    import pandas as pd
    from ecomplexity import ecomplexity

    warnings.simplefilter("ignore")  # NaN coerced to 0, pandas chained assignment
    s = eb.Steps()
    df = pd.read_parquet(work / "panel.parquet")
    cols = {"time": "year", "loc": "region", "prod": "category", "val": "employment"}
    out = s.run("total", lambda: ecomplexity(df, cols, check_logsupermodularity=False, verbose=False))
    # it merges its results back onto the input on the keys *and* the value: an input row whose employment is
    # missing comes back twice, computed (as 0) and empty; keep the computed one (as fixtures/make_reference.py)
    out = out[[*KEYS, *MEASURES]].assign(_empty=out["rca"].isna()).sort_values([*KEYS, "_empty"])
    dup = int(out.duplicated(KEYS).sum())
    out.drop_duplicates(KEYS).drop(columns="_empty").to_parquet(work / "ecx.parquet")
    s.report(rows=len(out) - dup, duplicate_rows=dup)


CHILDREN = {"ours": child_ours, "ecomplexity": child_ecomplexity}


def run_child(python: str | Path, role: str, work: Path, blas_threads: int | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(HERE.parent / "src"),
                                                                    os.environ.get("PYTHONPATH")) if p)}
    if blas_threads:
        env.update({k: str(blas_threads) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
    out = subprocess.run([str(python), __file__, "--child", role, str(work)], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"{role} child failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(work: Path) -> dict[str, dict]:
    import numpy as np
    import pandas as pd

    a = pd.read_parquet(work / "ours.parquet")
    b = pd.read_parquet(work / "ecx.parquet")
    m = a.merge(b, on=KEYS, how="inner", suffixes=("", "_ref"))
    out = {}
    for col in MEASURES:
        x, y = m[col].to_numpy(dtype=float, na_value=np.nan), m[f"{col}_ref"].to_numpy(dtype=float, na_value=np.nan)
        both = ~np.isnan(x) & ~np.isnan(y)
        diff = np.abs(x[both] - y[both])
        out[col] = {"compared": int(both.sum()), "max_abs": float(diff.max()) if diff.size else 0.0,
                    "bad": int((diff > TOLERANCE).sum()), "missing_differs": int((np.isnan(x) != np.isnan(y)).sum()),
                    "ours": len(a), "theirs": len(b), "matched": len(m)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="run each child N times, keep the fastest")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-ecomplexity", action="store_true", help="skip the ecomplexity peer")
    parser.add_argument("--peer-python", type=Path, help="a python with ecomplexity 0.5.3 and pandas < 3 importable")
    parser.add_argument("--peer-blas-threads", type=int, default=1,
                        help="BLAS threads of the ecomplexity child (0: its default); 1, as ours, by default")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    parser.add_argument("--child", nargs=2, metavar=("ROLE", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        CHILDREN[args.child[0]](Path(args.child[1]))
        return

    import numpy as np
    import pyarrow.parquet as pq

    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{date.today().isoformat()}; load average {load:.1f}{eb.cpu_pressure()}")
    if load > 0.5 * (os.cpu_count() or 1):
        print("  (other processes are busy: wall times will be high; the cpu s column is less affected)")
    rng = np.random.default_rng(args.seed)
    classes = eb.class_codes()
    eb.make_concordance(rng, classes)  # drawn first in engine.py: the same panel for the same seed
    panel = eb.make_panel(rng, classes).rename_columns(["region", "category", "year", "employment"])
    n = panel.num_rows
    print(f"panel: synthetic, seed {args.seed}: {eb.REGIONS} regions × {len(classes)} industries × {eb.YEARS} years "
          f"= {n:,} rows (as benchmarks/engine.py)")
    peer = None
    if not args.no_ecomplexity:
        peer = args.peer_python or eb.ensure_peer()
    with tempfile.TemporaryDirectory(prefix="clusterobs-bench-") as tmp:
        work = Path(tmp)
        pq.write_table(panel, work / "panel.parquet")
        del panel
        best: dict[str, dict] = {}
        for _ in range(args.repeat):
            for role, python in (("ours", sys.executable), ("ecomplexity", peer)):
                if python is not None:
                    threads = args.peer_blas_threads if role == "ecomplexity" else None
                    best[role] = eb.keep_fastest(best.get(role), run_child(python, role, work, threads))
        checks = compare(work) if "ecomplexity" in best else {}
    report(best, checks, n, args, load)


def report(best: dict[str, dict], checks: dict[str, dict], n: int, args, load: float) -> None:
    ours, ecx = best["ours"]["steps"], best.get("ecomplexity", {}).get("steps")
    total = ours["total"]
    speedup = ecx["total"]["wall"] / total["wall"] if ecx else None
    ok = (speedup is None or speedup >= GOAL_SPEEDUP) and total["peak"] < GOAL_BYTES
    rows = [("complexity_table: every output, ours", total, speedup,
             f">= {GOAL_SPEEDUP:g}× ecomplexity, < {GOAL_BYTES >> 20} MiB", ok)]
    rows += [(f"  {k}", st, None, "", None) for k, st in ours.items() if k != "total"]
    if ecx:
        rows.append(("  ecomplexity 0.5.3 ecomplexity()", ecx["total"], 1.0, "", None))
    head = ("step", "wall s", "cpu s", "peak MiB", "rows/s", "vs ecomplexity", "goal", "")
    table = [head] + [(name, f"{st['wall']:.2f}", f"{st['cpu']:.2f}", f"{st['peak'] / 2**20:,.0f}",
                       f"{n / st['wall']:,.0f}", "" if x is None else f"{x:.1f}×", goal,
                       "" if good is None else ("pass" if good else "FAIL")) for name, st, x, goal, good in rows]
    widths = [max(len(r[k]) for r in table) for k in range(len(head))]
    print()
    for k, r in enumerate(table):
        print("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print("vs ecomplexity: its wall time over this row's. cpu s: user + system time of all threads. peak MiB: the "
          "child's peak RSS during the step (the input frame, read before, included).")
    if not ecx:
        print("ecomplexity 0.5.3 is not available here (no peer virtualenv): only our figures.")
    checks_ok = all(c["bad"] == 0 and c["missing_differs"] == 0 for c in checks.values())
    if checks:
        c0 = next(iter(checks.values()))
        print(f"\nagreement: {c0['matched']:,} rows in both (ours {c0['ours']:,}, ecomplexity {c0['theirs']:,}, "
              f"after dropping its {best['ecomplexity'].get('duplicate_rows', 0):,} empty duplicates of rows with "
              f"missing employment); tolerance {TOLERANCE:g} absolute")
        for col, c in checks.items():
            print(f"  {col:<9} {c['compared']:>9,} compared, max |diff| {c['max_abs']:.2e}, {c['bad']} beyond, "
                  f"{c['missing_differs']} missing on one side only")
    if args.json:
        out = [{"name": ("complexity: " + name) if not name.startswith(" ") else "  " + name.strip(), "rows": n,
                "wall_s": st["wall"], "cpu_s": st["cpu"], "peak_bytes": st["peak"], "rows_per_s": n / st["wall"],
                "goal": goal, "ok": good, "baselines": {"ecomplexity 0.5.3": x} if x else {},
                "load": [load, os.getloadavg()[0]]} for name, st, x, goal, good in rows]
        args.json.write_text(json.dumps({"benchmark": "complexity", "rows": out, "checks_ok": checks_ok,
                                         "notes": [f"{k}: {v['compared']:,} values compared, max |diff| "
                                                   f"{v['max_abs']:.1e}" for k, v in checks.items()]}, indent=1))
    if not checks_ok or (args.strict and not ok):
        sys.exit(1)


if __name__ == "__main__":
    main()
