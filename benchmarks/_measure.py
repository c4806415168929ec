"""Measuring helpers shared by the benchmark scripts (standard library only; not a benchmark itself).

* ``reset_peak`` / ``peak_bytes``: the process's peak resident memory since the last reset (Linux
  ``VmHWM``, reset through ``/proc/self/clear_refs``);
* ``tree_peak_bytes``: the same summed over the process and its descendants (a Spark driver's JVM);
* ``load`` / ``cpu_pressure``: how busy the machine is (load average, Linux PSI);
* ``machine``: a description of the machine and of the versions that matter.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
from importlib import metadata
from pathlib import Path


def reset_peak() -> None:
    """Reset this process's peak RSS (Linux: write 5 to /proc/self/clear_refs); no-op elsewhere."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _hwm(pid: int | str = "self") -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def peak_bytes() -> int:
    """Peak RSS of this process since the last ``reset_peak`` (VmHWM), else since it started."""
    return _hwm() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def descendants(pid: int | None = None) -> list[int]:
    """The pids of every descendant of ``pid`` (default: this process), from /proc."""
    pid = pid or os.getpid()
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_peak_bytes() -> int:
    """Peak RSS of this process plus the peaks of its living descendants (an upper bound of their sum)."""
    return peak_bytes() + sum(_hwm(p) or 0 for p in descendants())


def load() -> float:
    return os.getloadavg()[0]


def cpu_pressure() -> float | None:
    """Linux PSI: the share (%) of the last 60 s in which some runnable task waited for a CPU."""
    try:
        with open("/proc/pressure/cpu") as f:
            return float(f.readline().split()[2].split("=")[1])
    except (OSError, IndexError, ValueError):
        return None


def busy(cores: int | None = None) -> bool:
    """Whether other processes keep the machine busy (load average above half the cores)."""
    return load() > 0.5 * (cores or os.cpu_count() or 1)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, object]:
    """CPU, cores, memory, OS and the versions of Python, DuckDB, Ibis, PySpark, Polars, pandas, Java."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=20)
        java_version = (java.stderr or java.stdout).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        java_version = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_bytes": mem,
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "versions": {d: _version(d) for d in ("duckdb", "ibis-framework", "pyspark", "polars", "pandas", "pyarrow")},
        "java": java_version,
    }
