"""Downloading a source's raw files for users who are online.

Every file is streamed to a temporary file in its destination folder while its SHA-256 is
computed; a file whose checksum differs from the one expected (or that a ``validate``
hook refuses) is removed and the previous file is left untouched; a good file replaces
the previous one by an atomic rename. Timeouts, dropped connections, 429 and 5xx answers
are retried with exponential backoff; other 4xx answers are not. ``download_source``
writes a source's files in the same layout as the offline mirror
(``<mirror>/<meta.folder>/<file.name>``) and appends what it did to ``DOWNLOADS.json``
in that folder, so ``clusterobs ingest --mirror DIR`` reads them as it reads the mirror.
Files marked ``derived`` are not downloaded: ``after_download`` then calls the source
module's ``after_download(folder)`` hook, which rebuilds them from the downloaded originals.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

import httpx

from clusterobs import __version__
from clusterobs.errors import SourceError
from clusterobs.sources.base import SourceMeta, sha256_file

USER_AGENT = f"clusterobs/{__version__} (European Cluster Observatory; python-httpx/{httpx.__version__})"
LOG_NAME = "DOWNLOADS.json"
RETRY_STATUS = frozenset({408, 429})
"""4xx answers that mean "try again later"; every 5xx is retried too."""

Progress = Callable[[int, int | None], None]
"""Called with (bytes received so far, total bytes or None when the server does not say)."""


class DownloadError(SourceError):
    """A download failed for good: HTTP error, retries exhausted, checksum mismatch."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(url, reason)


class _Transient(Exception):
    """A failure worth another attempt."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry transient failures."""

    attempts: int = 4
    backoff: float = 1.0
    """Seconds before the second attempt; doubled for each further one."""
    max_delay: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        wanted = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
        return min(max(wanted, 0.0), self.max_delay)


@dataclass(frozen=True)
class DownloadRecord:
    """What one download brought: enough to cite and re-check the file later."""

    url: str
    file: str
    bytes: int
    sha256: str
    retrieved_at: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    expected_sha256: str | None = None
    """Set when the file differs from the checksum its source records and was accepted (``accept_changed``)."""

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        if out["expected_sha256"] is None:  # only accepted changes carry it
            del out["expected_sha256"]
        return out


def make_client(*, timeout: float = 300.0) -> httpx.Client:
    """An HTTP client with clusterobs' User-Agent; the caller closes it."""
    return httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True,
                        timeout=httpx.Timeout(timeout, connect=30.0))


def download_file(
    client: httpx.Client,
    url: str,
    dest: Path,
    *,
    expected_sha256: str | None = None,
    progress: Progress | None = None,
    validate: Callable[[Path], None] | None = None,
    headers: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
) -> DownloadRecord:
    """Download ``url`` to ``dest`` atomically, verifying ``expected_sha256`` when given.

    ``validate`` is called with the complete temporary file before it replaces ``dest``;
    whatever it raises propagates and ``dest`` is left as it was.
    """
    retry = retry or RetryPolicy()
    dest.parent.mkdir(parents=True, exist_ok=True)
    default_agent = client.headers.get("user-agent", "").startswith("python-httpx")
    sent = {"User-Agent": USER_AGENT} if default_agent else {}
    sent.update(headers or {})
    for attempt in range(1, retry.attempts + 1):
        try:
            return _attempt(client, url, dest, sent, expected_sha256, progress, validate)
        except _Transient as exc:
            if attempt == retry.attempts:
                raise DownloadError(url, f"gave up after {attempt} attempts: {exc}") from None
            retry.sleep(retry.delay(attempt, exc.retry_after))
    raise AssertionError("unreachable")  # pragma: no cover


def _attempt(
    client: httpx.Client,
    url: str,
    dest: Path,
    headers: Mapping[str, str],
    expected_sha256: str | None,
    progress: Progress | None,
    validate: Callable[[Path], None] | None,
) -> DownloadRecord:
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            got, size, response = _stream(client, url, headers, fh, progress)
        if expected_sha256 and got.lower() != expected_sha256.lower():
            raise DownloadError(url, f"checksum mismatch: expected sha256 {expected_sha256.lower()}, "
                                     f"got {got}; any previous {dest} is kept")
        if validate is not None:
            validate(tmp)
        tmp.chmod(0o644)  # mkstemp makes it private; a mirror file is world-readable
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return DownloadRecord(
        url=url, file=dest.name, bytes=size, sha256=got,
        retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"), status=response.status_code,
        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
    )


def _stream(
    client: httpx.Client, url: str, headers: Mapping[str, str], fh: BinaryIO, progress: Progress | None
) -> tuple[str, int, httpx.Response]:
    """Write the body of one GET to ``fh``; return its hex SHA-256, size and the response."""
    digest = hashlib.sha256()
    size = 0
    try:
        with client.stream("GET", url, headers=dict(headers)) as response:
            status = response.status_code
            if status >= 500 or status in RETRY_STATUS:
                raise _Transient(f"HTTP {status} {response.reason_phrase}", _retry_after(response))
            if status >= 400:
                response.read()
                raise DownloadError(url, f"HTTP {status} {response.reason_phrase}: {_excerpt(response)}",
                                    status=status)
            encoded = "content-encoding" in response.headers
            total = None if encoded else _int(response.headers.get("content-length"))
            for chunk in response.iter_bytes():
                digest.update(chunk)
                fh.write(chunk)
                size += len(chunk)
                if progress is not None:
                    progress(size, total)
            if total is not None and size != total:
                raise _Transient(f"connection closed after {size} of {total} bytes")
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise _Transient(f"{type(exc).__name__}: {exc}") from exc
    return digest.hexdigest(), size, response


def download_source(
    meta: SourceMeta,
    mirror: Path,
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    force: bool = False,
    validate: Callable[[Path], None] | None = None,
    retry: RetryPolicy | None = None,
    accept_changed: bool = False,
) -> list[DownloadRecord]:
    """Download every file of ``meta`` into ``mirror/<meta.folder>/``; log them in ``DOWNLOADS.json``.

    Skipped: a file already present with the checksum the metadata expects (unless
    ``force``), and files marked ``derived`` (built locally, not downloadable). A file
    marked ``optional`` that the server does not have (404/410) is skipped too. Each record
    is logged as soon as its file is in place, so a later failure keeps the earlier records.
    ``validate`` checks each complete file before it replaces the previous one. A file whose checksum differs
    from the one the metadata records is refused (the previous file is kept) with a message saying how to accept
    it, unless ``accept_changed``: it is then kept and its record carries the ``expected_sha256`` it replaced.
    """
    folder = mirror / meta.folder
    records: list[DownloadRecord] = []
    with contextlib.ExitStack() as stack:
        http = client if client is not None else stack.enter_context(make_client())
        for remote in meta.files:
            dest = folder / remote.name
            if getattr(remote, "derived", False):
                continue
            if not force and remote.sha256 and dest.is_file() and sha256_file(dest) == remote.sha256.lower():
                continue
            expected = None if accept_changed else remote.sha256
            try:
                record = download_file(http, remote.url, dest, expected_sha256=expected,
                                       progress=progress, validate=validate, retry=retry)
            except DownloadError as exc:
                if getattr(remote, "optional", False) and exc.status in (404, 410):
                    continue
                if exc.reason.startswith("checksum mismatch"):
                    raise DownloadError(remote.url, f"{exc.reason}. If the source has deliberately changed (a new "
                                        f"release), run `clusterobs download --accept-changed {meta.id}`, then "
                                        f"`clusterobs ingest --accept-changed {meta.id}`") from exc
                raise
            if remote.sha256 and record.sha256 != remote.sha256.lower():
                record = replace(record, expected_sha256=remote.sha256.lower())
            append_records(folder, [record])
            records.append(record)
    return records


def after_download(module: ModuleType, mirror: Path) -> list[Path]:
    """Rebuild the derived files of ``module``'s source in ``mirror`` after its download.

    Calls ``module.after_download(mirror / module.META.folder)`` when the module defines
    it and returns the files it (re)wrote; a module without derived files has no hook and
    nothing is done. The hook raises ``SourceError`` naming a missing or unreadable original.
    """
    hook = getattr(module, "after_download", None)
    if hook is None:
        return []
    return list(hook(mirror / module.META.folder))


def extract_zip(folder: Path, zip_name: str, members: Mapping[str, str], *, source: str,
                casefold: bool = False) -> list[Path]:
    """Extract ``members`` (file name in ``folder`` → member name, matched by base name, case-insensitively with
    ``casefold``) from the downloaded ``folder/zip_name``, each replaced atomically; a clear error for a missing zip,
    a file that is not one, or a missing member (naming the members it has)."""
    zpath = folder / zip_name
    if not zpath.is_file():
        raise SourceError(zpath, f"missing zip of source {source!r}, needed to extract {', '.join(members.values())}")
    try:
        archive = zipfile.ZipFile(zpath)
    except zipfile.BadZipFile as exc:
        raise SourceError(zpath, f"not a zip archive: {exc}") from exc
    key = (lambda n: n.lower()) if casefold else (lambda n: n)
    out = []
    with archive:
        names = {key(Path(n).name): n for n in archive.namelist()}
        for target, member in members.items():
            if key(member) not in names:
                raise SourceError(zpath, f"the zip has no {member} (members: {', '.join(sorted(names))})")
            dest = folder / target
            with replacing(dest) as tmp, archive.open(names[key(member)]) as src, tmp.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(dest)
    return out


@contextlib.contextmanager
def replacing(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest`` atomically.

    On any error the temporary file is removed and ``dest`` is left as it was.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o644)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def append_records(folder: Path, records: Iterable[DownloadRecord]) -> Path:
    """Append records to ``folder/DOWNLOADS.json`` (a JSON list), rewriting it atomically."""
    path = folder / LOG_NAME
    entries: list[object] = []
    if path.is_file():
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(path, f"download log is not valid JSON: {exc}") from exc
        if not isinstance(entries, list):
            raise SourceError(path, "download log is not a JSON list")
    entries.extend(r.to_dict() for r in records)
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{LOG_NAME}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(entries, fh, indent=2)
            fh.write("\n")
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


def _retry_after(response: httpx.Response) -> float | None:
    value = _int(response.headers.get("retry-after"))
    return float(value) if value is not None else None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _excerpt(response: httpx.Response, limit: int = 300) -> str:
    try:
        text = " ".join(response.text.split())
    except (UnicodeDecodeError, LookupError):
        return f"{len(response.content)} bytes of non-text body"
    return text if len(text) <= limit else text[: limit - 3] + "..."
