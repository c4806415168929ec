"""A real Spark standalone cluster on the loopback interface, from the installed ``pyspark``.

One master and N workers, each a JVM started with pyspark's ``bin/spark-class``
(``org.apache.spark.deploy.master.Master``, ``org.apache.spark.deploy.worker.Worker``), each worker
with its own work directory, core count and memory limit, all bound to 127.0.0.1. For the cluster
tests (``tests/spark_cluster``) and for trying ``--spark-master spark://…`` by hand::

    python -m clusterobs.spark_cluster          # make spark-cluster: prints the master URL, Ctrl-C stops it

``stop()`` ends every process group (a worker's executors are its children) and removes the
directories. ``kill_worker(i)`` SIGKILLs a worker with its executors, as a lost machine would.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
#: Java options for short-lived JVMs (this cluster's daemons, and the drivers and executors of ``driver_conf``):
#: only the C1 JIT (``TieredStopAtLevel=1``: compiles at once, cheaply; the C2 compiler's work pays off only in
#: long runs), the serial garbage collector (no GC threads to start and feed on two cores), and no bytecode
#: verification of the JDK's and Spark's own jars (trusted code; Java 17 accepts these without a warning, unlike
#: ``-Xverify:none``). Less CPU to start and warm up, the same results: for tests and trying things on one
#: machine, not for a production cluster's long jobs.
QUICK_JVM = ("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions "
             "-XX:-BytecodeVerificationRemote -XX:-BytecodeVerificationLocal")


class ClusterError(RuntimeError):
    """The cluster did not start (the message names the process and the end of its log)."""


def spark_home() -> Path:
    """The installed pyspark package's directory: it holds ``bin/spark-class`` and the jars."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Daemon:
    """One JVM of the cluster: its process (leader of its own process group), log and web UI port."""

    name: str
    process: subprocess.Popen
    log: Path
    ui_port: int
    work_dir: Path | None = None

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class LocalSparkCluster:
    """A standalone master and ``workers`` workers on 127.0.0.1 under ``root`` (a fresh temp dir if None).

    ``java_options``: the daemons' (``SPARK_DAEMON_JAVA_OPTS``, and the launcher JVM ``spark-class`` starts first)."""

    workers: int = 2
    worker_cores: int = 1
    worker_memory: str = "1g"
    daemon_memory: str = "256m"
    java_options: str = QUICK_JVM
    root: Path | None = None
    master_port: int = 0
    master: Daemon | None = None
    nodes: list[Daemon] = field(default_factory=list)
    _own_root: bool = False

    @property
    def url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def master_ui(self) -> str:
        assert self.master is not None
        return f"http://{HOST}:{self.master.ui_port}"

    def env(self) -> dict[str, str]:
        """The daemons' environment: bound to loopback, logs and PIDs under the cluster's root."""
        assert self.root is not None
        return {**os.environ, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": HOST,
                "SPARK_LOG_DIR": str(self.root / "logs"), "SPARK_PID_DIR": str(self.root),
                "SPARK_DAEMON_MEMORY": self.daemon_memory, "SPARK_NO_DAEMONIZE": "1",
                "SPARK_DAEMON_JAVA_OPTS": self.java_options, "SPARK_LAUNCHER_OPTS": self.java_options,
                # the driver is on this machine: no reverse DNS of the host name
                "SPARK_PUBLIC_DNS": HOST}

    def _spawn(self, name: str, args: list[str], ui_port: int, work_dir: Path | None = None) -> Daemon:
        assert self.root is not None
        log = self.root / "logs" / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([str(spark_home() / "bin" / "spark-class"), *args], stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env(),
                                    cwd=str(work_dir or self.root), start_new_session=True)
        return Daemon(name, proc, log, ui_port, work_dir)

    def start(self, timeout: float = 90.0) -> LocalSparkCluster:
        """Start the master, then the workers; return once the master counts every worker alive."""
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise ClusterError("no Java runtime (java on PATH or JAVA_HOME): install openjdk-17-jre-headless")
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="clusterobs-spark-cluster-"))
            self._own_root = True
        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        self.master_port = self.master_port or free_port()
        ui = free_port()
        self.master = self._spawn("master", ["org.apache.spark.deploy.master.Master", "--host", HOST,
                                             "--port", str(self.master_port), "--webui-port", str(ui)], ui)
        try:
            self._wait(lambda s: s is not None, self.master, timeout, "the master's web UI")
            for i in range(self.workers):
                self.add_worker(i)
            self.wait_workers(self.workers, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def add_worker(self, i: int) -> Daemon:
        """Start worker ``i`` (own work directory ``root/worker-i``, cores and memory limit)."""
        assert self.root is not None
        work = self.root / f"worker-{i}"
        work.mkdir(exist_ok=True)
        ui = free_port()
        node = self._spawn(f"worker-{i}", ["org.apache.spark.deploy.worker.Worker", "--host", HOST,
                                           "--webui-port", str(ui), "--cores", str(self.worker_cores),
                                           "--memory", self.worker_memory, "--work-dir", str(work), self.url],
                           ui, work)
        if i < len(self.nodes):
            self.nodes[i] = node
        else:
            self.nodes.append(node)
        return node

    def state(self) -> dict | None:
        """The master's JSON status (workers, applications), or None while it does not answer."""
        try:
            with urllib.request.urlopen(f"{self.master_ui}/json/", timeout=5) as r:
                return json.loads(r.read())
        except (OSError, ValueError):
            return None

    def alive_workers(self) -> int:
        s = self.state()
        return int(s.get("aliveworkers", 0)) if s else 0

    def wait_workers(self, n: int, timeout: float = 90.0) -> None:
        def ready(s: dict | None) -> bool:
            return s is not None and int(s.get("aliveworkers", 0)) >= n

        for node in self.nodes:
            if not node.alive():
                raise ClusterError(f"Spark {node.name} exited with {node.process.returncode}:\n{node.tail()}")
        assert self.master is not None
        self._wait(ready, self.master, timeout, f"{n} workers registered")

    def _wait(self, ready, daemon: Daemon, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready(self.state()):
                return
            if not daemon.alive():
                raise ClusterError(f"Spark {daemon.name} exited with {daemon.process.returncode} "
                                   f"before {what}:\n{daemon.tail()}")
            time.sleep(0.3)
        raise ClusterError(f"no {what} after {timeout:.0f} s; {daemon.name}'s log ends:\n{daemon.tail()}")

    def kill_worker(self, i: int) -> None:
        """SIGKILL worker ``i`` and its executors (its process group): a lost machine."""
        node = self.nodes[i]
        _signal_group(node, signal.SIGKILL)
        node.process.wait(timeout=30)

    def stop(self) -> None:
        """End every daemon (SIGTERM, then SIGKILL after 15 s) and remove the root it made."""
        daemons = [*self.nodes, *([self.master] if self.master else [])]
        for d in daemons:
            if d.alive():
                _signal_group(d, signal.SIGTERM)
        for d in daemons:
            try:
                d.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(d, signal.SIGKILL)
                d.process.wait(timeout=15)
            # executors left behind by a worker that exited first (their group is the worker's)
            _signal_group(d, signal.SIGKILL)
        if self._own_root and self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> LocalSparkCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(daemon: Daemon, sig: int) -> None:
    """Signal the daemon's process group (the JVM and the executors it started); gone is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(daemon.process.pid, sig)


def driver_conf(cluster: LocalSparkCluster, *, executor_memory: str = "768m", executor_cores: int | None = None,
                java_options: str = QUICK_JVM) -> dict[str, str]:
    """Spark settings for a driver on this machine using ``cluster``: loopback, one executor per worker (of
    ``executor_cores``, default all of the worker's), ``java_options`` for the driver and its executors."""
    cores = executor_cores or cluster.worker_cores
    return {"spark.driver.host": HOST, "spark.driver.bindAddress": HOST,
            "spark.executor.memory": executor_memory, "spark.executor.cores": str(cores),
            "spark.cores.max": str(cluster.workers * cores),
            "spark.driver.extraJavaOptions": java_options, "spark.executor.extraJavaOptions": java_options}


def main() -> None:  # pragma: no cover - for people: make spark-cluster
    # Ctrl-C, and kill (SIGTERM), stop the cluster too, also when started in the background (SIGINT ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cluster = LocalSparkCluster(root=Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    cluster.start()
    conf = " ".join(f"--spark-conf '{k}={v}'" for k, v in driver_conf(cluster).items())
    print(f"Spark standalone cluster: master {cluster.url} (web UI {cluster.master_ui}), "
          f"{cluster.workers} workers of {cluster.worker_cores} core and {cluster.worker_memory}, "
          f"under {cluster.root}. Ctrl-C stops it.\n"
          f"  SPARK_LOCAL_IP={HOST} clusterobs compute --engine spark --spark-master {cluster.url} {conf}\n"
          f"  SPARK_LOCAL_IP={HOST} clusterobs microdata map FIRMS.parquet -o out.parquet --engine spark "
          f"--spark-master {cluster.url} {conf}", flush=True)
    try:
        while all(d.alive() for d in [cluster.master, *cluster.nodes] if d):
            time.sleep(1)
        print("a Spark daemon exited; stopping the cluster", file=sys.stderr)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
