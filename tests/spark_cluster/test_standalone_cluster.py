"""Spark for real: a standalone cluster (one master, two workers, 127.0.0.1), the same answers as DuckDB.

The cluster is the installed pyspark's own Master and Worker JVMs (``clusterobs.spark_cluster``),
each worker with its own work directory, one core and 1 GB; the drivers are separate processes
(the CLI, or ``compute_driver.py``), so nothing reuses this process's local-mode session.

How the data reach the executors: the firm file is read by the executors themselves from a path
every one of them sees (here the one machine's disk: on a real cluster a shared filesystem,
HDFS or S3), as ``docs/scaling.md`` tells users to do; the engine's store tables are read by the
driver from its DuckDB file and shipped inside the job (they are small). Nothing is copied to a
worker by hand: a worker's own work directory holds only what Spark put there.

Fault tolerance: worker 1 and its executor are SIGKILLed while the microdata job runs tasks on it;
the job must finish through Spark's retries with the same output as DuckDB, and the event log must
show the lost executor and a failed task run again successfully.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.mapping.compute import compute_unit
from clusterobs.mapping.schemes import load_schemes
from spark_parity import KEYS, UNIT, assert_same_columns, assert_same_frame, star_counts

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

HERE = Path(__file__).resolve().parent
FIRM_ROWS = 2_000_000  # 400,000 firms × 5 years at NUTS-3: what fits the 3-minute budget on 2 cores
SCHEME = "eocic2019"  # the scheme that uses every column: employment, wages (productivity), firms
KILLED = 1  # the worker SIGKILLed during the microdata job


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

    c = LocalSparkCluster(workers=2, worker_cores=1, worker_memory="1g", root=tmp_path_factory.mktemp("cluster"))
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
    """
    src = str(Path(__import__("clusterobs").__file__).resolve().parents[1])
    return {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": "/nonexistent/no-python-on-the-executors",
            "PYTHONPATH": os.pathsep.join([src, str(HERE.parent), os.environ.get("PYTHONPATH", "")])}


def _conf(cluster, events: Path | None = None) -> list[str]:
    from clusterobs.spark_cluster import driver_conf

    conf = driver_conf(cluster)
    if events is not None:
        events.mkdir(parents=True, exist_ok=True)
        conf |= {"spark.eventLog.enabled": "true", "spark.eventLog.dir": str(events),
                 "spark.eventLog.compress": "false"}
    return [f"{k}={v}" for k, v in conf.items()]


def _events(events: Path) -> list[dict]:
    out = []
    for f in sorted(events.rglob("events_*")):
        for line in f.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):  # the line being written
                out.append(json.loads(line))
    return out


# --- clusterobs compute's engine on the cluster --------------------------------------------------

def test_compute_on_the_cluster_matches_duckdb(cluster, ingested, tmp_path):
    store, _ = ingested
    out = tmp_path / "spark"
    started = time.perf_counter()
    run = subprocess.run([sys.executable, str(HERE / "compute_driver.py"), str(store.home), cluster.url, str(out),
                          *_conf(cluster)], env=_driver_env(), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    print(f"\ncompute_unit NUTS 2021 level 2 on {cluster.url}: {time.perf_counter() - started:.1f} s "
          f"(driver process included); {run.stderr.strip().splitlines()[-1]}")
    con = store.ibis()
    try:
        ours = compute_unit(con, **UNIT, schemes=load_schemes())
    finally:
        con.disconnect()
    for name in KEYS:
        # both through Parquet, as the driver wrote Spark's: the same dtypes on both sides
        duck = tmp_path / f"duck-{name}.parquet"
        ours[name].to_parquet(duck, index=False)
        assert_same_frame(name, pd.read_parquet(duck), pd.read_parquet(out / f"{name}.parquet"))
    stars = star_counts(pd.read_parquet(out / "cluster_stars.parquet"))
    assert stars == star_counts(ours["cluster_stars"])
    assert all(sum(v for k, v in counts.items() if k > 0) > 100 for counts in stars.values())


# --- clusterobs microdata map on the cluster, a worker killed in the middle ----------------------

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
def duckdb_map(firms, ingested, tmp_path_factory):
    store, _ = ingested
    out = tmp_path_factory.mktemp("duckdb-map")
    run = subprocess.run([*_cli(), *_map_args(firms, out, store.home)], env=_driver_env(), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-4000:]
    return out, json.loads(run.stdout)


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


@pytest.fixture(scope="module")
def spark_map_with_a_lost_worker(cluster, firms, ingested, tmp_path_factory):
    """``clusterobs microdata map --engine spark`` on the cluster; worker 1 SIGKILLed mid-job."""
    store, _ = ingested
    out = tmp_path_factory.mktemp("spark-map")
    events = out / "events"
    args = [*_cli(), *_map_args(firms, out, store.home), "--engine", "spark", "--spark-master", cluster.url]
    for item in _conf(cluster, events):
        args += ["--spark-conf", item]
    log = out / "driver.log"
    started = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.Popen(args, env=_driver_env(), stdout=subprocess.PIPE, stderr=err, text=True)
        killed_at = None
        try:
            # in the middle: after the input is read and the first queries ran (several SQL queries
            # done), while a task runs on the worker's executor
            while proc.poll() is None and killed_at is None:
                time.sleep(0.5)
                ev = _events(events)
                done = sum(e["Event"].endswith("SQLExecutionEnd") for e in ev)
                executor = _executor_of(ev, cluster, KILLED)
                if done >= 6 and executor is not None and _running_on(ev, executor):
                    cluster.kill_worker(KILLED)
                    killed_at = time.perf_counter() - started
            stdout, _ = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log.read_text(errors="replace")
    assert killed_at is not None, f"the job ended before worker {KILLED} could be killed:\n{text[-3000:]}"
    print(f"\nmicrodata map, {FIRM_ROWS:,} rows on {cluster.url}: worker {KILLED} killed at {killed_at:.1f} s, "
          f"job done in {time.perf_counter() - started:.1f} s")
    assert proc.returncode == 0, text[-4000:]
    return out, json.loads(stdout), _events(events), text


def test_cluster_started_two_workers_with_their_own_work_dirs(cluster):
    state = cluster.state()
    assert state is not None and state["status"] == "ALIVE"
    assert {w["host"] for w in state["workers"]} == {"127.0.0.1"}
    assert len(cluster.nodes) == 2
    assert len({n.work_dir for n in cluster.nodes}) == 2
    assert all(w["memory"] == 1024 and w["cores"] == 1 for w in state["workers"])


def test_microdata_map_survives_a_killed_worker(spark_map_with_a_lost_worker, duckdb_map, firms):
    out, summary, _, _ = spark_map_with_a_lost_worker
    duck_out, duck = duckdb_map
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


def test_the_lost_worker_was_survived_by_task_retry(spark_map_with_a_lost_worker):
    _, _, events, log = spark_map_with_a_lost_worker
    removed = [e for e in events if e["Event"] == "SparkListenerExecutorRemoved"]
    assert removed, "the event log records no lost executor"
    ends = [e for e in events if e["Event"] == "SparkListenerTaskEnd"]
    failed = [e for e in ends if e["Task End Reason"]["Reason"] != "Success"]
    assert failed, "no task failed: the worker was killed while none of its tasks ran"
    assert {e["Task End Reason"]["Reason"] for e in failed} <= {"ExecutorLostFailure", "FetchFailed"}

    def where(e: dict) -> tuple[int, int]:
        return e["Stage ID"], e["Task Info"].get("Partition ID", e["Task Info"]["Index"])

    done_later = {where(e) for e in ends if e["Task End Reason"]["Reason"] == "Success"
                  and e["Task Info"]["Attempt"] + e["Stage Attempt ID"] > 0}
    assert {where(e) for e in failed} & done_later, "no failed task was run again successfully"
    assert all(e["Job Result"]["Result"] == "JobSucceeded" for e in events if e["Event"] == "SparkListenerJobEnd")
    # and the driver's log says what happened
    assert "Lost executor" in log
    assert "Spark re-ran" in log


def test_cluster_workers_kept_their_files_to_themselves(cluster, spark_map_with_a_lost_worker):
    """The surviving worker ran its executor in its own work directory (app-…/N), with its logs."""
    survivor = cluster.nodes[1 - KILLED]
    apps = [p for p in survivor.work_dir.iterdir() if p.name.startswith("app-")]
    assert apps and all((p / e / "stderr").exists() for p in apps for e in os.listdir(p))


def test_checkpoints_outlive_a_lost_executor_only_when_replicated(cluster, spark_map_with_a_lost_worker):
    """PySpark's plain local checkpoint loses the blocks of a killed executor; clusterobs's keeps a copy elsewhere.

    Runs after the microdata test (which killed worker 1): the worker is started again first.
    """
    if not cluster.nodes[KILLED].alive():
        cluster.add_worker(KILLED)
    cluster.wait_workers(2)
    args = [sys.executable, str(HERE / "checkpoint_driver.py"), cluster.url, *_conf(cluster)]
    proc = subprocess.Popen(args, env=_driver_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout.readline().strip() == "checkpointed"
        cluster.kill_worker(KILLED)
        out, _ = proc.communicate("go\n", timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    result = dict(line.split(" ", 1) for line in out.strip().splitlines())
    assert result["plain"].startswith("failed:") and "Checkpoint block" in result["plain"], out
    assert result["clusterobs"] == str(sum(range(100_000))), out
