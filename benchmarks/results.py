"""Run every benchmark script of benchmarks/ and write one table of their figures to benchmarks/RESULTS.md.

``make bench`` runs this. Every ``benchmarks/*.py`` but this file and the ``_``-prefixed helpers
runs in turn, in a child process, its output shown as it goes. A script that has a ``--json PATH``
option is given one and its rows go into the table (wall time, peak memory, rows per second, the
goal and whether it was met, and its ratios against each baseline it names); a script without it
gets one row with its process's wall time and peak RSS. The machine is described (CPU, cores,
memory, versions) with the load average before and after each script: a figure taken while other
processes kept the machine busy is marked so.

Usage::

    python benchmarks/results.py [--only microdata,engine] [--skip web] [--out benchmarks/RESULTS.md]
                                 [--args microdata="--scaling"]

Exit status 1 when a script fails (RESULTS.md is written anyway, saying which).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _measure as m

HERE = Path(__file__).resolve().parent
JSON_OPTION = '"--json"'


def scripts(only: set[str] | None, skip: set[str]) -> list[Path]:
    out = []
    for p in sorted(HERE.glob("*.py")):
        if p.name.startswith("_") or p.name == Path(__file__).name:
            continue
        if (only and p.stem not in only) or p.stem in skip:
            continue
        out.append(p)
    return out


def run(script: Path, extra: list[str]) -> dict:
    """Run one script; its JSON figures when it has a --json option, else its process's wall time and peak."""
    has_json = JSON_OPTION in script.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="clusterobs-results-") as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [sys.executable, str(script), *extra, *(["--json", str(out)] if has_json else [])]
        print(f"\n$ {' '.join(shlex.quote(c) for c in cmd[1:])}", flush=True)
        load_before, started = m.load(), time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=HERE.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        figures = json.loads(out.read_text()) if has_json and out.exists() else None
    return {"script": script.name, "returncode": proc.returncode, "wall_s": wall,
            "peak_bytes": usage.ru_maxrss * 1024, "load": [load_before, m.load()], "figures": figures}


def _mib(b: float | None) -> str:
    return "" if b is None else f"{b / 2**20:,.0f}"


def _num(x: float | None, fmt: str) -> str:
    return "" if x is None else format(x, fmt)


def render(results: list[dict], machine: dict, started: datetime, load_start: float) -> str:
    cores = machine["cores"] or 1
    v = machine["versions"]
    lines = [
        "# Benchmark results",
        "",
        f"<!-- Written by `make bench` (benchmarks/results.py) on {started:%Y-%m-%d %H:%M} UTC; do not edit. -->",
        "",
        "## Machine",
        "",
        f"- {machine['cpu']}, {cores} cores, {_mib(machine['memory_bytes'])} MiB of memory, {machine['os']}",
        f"- Python {machine['python']}; DuckDB {v.get('duckdb')}, Ibis {v.get('ibis-framework')}, "
        f"PySpark {v.get('pyspark')} ({machine['java'] or 'no Java'}), Polars {v.get('polars')}, "
        f"pandas {v.get('pandas')}, PyArrow {v.get('pyarrow')}",
        f"- Load average when the run started: {load_start:.1f} on {cores} cores. A figure whose load column "
        f"goes above {cores / 2:g} (half the cores) was taken while other processes were busy: its wall time is "
        "high and it is marked *under load*.",
        "",
        "## Figures",
        "",
        "| benchmark | run | rows | wall s | peak MiB | rows/s | goal | result | vs baselines | load |",
        "|---|---|---:|---:|---:|---:|---|---|---|---|",
    ]
    notes = []
    for res in results:
        bench = res["script"].removesuffix(".py")
        figures = res["figures"]
        rows = (figures or {}).get("rows") or []
        if not rows:
            rows = [{"name": f"{res['script']} (process; no figures in JSON)", "rows": None, "wall_s": res["wall_s"],
                     "peak_bytes": res["peak_bytes"], "rows_per_s": None, "goal": "", "ok": None, "baselines": {},
                     "load": res["load"]}]
        for r in rows:
            load = [x for x in (r.get("load") or res["load"]) if x is not None]
            under = bool(load) and max(load) > cores / 2
            base = ", ".join(f"{k} {val:.2f}×" for k, val in (r.get("baselines") or {}).items()
                             if val is not None and abs(val - 1.0) > 1e-9)
            result = "" if r.get("ok") is None else ("pass" if r["ok"] else "**FAIL**")
            name = r["name"].strip().replace("|", "\\|")
            lines.append(
                f"| {bench} | {'↳ ' if r['name'].startswith(' ') else ''}{name} | {_num(r.get('rows'), ',')} | "
                f"{r['wall_s']:.2f} | {_mib(r.get('peak_bytes'))} | {_num(r.get('rows_per_s'), ',.0f')} | "
                f"{r.get('goal') or ''} | {result} | {base} | "
                f"{'–'.join(f'{x:.1f}' for x in load)}{' *under load*' if under else ''} |")
        status = "ok" if res["returncode"] == 0 else f"**exit status {res['returncode']}**"
        notes.append(f"- `{res['script']}`: {status}, {res['wall_s']:.0f} s in all, load average "
                     f"{res['load'][0]:.1f} before and {res['load'][1]:.1f} after."
                     + "".join(f" {n}." for n in (figures or {}).get("notes", [])))
    lines += [
        "",
        "wall s: the run's wall time (each script says what it includes); peak MiB: peak resident memory of the "
        "process that ran it; vs baselines: the baseline's wall time over this row's (above 1× this row is faster). "
        "Rows starting with ↳ are parts or baselines of the row above.",
        "",
        "## Scripts",
        "",
        *notes,
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated script names (without .py)")
    parser.add_argument("--skip", default="", help="comma-separated script names to leave out")
    parser.add_argument("--args", action="append", default=[], metavar="NAME=ARGS",
                        help='extra arguments for one script, e.g. microdata="--scaling"')
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    extra = {}
    for item in args.args:
        name, _, rest = item.partition("=")
        extra[name.strip()] = shlex.split(rest)
    only = {s.strip() for s in args.only.split(",")} if args.only else None
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = datetime.now(UTC)
    load_start = m.load()
    machine = m.machine()
    results = [run(s, extra.get(s.stem, [])) for s in scripts(only, skip)]
    args.out.write_text(render(results, machine, started, load_start), encoding="utf-8")
    print(f"\nwrote {args.out}")
    failed = [r["script"] for r in results if r["returncode"] != 0]
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
