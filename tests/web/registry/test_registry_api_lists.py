"""The token API's lists of programmes, news and interest replies: the filters, the pages (``limit``, ``offset``),
and, for every list and every role, exactly the objects the role may read one by one (the permission rules of
``permissions.py``, through ``GET <path>/{pk}``)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from clusterobs.web.accounts.services import token_create
from clusterobs.web.registry import models
from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.models import InterestReply, NewsItem, PartnershipRequest, Programme

ROLES = ("anonymous", "other", "owner", "requester", "curator")
LISTS = {"profiles": models.Organisation, "requests": models.PartnershipRequest, "replies": models.InterestReply,
         "events": models.Event, "programmes": models.Programme, "news": models.NewsItem}
QUERY = {"requests": "include_closed=true"}  # every request, not only the open ones


@pytest.fixture
def content(people, objects):
    """The registry's objects plus replies of three authors, a closed request, programmes of three kinds of place
    and news of both kinds over three dates."""
    closed = PartnershipRequest.objects.create(organisation=objects.requester_org, title="Closed call",
                                               description="Too late.", is_open=False)
    replies = [objects.reply,  # the owner's, to the requester's request
               InterestReply.objects.create(request=objects.other_request, author=people.other, message="Us too."),
               InterestReply.objects.create(request=objects.request, author=people.requester, message="Recycling?"),
               InterestReply.objects.create(request=closed, author=people.other, message="Still?")]
    objects.news.published = date(2024, 5, 1)
    objects.news.save()
    (bio,) = category_sync(["biopharmaceuticals"])
    france = Programme.objects.create(name="France 2030 clusters", country="FR", managing_body="DGE",
                                      instruments="grants")
    paris = Programme.objects.create(name="Paris Region clusters", country="FR", region="FR10",
                                     managing_body="Région Île-de-France")
    paris.categories.set([bio])
    lombardy = Programme.objects.create(name="Lombardy clusters", country="IT", region="ITC4",
                                        managing_body="Regione Lombardia")
    news = {"old": NewsItem.objects.create(title="Old news", summary="s", published=date(2025, 3, 1)),
            "report": NewsItem.objects.create(kind="publication", title="Report", summary="s",
                                              published=date(2026, 1, 15)),
            "new": NewsItem.objects.create(title="New news", summary="s", published=date(2026, 6, 1))}
    return SimpleNamespace(replies=replies, closed=closed, go_cluster=objects.programme, france=france, paris=paris,
                           lombardy=lombardy, news=news, objects=objects)


def _headers(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"} if user is not None else {}


def _ids(client, url: str, user=None, **headers) -> list[int]:
    response = client.get(url, **(headers or _headers(user)))
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return [row["id"] for row in response.json()]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", list(LISTS))
def test_a_list_shows_exactly_what_the_role_may_read_one_by_one(path, role, people, content, client):
    headers = _headers(None if role == "anonymous" else getattr(people, role))
    one_by_one = {pk for pk in LISTS[path].objects.values_list("pk", flat=True)
                  if client.get(f"/api/registry/{path}/{pk}", **headers).status_code == 200}
    listed = client.get(f"/api/registry/{path}?{QUERY.get(path, '')}", **headers)
    if role == "anonymous" and path == "replies":
        assert listed.status_code == 401 and not one_by_one  # a token is required to read any reply
        return
    assert listed.status_code == 200, listed.content[:300]
    ids = [row["id"] for row in listed.json()]
    assert len(ids) == len(set(ids))
    assert set(ids) == one_by_one
    assert one_by_one  # each role reads something of each list here (but replies without a token)


def test_replies_each_role_sees(people, content, client):
    own, other, to_owner, closed = (r.pk for r in content.replies)
    assert set(_ids(client, "/api/registry/replies", people.owner)) == {own, to_owner}  # theirs, to their request
    assert set(_ids(client, "/api/registry/replies", people.requester)) == {own, other, to_owner, closed}
    assert set(_ids(client, "/api/registry/replies", people.other)) == {other, closed}
    assert set(_ids(client, "/api/registry/replies", people.curator)) == {own, other, to_owner, closed}
    url = f"/api/registry/replies?request={content.objects.other_request.pk}"
    assert set(_ids(client, url, people.requester)) == {own, other}
    assert _ids(client, url, people.owner) == [own]
    assert client.get("/api/registry/replies").status_code == 401
    assert client.get("/api/registry/replies", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    row = client.get(f"/api/registry/replies?request={content.closed.pk}", **_headers(people.other)).json()[0]
    assert row["author"] == "other" and row["message"] == "Still?" and row["request"] == content.closed.pk


def test_programme_filters(content, client):
    c = content

    def names(query: str) -> set[str]:
        return {p["name"] for p in client.get(f"/api/registry/programmes?{query}").json()}

    assert names("") == {"go-cluster", "France 2030 clusters", "Paris Region clusters", "Lombardy clusters"}
    assert names("country=fr") == {c.france.name, c.paris.name}
    # a region: what applies there, as on the region page (national programmes, its own, those around and inside)
    assert names("region=FR101") == names("region=FR10") == {c.france.name, c.paris.name}
    assert names("region=FR1") == {c.france.name, c.paris.name}
    assert names("region=DE11") == {"go-cluster"}
    assert names("kind=national") == {"go-cluster", c.france.name}
    assert names("kind=regional") == {c.paris.name, c.lombardy.name}
    assert names("kind=national&region=FR10") == {c.france.name}
    assert names("category=biopharmaceuticals") == {c.paris.name}
    assert names("q=grants") == {c.france.name}
    assert names("country=%00&region=%00&category=%00") == names("")  # NUL dropped: PostgreSQL refuses it
    bad = client.get("/api/registry/programmes?kind=local")
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "kind"
    everything = [p["id"] for p in client.get("/api/registry/programmes").json()]
    assert [p["id"] for p in client.get("/api/registry/programmes?limit=2&offset=1").json()] == everything[1:3]
    row = client.get("/api/registry/programmes?region=ITC4&kind=regional").json()[0]
    assert row["region"] == "ITC4" and row["country"] == "IT" and row["budget_eur"] is None


def test_news_filters(content, client):
    def titles(query: str) -> list[str]:
        response = client.get(f"/api/registry/news?{query}")
        assert response.status_code == 200, response.content
        return [n["title"] for n in response.json()]

    assert titles("") == ["New news", "Report", "Old news", "Cluster panorama 2026"]  # newest first
    assert titles("kind=publication") == ["Report"]
    assert titles("kind=news") == ["New news", "Old news", "Cluster panorama 2026"]
    assert titles("since=2026-01-01&until=2026-06-01") == ["New news", "Report"]  # both dates included
    assert titles("until=2025-12-31") == ["Old news", "Cluster panorama 2026"]
    assert titles("since=2026-06-02&until=2026-06-01") == []
    assert titles("kind=news&since=2025-01-01&until=2026-05-31") == ["Old news"]
    assert titles("limit=1&offset=1") == titles("")[1:2]
    for query, parameter in (("since=2026-13-01", "since"), ("until=0", "until"), ("kind=blog", "kind")):
        bad = client.get(f"/api/registry/news?{query}")
        assert bad.status_code == 400 and bad.json()["error"]["parameter"] == parameter, bad.content
    item = client.get("/api/registry/news?kind=publication").json()[0]
    assert item["kind"] == "publication" and item["file"] == "" and item["published"] == "2026-01-15"
