"""Ibis backends for the engine: DuckDB (default) and PySpark local mode (``clusterobs[spark]``).

The engine's functions take any Ibis backend holding the store's tables (``.table(name)``);
``load_tables`` puts pandas frames on either backend so the same expressions run on both.

Missing values: a NaN in a float column of a frame is a missing value (NULL): ``Store.table``
returns the store's NULLs as NaN. Both backends receive the frames through Arrow, where NaN
becomes NULL, so the engine's ``isnull()`` sees the same cells missing on both.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa


def duckdb_backend(path: str | Path | None = None) -> Any:
    """An Ibis DuckDB backend, in memory unless ``path`` is given."""
    import ibis

    return ibis.duckdb.connect(str(path) if path is not None else ":memory:")


def spark_available() -> str | None:
    """None when PySpark can be imported, else the reason it cannot (install ``clusterobs[spark]``)."""
    try:
        import pyspark  # noqa: F401
    except ImportError as e:
        return f"pyspark is not installed ({e}): pip install 'clusterobs[spark]'"
    return None


def java_version() -> str | None:
    """The first line of ``java -version``, or None when no Java runtime is found (PySpark needs one)."""
    import os
    import subprocess

    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        return None
    try:
        res = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (res.stderr or res.stdout).strip()
    return text.splitlines()[0] if res.returncode == 0 and text else None


def parse_spark_conf(items: list[str] | None) -> dict[str, str]:
    """``--spark-conf KEY=VALUE`` options as a dict; ValueError names the item without ``=``."""
    conf = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--spark-conf must look like KEY=VALUE; got {item!r}")
        conf[key.strip()] = value.strip()
    return conf


#: Java options of every Spark JVM clusterobs starts (``spark_backend``): a JVM out of memory exits at once, so the
#: job fails with Spark's error instead of hanging in garbage collection or with a dead thread.
FAIL_FAST_JVM = "-XX:+ExitOnOutOfMemoryError"
JAVA_OPTION_KEYS = ("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")


def with_java_options(current: str, extra: str) -> str:
    """``current`` Java options followed by those of ``extra`` it does not have yet."""
    have = current.split()
    return " ".join([*have, *(o for o in extra.split() if o not in have)])


def spark_backend(master: str = "local[2]", *, warehouse: Path | None = None, app_name: str = "clusterobs",
                  shuffle_partitions: int = 4, conf: dict[str, str] | None = None) -> Any:
    """An Ibis PySpark backend over a local (or given ``master``) SparkSession.

    The session writes managed tables under ``warehouse`` (a fresh temporary directory,
    removed at exit, when not given: a fixed ``./spark-warehouse`` makes reruns fail with
    LOCATION_ALREADY_EXISTS). The UI is off, shuffle partitions are few (local data) and the
    session time zone is UTC; frames loaded with ``load_tables`` are never inlined in the plans
    (``spark.sql.execution.arrow.localRelationThreshold=0``), and the driver and executors exit
    on running out of memory (``FAIL_FAST_JVM``, added to the Java options of ``conf``).
    ``backend.disconnect()`` stops the session. An already running session in this process is
    reused (``getOrCreate``), with its own static settings.
    """
    reason = spark_available()
    if reason:
        raise ImportError(reason)
    if master.startswith("local") and java_version() is None:
        raise RuntimeError("PySpark needs a Java runtime (17 or 21) and none was found: install "
                           "openjdk-17-jre-headless or set JAVA_HOME")
    import ibis
    from pyspark.sql import SparkSession

    if warehouse is None:
        tmp = tempfile.mkdtemp(prefix="clusterobs-spark-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        warehouse = Path(tmp) / "warehouse"
        local_dir = Path(tmp) / "local"
    else:
        local_dir = Path(warehouse) / "_local"
    settings = {
        "spark.sql.warehouse.dir": str(Path(warehouse).resolve()),
        "spark.local.dir": str(local_dir),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.default.parallelism": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        # the frames load_tables gives Spark become a distributed dataset, never a LocalRelation inlined in the plan:
        # an inlined table is kept (and serialised again) with every plan that reads it, and a full compute's
        # tables filled the driver's 1 GB heap that way
        "spark.sql.execution.arrow.localRelationThreshold": "0",
        **(conf or {}),
    }
    for key in JAVA_OPTION_KEYS:  # a JVM out of memory exits (the job fails) instead of hanging
        settings[key] = with_java_options(settings.get(key, ""), FAIL_FAST_JVM)
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    _ = ibis.pyspark  # loading Ibis's pyspark backend registers its options (options.pyspark)
    return _spark_backend_class()().connect(session)


@functools.cache
def _spark_backend_class() -> type:
    """Ibis's PySpark backend whose ``Table.cache()`` truncates the plan (``localCheckpoint``).

    Ibis caches a table on Spark with ``DataFrame.cache()``, which keeps the whole logical plan:
    a query over a cached table is still analysed with the plans of everything before it,
    and the engine's star tests join a materialised table with aggregates of itself, so the
    analysis grows with every step (seconds per query on the real data). A local checkpoint
    stores the rows and replaces the plan with a scan of them; the results are the same.
    """
    from ibis.backends.pyspark import Backend

    class CheckpointingSparkBackend(Backend):
        def _create_cached_table(self, name, expr):
            query = self.compile(expr)
            t = checkpoint(self._session.sql(query))
            t.createTempView(name)
            self._cached_dataframes[name] = t
            return self.table(name)

        def _drop_cached_table(self, name):
            # the checkpointed blocks go with the DataFrame (Spark's context cleaner)
            self._session.catalog.dropTempView(name)
            t = self._cached_dataframes.pop(name)
            t.unpersist()

    return CheckpointingSparkBackend


def checkpoint(df: Any) -> Any:
    """``df`` materialised with its plan cut (``localCheckpoint``), fault tolerant on a cluster.

    A local checkpoint keeps its blocks on the executors that computed them and has no lineage
    to recompute them from: when an executor is lost, every later query reading one of its blocks
    fails ("Checkpoint block ... not found"). On a cluster (a master that is not ``local``) the
    blocks are therefore stored on two executors (``MEMORY_AND_DISK_2``), so the loss of one
    executor loses no checkpoint. PySpark 3.5 has no storage level here: one copy.
    """
    from pyspark import StorageLevel

    master = df.sparkSession.sparkContext.master
    if master.startswith("local"):
        return df.localCheckpoint(eager=True)
    try:
        return df.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK_2)
    except TypeError:  # pyspark < 4.0
        return df.localCheckpoint(eager=True)


def spark_retries(backend: Any) -> tuple[int, int]:
    """(failed tasks, stages run again) of the session's jobs so far, from Spark's status tracker.

    A task fails when its executor is lost (and is run again elsewhere); a task that had finished
    there is resubmitted when its output went with the executor (end reason ``Resubmitted``, which
    Spark's status counts among the failed tasks: it is run again too); a stage runs again when
    the shuffle output it needs was on a lost executor. All are how Spark survives a lost worker:
    the jobs still succeed with complete results, but a user should know it happened. The status
    keeps each stage's latest attempt: the failures of an attempt run again are not counted.
    """
    tracker = backend._session.sparkContext.statusTracker()
    failed = rerun = 0
    for job in tracker.getJobIdsForGroup(None):
        info = tracker.getJobInfo(job)
        for stage in info.stageIds if info else []:
            s = tracker.getStageInfo(stage)
            if s is not None:
                failed += s.numFailedTasks
                rerun += s.currentAttemptId > 0
    return failed, rerun


def is_spark(backend: Any) -> bool:
    return getattr(backend, "name", "") == "pyspark"


def load_tables(backend: Any, frames: dict[str, pd.DataFrame]) -> None:
    """Register pandas frames as tables ``name`` on a DuckDB or PySpark backend (replacing same-named ones).

    A column with no value to tell its type from (an empty frame's object column) is loaded as text.
    DuckDB: ``create_table(..., overwrite=True)``. PySpark: a temporary view over a DataFrame
    built from Arrow and checkpointed locally (nothing is written to the warehouse, so reruns
    never collide).
    """
    for name, df in frames.items():
        arrow = pa.Table.from_pandas(df, preserve_index=False)
        for i, f in enumerate(arrow.schema):  # a column without a value (an empty table's) has no type: text
            if pa.types.is_null(f.type):
                arrow = arrow.set_column(i, f.name, pa.nulls(arrow.num_rows, pa.string()))
        if is_spark(backend):
            # checkpointed: the rows are stored on the executors and every later query's plan reads them
            # there (a DataFrame made from local data would be analysed again with each query's plan),
            # and coalesced: PySpark makes one partition per Arrow batch of 10,000 rows, so every query
            # over a large table ran as many small tasks, each a round trip to an executor on a cluster
            df = backend._session.createDataFrame(arrow)
            df = df.coalesce(max(1, backend._session.sparkContext.defaultParallelism))
            checkpoint(df).createOrReplaceTempView(name)
        else:
            backend.create_table(name, arrow, overwrite=True)


def collect(expr: Any) -> pd.DataFrame:
    """``expr.execute()``'s frame (same columns, dtypes and values), faster on DuckDB.

    Ibis 12's DuckDB ``execute`` turns every column holding a NULL into Python objects (``to_pylist``) before
    pandas reads it back: 0.2-0.3 s for a scheme's wide table of 120 k cells × 37 columns, most of them with a
    NULL somewhere. Here the Arrow table goes to pandas in one conversion, then through the same Ibis type
    conversions as ``execute``'s. Other backends: ``execute``.
    """
    if getattr(expr.get_backend(), "name", "") != "duckdb":
        return expr.execute()
    from ibis.backends.duckdb.converter import DuckDBPandasData

    return expr.__pandas_result__(DuckDBPandasData.convert_table(expr.to_pyarrow().to_pandas(), expr.schema()))
