"""Benchmark: a region scorecard PDF (goal under 5 s) and the European Cluster Panorama PDF (goal under 60 s).

Both from the real computed store under ``--home`` (default ``$CLUSTEROBS_HOME``, else ``./var``); when none is
computed there, one is built first in a temporary directory with ``clusterobs ingest`` and ``compute`` (not timed).

Measured:

* cold: ``clusterobs report region CODE`` and ``clusterobs report panorama`` in a new process each (Python start,
  imports, Chromium start for kaleido, every chart, HTML, WeasyPrint PDF): what a user waits for at the command line;
* warm: in one process whose kaleido browser is already running (what the web app's worker does after its first
  report), the fastest of ``--repeat`` runs (every run's total is printed too), split into build (store reads and
  figures; each chart starts being drawn as soon as its section is built, as in the CLI and the web), charts (the
  wait for the last image after the build: kaleido, two tabs, JPEG at scale 2), HTML and PDF (WeasyPrint).

Usage::

    python benchmarks/reports.py [--home DIR] [--region DE21] [--repeat N] [--no-panorama] [--json PATH] [--strict]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure as m

from clusterobs.reports import ReportData, build_panorama, build_scorecard
from clusterobs.reports.html import render_html
from clusterobs.reports.render import pdf_bytes, render_images, start_drawing
from clusterobs.store import Store

SCORECARD_GOAL = 5.0
PANORAMA_GOAL = 60.0
CLI = [str(Path(sys.executable).with_name("clusterobs"))]


def computed_home(home: Path | None) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    home = home or Path(os.environ.get("CLUSTEROBS_HOME", "var"))
    store = Store(home)
    if store.current() and "cluster_stars" in set(store.tables()["name"]):
        return home, None
    tmp = tempfile.TemporaryDirectory(prefix="clusterobs-bench-reports-")
    print(f"no computed store in {home}: building one in {tmp.name} (ingest + compute, not timed)")
    env = {**os.environ, "CLUSTEROBS_HOME": tmp.name}
    for cmd in ("ingest", "compute"):
        subprocess.run([*CLI, cmd], env=env, check=True, stdout=subprocess.DEVNULL)
    return Path(tmp.name), tmp


def cold(args: list[str], home: Path, out: Path) -> float:
    env = {**os.environ, "CLUSTEROBS_HOME": str(home), "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    start = time.perf_counter()
    subprocess.run([*CLI, "report", *args, "--out", str(out)], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def warm(build, data: ReportData, repeat: int) -> dict[str, float]:
    best: dict[str, float] | None = None
    totals = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        report = build(data, start_drawing)
        t1 = time.perf_counter()
        render_images(report)
        t2 = time.perf_counter()
        html = render_html(report)
        t3 = time.perf_counter()
        pdf_bytes(html)
        t4 = time.perf_counter()
        run = {"build": t1 - t0, "charts": t2 - t1, "html": t3 - t2, "pdf": t4 - t3, "total": t4 - t0,
               "n_charts": len(report.charts)}
        totals.append(run["total"])
        if best is None or run["total"] < best["total"]:
            best = run
    assert best is not None
    best["runs"] = totals
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path)
    parser.add_argument("--region", default="DE21")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-panorama", action="store_true", help="only the scorecard")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {m.load():.2f}")
    home, tmp = computed_home(args.home)
    rows: list[tuple[str, float, float | None]] = []  # name, seconds, goal
    with tempfile.TemporaryDirectory(prefix="clusterobs-reports-out-") as out:
        rows.append((f"scorecard {args.region}, cold (new process, CLI)",
                     cold(["region", args.region], home, Path(out)), SCORECARD_GOAL))
        if not args.no_panorama:
            rows.append(("panorama Europe, cold (new process, CLI)", cold(["panorama"], home, Path(out)),
                         PANORAMA_GOAL))
    data = ReportData.open(Store(home))
    render_images(build_scorecard(data, args.region))  # starts the kaleido browser (Chromium) once
    sc = warm(lambda d, on_chart: build_scorecard(d, args.region, on_chart=on_chart), data, args.repeat)
    rows.append((f"scorecard {args.region}, warm (kaleido running)", sc["total"], SCORECARD_GOAL))
    for step in ("build", "charts", "html", "pdf"):
        rows.append((f"  {step}", sc[step], None))
    if not args.no_panorama:
        pn = warm(lambda d, on_chart: build_panorama(d, on_chart=on_chart), data, 1)
        rows.append(("panorama Europe, warm (kaleido running)", pn["total"], PANORAMA_GOAL))
        for step in ("build", "charts", "html", "pdf"):
            rows.append((f"  {step}", pn[step], None))
    data.close()
    print(f"{'step':48} {'seconds':>8} {'ratio to goal':>14}")
    failed = []
    for name, s, goal in rows:
        ratio = f"{s / goal:14.2f}" if goal else ""
        print(f"{name:48} {s:8.2f} {ratio}")
        if goal and s >= goal:
            failed.append(name)
    print(f"scorecard, warm, every run: {', '.join(f'{t:.2f}' for t in sc['runs'])} s")
    print(f"scorecard: {sc['n_charts']} charts; goals: scorecard under {SCORECARD_GOAL:g} s, panorama under "
          f"{PANORAMA_GOAL:g} s -> " + ("OK" if not failed else "FAIL: " + "; ".join(failed))
          + f" (load {m.load():.2f})")
    if args.json:
        args.json.write_text(json.dumps({"benchmark": "reports", "rows": [
            {"name": name, "rows": None, "wall_s": s, "peak_bytes": None, "rows_per_s": None,
             "goal": f"< {goal:g} s" if goal else "", "ok": (s < goal) if goal else None, "baselines": {},
             "load": []} for name, s, goal in rows]}))
    if tmp is not None:
        tmp.cleanup()
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
