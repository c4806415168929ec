"""Benchmark: a region scorecard PDF from a new process (goal under 3 s, issue 22; warm too) and the European Cluster
Panorama PDF (goal under 60 s).

Both from the real computed store under ``--home`` (default ``$CLUSTEROBS_HOME``, else ``./var``); when none is
computed there, one is built first in a temporary directory with ``clusterobs ingest`` and ``compute`` (not timed).

Measured:

* cold: ``clusterobs report region CODE`` (``--repeat`` times: the fastest run and every run, with the load average
  at its start) and ``clusterobs report panorama`` (once) in a new process each: what a user waits for at the
  command line. Where the time goes: the command writes phase timestamps to the file ``CLUSTEROBS_TIMINGS`` names
  (``clusterobs.reports.timings``), printed for the fastest run as a timeline: interpreter start with
  ``clusterobs.cli`` and typer, Chromium's start handed off, the report's imports, the dataset opened, the build
  (each chart handed to Chromium as its section is built), the wait for the last chart, HTML, PDF (WeasyPrint, in
  the PDF worker process) and the exit handlers, each with its wall time and the CPU of the command's process;
  then when Chromium's tabs and the PDF worker were ready, each chart's sent and drawn times, the CPU of the
  command and of the processes it waited for (``wait4``: the PDF worker and part of Chromium's, whose renderers
  are not waited for by the command) and of the PDF worker alone; and for every run the CPU per process: the
  command, the PDF worker and Chromium, all of whose processes are counted (the benchmark is their subreaper on
  Linux: those that outlive their parent are reaped, and counted, here). Python's
  compiled bytecode is as the environment has it (``--bytecode as-is``, the default: where
  ``PYTHONDONTWRITEBYTECODE`` is set and the source tree has no ``__pycache__``, every run compiles the clusterobs
  modules it imports again, about 0.07 s of CPU), or cached as an installed package has it (``--bytecode cached``:
  a first run, printed but not graded, fills a temporary ``PYTHONPYCACHEPREFIX``, every module of the
  environment included: 10-20 s);
* warm: in one process whose kaleido browser is already running (what the web app's worker does after its first
  report), the fastest of ``--repeat`` runs (every run's total is printed too), split into build (store reads and
  figures; each chart starts being drawn as soon as its section is built, as in the CLI and the web), charts (the
  wait for the last image after the build: kaleido, two tabs, JPEG at scale 2), HTML and PDF (WeasyPrint).

Usage::

    python benchmarks/reports.py [--home DIR] [--region DE21] [--repeat N] [--no-panorama] [--no-warm]
                                 [--bytecode cached|as-is] [--json PATH] [--strict]
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure as m

from clusterobs.reports import ReportData, build_panorama, build_scorecard
from clusterobs.reports.html import linked_images, render_html
from clusterobs.reports.render import pdf_bytes, render_images, start_drawing
from clusterobs.store import Store

SCORECARD_GOAL = 3.0
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


#: the cold run's phases, in order (``clusterobs.reports.timings``): (mark ending the phase, label)
PHASES = [("command", "interpreter start + clusterobs.cli + typer"), ("browser", "Chromium start handed off"),
          ("imports", "report imports"), ("dataset", "dataset open"), ("built", "build (charts sent as built)"),
          ("charts", "waiting for the charts"), ("html", "HTML"), ("pdf", "PDF (WeasyPrint)"),
          ("exit", "exit handlers (Chromium closed)")]


def subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux ``PR_SET_CHILD_SUBREAPER``): Chromium's
    processes that outlive their parent come to it, so that ``reap_orphans`` counts their CPU. Whether it could."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_orphans(timeout: float = 10.0) -> float:
    """Wait for every child left (the orphans of a cold run: Chromium's processes), at most ``timeout`` s; the CPU
    seconds (user + system) they and the children they waited for used."""
    cpu, deadline = 0.0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.02)
        else:
            cpu += usage.ru_utime + usage.ru_stime
    return cpu


@dataclass
class Cold:
    """One cold CLI run: its wall time, the CPU seconds of the command and of the processes it waited for (``wait4``:
    the PDF worker, part of Chromium's; ``cpu_all`` adds Chromium's orphans, which this process reaps as their
    subreaper) and the phase marks (``CLUSTEROBS_TIMINGS``) as seconds since the process was spawned."""

    wall: float
    cpu_tree: float
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)  # phase -> (seconds since spawn, CPU)
    load: float = 0.0
    cpu_all: float = 0.0

    def cpu_split(self) -> dict[str, float]:
        """CPU seconds per process: the command, the PDF worker, Chromium (every other process of the run)."""
        command = self.marks.get("exit", (0.0, 0.0))[1]
        worker = self.marks.get("worker done", (0.0, 0.0))[1]
        return {"command": command, "PDF worker": worker, "Chromium": self.cpu_all - command - worker}

    def rows(self) -> list[tuple[str, float, float | None, float | None]]:
        """(label, seconds since spawn at the phase's end, wall of the phase, Python CPU of the phase)."""
        out, prev_t, prev_cpu = [], 0.0, 0.0
        for key, label in PHASES:
            if key in self.marks:
                t, cpu = self.marks[key]
                out.append((label, t, t - prev_t, cpu - prev_cpu))
                prev_t, prev_cpu = t, cpu
        out.append(("interpreter exit", self.wall, self.wall - prev_t, None))
        return out


def bytecode_env(mode: str, cache: Path) -> dict[str, str]:
    """The child's environment for ``--bytecode``: ``cached`` lets Python write and read compiled bytecode under
    ``cache`` (``PYTHONPYCACHEPREFIX``; an installed package has it, and a source tree gets it on its first run),
    ``as-is`` keeps this environment (with ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__`` beside the
    sources, every run compiles the clusterobs modules it imports: about 0.07 s of CPU)."""
    env = dict(os.environ)
    if mode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def cold(args: list[str], home: Path, out: Path, base_env: dict[str, str] | None = None) -> Cold:
    """Run ``clusterobs report ARGS`` in a new process with its phases marked (``CLUSTEROBS_TIMINGS``)."""
    with tempfile.NamedTemporaryFile(prefix="clusterobs-timings-", suffix=".jsonl", delete=False) as f:
        marks_path = Path(f.name)
    env = {**(base_env or os.environ), "CLUSTEROBS_HOME": str(home), "CLUSTEROBS_TIMINGS": str(marks_path),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    load = m.load()
    t0, start = time.time(), time.perf_counter()
    proc = subprocess.Popen([*CLI, "report", *args, "--out", str(out)], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    run = Cold(wall, usage.ru_utime + usage.ru_stime, load=load)
    run.cpu_all = run.cpu_tree + reap_orphans()
    for line in marks_path.read_text().splitlines():
        rec = json.loads(line)
        run.marks.setdefault(rec["phase"], (rec["wall"] - t0, rec["cpu"]))
    marks_path.unlink()
    return run


def colds(args: list[str], home: Path, out: Path, repeat: int,
          base_env: dict[str, str] | None = None) -> tuple[Cold, list[Cold]]:
    """``repeat`` cold runs: the fastest, and every run."""
    runs = [cold(args, home, out, base_env) for _ in range(repeat)]
    return min(runs, key=lambda r: r.wall), runs


def print_cold(name: str, best: Cold, runs: list[Cold]) -> None:
    print(f"{name}: every run {', '.join(f'{r.wall:.2f}' for r in runs)} s (load "
          f"{', '.join(f'{r.load:.2f}' for r in runs)}); fastest {best.wall:.2f} s, CPU {best.cpu_tree:.2f} s "
          f"(this process and the processes it waited for: the PDF worker, part of Chromium's), of which this process "
          f"{best.marks.get('exit', (0, 0))[1]:.2f} s")
    print("  CPU per process, every run (s): " + "; ".join(
        ", ".join(f"{k} {v:.2f}" for k, v in r.cpu_split().items()) + f" (all {r.cpu_all:.2f})" for r in runs))
    print(f"  {'phase':46} {'ends at':>8} {'wall':>6} {'CPU':>6}")
    for label, at, wall, cpu in best.rows():
        print(f"  {label:46} {at:8.2f} {wall:6.2f} " + (f"{cpu:6.2f}" if cpu is not None else ""))
    for key, label in (("chromium", "Chromium's tabs ready"), ("warm", "WeasyPrint warmed up"),
                       ("worker ready", "PDF worker ready (WeasyPrint warm)"),
                       ("worker laid out", "PDF worker laid the document out"),
                       ("worker painted", "PDF worker painted the pages"), ("worker done", "PDF worker done")):
        if key in best.marks:
            at, cpu = best.marks[key]
            worker = f" {'':6} {cpu:6.2f} (the worker's CPU)" if key == "worker done" else ""
            print(f"  {label:46} {at:8.2f}{worker}")
    charts = [(k.split(" ", 1)[1], t) for k, (t, _) in best.marks.items() if k.startswith("sent ")]
    drawn = {k.split(" ", 1)[1]: t for k, (t, _) in best.marks.items() if k.startswith("drawn ")}
    if charts:
        print("  charts (sent -> drawn, s since spawn): " + ", ".join(
            f"{name} {t:.2f}->{drawn[name]:.2f}" if name in drawn else f"{name} {t:.2f}" for name, t in charts))


def warm(build, data: ReportData, repeat: int) -> dict[str, float]:
    best: dict[str, float] | None = None
    totals = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        report = build(data, start_drawing)
        t1 = time.perf_counter()
        render_images(report)
        t2 = time.perf_counter()
        render_html(report)  # the HTML file; the PDF's HTML links the images (render.write_report)
        html = render_html(report, linked=True)
        t3 = time.perf_counter()
        pdf_bytes(html, linked_images(report))
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
    parser.add_argument("--no-warm", action="store_true", help="only the cold runs (new CLI processes)")
    parser.add_argument("--bytecode", choices=("as-is", "cached"), default="as-is",
                        help="cold runs with Python's compiled bytecode as this environment has it (default), or "
                             "cached in a temporary folder that a first, ungraded run fills")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (benchmarks/results.py)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {m.load():.2f}")
    home, tmp = computed_home(args.home)
    subreaper()  # after the store is built: from here the only children are the cold runs' processes
    rows: list[tuple[str, float, float | None]] = []  # name, seconds, goal
    with tempfile.TemporaryDirectory(prefix="clusterobs-reports-out-") as out, \
            tempfile.TemporaryDirectory(prefix="clusterobs-bench-pycache-") as pycache:
        env = bytecode_env(args.bytecode, Path(pycache))
        if args.bytecode == "cached":
            first = cold(["region", args.region], home, Path(out), env)
            print(f"first run, compiling every module's bytecode into an empty cache (not graded): {first.wall:.2f} s "
                  f"(load {first.load:.2f})")
        else:
            print("bytecode as this environment has it (PYTHONDONTWRITEBYTECODE="
                  f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})")
        name = f"scorecard {args.region}, cold (new process, CLI)"
        best, runs = colds(["region", args.region], home, Path(out), args.repeat, env)
        rows.append((name, best.wall, SCORECARD_GOAL))
        print_cold(name, best, runs)
        if not args.no_panorama:
            name = "panorama Europe, cold (new process, CLI)"
            best, runs = colds(["panorama"], home, Path(out), 1, env)
            rows.append((name, best.wall, PANORAMA_GOAL))
            print_cold(name, best, runs)
    if args.no_warm:
        if tmp is not None:
            tmp.cleanup()
        report_rows(rows, None, args)
        return
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
    report_rows(rows, sc, args)
    if tmp is not None:
        tmp.cleanup()


def report_rows(rows: list[tuple[str, float, float | None]], sc: dict | None, args: argparse.Namespace) -> None:
    """The table of every figure against its goal, the JSON (``--json``) and the exit status (``--strict``)."""
    print(f"{'step':48} {'seconds':>8} {'ratio to goal':>14}")
    failed = []
    for name, s, goal in rows:
        ratio = f"{s / goal:14.2f}" if goal else ""
        print(f"{name:48} {s:8.2f} {ratio}")
        if goal and s >= goal:
            failed.append(name)
    if sc is not None:
        print(f"scorecard, warm, every run: {', '.join(f'{t:.2f}' for t in sc['runs'])} s; {sc['n_charts']} charts")
    print(f"goals: scorecard under {SCORECARD_GOAL:g} s, panorama under {PANORAMA_GOAL:g} s -> "
          + ("OK" if not failed else "FAIL: " + "; ".join(failed)) + f" (load {m.load():.2f})")
    if args.json:
        args.json.write_text(json.dumps({"benchmark": "reports", "rows": [
            {"name": name, "rows": None, "wall_s": s, "peak_bytes": None, "rows_per_s": None,
             "goal": f"< {goal:g} s" if goal else "", "ok": (s < goal) if goal else None, "baselines": {},
             "load": []} for name, s, goal in rows]}))
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
