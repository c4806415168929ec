"""One dataset version per request (``DatasetVersionMiddleware``): ``current.json`` is read once, and a version
published during a request serves the next request, never the rest of this one (its body, cache key and ETag)."""

from __future__ import annotations

from clusterobs.store import Store
from clusterobs.web import api_formats, dataset
from clusterobs.web.mapping import selectors

URL = "/api/regions/DE11"


def _counted(monkeypatch) -> list[str]:
    """Record every read of ``current.json`` (``Store.current``)."""
    calls: list[str] = []
    real = Store.current

    def current(self):
        calls.append(str(self.home))
        return real(self)

    monkeypatch.setattr(Store, "current", current)
    return calls


def test_a_cold_request_reads_current_json_once(client, monkeypatch):
    api_formats.RESPONSES.clear()
    monkeypatch.setattr(dataset, "_current", None)  # a new Observatory: nothing of this version memoized
    calls = _counted(monkeypatch)
    response = client.get(URL)
    assert response.status_code == 200 and response.json()["code"] == "DE11"
    assert len(calls) == 1
    # a page reads it once too; outside a request every read reads it (the CLI, tests calling selectors)
    calls.clear()
    assert client.get("/regions/DE11/").status_code == 200
    assert len(calls) == 1
    calls.clear()
    selectors.data()
    selectors.published_version()
    assert len(calls) == 2


def test_a_version_published_during_a_request_serves_the_next_one(client, monkeypatch, two_versions):
    store, (first, second) = two_versions
    api_formats.RESPONSES.clear()
    profile = selectors.region_profile

    def publish_meanwhile(*args, **kwargs):  # `clusterobs compute` publishes while the request is being answered
        before = len(calls)
        store.publish(second)
        del calls[before:]  # the publisher's own read of current.json
        return profile(*args, **kwargs)

    monkeypatch.setattr(selectors, "region_profile", publish_meanwhile)
    calls = _counted(monkeypatch)
    during = client.get(URL)
    assert during.status_code == 200 and len(calls) == 1
    assert store.current() == second
    # the answer, its ETag and its place in the answer cache are all of the version the request started with
    assert during.json()["version"] == first
    assert during["ETag"] == api_formats.etag(first, during.wsgi_request)
    assert [key[0] for key in api_formats.RESPONSES._data if key[2] == URL] == [first]
    # the next request reads the new version
    monkeypatch.setattr(selectors, "region_profile", profile)
    after = client.get(URL)
    assert after.json()["version"] == second and after["ETag"] == api_formats.etag(second, after.wsgi_request)
    assert after["ETag"] != during["ETag"]
    assert sorted(key[0] for key in api_formats.RESPONSES._data if key[2] == URL) == [first, second]
    # the two versions hold the same tables: apart from the version, the answers are the same
    assert {**during.json(), "version": None} == {**after.json(), "version": None}


def test_without_the_middleware_the_version_could_change_mid_request(monkeypatch, two_versions):
    """What the middleware prevents: outside a request, each read reads ``current.json`` again."""
    store, (first, second) = two_versions
    assert selectors.published_version() == first
    store.publish(second)
    assert selectors.published_version() == second and selectors.data().version == second
    with selectors.one_version():
        assert selectors.data().version == second
        store.publish(first)
        assert selectors.data().version == second and selectors.published_version() == second
    assert selectors.published_version() == first
