"""Spark for real: a standalone cluster (one master, two workers, 127.0.0.1), the same answers as DuckDB.

The cluster is the installed pyspark's own Master and Worker JVMs (``clusterobs.spark_cluster``),
each worker with its own work directory, cores and memory limit; the drivers are separate processes
(the real CLI, or ``checkpoint_driver.py``), so nothing reuses this process's local-mode session.

One fixture, ``runs``, starts every job of the module at once, so that their steps overlap (a JVM
starting while another job runs its queries, the DuckDB references beside the Spark jobs): the real
``clusterobs compute --engine spark --nuts-version 2021 --level 2`` on the real store cut to five
countries (``COUNTRIES``: real rows, every year, a sixth of the regions), the
same ``clusterobs microdata map`` on Spark and on DuckDB, and the lost-checkpoint driver. Each
driver has one executor on each worker (the workers have a core for each job). The tests then
assert on their job's results.

How the data reach the executors: the firm file is read by the executors themselves from a path
every one of them sees (here the one machine's disk: on a real cluster a shared filesystem,
HDFS or S3), as ``docs/scaling.md`` tells users to do; the engine's store tables are read by the
driver from its DuckDB file and shipped inside the job (they are small). Nothing is copied to a
worker by hand: a worker's own work directory holds only what Spark put there.

Fault tolerance: worker 1 and its executors are SIGKILLed once, while the microdata job runs a task
on it and after the checkpoint driver stored its tables on both workers. The microdata job must
finish through Spark's retries with the same output as DuckDB, and its event log must show the lost
executor and a failed (or resubmitted) task run again successfully; the compute job, which loses its
executor there too, must still give DuckDB's tables.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from clusterobs.mapping.compute import compute_unit
from clusterobs.mapping.schemes import load_schemes
from clusterobs.store import Store
from spark_parity import KEYS, UNIT, assert_same_columns, assert_same_frame, star_counts

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

HERE = Path(__file__).resolve().parent
FIRM_ROWS = 1_000_000  # 200,000 firms × 5 years at NUTS-3: long enough for the kill to find a task running on worker 1
# (250,000 rows failed a fresh-clone run: the worker was killed while none of its tasks ran)
#: the countries of the real store the compute maps (``_restricted_store``): 47 of its 290 NUTS 2021 level-2 regions
COUNTRIES = ("AT", "BE", "CZ", "NL", "PT")
SCHEME = "eocic2019"  # the scheme that uses every column: employment, wages (productivity), firms
KILLED = 1  # the worker SIGKILLed during the microdata job
JOBS = 3  # Spark drivers at once (compute, microdata map, checkpoints): each has a 1-core executor on each worker
EXECUTOR_MEMORY = "768m"
WORKER_MEMORY = "3g"  # one executor of each job
TIMEOUT = 600.0  # for every job of the module
REFERENCE_NICE = 10  # the DuckDB references' CPU priority below the Spark jobs' (the compute is the longest job)


def _cli() -> list[str]:
    """``clusterobs`` run by this Python (with this checkout's package first on the path, ``_driver_env``)."""
    return [sys.executable, "-c", "from clusterobs.cli import app; app()"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One master and two workers on 127.0.0.1, stopped and removed after the module."""
    from clusterobs.mapping.backends import java_version, spark_available

    reason = spark_available()
    if reason:
        pytest.skip(reason)
    if java_version() is None:
        pytest.skip("no Java runtime (java on PATH or JAVA_HOME): the Spark standalone cluster needs Java 17 or 21")
    from clusterobs.spark_cluster import LocalSparkCluster

    c = LocalSparkCluster(workers=2, worker_cores=JOBS, worker_memory=WORKER_MEMORY,
                          root=tmp_path_factory.mktemp("cluster"))
    started = time.perf_counter()
    c.start()
    print(f"\nSpark standalone cluster {c.url} up in {time.perf_counter() - started:.1f} s")
    yield c
    c.stop()
    assert not any(d.alive() for d in [c.master, *c.nodes]), "a Spark daemon outlived the fixture"


def _driver_env() -> dict[str, str]:
    """The drivers' environment: loopback, this checkout importable, and no Python for the executors.

    ``PYSPARK_PYTHON`` names the Python the executors would start for Python code (UDFs): a path that does
    not exist makes any such use fail the job, which proves the executors need no Python (docs/scaling.md).
    ``SPARK_LAUNCHER_OPTS``: the quick JVM for the launcher ``spark-submit`` starts before the driver's JVM.
    """
    from clusterobs.spark_cluster import QUICK_JVM

    src = str(Path(__import__("clusterobs").__file__).resolve().parents[1])
    return {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": "/nonexistent/no-python-on-the-executors",
            "SPARK_LAUNCHER_OPTS": QUICK_JVM,
            "PYTHONPATH": os.pathsep.join([src, str(HERE.parent), os.environ.get("PYTHONPATH", "")])}


def _conf(cluster, events: Path | None = None) -> list[str]:
    from clusterobs.spark_cluster import driver_conf

    conf = driver_conf(cluster, executor_memory=EXECUTOR_MEMORY, executor_cores=1)
    if events is not None:
        events.mkdir(parents=True, exist_ok=True)
        conf |= {"spark.eventLog.enabled": "true", "spark.eventLog.dir": str(events),
                 "spark.eventLog.compress": "false"}
    return [f"{k}={v}" for k, v in conf.items()]


def _spark_conf_args(cluster, events: Path | None = None) -> list[str]:
    return [arg for item in _conf(cluster, events) for arg in ("--spark-conf", item)]


class EventLog:
    """Spark's event log of one application under ``folder``, read as it grows: only the lines added since the
    last read are parsed (a file keeps its place when Spark renames it at the end: ``events_N_…[.inprogress]``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.events: list[dict] = []
        self._read: dict[str, int] = {}

    def read(self) -> list[dict]:
        for f in sorted(self.folder.rglob("events_*")):
            part = f.name.split("_")[1]
            try:
                with f.open("rb") as fh:
                    fh.seek(self._read.get(part, 0))
                    chunk = fh.read()
            except OSError:  # renamed meanwhile: read on the next call
                continue
            complete = chunk[:chunk.rfind(b"\n") + 1]  # a line being written waits for the next call
            self._read[part] = self._read.get(part, 0) + len(complete)
            for line in complete.decode(errors="replace").splitlines():
                with contextlib.suppress(ValueError):
                    self.events.append(json.loads(line))
        return self.events


@dataclass
class Job:
    """One driver process of ``runs``: its command, output folder (``stdout``, ``stderr.log``) and end."""

    name: str
    proc: subprocess.Popen
    out: Path
    started: float
    seconds: float | None = None
    lines: list[str] = field(default_factory=list)  # stdout, for a job read line by line
    reader: threading.Thread | None = None  # the thread reading them

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode

    def log(self) -> str:
        return (self.out / "stderr.log").read_text(errors="replace")

    def stdout(self) -> str:
        return "".join(self.lines) if self.lines else (self.out / "stdout").read_text(errors="replace")


def _start(name: str, args: list[str], out: Path, *, interactive: bool = False, nice: int = 0) -> Job:
    """Start a job; ``nice``: its CPU priority below the others' (a reference that is not on the critical path)."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "stdout").open("w") as stdout, (out / "stderr.log").open("w") as stderr:
        proc = subprocess.Popen(args, env=_driver_env(), stdout=subprocess.PIPE if interactive else stdout,
                                stderr=stderr, stdin=subprocess.PIPE if interactive else subprocess.DEVNULL,
                                text=True, preexec_fn=(lambda: os.nice(nice)) if nice else None)
    job = Job(name, proc, out, time.perf_counter())
    if interactive:  # its lines, as they come
        job.reader = threading.Thread(target=lambda: job.lines.extend(iter(proc.stdout.readline, "")), daemon=True)
        job.reader.start()
    return job


def _running_on(events: list[dict], executor: str) -> bool:
    """A task of ``executor`` started and not yet ended."""
    started = {e["Task Info"]["Task ID"] for e in events
               if e["Event"] == "SparkListenerTaskStart" and e["Task Info"]["Executor ID"] == executor}
    ended = {e["Task Info"]["Task ID"] for e in events if e["Event"] == "SparkListenerTaskEnd"}
    return bool(started - ended)


def _executor_of(events: list[dict], cluster, worker: int) -> str | None:
    """The executor the given worker runs (its log URLs point at the worker's web UI port)."""
    port = f":{cluster.nodes[worker].ui_port}/"
    for e in events:
        if e["Event"] == "SparkListenerExecutorAdded":
            urls = e["Executor Info"].get("Log Urls", {})
            if any(port in u for u in urls.values()):
                return str(e["Executor ID"])
    return None


def _as_stored(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as the store gives it back (``Store`` writes a frame with DuckDB and reads it with ``.df()``)."""
    with contextlib.closing(duckdb.connect()) as con:
        con.register("_incoming", df)
        con.execute("CREATE TABLE t AS SELECT * FROM _incoming")
        return con.sql("SELECT * FROM t").df()


def _duckdb_unit(store: Store) -> dict[str, pd.DataFrame]:
    """The parity tables of NUTS 2021 level 2 mapped on DuckDB, as the store would hold them; at a lower CPU priority
    (this thread and the DuckDB threads it starts), so that the Spark jobs, the longest, go first."""
    with contextlib.suppress(OSError, AttributeError):  # Linux: a thread's own priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), REFERENCE_NICE)
    con = store.ibis()
    try:
        return {name: _as_stored(df) for name, df in compute_unit(con, **UNIT, schemes=load_schemes()).items()}
    finally:
        con.disconnect()


def _copy_store(store: Store, home: Path) -> Store:
    """The published version of ``store`` alone in a new data directory (the cluster's compute writes there)."""
    (home / "versions").mkdir(parents=True)
    shutil.copy(store.path(), home / "versions" / store.path().name)
    shutil.copy(store.home / "current.json", home / "current.json")
    return Store(home)


def _restricted_store(store: Store, home: Path) -> Store:
    """A copy of ``store`` whose published version (derived from ``store``'s) keeps only the rows of ``COUNTRIES``
    in the tables with regions the engine reads: the real data of fewer regions, for a cheaper compute and reference
    (Spark's parity on every region is the local-mode test's, tests/mapping)."""
    from clusterobs.mapping.compute import ENGINE_COLUMNS

    copy = _copy_store(store, home)
    countries = ", ".join(f"'{c}'" for c in COUNTRIES)
    with copy.derive(label=f"the cluster test's countries: {', '.join(COUNTRIES)}") as writer:
        tables = {r[0] for r in writer.con.execute("SELECT name FROM _tables").fetchall()}
        for name in (t for t, cols in ENGINE_COLUMNS.items() if "region" in cols and t in tables):
            writer.con.execute(f'DELETE FROM "{name}" WHERE left(region, 2) NOT IN ({countries})')
            writer.con.execute(f'UPDATE _tables SET rows = (SELECT count(*) FROM "{name}") WHERE name = ?', [name])
        writer.publish()
    return copy


@pytest.fixture(scope="module")
def firms(ingested, tmp_path_factory):
    from clusterobs.microdata import store_lookups
    from clusterobs.microdata.synthetic import write_firms

    store, _ = ingested
    lookups = store_lookups(store)
    regions = [c for c in lookups.regions if len(c) == 5]
    return write_firms(tmp_path_factory.mktemp("firms") / "firms.parquet", FIRM_ROWS, regions=regions,
                       classes=lookups.classes, bad_fraction=0.001)


def _map_args(firms, out: Path, home: Path) -> list[str]:
    return ["microdata", "map", str(firms.path), "-o", str(out / "clusters.parquet"), "--level", "2",
            "--scheme", SCHEME, "--panel", str(out / "cells.parquet"), "--quarantine", str(out / "rejected.parquet"),
            "--home", str(home), "--json"]


@pytest.fixture(scope="module")
def restricted(ingested, tmp_path_factory) -> Store:
    """The real store cut to ``COUNTRIES`` (``_restricted_store``): the compute job's input and its reference's."""
    store, _ = ingested
    return _restricted_store(store, tmp_path_factory.mktemp("restricted"))


@dataclass
class Runs:
    """What the module's jobs did: each ``Job``, the DuckDB reference of the compute, the microdata job's events,
    and when worker ``KILLED`` was killed (seconds after the microdata job started; None: never) and whether the
    microdata job was then running a task on it and the checkpoint driver had stored its tables."""

    compute: Job
    spark_map: Job
    duckdb_map: Job
    checkpoints: Job
    duckdb_unit: dict[str, pd.DataFrame]
    events: list[dict]
    killed_at: float | None
    killed_mid_map: bool
    killed_after_checkpoints: bool
    seconds: float


def _kill_in_the_middle(cluster, spark_map: Job, checkpoints: Job, events: EventLog) -> tuple[float | None, bool, bool]:
    """SIGKILL worker ``KILLED`` once both jobs are where their tests need them: the microdata job in the middle
    (six SQL queries done, a task running on the worker's executor), the checkpoint driver with its tables stored
    (``checkpointed``). A job that ended without getting there is not waited for."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ev = events.read()
        executor = _executor_of(ev, cluster, KILLED)
        map_ready = (spark_map.proc.poll() is None and executor is not None and _running_on(ev, executor)
                     and sum(e["Event"].endswith("SQLExecutionEnd") for e in ev) >= 6)
        stored = bool(checkpoints.lines) and checkpoints.lines[0].strip() == "checkpointed"
        map_over = spark_map.proc.poll() is not None
        checkpoints_over = checkpoints.proc.poll() is not None and not stored
        if (map_ready or map_over) and (stored or checkpoints_over):
            if not (map_ready or stored):
                return None, False, False
            cluster.kill_worker(KILLED)
            return time.perf_counter() - spark_map.started, map_ready, stored
        time.sleep(0.2)  # a task of a small file runs for a second or so
    return None, False, False


@pytest.fixture(scope="module")
def runs(cluster, ingested, restricted, firms, tmp_path_factory) -> Runs:
    """Every job of the module at once; worker ``KILLED`` SIGKILLed in the middle (``_kill_in_the_middle``)."""
    store, _ = ingested
    root = tmp_path_factory.mktemp("runs")
    started = time.perf_counter()
    # the checkpoint driver first: it has the least to do before the kill
    checkpoints = _start("checkpoints", [sys.executable, str(HERE / "checkpoint_driver.py"), cluster.url,
                                         *_conf(cluster)], root / "checkpoints", interactive=True)
    events = root / "spark-map" / "events"
    spark_map = _start("microdata map on Spark", [*_cli(), *_map_args(firms, root / "spark-map", store.home),
                                                  "--engine", "spark", "--spark-master", cluster.url,
                                                  *_spark_conf_args(cluster, events)], root / "spark-map")
    home = _copy_store(restricted, root / "compute" / "home")
    compute = _start("compute on Spark", [*_cli(), "compute", "--home", str(home.home), "--engine", "spark",
                                          "--spark-master", cluster.url, "--nuts-version", str(UNIT["nuts_version"]),
                                          "--level", str(UNIT["level"]), *_spark_conf_args(cluster)],
                     root / "compute")
    duckdb_map = _start("microdata map on DuckDB", [*_cli(), *_map_args(firms, root / "duckdb-map", store.home)],
                        root / "duckdb-map", nice=REFERENCE_NICE)
    jobs = [checkpoints, spark_map, compute, duckdb_map]
    try:
        with ThreadPoolExecutor(1) as pool:
            reference = pool.submit(_duckdb_unit, restricted)
            log = EventLog(events)
            killed_at, mid_map, after_checkpoints = _kill_in_the_middle(cluster, spark_map, checkpoints, log)
            with contextlib.suppress(OSError):  # the checkpoint driver reads its tables again, or has ended
                checkpoints.proc.stdin.write("go\n")
                checkpoints.proc.stdin.close()
            deadline, pending = time.monotonic() + TIMEOUT, list(jobs)
            while pending and time.monotonic() < deadline:
                for job in [j for j in pending if j.proc.poll() is not None]:
                    job.seconds = time.perf_counter() - job.started
                    pending.remove(job)
                time.sleep(0.2)
            duck = reference.result()
    finally:
        for job in jobs:
            if job.proc.poll() is None:
                job.proc.kill()
                job.proc.wait()
            if job.reader is not None:
                job.reader.join(timeout=30)
    out = Runs(compute, spark_map, duckdb_map, checkpoints, duck, log.read(), killed_at, mid_map, after_checkpoints,
               time.perf_counter() - started)
    print(f"\nthe module's jobs at once: {out.seconds:.1f} s; worker {KILLED} killed "
          f"{'never' if killed_at is None else f'at {killed_at:.1f} s of the microdata job'}; "
          + ", ".join(f"{j.name} {j.seconds or 0:.1f} s (exit {j.returncode})" for j in jobs))
    return out


def test_cluster_started_two_workers_with_their_own_work_dirs(cluster):
    state = cluster.state()
    assert state is not None and state["status"] == "ALIVE"
    assert {w["host"] for w in state["workers"]} == {"127.0.0.1"}
    assert len(cluster.nodes) == 2
    assert len({n.work_dir for n in cluster.nodes}) == 2
    assert all(w["memory"] == 3072 and w["cores"] == JOBS for w in state["workers"])


# --- clusterobs compute on the cluster -----------------------------------------------------------

def test_compute_on_the_cluster_matches_duckdb(runs):
    """``clusterobs compute --engine spark --spark-master spark://… --nuts-version 2021 --level 2``: one new
    version holding NUTS 2021 level 2 only, whose tables are DuckDB's."""
    job = runs.compute
    assert job.returncode == 0, job.log()[-4000:] + job.stdout()[-2000:]
    assert "Published version" in job.stdout()
    store = Store(job.out / "home")
    meta = store.meta()["compute"]
    assert meta["engine"] == "spark" and meta["units"] == [[UNIT["nuts_version"], UNIT["level"]]]
    for name in KEYS:
        theirs = store.table(name)
        assert set(theirs[["nuts_version", "level"]].drop_duplicates().itertuples(index=False, name=None)) == {
            (UNIT["nuts_version"], UNIT["level"])}, name
        assert_same_frame(name, runs.duckdb_unit[name], theirs)
    stars = star_counts(store.table("cluster_stars"))
    assert stars == star_counts(runs.duckdb_unit["cluster_stars"])
    assert all(sum(v for k, v in counts.items() if k > 0) > 100 for counts in stars.values())


# --- clusterobs microdata map on the cluster, a worker killed in the middle ----------------------

def test_microdata_map_survives_a_killed_worker(runs, firms):
    assert runs.killed_mid_map, f"the job ended before worker {KILLED} could be killed:\n{runs.spark_map.log()[-3000:]}"
    assert runs.spark_map.returncode == 0, runs.spark_map.log()[-4000:]
    assert runs.duckdb_map.returncode == 0, runs.duckdb_map.log()[-4000:]
    out, duck_out = runs.spark_map.out, runs.duckdb_map.out
    summary, duck = json.loads(runs.spark_map.stdout()), json.loads(runs.duckdb_map.stdout())
    # the same counts, exact totals and stars as DuckDB, and the ones the generator planted
    assert summary["rows"] == duck["rows"] == FIRM_ROWS
    assert summary["quarantined"] == duck["quarantined"] == firms.expected_quarantine
    assert summary["accepted"] == duck["accepted"] == firms.expected_accepted
    assert summary["totals"] == duck["totals"]
    assert summary["stars"] == duck["stars"]
    assert summary["sample"] == duck["sample"]
    # the same files: the region × class × year table and the quarantined rows exactly, the mapped clusters
    # with measures within 1e-9 relative
    for name, keys in (("cells.parquet", ["level", "region", "industry", "year"]),
                       ("rejected.parquet", ["file", "line"])):
        a = pd.read_parquet(duck_out / name).sort_values(keys).reset_index(drop=True)
        b = pd.read_parquet(out / name).sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=name)
    a, b = pd.read_parquet(duck_out / "clusters.parquet"), pd.read_parquet(out / "clusters.parquet")
    assert_same_columns(a, b, SCHEME, keys=["level", "region", "category", "year"])
    assert (a["stars"] > 0).sum() > 1_000


#: Task end reasons of a task lost with its executor: it was running there (ExecutorLostFailure), its input was
#: shuffle output kept there (FetchFailed), or it had finished there and its output went with it (Resubmitted).
LOST_WITH_AN_EXECUTOR = {"ExecutorLostFailure", "FetchFailed", "Resubmitted"}


def test_the_lost_worker_was_survived_by_task_retry(runs):
    assert runs.killed_mid_map, "the worker was not killed during the microdata job"
    events, log = runs.events, runs.spark_map.log()
    removed = [e for e in events if e["Event"] == "SparkListenerExecutorRemoved"]
    assert removed, "the event log records no lost executor"
    ends = [e for e in events if e["Event"] == "SparkListenerTaskEnd"]
    failed = [e for e in ends if e["Task End Reason"]["Reason"] != "Success"]
    assert failed, "no task failed: the worker was killed while none of its tasks ran"
    assert {e["Task End Reason"]["Reason"] for e in failed} <= LOST_WITH_AN_EXECUTOR

    def where(e: dict) -> tuple[int, int]:
        return e["Stage ID"], e["Task Info"].get("Partition ID", e["Task Info"]["Index"])

    # a retried task: one that failed or was resubmitted, then succeeded in a later attempt (of the task or stage)
    done_later = {where(e) for e in ends if e["Task End Reason"]["Reason"] == "Success"
                  and e["Task Info"]["Attempt"] + e["Stage Attempt ID"] > 0}
    assert {where(e) for e in failed} & done_later, "no failed task was run again successfully"
    assert all(e["Job Result"]["Result"] == "JobSucceeded" for e in events if e["Event"] == "SparkListenerJobEnd")
    # and the driver's log says what happened
    assert "Lost executor" in log
    assert "Spark re-ran" in log


def test_cluster_workers_kept_their_files_to_themselves(cluster, runs):
    """The surviving worker ran its executors in its own work directory (app-…/N), with their logs."""
    survivor = cluster.nodes[1 - KILLED]
    apps = [p for p in survivor.work_dir.iterdir() if p.name.startswith("app-")]
    assert len(apps) >= JOBS and all((p / e / "stderr").exists() for p in apps for e in os.listdir(p))


def test_checkpoints_outlive_a_lost_executor_only_when_replicated(runs):
    """PySpark's plain local checkpoint loses the blocks of a killed executor; clusterobs's keeps a copy elsewhere."""
    job = runs.checkpoints
    assert runs.killed_after_checkpoints, f"the tables were not checkpointed before the kill:\n{job.log()[-3000:]}"
    lines = job.stdout().strip().splitlines()
    assert lines[0] == "checkpointed" and job.returncode == 0, job.log()[-3000:]
    result = dict(line.split(" ", 1) for line in lines[1:])
    assert result["plain"].startswith("failed:") and "Checkpoint block" in result["plain"], lines
    assert result["clusterobs"] == str(sum(range(100_000))), lines
