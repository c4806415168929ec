"""One access object for the analytical store, used alike by the CLI, the web and reports.

Layout under the data directory (``CLUSTEROBS_HOME``, default ``./var``)::

    versions/<version>.duckdb            one complete dataset version per file
    versions/<version>.<run>.building    a version being written (removed if the ingest fails; ``<run>`` is
                                         unique per writer, so two writers never share a temporary file)
    current.json                         which version is published (replaced atomically), and the one before
    writer.lock                          the writers' lock (``store.lock``): one ingest/compute/gc at a time

An ingest writes every table into a new ``.building`` file; only when all tables are
written is the file renamed and ``current.json`` swapped with ``os.replace``. A failed
ingest therefore never touches the version that is serving. A writer killed outright leaves
its ``.building`` file (and DuckDB's ``.wal``): the next writer removes them once it holds
the lock, which proves their writer is dead. Old versions are removed by ``clusterobs gc``
(``store.retention``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from clusterobs.errors import StoreError
from clusterobs.store.lock import HomeLock

CURRENT = "current.json"
#: DuckDB's memory limit while a version is written (it spills beyond it, to the version's directory)
WRITER_MEMORY = "256MB"
BUILDING = ".building"


@dataclass(frozen=True)
class VersionInfo:
    version: str
    path: Path
    published: bool
    meta: dict[str, Any]


def frame_checksum(df: pd.DataFrame) -> str:
    """SHA-256 of a table's content, independent of row order: the sorted 64-bit hashes of its rows (pandas'
    ``hash_pandas_object``), floats rounded to 10 significant digits first (last-bit differences of parallel sums
    do not change it), after the column names. Missing and zero hash differently."""
    header = ",".join(map(str, df.columns)).encode()
    if df.empty:
        return hashlib.sha256(header).hexdigest()
    norm = df.copy(deep=False)  # only the float columns are replaced (a deep copy of a 1 M-row table: 150 MB)
    for col in norm.columns:
        if pd.api.types.is_float_dtype(norm[col]):
            x = norm[col].to_numpy(dtype="float64", na_value=np.nan)
            with np.errstate(divide="ignore", invalid="ignore"):
                digits = np.clip(9 - np.floor(np.log10(np.abs(x))), -290, 290)
                scale = np.where(np.isfinite(digits), 10.0 ** np.nan_to_num(digits), 1.0)
                norm[col] = np.where(np.isfinite(x) & (x != 0), np.round(x * scale) / scale, x)
    rows = np.sort(pd.util.hash_pandas_object(norm, index=False).to_numpy())
    return hashlib.sha256(header + b"\n" + rows.tobytes()).hexdigest()


def _arrow(df: pd.DataFrame) -> Any:
    """``df`` as an Arrow table (DuckDB reads it faster than the frame: 5.3 M rows of star tests 3.6 s against
    5.4 s), or ``df`` itself where Arrow cannot type a column (a column of mixed Python objects)."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return df


def version_key(version: str) -> tuple[str, int, str]:
    """Order of creation of version ids ``<stamp>[-<n>][-<label>]`` (``-2`` comes after the plain stamp)."""
    stamp, _, rest = version.partition("-")
    first, _, label = rest.partition("-")
    if first.isdigit():
        return stamp, int(first), label
    return stamp, 1, rest


def check_finite(name: str, df: pd.DataFrame) -> None:
    """Raise a ``StoreError`` when a float column of ``df`` holds ``inf`` or ``-inf``, naming the first row."""
    for col in df.columns:
        if not pd.api.types.is_float_dtype(df[col]):
            continue
        x = df[col].to_numpy(dtype="float64", na_value=np.nan)
        bad = np.isinf(x)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            keys = {k: df[k].iloc[i] for k in df.columns[:4] if k != col and not pd.api.types.is_float_dtype(df[k])}
            where = ", ".join(f"{k}={v}" for k, v in keys.items())
            raise StoreError(f"table {name!r}, column {col!r}: {int(bad.sum()):,} value(s) not finite, the first "
                             f"{x[i]} at row {i + 1}{f' ({where})' if where else ''}; refusing to publish a version "
                             "with non-finite numbers (check the quarantine of the inputs)")


class Store:
    """Reads published versions and writes new ones."""

    def __init__(self, home: Path | str) -> None:
        self.home = Path(home)
        self.versions_dir = self.home / "versions"

    # ---- reading -------------------------------------------------------------------
    def current(self) -> str | None:
        """The published version id, or None before the first successful ingest."""
        return self.pointer().get("version")

    def pointer(self) -> dict[str, Any]:
        """``current.json``: ``version``, ``published_at`` and ``previous`` (the version it replaced); {} before
        the first publish."""
        pointer = self.home / CURRENT
        if not pointer.exists():
            return {}
        return json.loads(pointer.read_text(encoding="utf-8"))

    def path(self, version: str | None = None) -> Path:
        version = version or self.current()
        if version is None:
            raise StoreError(f"no published dataset in {self.home}: run `clusterobs ingest` first")
        path = self.versions_dir / f"{version}.duckdb"
        if not path.exists():
            raise StoreError(f"dataset version {version} not found at {path}")
        return path

    def connect(self, version: str | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection to one version (the published one by default)."""
        return duckdb.connect(str(self.path(version)), read_only=read_only)

    def ibis(self, version: str | None = None, *, read_only: bool = True) -> Any:
        """An Ibis DuckDB backend over one version, for engine code."""
        import ibis

        return ibis.duckdb.connect(str(self.path(version)), read_only=read_only)

    def table(self, name: str, version: str | None = None) -> pd.DataFrame:
        with contextlib.closing(self.connect(version)) as con:
            return con.sql(f'SELECT * FROM "{name}"').df()

    def tables(self, version: str | None = None) -> pd.DataFrame:
        """The catalogue of a version: table, rows, checksum, description."""
        return self.table("_tables", version)

    def meta(self, version: str | None = None) -> dict[str, Any]:
        df = self.table("_meta", version)
        return {k: json.loads(v) for k, v in zip(df["key"], df["value"], strict=True)}

    def versions(self) -> list[VersionInfo]:
        current = self.current()
        out = []
        for p in sorted(self.versions_dir.glob("*.duckdb"), key=lambda p: version_key(p.stem)):
            v = p.stem
            try:
                with contextlib.closing(duckdb.connect(str(p), read_only=True)) as con:
                    rows = con.sql("SELECT key, value FROM _meta").fetchall()
                meta = {k: json.loads(val) for k, val in rows}
            except duckdb.Error:
                meta = {"error": "unreadable"}
            out.append(VersionInfo(version=v, path=p, published=(v == current), meta=meta))
        return out

    # ---- writing -------------------------------------------------------------------
    def lock(self, *, command: str = "clusterobs", wait: float = 0.0,
             on_wait: Callable[[str], None] | None = None, clean: bool = True) -> WriterLock:
        """The writers' lock of this data directory (see ``store.lock``); ``StoreBusy`` if another writer holds
        it after ``wait`` seconds. Taking it afresh removes the leftovers of interrupted runs (``cleaned``) unless
        ``clean`` is False."""
        return WriterLock(self, command=command, wait=wait, on_wait=on_wait, clean=clean)

    def leftovers(self) -> list[Path]:
        """Temporary files of writers: ``*.building`` (+ ``.wal``) and unfinished ``current.json`` replacements.
        Only leftovers when no writer holds the lock."""
        found: list[Path] = []
        if self.versions_dir.is_dir():
            found += [p for p in self.versions_dir.iterdir()
                      if p.name.endswith(BUILDING) or p.name.endswith(BUILDING + ".wal")]
        if self.home.is_dir():
            found += [*self.home.glob(f".{CURRENT}.*.tmp"), *self.home.glob(f"{CURRENT}.tmp")]
        return sorted(found)

    def begin(self, *, label: str = "") -> VersionWriter:
        """Start writing a new version; publish it with ``VersionWriter.publish``.

        Takes the writers' lock (at once, or ``StoreBusy``) unless this thread holds it already."""
        lock = self.lock(command="clusterobs write")
        lock.__enter__()
        try:
            self.versions_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            version = stamp + (f"-{label}" if label else "")
            n = 1
            while (self.versions_dir / f"{version}.duckdb").exists():
                n += 1
                version = f"{stamp}-{n}" + (f"-{label}" if label else "")
            return VersionWriter(self, version, lock=lock)
        except BaseException:
            lock.__exit__(None, None, None)
            raise

    def derive(self, *, label: str = "") -> VersionWriter:
        """Start a new version holding a copy of the published one's tables (for ``compute``).

        The published version is read once the writers' lock is held: a writer that published just before is
        never overwritten by a copy of what it replaced."""
        self.path()  # no published version: StoreError before anything is written
        writer = self.begin(label=label)
        try:
            parent = self.current()
            source = self.path(parent)
            writer.con.close()
            shutil.copyfile(source, writer.building)
            writer.con = duckdb.connect(str(writer.building))
            writer.set_meta("parent_version", parent)
        except BaseException:
            writer.abort()
            raise
        return writer

    def publish(self, version: str) -> None:
        """Point ``current.json`` at ``version`` atomically (recording the version it replaces as ``previous``)."""
        pointer = self.home / CURRENT
        previous = self.current()
        payload = {"version": version, "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
                   "previous": previous if previous != version else self.pointer().get("previous")}
        fd, name = tempfile.mkstemp(dir=self.home, prefix=f".{CURRENT}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(payload, indent=2))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(name, 0o644)
            os.replace(name, pointer)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise


class WriterLock(HomeLock):
    """``HomeLock`` that removes a store's leftovers when it takes the lock afresh (``cleaned``: path, bytes)."""

    def __init__(self, store: Store, *, clean: bool = True, **kwargs: Any) -> None:
        super().__init__(store.home, **kwargs)
        self.store = store
        self.clean = clean
        self.cleaned: list[tuple[Path, int]] = []

    def __enter__(self) -> WriterLock:
        super().__enter__()
        if self.acquired_fresh and self.clean:
            for path in self.store.leftovers():
                with contextlib.suppress(FileNotFoundError):
                    size = path.stat().st_size
                    path.unlink()
                    self.cleaned.append((path, size))
        return self


class VersionWriter:
    """Writes the tables of one new version into a ``.building`` file.

    Use as a context manager: leaving the block with an exception deletes the partial
    file and leaves the published version alone.
    """

    def __init__(self, store: Store, version: str, *, lock: HomeLock | None = None) -> None:
        self.store = store
        self.version = version
        self._lock = lock
        run = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.building = store.versions_dir / f"{version}.{run}{BUILDING}"
        self.final = store.versions_dir / f"{version}.duckdb"
        # written blocks need not stay cached: DuckDB otherwise keeps them in memory up to 80 % of the machine's
        # (an ingest's peak memory, benchmarks/ingest.py)
        self.con = duckdb.connect(str(self.building), config={"memory_limit": WRITER_MEMORY})
        self.con.execute(
            "CREATE TABLE _tables (name VARCHAR PRIMARY KEY, rows BIGINT, checksum VARCHAR, description VARCHAR)"
        )
        self.con.execute("CREATE TABLE _meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self._published = False

    def write(self, name: str, df: pd.DataFrame, *, description: str) -> str:
        """Write one table and record its row count and checksum; returns the checksum.

        A number that is not finite (``inf``, ``-inf``) is never stored: it raises a ``StoreError`` naming the table,
        column, count and first row, and the version is not published. (A NaN in a float column is stored as NULL,
        pandas' missing value.)
        """
        check_finite(name, df)
        checksum = frame_checksum(df)
        self.con.register("_incoming", _arrow(df))
        try:
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _incoming')
        finally:
            self.con.unregister("_incoming")
        self.con.execute("INSERT OR REPLACE INTO _tables VALUES (?, ?, ?, ?)", [name, len(df), checksum, description])
        return checksum

    def set_meta(self, key: str, value: Any) -> None:
        self.con.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", [key, json.dumps(value, sort_keys=True)])

    def publish(self) -> str:
        """Close the file, move it into place and make it the current version."""
        self.set_meta("version", self.version)
        self.con.execute("CHECKPOINT")
        self.con.close()
        os.replace(self.building, self.final)
        self.store.publish(self.version)
        self._published = True
        self._release()
        return self.version

    def abort(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.close()
        self.building.unlink(missing_ok=True)
        Path(str(self.building) + ".wal").unlink(missing_ok=True)
        self._release()

    def _release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.__exit__(None, None, None)

    def __enter__(self) -> VersionWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self._published:
            self.abort()
