"""One writer per data directory, no leftovers of killed runs, and gc that never removes a version in use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs import cli, ingest
from clusterobs.cli import app
from clusterobs.config import Settings
from clusterobs.store import Store
from clusterobs.store.lock import StoreBusy
from clusterobs.store.retention import GRACE, collect
from clusterobs.store.store import version_key

SRC = str(Path(__file__).resolve().parents[2] / "src")
ENV = {**os.environ, "COLUMNS": "250", "PYTHONPATH": SRC}


def _publish(store: Store, value: int) -> str:
    with store.begin() as w:
        w.write("t", pd.DataFrame({"a": [value] * 1000}), description="")
        return w.publish()


def _row(output: str, *cells: str) -> bool:
    """Whether one line of a printed table holds every cell."""
    return any(all(c in line for c in cells) for line in output.splitlines())


def _child(code: str) -> subprocess.Popen[str]:
    """A Python process running ``code``; it prints ``ready`` when it holds what the test needs."""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def tiny_ingest(monkeypatch):
    """``run_ingest`` without sources: one table, read in about a second (long enough to overlap)."""
    monkeypatch.setattr(ingest, "SOURCES", ())
    monkeypatch.setattr(ingest, "OPTIONAL_SOURCES", ())

    def read(mirror, log, progress=None, sink=None):
        time.sleep(1.0)
        return {"t": pd.DataFrame({"a": [1, 2]})}

    def files(mirror, **kwargs):
        return pd.DataFrame({"source": ["x"], "file": ["f"], "sha256": ["0" * 64], "check": ["as expected"]})

    monkeypatch.setattr(ingest, "read_all", read)
    monkeypatch.setattr(ingest, "source_files_frame", files)


def test_two_concurrent_ingests_one_publishes_the_other_refuses(tiny_ingest, tmp_path):
    home = tmp_path / "home"
    outcomes: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            outcomes[name] = ingest.run_ingest(Settings(home=home, mirror=tmp_path)).version
        except StoreBusy as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
        time.sleep(0.2)
    for t in threads:
        t.join()
    assert isinstance(outcomes["a"], str) and Store(home).current() == outcomes["a"]
    assert isinstance(outcomes["b"], StoreBusy)
    assert f"`clusterobs ingest` (pid {os.getpid()}" in str(outcomes["b"])
    assert "nothing was done" in str(outcomes["b"])
    assert [p.name for p in (home / "versions").iterdir()] == [f"{outcomes['a']}.duckdb"]


HOLD = """
import time
import pandas as pd
from clusterobs.store import Store
from clusterobs.store.store import version_key
store = Store({home!r})
with store.lock(command="clusterobs ingest"):
    with store.begin() as w:
        w.write("t", pd.DataFrame({{"a": [7]}}), description="")
        print("ready", flush=True)
        time.sleep({hold})
        w.publish()
"""


def test_the_cli_refuses_while_another_process_writes_and_never_claims_a_false_unchanged(tmp_path):
    home = tmp_path / "home"
    first = _publish(Store(home), 1)
    proc = _child(HOLD.format(home=str(home), hold=3))
    result = CliRunner().invoke(app, ["ingest", "--home", str(home), "--mirror", str(tmp_path)], env=ENV)
    out = " ".join(result.output.split())
    assert result.exit_code == 75, out
    assert f"Ingest refused: another `clusterobs ingest` (pid {proc.pid} on" in out
    assert "nothing was done. Wait for it to finish, or pass `--wait SECONDS`" in out
    assert f"The published version {first} is unchanged" in out  # true: the other has not published yet
    proc.wait(timeout=60)
    # the other has published meanwhile: a run that failed says so instead of calling the old version unchanged
    with cli.err.capture() as captured:
        cli._still_serving(Store(home), first)
    now = Store(home).current()
    assert now != first
    assert " ".join(captured.get().split()) == (f"Version {now} was published meanwhile by another run (it replaced "
                                                f"{first}); it is the one serving.")


def test_a_second_ingest_with_wait_queues_behind_the_first(tiny_ingest, tmp_path):
    home = tmp_path / "home"
    proc = _child(HOLD.format(home=str(home), hold=2))
    result = CliRunner().invoke(app, ["ingest", "--home", str(home), "--mirror", str(tmp_path), "--wait", "60"],
                                env=ENV)
    proc.wait(timeout=60)
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert f"Waiting up to 60 s: another `clusterobs ingest` (pid {proc.pid}" in out
    versions = sorted(p.stem for p in (home / "versions").glob("*.duckdb"))
    assert len(versions) == 2 and Store(home).current() == versions[-1]  # both published, in turn
    assert Store(home).pointer()["previous"] == versions[0]


KILLED = """
import os, time
import pandas as pd
from clusterobs.store import Store
from clusterobs.store.store import version_key
w = Store({home!r}).begin()
w.write("t", pd.DataFrame({{"a": range(200_000)}}), description="")
print("ready", flush=True)
time.sleep(60)
"""


def test_leftovers_of_a_killed_run_are_removed_by_the_next_run_only(tiny_ingest, tmp_path):
    home = tmp_path / "home"
    proc = _child(KILLED.format(home=str(home)))
    left = sorted(p.name for p in (home / "versions").iterdir())
    assert left and all(".building" in n for n in left)
    with pytest.raises(StoreBusy):  # the writer is alive: its files are not leftovers yet
        Store(home).lock().__enter__()
    assert sorted(p.name for p in (home / "versions").iterdir()) == left
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert sorted(p.name for p in (home / "versions").iterdir()) == left  # kill -9 leaves them
    sizes = {n: (home / "versions" / n).stat().st_size for n in left}
    result = CliRunner().invoke(app, ["ingest", "--home", str(home), "--mirror", str(tmp_path)], env=ENV)
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert f"Removed {len(left)} leftover file(s) of an interrupted run ({sum(sizes.values()) / 1e6:.1f} MB)" in out
    assert [p.suffix for p in (home / "versions").iterdir()] == [".duckdb"]


def test_gc_keeps_the_newest_the_published_the_replaced_and_the_open_ones(tmp_path):
    home = tmp_path / "home"
    store = Store(home)
    v = [_publish(store, i) for i in range(7)]
    store.publish(v[2])  # rolled back to an older version: v[6] was replaced just now
    reader = _child(f"import duckdb, time; c = duckdb.connect({str(store.path(v[1]))!r}, read_only=True); "
                    "print('ready', flush=True); time.sleep(60)")
    try:
        sizes = {x: store.path(x).stat().st_size for x in v}
        result = CliRunner().invoke(app, ["gc", "--home", str(home), "--keep", "2"], env=ENV)
    finally:
        reader.kill()
        reader.wait()
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    remaining = sorted(p.stem for p in (home / "versions").glob("*.duckdb"))
    assert remaining == [v[1], v[2], v[5], v[6]]
    freed = sizes[v[0]] + sizes[v[3]] + sizes[v[4]]
    assert f"Removed 3 version(s) and 0 leftover file(s): freed {freed:,} bytes" in out
    for removed in (v[0], v[3], v[4]):
        assert f"{removed}.duckdb" in out
    assert _row(result.output, v[1], "open in another process") and _row(result.output, v[2], "published")
    assert _row(result.output, v[5], "one of the 2 newest") and _row(result.output, v[6], "one of the 2 newest")
    assert store.current() == v[2] and store.table("t")["a"].iloc[0] == 2


def test_the_replaced_version_is_protected_only_for_the_grace_period(tmp_path):
    store = Store(tmp_path)
    old, new = _publish(store, 1), _publish(store, 2)
    published = datetime.fromisoformat(store.pointer()["published_at"])
    kept = collect(store, keep=0, dry_run=True, now=published + GRACE - timedelta(seconds=1))
    assert kept.kept == {old: "replaced less than 10 minutes ago", new: "published"} and not kept.removed
    later = collect(store, keep=0, now=published + GRACE + timedelta(seconds=1))
    assert [p.stem for p, _ in later.removed] == [old] and later.kept == {new: "published"}
    assert later.freed == later.removed[0][1] > 0
    assert store.current() == new and store.path(new).exists()


def test_gc_dry_run_removes_nothing(tmp_path):
    store = Store(tmp_path)
    for i in range(3):
        _publish(store, i)
    (tmp_path / "versions" / "20200101T000000.1-abcd.building").write_bytes(b"x" * 10)
    result = CliRunner().invoke(app, ["gc", "--home", str(tmp_path), "--keep", "1", "--dry-run"], env=ENV)
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert "Would remove 1 version(s) and 1 leftover file(s)" in out  # the oldest; the replaced one is recent
    assert len(list((tmp_path / "versions").iterdir())) == 4


def test_version_ids_sort_in_order_of_creation():
    ids = ["20260101T000001", "20260101T000000-10", "20260101T000000", "20260101T000000-2-scoreboard"]
    assert sorted(ids, key=version_key) == ["20260101T000000", "20260101T000000-2-scoreboard", "20260101T000000-10",
                                            "20260101T000001"]


def test_derive_copies_the_version_published_when_it_holds_the_lock(tmp_path):
    store = Store(tmp_path)
    first = _publish(store, 1)
    proc = _child(HOLD.format(home=str(tmp_path), hold=1))  # publishes a = 7 after 1 s, then releases
    with pytest.raises(StoreBusy):
        store.derive()
    proc.wait(timeout=60)
    second = store.current()
    assert second != first
    with store.derive() as w:
        v = w.publish()
    assert store.meta(v)["parent_version"] == second and store.table("t", v)["a"].tolist() == [7]
