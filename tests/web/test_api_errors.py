"""One error envelope (400 bad parameter, 404 unknown region or category, 503 no dataset), and HTTP caching:
an ETag of the dataset version and the full query, 304 on If-None-Match, Cache-Control on every answer."""

from __future__ import annotations

import pytest

from clusterobs.store import Store

BAD = [
    ("/api/regions?level=5", "level", "`level` must be less than or equal to 2; got '5'."),
    ("/api/regions?level=two", "level", "`level` must be an integer; got 'two'."),
    ("/api/regions?country=XX", "country", None),
    ("/api/regions?limit=0", "limit", None),
    ("/api/measures?scheme=eco2099", "scheme", "`scheme` must be one of eco2007, eocic2019, uscmp; got 'eco2099'."),
    ("/api/measures?year=1999", "year",
     "`year` must be one of 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015; got 1999."),
    ("/api/measures?year=abc", "year", None),
    ("/api/measures?min_stars=-1", "min_stars", None),
    ("/api/measures?sort=-salary", "sort", None),
    ("/api/measures?kind=global", "kind", None),
    ("/api/measures?format=pdf", "format", None),
    ("/api/measures?offset=-3", "offset", None),
    ("/api/categories?kind=x", "kind", None),
    ("/api/categories/automotive/regions?measure=wages", "measure", None),
    ("/api/categories/automotive/regions?format=docx", "format", None),
    ("/api/geojson?measure=lq", "measure", None),
    ("/api/geojson?level=3", "level", None),
    ("/api/geojson?format=json", "format", None),
    ("/api/regions/DE11/portfolio?top=0", "top", None),
    ("/api/regions/DE11/clusters/automotive/tests?scheme=x", "scheme", None),
    # a filter naming nothing is refused, not read as "no filter" (schemathesis' negative cases send `region=`)
    ("/api/measures?region=&offset=302", "region", "`region` must name at least one code; got ''."),
    ("/api/measures?category=,", "category", "`category` must name at least one code; got ','."),
]
MISSING = [
    ("/api/regions/XX99", "code", "unknown region 'XX99' (NUTS 2021)"),
    ("/api/regions/de11", "code", None),
    ("/api/regions/XX99/portfolio", "code", None),
    ("/api/regions/XX99/clusters/automotive/tests", "code", None),
    ("/api/regions/DE11/clusters/cheese/tests", "category", "unknown category 'cheese'"),
    ("/api/categories/cheese", "category", None),
    ("/api/categories/cheese/regions", "category", None),
    ("/api/measures?region=DE11,XX99", "region", None),
    ("/api/measures?category=cheese", "category", None),
    ("/api/geojson?category=cheese", "category", None),
    ("/api/nowhere", None, "no API endpoint at /api/nowhere; see /api/docs"),
]


def _envelope(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message", "parameter"}
    assert body["error"]["status"] == status and body["error"]["message"]
    assert "ETag" not in response  # errors are not cached
    return body["error"]


@pytest.mark.parametrize(("url", "parameter", "message"), BAD)
def test_a_bad_parameter_is_a_400_naming_it(client, url, parameter, message):
    err = _envelope(client.get(url), 400)
    assert err["parameter"] == parameter
    assert err["message"].startswith(f"`{parameter}` must")
    if message:
        assert err["message"] == message


@pytest.mark.parametrize(("url", "parameter", "message"), MISSING)
def test_an_unknown_region_or_category_is_a_404(client, url, parameter, message):
    err = _envelope(client.get(url), 404)
    assert err["parameter"] == parameter
    if message:
        assert err["message"] == message


def test_no_published_dataset_is_a_503(client, settings, tmp_path):
    settings.CLUSTEROBS_HOME = tmp_path
    for url in ("/api/regions", "/api/regions/DE11", "/api/categories", "/api/measures", "/api/geojson",
                "/api/versions", "/api/sources", "/api/categories/automotive/regions?format=csv"):
        err = _envelope(client.get(url), 503)
        assert "no dataset is published" in err["message"] and "clusterobs ingest" in err["message"], url
    assert client.get("/api/openapi.json").status_code == 200  # the docs still answer


def test_a_dataset_without_measures_is_a_503(client, settings, tmp_path, web_store):
    store = Store(tmp_path)
    with store.begin() as writer:
        writer.write("regions", web_store.table("regions"), description="NUTS regions")
        writer.publish()
    settings.CLUSTEROBS_HOME = tmp_path
    assert client.get("/api/regions?q=DE11").json()["results"][0]["code"] == "DE11"
    for url in ("/api/measures", "/api/regions/DE11/portfolio", "/api/geojson"):
        err = _envelope(client.get(url), 503)
        assert "run `clusterobs compute`" in err["message"]


# ---- caching ----------------------------------------------------------------------------------------------------


def test_etag_and_304(client):
    url = "/api/measures?region=DE11&category=automotive"
    first = client.get(url)
    tag = first["ETag"]
    assert first.status_code == 200 and tag.startswith('"') and first["Cache-Control"] == "public, max-age=300"
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag and again["Cache-Control"] == "public, max-age=300"
    assert client.get(url, headers={"If-None-Match": f'"other", W/{tag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    # the full query string is in the tag: another view, another format, another tag
    assert client.get(url + "&scheme=uscmp")["ETag"] != tag
    assert client.get(url + "&format=csv")["ETag"] != tag
    assert client.get(url)["ETag"] == tag  # stable


def test_etag_changes_with_the_dataset_version(client, settings, tmp_path, web_store):
    tag = client.get("/api/regions?q=DE11")["ETag"]
    store = Store(tmp_path)
    with store.begin() as writer:
        writer.write("regions", web_store.table("regions"), description="NUTS regions")
        writer.publish()
    settings.CLUSTEROBS_HOME = tmp_path
    assert client.get("/api/regions?q=DE11", headers={"If-None-Match": tag}).status_code == 200
