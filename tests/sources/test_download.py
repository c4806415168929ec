"""Downloads: streamed, checksummed, atomic, retried only when worth it. No network: MockTransport."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources.base import RemoteFile, SourceMeta
from clusterobs.sources.download import (
    USER_AGENT,
    DownloadError,
    RetryPolicy,
    download_file,
    download_source,
)

BODY = b"nace_r2;geo;n2015\nC10;DE11;1234\nC11;DE11;56 p\n"
URL = "https://example.org/data/sbs.csv"


class Server:
    """Answers each request with the next of ``answers`` (the last one repeats) and counts them."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def no_wait(sleeps: Sleeps | None = None, attempts: int = 4) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, backoff=0.5, sleep=sleeps if sleeps is not None else Sleeps())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_checksum_recorded_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    headers = {"ETag": '"abc"', "Last-Modified": "Mon, 01 Jan 2024"}
    server = Server(httpx.Response(200, content=BODY, headers=headers))
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "sub" / "sbs.csv"
    rec = download_file(server.client(), URL, dest, progress=lambda n, total: seen.append((n, total)))
    assert dest.read_bytes() == BODY
    assert rec.sha256 == hashlib.sha256(BODY).hexdigest()
    assert (rec.url, rec.file, rec.bytes, rec.status) == (URL, "sbs.csv", len(BODY), 200)
    assert (rec.etag, rec.last_modified) == ('"abc"', "Mon, 01 Jan 2024")
    assert datetime.fromisoformat(rec.retrieved_at).utcoffset().total_seconds() == 0
    assert seen[-1] == (len(BODY), len(BODY))
    assert server.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("clusterobs/")
    assert leftovers(dest.parent) == []


def test_expected_checksum_accepted(tmp_path: Path) -> None:
    server = Server(httpx.Response(200, content=BODY))
    digest = hashlib.sha256(BODY).hexdigest()
    rec = download_file(server.client(), URL, tmp_path / "f.csv", expected_sha256=digest.upper())
    assert rec.sha256 == digest


def test_checksum_mismatch_raises_and_keeps_the_previous_file(tmp_path: Path) -> None:
    dest = tmp_path / "sbs.csv"
    dest.write_bytes(b"previous good file\n")
    wanted = hashlib.sha256(b"something else").hexdigest()
    server = Server(httpx.Response(200, content=BODY))
    with pytest.raises(DownloadError) as err:
        download_file(server.client(), URL, dest, expected_sha256=wanted)
    message = str(err.value)
    assert URL in message and wanted in message and hashlib.sha256(BODY).hexdigest() in message
    assert isinstance(err.value, SourceError)
    assert dest.read_bytes() == b"previous good file\n"
    assert leftovers(tmp_path) == []


def test_failed_validation_keeps_the_previous_file(tmp_path: Path) -> None:
    dest = tmp_path / "sbs.csv"
    dest.write_bytes(b"previous\n")

    def refuse(path: Path) -> None:
        raise SourceError(path, "not what we asked for")

    with pytest.raises(SourceError, match="not what we asked for"):
        download_file(Server(httpx.Response(200, content=b"<html/>")).client(), URL, dest, validate=refuse)
    assert dest.read_bytes() == b"previous\n"
    assert leftovers(tmp_path) == []


def test_503_then_200_is_retried_with_backoff(tmp_path: Path) -> None:
    server = Server(httpx.Response(503, text="busy"), httpx.Response(200, content=BODY))
    sleeps = Sleeps()
    rec = download_file(server.client(), URL, tmp_path / "f.csv", retry=no_wait(sleeps))
    assert len(server.requests) == 2
    assert sleeps == [0.5]
    assert rec.status == 200 and (tmp_path / "f.csv").read_bytes() == BODY


def test_retry_after_header_is_honoured(tmp_path: Path) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, content=BODY))
    sleeps = Sleeps()
    download_file(server.client(), URL, tmp_path / "f.csv", retry=no_wait(sleeps))
    assert sleeps == [7.0]


def test_timeouts_are_retried_then_give_up(tmp_path: Path) -> None:
    server = Server(httpx.ReadTimeout("read timed out"))
    sleeps = Sleeps()
    with pytest.raises(DownloadError, match="gave up after 3 attempts") as err:
        download_file(server.client(), URL, tmp_path / "f.csv", retry=no_wait(sleeps, attempts=3))
    assert URL in str(err.value)
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert not (tmp_path / "f.csv").exists() and leftovers(tmp_path) == []


def test_404_is_not_retried(tmp_path: Path) -> None:
    fault = "<S:Fault><faultstring>NO_RECORDS_FOUND</faultstring></S:Fault>"
    server = Server(httpx.Response(404, text=fault))
    sleeps = Sleeps()
    with pytest.raises(DownloadError) as err:
        download_file(server.client(), URL, tmp_path / "f.csv", retry=no_wait(sleeps))
    assert len(server.requests) == 1 and sleeps == []
    assert err.value.status == 404
    assert "HTTP 404" in str(err.value) and "NO_RECORDS_FOUND" in str(err.value) and URL in str(err.value)
    assert not (tmp_path / "f.csv").exists() and leftovers(tmp_path) == []


def test_caller_user_agent_is_kept(tmp_path: Path) -> None:
    server = Server(httpx.Response(200, content=BODY))
    client = httpx.Client(transport=httpx.MockTransport(server), headers={"User-Agent": "my-notebook/1"})
    download_file(client, URL, tmp_path / "f.csv")
    assert server.requests[0].headers["user-agent"] == "my-notebook/1"


def meta(files: list[RemoteFile]) -> SourceMeta:
    return SourceMeta(id="demo", folder="demo-folder", title="t", publisher="p", publisher_url="u",
                      licence="l", citation="c", origin="o", files=tuple(files))


def test_download_source_writes_the_mirror_layout_and_appends_the_log(tmp_path: Path) -> None:
    bodies = {"/a.csv": b"x,y\n1,2\n", "/b.csv": b"z\n3\n"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bodies[request.url.path])

    client = httpx.Client(transport=httpx.MockTransport(handler))
    source = meta([RemoteFile("a.csv", "https://example.org/a.csv"),
                   RemoteFile("b.csv", "https://example.org/b.csv",
                              sha256=hashlib.sha256(bodies["/b.csv"]).hexdigest())])
    records = download_source(source, tmp_path, client=client)
    folder = tmp_path / "demo-folder"
    assert (folder / "a.csv").read_bytes() == bodies["/a.csv"]
    assert (folder / "b.csv").read_bytes() == bodies["/b.csv"]
    log = json.loads((folder / "DOWNLOADS.json").read_text())
    assert [r["file"] for r in log] == ["a.csv", "b.csv"] == [r.file for r in records]
    assert log[0]["sha256"] == hashlib.sha256(bodies["/a.csv"]).hexdigest()
    assert set(log[0]) == {"url", "file", "bytes", "sha256", "retrieved_at", "status", "etag",
                           "last_modified"}

    # b.csv is present with the expected checksum: skipped; a.csv has none: fetched again and appended.
    again = download_source(source, tmp_path, client=client)
    assert [r.file for r in again] == ["a.csv"]
    log = json.loads((folder / "DOWNLOADS.json").read_text())
    assert [r["file"] for r in log] == ["a.csv", "b.csv", "a.csv"]


def test_download_source_stops_on_a_bad_file_but_keeps_earlier_records(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200 if request.url.path == "/a.csv" else 403, content=b"ok\n")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    source = meta([RemoteFile("a.csv", "https://example.org/a.csv"), RemoteFile("b.csv", "https://example.org/b.csv")])
    with pytest.raises(DownloadError, match="HTTP 403"):
        download_source(source, tmp_path, client=client, retry=no_wait())
    log = json.loads((tmp_path / "demo-folder" / "DOWNLOADS.json").read_text())
    assert [r["file"] for r in log] == ["a.csv"]


def test_a_body_shorter_than_its_content_length_is_retried(tmp_path: Path) -> None:
    cut = httpx.Response(200, headers={"Content-Length": str(len(BODY))}, content=BODY[:10])
    server = Server(cut, httpx.Response(200, content=BODY))
    rec = download_file(server.client(), URL, tmp_path / "f.csv", retry=no_wait())
    assert len(server.requests) == 2
    assert rec.bytes == len(BODY) and (tmp_path / "f.csv").read_bytes() == BODY


@dataclass(frozen=True)
class MarkedFile(RemoteFile):
    derived: bool = False
    optional: bool = False


def test_download_source_skips_derived_files_and_missing_optional_ones(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200 if request.url.path == "/a.csv" else 404, content=b"ok\n")

    server_calls: list[str] = []

    def recording(request: httpx.Request) -> httpx.Response:
        server_calls.append(request.url.path)
        return handler(request)

    client = httpx.Client(transport=httpx.MockTransport(recording))
    source = meta([MarkedFile("a.csv", "https://example.org/a.csv"),
                   MarkedFile("built.csv", "https://example.org/folder", derived=True),
                   MarkedFile("extra.gz", "https://example.org/extra.gz", optional=True)])
    records = download_source(source, tmp_path, client=client)
    assert [r.file for r in records] == ["a.csv"]
    assert server_calls == ["/a.csv", "/extra.gz"]
