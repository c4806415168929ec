"""Shared fixtures: where the mirror is, and one real ingest of it for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clusterobs.config import Settings

REPO = Path(__file__).resolve().parents[1]


def mirror_path() -> Path:
    """The offline mirror: env CLUSTEROBS_MIRROR, else ../shared/data beside the repository."""
    return Path(os.environ.get("CLUSTEROBS_MIRROR") or REPO.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_path()
    if not path.is_dir():
        pytest.fail(f"the offline mirror is not at {path}: set CLUSTEROBS_MIRROR")
    return path


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory, mirror: Path):
    """A data directory holding one published ingest of the real mirror."""
    from clusterobs.ingest import run_ingest
    from clusterobs.store import Store

    home = tmp_path_factory.mktemp("home")
    summary = run_ingest(Settings(home=home, mirror=mirror))
    return Store(home), summary


@pytest.fixture(scope="session")
def computed(ingested):
    """The ingested store after ``clusterobs compute``: (Store, ComputeSummary)."""
    from clusterobs.compute import run_compute

    store, _ = ingested
    return store, run_compute(store)


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession (2 threads, temporary warehouse) for every Spark test of the run."""
    from clusterobs.mapping.backends import java_version, spark_available, spark_backend

    reason = spark_available()
    if reason:
        pytest.skip(reason)
    if java_version() is None:
        pytest.fail("PySpark is installed but no Java runtime was found (java on PATH or JAVA_HOME): "
                    "install openjdk-17-jre-headless; CI must run the Spark parity tests")
    from clusterobs.spark_cluster import QUICK_JVM

    # C1-only JIT, serial GC, no verification of Spark's jars: the JVM starts and warms up on less CPU
    backend = spark_backend("local[2]", conf={"spark.driver.extraJavaOptions": QUICK_JVM})
    yield backend
    backend.disconnect()


@pytest.fixture(scope="session")
def symlink_mirror(mirror: Path):
    """Make a mirror of symlinks to the real one, whose files a test can replace one by one."""

    def make(dest: Path) -> Path:
        dest.mkdir()
        for folder in mirror.iterdir():
            if folder.is_dir():
                (dest / folder.name).mkdir()
                for f in folder.iterdir():
                    (dest / folder.name / f.name).symlink_to(f)
        return dest

    return make
