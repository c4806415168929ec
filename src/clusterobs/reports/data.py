"""Reads for the reports: one dataset version of the store, opened read-only (no Django).

Every query and every parameter check is the read layer's (``clusterobs.store.reads.VersionReads``, the base of the
web's ``Observatory`` as well), so that a number in a report is the number on screen; here only what the reports
alone make of it: the scheme's title in the report's language, and the cluster measures with the trust in each
cell made explicit. Tables written by optional engine stages (linkages, scoreboard, competitiveness sources) are
read only when the version holds them: ``has`` says which.

What the engine says about the trust in each number is read there too: a cell's ``coverage``, ``split_share``,
``rankable`` and ``caveat`` (``cluster_measures``), a region's ``region_quality`` (no-data regions and why), the
headline figures computed once by the engine (``region_headlines``, ``clusterobs.mapping.headlines``) and, when the
version holds it, the SBS/LFS plausibility check ``region_caveats``. A dataset computed before them reads as if every
cell with employment could be ranked.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from clusterobs.charts.specs.text import scheme_title
from clusterobs.errors import NoDataset, ReportError
from clusterobs.reports import formatting
from clusterobs.reports.history import shared_pairs
from clusterobs.store import Store
from clusterobs.store.reads import NUTS_VERSION, VersionReads

DEFAULT_SCHEME = "eco2007"
DEFAULT_LEVEL = 2
#: what ``cluster_measures`` says about the trust in a cell (added to the shared read when it does not give them)
QUALITY_COLUMNS = ("coverage", "split_share", "rankable", "caveat")

#: the queries ``ReportData.prefetch`` is collecting on this thread (None: not collecting)
_collecting = threading.local()


class _Collected(Exception):  # not an error: stops a read once its first query is known
    """Raised by ``ReportData.df`` while ``prefetch`` collects a read's first query."""


def _key(sql: str, params: list[Any] | None) -> str:
    return repr((sql, params or []))


__all__ = ["DEFAULT_LEVEL", "DEFAULT_SCHEME", "NUTS_VERSION", "QUALITY_COLUMNS", "ReportData", "ReportError"]


@dataclass
class ReportData(VersionReads):
    """The tables of one dataset version that the reports draw from."""

    store: Store
    version: str
    _con: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)
    #: query (``_key``) -> its frame, being read by ``prefetch``'s thread
    _prefetched: dict[str, Future[pd.DataFrame]] = field(default_factory=dict, repr=False)
    _prefetching: threading.Thread | None = field(default=None, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    @classmethod
    def open(cls, store: Store, version: str | None = None) -> ReportData:
        """The version (the published one by default); ``NoDataset`` when there is none or it is not computed."""
        version = version or store.current()
        if version is None:
            raise NoDataset(f"no published dataset in {store.home}: run `clusterobs ingest` and "
                            "`clusterobs compute`")
        data = cls(store, version)
        if not {"cluster_measures", "cluster_stars", "star_schemes"} <= data.tables:
            raise NoDataset(f"dataset {version} has no cluster measures: run `clusterobs compute`")
        return data

    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self.store.connect(self.version)
        return self._con

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """The query's frame: read by ``prefetch``'s thread when it read it (once), else read now."""
        queries = getattr(_collecting, "queries", None)
        if queries is not None:
            if "information_schema" in sql:  # a table's columns, which the read needs to write its query: read now
                return super().df(sql, params)
            queries.append((sql, params))
            raise _Collected
        job = self._prefetched.pop(_key(sql, params), None)
        # not yet started on the thread: read here rather than wait for the queries before it
        if job is not None and not job.cancel() and job.exception() is None:
            return job.result()
        return super().df(sql, params)

    def prefetch(self, *reads: Callable[[], object]) -> None:
        """Start reading, on a thread and a cursor of its own, the first query of each of ``reads`` (calls of this
        object's reads, in the order the report will make them): DuckDB runs it without Python's lock while this
        thread builds the report's first sections, and the read then takes its frame (the same query on the same
        version: the same frame), or reads it itself when the thread has not started it yet. A read whose query is
        never asked for costs its query only; nothing changes in what a read returns."""
        queries: list[tuple[str, list[Any] | None]] = []
        _collecting.queries = queries
        try:
            for read in reads:
                with contextlib.suppress(Exception):  # _Collected, or a read that needs more than its parameters
                    read()
        finally:
            _collecting.queries = None
        jobs = {_key(sql, params): (sql, params, Future()) for sql, params in queries}
        if not jobs or (self._prefetching is not None and self._prefetching.is_alive()):
            return
        self._prefetched = {key: job for key, (_, _, job) in jobs.items()}  # a previous report's are let go
        cursor, stop = self.con().cursor(), threading.Event()
        self._stop = stop

        def read_all() -> None:
            try:
                for sql, params, job in jobs.values():
                    if stop.is_set():
                        job.cancel()
                    if not job.set_running_or_notify_cancel():  # stopped, or asked for before its turn
                        continue
                    try:
                        job.set_result(cursor.execute(sql, params or []).df())
                    except Exception as exc:  # the read runs it again, and fails there as it would have
                        job.set_exception(exc)
            finally:
                with contextlib.suppress(duckdb.Error):
                    cursor.close()

        self._prefetching = threading.Thread(target=read_all, name="report-prefetch", daemon=True)
        self._prefetching.start()

    def close(self) -> None:
        self._stop.set()
        if self._prefetching is not None:
            self._prefetching.join()
            self._prefetching = None
        self._prefetched.clear()
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
            self._con = None

    def scheme_title(self, scheme: str) -> str:
        """The scheme's title in the report's language."""
        return scheme_title(formatting.T, self, scheme)

    # ---- cluster measures -----------------------------------------------------------------------------------
    def measures(self, *, scheme: str | None, year: int, level: int = DEFAULT_LEVEL, region: str | None = None,
                 country: str | None = None) -> pd.DataFrame:
        """Cluster measures with the scheme's stars, one row per region × category (``cluster_measures``, the web's
        read); with ``scheme=None``, one row per region × category × scheme."""
        m = self.cluster_measures(scheme=scheme, year=year, level=level, regions=[region] if region else None,
                                  country=country)
        return self._with_quality(m, year=year, level=level)

    def _with_quality(self, m: pd.DataFrame, *, year: int, level: int) -> pd.DataFrame:
        """``m`` with ``coverage``, ``split_share``, ``rankable`` (bool) and ``caveat``, and ``stars`` a float that
        is NaN where the cell cannot be ranked (no employment, coverage below the threshold, a region split by
        population): such a cell has no stars, never 0."""
        missing = [c for c in QUALITY_COLUMNS if c not in m.columns]
        if missing and set(missing) <= self.columns("cluster_measures") and len(m):
            q = self.measure_cells(missing, year=year, level=level, regions=sorted(set(m["region"])))
            m = m.merge(q, on=["region", "category"], how="left")
        m = m.copy()
        known = m["employment"].notna()
        if "rankable" not in m.columns:  # a dataset computed before the engine said which cells can be ranked
            m["rankable"] = known
        m["rankable"] = m["rankable"].astype("boolean").fillna(False).astype(bool) & known
        for column, default in (("coverage", float("nan")), ("split_share", 0.0)):
            m[column] = pd.to_numeric(m[column], errors="coerce") if column in m.columns else default
        if "caveat" not in m.columns:
            m["caveat"] = None
        m["stars"] = pd.to_numeric(m["stars"], errors="coerce").astype(float).where(m["rankable"])
        return m

    def division_pairs(self) -> set[tuple[str, str]]:
        """The unordered pairs of categories (category_i < category_j) that share a NACE division: both have a
        weight above 0 on the same level-2 code of ``concordance``. Their employment is partly the same industries'
        employment, so their series move together by construction (empty when the version has no concordance)."""
        div = self.division_categories()
        return set() if div is None else shared_pairs(div)
