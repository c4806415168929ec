"""Reading a report's queries ahead: while the first sections are built, a thread of its own runs the queries the
later ones will ask for (DuckDB runs a query without Python's lock), and each read then takes its frame.

``ReadAhead`` is a mixin for a ``VersionReads`` (before it in the bases, so that its ``df`` is the one called): the
reports' ``ReportData`` uses it for the scorecard (``reports.scorecard.reads`` lists the reads in the order its
sections make them)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

#: the queries ``ReadAhead.prefetch`` is collecting on this thread (None: not collecting)
_collecting = threading.local()


class _Collected(Exception):  # not an error: stops a read once its first query is known
    """Raised by ``ReadAhead.df`` while ``prefetch`` collects a read's first query."""


def query_key(sql: str, params: list[Any] | None) -> str:
    """The key of a query read ahead: its text and parameters."""
    return repr((sql, params or []))


def collecting() -> bool:
    """Whether ``prefetch`` is collecting queries on this thread (a read's ``df`` then runs nothing)."""
    return getattr(_collecting, "queries", None) is not None


@dataclass
class Ahead:
    """The queries read ahead (key → frame being read), the thread reading them and its stop signal."""

    jobs: dict[str, Future[pd.DataFrame]] = field(default_factory=dict)
    thread: threading.Thread | None = None
    stop: threading.Event = field(default_factory=threading.Event)


class ReadAhead:
    """``prefetch`` and a ``df`` that takes a query's frame from it; a subclass is a ``VersionReads``."""

    def con(self) -> duckdb.DuckDBPyConnection:
        raise NotImplementedError

    def ahead(self) -> Ahead:
        """This object's queries read ahead."""
        return self.__dict__.setdefault("_ahead", Ahead())

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """The query's frame: read by ``prefetch``'s thread when it read it (once), else read now."""
        queries = getattr(_collecting, "queries", None)
        if queries is not None:
            if "information_schema" in sql:  # a table's columns, which the read needs to write its query: read now
                return super().df(sql, params)  # type: ignore[misc]
            queries.append((sql, params))
            raise _Collected
        job = self.ahead().jobs.pop(query_key(sql, params), None)
        # not yet started on the thread: read here rather than wait for the queries before it
        if job is not None and not job.cancel() and job.exception() is None:
            return job.result()
        return super().df(sql, params)  # type: ignore[misc]

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
        jobs = {query_key(sql, params): (sql, params, Future()) for sql, params in queries}
        state = self.ahead()
        if not jobs or (state.thread is not None and state.thread.is_alive()):
            return
        state.jobs = {key: job for key, (_, _, job) in jobs.items()}  # a previous report's are let go
        cursor, stop = self.con().cursor(), threading.Event()
        state.stop = stop

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

        state.thread = threading.Thread(target=read_all, name="report-prefetch", daemon=True)
        state.thread.start()

    def stop_reading_ahead(self) -> None:
        """Stop the thread (it finishes the query it is running) and drop what it read."""
        state = self.ahead()
        state.stop.set()
        if state.thread is not None:
            state.thread.join()
            state.thread = None
        state.jobs.clear()
