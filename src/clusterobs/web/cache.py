"""In-process caches of computed reads, keyed by the published dataset version.

A published version is immutable, so whatever was computed from it stays right until a new version is published:
every key carries the version, and a new version simply misses (its old entries age out of the LRU). Two caches:

* ``Memo``: one per ``dataset.Observatory`` (one per version), for selector results (``dataset.memoized``:
  DataFrames, dicts) and the pages' chart slots, bounded by count and rough size (256 MB per version). Results
  are handed out as shallow copies, so a caller adding a column to a frame does not change the cached one
  (pandas copy-on-write keeps the data shared until written).
* ``ResponseCache``: bounded in bytes, for whole answers (body, content type, headers): one for the API's
  (``api_formats.cached`` puts 200 answers in it under (version, host, path, normalised query, language)), one for
  the public HTML pages (``pagecache.cached_page``: the same key with the scheme and the data directory).

Several workers behind a load balancer each hold their own; they agree since they read the same version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd

T = TypeVar("T")
_MISSING = object()


def _shallow(value: Any) -> Any:
    return value.copy(deep=False) if isinstance(value, pd.DataFrame | pd.Series) else value


def _hand_out(value: Any) -> Any:
    """A copy safe to change at its top level: frames and series shallow-copied (pandas copy-on-write keeps the
    data shared until written), dicts, lists and tuples copied one level deep (nested values shared: read-only)."""
    if isinstance(value, dict):
        return {k: _shallow(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shallow(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_shallow(v) for v in value)
    return _shallow(value)


def freeze(value: Any) -> Hashable:
    """A hashable key for call arguments: lists and tuples become tuples, dicts sorted item tuples."""
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(value))
    return value


def size_of(value: Any) -> int:
    """Rough bytes of a kept value: frames by their columns' buffers, text by length, containers one level deep."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=False))
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return 64 + sum(size_of(v) if isinstance(v, pd.DataFrame | pd.Series | str | bytes) else 64
                        for v in value.values())
    if isinstance(value, list | tuple):
        return 64 + sum(size_of(v) if isinstance(v, pd.DataFrame | pd.Series | str | bytes) else 64 for v in value)
    return 64


class Memo:
    """A thread-safe LRU of computed values (computed outside the lock), bounded by count and by rough size."""

    def __init__(self, maxsize: int = 512, max_bytes: int = 256 * 2**20) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._data.get(key, _MISSING)
            if hit is not _MISSING:
                self._data.move_to_end(key)
                self.hits += 1
                return _hand_out(hit[0])
            self.misses += 1
        value = compute()  # may raise: nothing is stored then
        size = size_of(value)
        if size <= self.max_bytes // 4:  # one huge answer must not empty the memo
            with self._lock:
                old = self._data.pop(key, None)
                if old is not None:
                    self._bytes -= old[1]
                self._data[key] = (value, size)
                self._bytes += size
                while self._data and (len(self._data) > self.maxsize or self._bytes > self.max_bytes):
                    _, (_, dropped) = self._data.popitem(last=False)
                    self._bytes -= dropped
        return _hand_out(value)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]
    #: the body gzip-compressed once when stored (text answers over 1 KiB), served to clients that accept gzip
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


@dataclass(frozen=True)
class CachedPage:
    """A kept HTML page (``pagecache``): its body holds a placeholder where the requester's CSRF token goes."""

    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]
    #: sha256 of the version, the language and the body: the ETag is derived from it
    digest: str = ""
    #: the body holds the CSRF placeholder (a form): filled per request, so the page is private to its requester
    has_token: bool = False

    @property
    def size(self) -> int:
        return len(self.body)


K = TypeVar("K", CachedResponse, CachedPage)


class ResponseCache(Generic[K]):
    """A thread-safe LRU of whole answers bounded by their total body size; bigger answers are not kept."""

    def __init__(self, max_bytes: int = 64 * 2**20, max_entry_bytes: int = 8 * 2**20) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._data: OrderedDict[Hashable, K] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> K | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: Hashable, value: K) -> None:
        size = value.size
        if size > self.max_entry_bytes:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._data[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes and self._data:
                _, dropped = self._data.popitem(last=False)
                self._bytes -= dropped.size

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0
