"""The caches of computed reads: bounded, keyed by the dataset version, handing out copies; the API serves a
repeated request from memory with the same body, ETag and Cache-Control, and never keeps errors."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from clusterobs.web import api_formats, dataset
from clusterobs.web.cache import CachedResponse, Memo, ResponseCache, freeze
from clusterobs.web.mapping import selectors

pytestmark = pytest.mark.django_db


def test_memo_is_an_lru_bounded_by_count_and_size():
    memo = Memo(maxsize=2, max_bytes=10_000)
    calls: list[str] = []

    def make(key: str, value=1):
        return lambda: calls.append(key) or value

    assert memo.get("a", make("a")) == 1 and memo.get("b", make("b")) == 1
    memo.get("a", make("a"))  # a is now the most recent
    memo.get("c", make("c"))  # evicts b, the least recently used
    assert calls == ["a", "b", "c"] and len(memo) == 2
    memo.get("b", make("b"))
    assert calls == ["a", "b", "c", "b"]
    # a frame of 8 × 200 bytes fits; one over a quarter of the budget is computed but not kept
    small = pd.DataFrame({"x": range(200)}, dtype="float64")
    big = pd.DataFrame({"x": range(1000)}, dtype="float64")
    memo = Memo(maxsize=100, max_bytes=10_000)
    memo.get("small", lambda: small)
    memo.get("big", lambda: big)
    assert len(memo) == 1 and 1600 <= memo.size_bytes < 2500


def test_memo_hands_out_copies_and_keeps_no_errors():
    memo = Memo()
    frame = pd.DataFrame({"x": [1, 2]})
    first = memo.get("k", lambda: {"rows": frame})
    first["rows"].insert(0, "rank", [1, 2])  # what category_regions does to its rows
    first["rows"].loc[0, "x"] = 99
    again = memo.get("k", lambda: pytest.fail("recomputed"))
    assert list(again["rows"].columns) == ["x"] and again["rows"]["x"].tolist() == [1, 2]

    def boom():
        raise selectors.BadParameter("x", "`x` must be …")

    with pytest.raises(selectors.BadParameter):
        memo.get("bad", boom)
    assert memo.get("bad", lambda: 5) == 5


def test_freeze_makes_argument_keys():
    assert freeze({"regions": ["DE11", "FR10"], "year": None}) == (("regions", ("DE11", "FR10")), ("year", None))


def test_response_cache_is_bounded_by_bytes():
    cache = ResponseCache(max_bytes=10, max_entry_bytes=6)
    cache.put("a", CachedResponse(b"12345", "text/csv", ()))
    cache.put("b", CachedResponse(b"123456", "text/csv", ()))
    assert cache.get("a") is None and cache.get("b").body == b"123456"  # 5 + 6 > 10: a went to make room
    cache.put("huge", CachedResponse(b"1234567", "text/csv", ()))  # over the per-answer bound: not kept
    assert cache.get("huge") is None and cache.size_bytes == 6


def test_selectors_are_memoized_per_published_version(monkeypatch):
    obs = selectors.data()
    selectors.headline(year=2015)
    hits = obs.memo.hits
    assert selectors.headline(year=2015) == selectors.headline(year=2015)
    assert obs.memo.hits == hits + 2
    # another published version is another Observatory with its own, empty memo
    monkeypatch.setattr(dataset.Store, "current", lambda self: obs.version + "-next")
    monkeypatch.setattr(dataset, "_current", None)
    fresh = selectors.data()
    assert fresh is not obs and len(fresh.memo) == 0
    monkeypatch.setattr(dataset, "_current", obs)


def test_api_answers_repeat_from_memory_with_their_etag(client, monkeypatch):
    api_formats.RESPONSES.clear()
    first = client.get("/api/geojson?measure=lq&category=automotive")
    assert first.status_code == 200
    # the second request (parameters in another order) never reaches the selectors
    monkeypatch.setattr(selectors, "region_map", lambda **_: pytest.fail("computed again"))
    again = client.get("/api/geojson?category=automotive&measure=lq")
    assert again.content == first.content
    assert again["Content-Type"] == "application/geo+json" and "filename=" in again["Content-Disposition"]
    assert again["Cache-Control"] == "public, max-age=300" and again["ETag"].startswith('"')
    assert client.get("/api/geojson?category=automotive&measure=lq",
                      HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
    # errors are not kept: a bad parameter is answered (and checked) every time
    assert client.get("/api/geojson?category=automotive&measure=nope").status_code == 400
    assert len([k for k in api_formats.RESPONSES._data if "nope" in k[3]]) == 0


def _request(accept: str | None):
    from django.test import RequestFactory

    return RequestFactory().get("/", **({"HTTP_ACCEPT_ENCODING": accept} if accept is not None else {}))


@pytest.mark.parametrize(("accept", "ok"), [
    ("gzip, deflate, br", True), ("gzip", True), ("GZIP;q=0.5", True), ("*", True), ("x-gzip", True),
    ("gzip;q=0", False), ("deflate, br", False), ("", False), (None, False), ("br, *;q=0", False),
    ("gzip;q=0, *", False), ("identity", False)])
def test_accepts_gzip_reads_q_values(accept, ok):
    assert api_formats.accepts_gzip(_request(accept)) is ok


def test_only_text_answers_over_a_kilobyte_are_compressed_and_always_the_same_bytes():
    body = b'{"a": 1}' * 500
    packed = api_formats.gzipped(body, "application/json")
    assert packed is not None and len(packed) < len(body) and gzip.decompress(packed) == body
    assert api_formats.gzipped(body, "application/json") == packed  # no timestamp: the same bytes every time
    assert api_formats.gzipped(b"x" * 100, "text/csv") is None  # too small to be worth it
    assert api_formats.gzipped(body, "application/vnd.apache.parquet") is None  # compressed already


def test_api_answers_are_gzipped_once_for_clients_that_take_gzip(client, monkeypatch):
    api_formats.RESPONSES.clear()
    path = "/api/geojson?category=automotive&measure=stars"
    plain = client.get(path)
    coded = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain and coded["Content-Encoding"] == "gzip"
    assert gzip.decompress(coded.content) == plain.content
    assert len(coded.content) < len(plain.content) / 3  # GeoJSON compresses well (231 KiB to 47 KiB)
    for r in (plain, coded):
        assert "Accept-Encoding" in r["Vary"] and "Accept-Language" in r["Vary"]
    # two codings, two strong validators; either one revalidates
    assert coded["ETag"] == plain["ETag"][:-1] + '-gz"'
    for tag in (plain["ETag"], coded["ETag"]):
        r = client.get(path, HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT_ENCODING="gzip")
        assert r.status_code == 304 and r["ETag"] == tag
    # the compressed copy is made once, when the answer is kept
    monkeypatch.setattr(api_formats, "gzipped", lambda *a: pytest.fail("compressed again"))
    assert client.get(path, HTTP_ACCEPT_ENCODING="gzip").content == coded.content
    monkeypatch.undo()
    # XLSX is a zip already: never coded again
    x = client.get("/api/geojson?category=automotive&measure=stars&format=xlsx", HTTP_ACCEPT_ENCODING="gzip")
    assert x.status_code == 200 and "Content-Encoding" not in x
