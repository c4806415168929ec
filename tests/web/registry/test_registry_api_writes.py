"""The token API's writes of interest replies, programmes and news: the site's validation (400 naming the field),
its side effects (the e-mail of a reply), 401/403/404. Who may do what is the permission matrix
(test_registry_permissions.py, through the site and the API alike)."""

from __future__ import annotations

import json

from django.core import mail

from clusterobs.web.accounts.services import token_create
from clusterobs.web.registry.models import InterestReply, NewsItem, Programme


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}


def _send(client, method: str, url: str, user=None, body: dict | None = None):
    extra = _bearer(user) if user is not None else {}
    if body is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **extra)


def _error(response, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.content[:300])
    return response.json()["error"]["message"]


def test_reply_through_the_api_emails_the_request_owner_as_the_site_does(people, objects, client):
    objects.requester_org.contact_email = "contact@paris.example.org"
    objects.requester_org.save()
    url = f"/api/registry/requests/{objects.other_request.pk}/replies"
    response = _send(client, "post", url, people.other, {"message": "Count us in."})
    assert response.status_code == 201, response.content
    reply = response.json()
    assert reply["author"] == "other" and reply["request"] == objects.other_request.pk and reply["organisation"] is None
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["contact@paris.example.org", "requester@example.org"]
    assert "Count us in." in mail.outbox[0].body
    assert f"http://testserver/registry/replies/{reply['id']}/" in mail.outbox[0].body
    # the request's owner reads it but may not change it; another member may not read it
    assert _send(client, "get", f"/api/registry/replies/{reply['id']}", people.requester).json()["message"] == (
        "Count us in.")
    assert _send(client, "put", f"/api/registry/replies/{reply['id']}", people.requester,
                 {"message": "x"}).status_code == 403
    assert _send(client, "get", f"/api/registry/replies/{reply['id']}", people.owner).status_code == 403
    assert _send(client, "get", f"/api/registry/replies/{reply['id']}").status_code == 401


def test_reply_rules_and_validation(people, objects, client):
    own = f"/api/registry/requests/{objects.request.pk}/replies"
    assert _send(client, "post", own, people.owner, {"message": "me"}).status_code == 403  # not on one's own request
    url = f"/api/registry/requests/{objects.other_request.pk}/replies"
    message = _error(_send(client, "post", url, people.other, {"organisation": objects.profile.pk, "message": "x"}),
                     400)
    assert message.startswith("`organisation`")  # on behalf of an organisation one does not own
    assert _error(_send(client, "post", url, people.other, {"message": ""}), 400).startswith("`message`")
    assert "id 99999" in _error(_send(client, "post", "/api/registry/requests/99999/replies", people.other,
                                      {"message": "x"}), 404)
    objects.other_request.is_open = False
    objects.other_request.save()
    assert _send(client, "post", url, people.other, {"message": "late"}).status_code == 403  # closed request
    assert not mail.outbox and InterestReply.objects.count() == 1
    edited = _send(client, "put", f"/api/registry/replies/{objects.reply.pk}", people.owner,
                   {"organisation": objects.profile.pk, "message": "Still interested."})
    assert edited.status_code == 200 and edited.json()["organisation"] == objects.profile.pk
    assert _send(client, "delete", "/api/registry/replies/99999", people.curator).status_code == 404


def test_programme_writes_validate_as_the_site(people, objects, client):
    body = {"name": "France 2030 clusters", "country": "FR", "region": "FR10", "managing_body": "DGE",
            "start_year": 2021, "end_year": 2030, "budget_eur": 54000000, "categories": ["automotive"]}
    created = _send(client, "post", "/api/registry/programmes", people.curator, body)
    assert created.status_code == 201, created.content
    prog = created.json()
    assert prog["budget_eur"] == 54000000 and prog["categories"] == ["automotive"] and prog["is_example"] is False
    assert Programme.objects.get(pk=prog["id"]).created_by == people.curator
    assert client.get(f"/api/registry/programmes/{prog['id']}").json()["name"] == "France 2030 clusters"
    for change, field in (({"region": "DE11"}, "region"), ({"end_year": 2020}, "end_year"),
                          ({"budget_eur": 10**16}, "budget_eur"), ({"categories": ["nope"]}, "categories"),
                          ({"country": "QQ", "region": ""}, "country"), ({"link": "not a link"}, "link")):
        message = _error(_send(client, "put", f"/api/registry/programmes/{prog['id']}", people.curator,
                               {**body, **change}), 400)
        assert message.startswith(f"`{field}`"), message
    assert Programme.objects.get(pk=prog["id"]).region == "FR10"
    assert _send(client, "post", "/api/registry/programmes", people.owner, body).status_code == 403
    assert _send(client, "post", "/api/registry/programmes", None, body).status_code == 401
    assert "id 99999" in _error(client.get("/api/registry/programmes/99999"), 404)


def test_news_writes_validate_and_keep_the_uploaded_file(people, objects, client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    body = {"kind": "publication", "title": "Cluster panorama 2027", "summary": "The next panorama.",
            "published": "2027-01-15", "authors": "ECCP"}
    created = _send(client, "post", "/api/registry/news", people.curator, body)
    assert created.status_code == 201, created.content
    item = NewsItem.objects.get(pk=created.json()["id"])
    assert created.json()["file"] == "" and item.created_by == people.curator
    item.file.save("panorama.pdf", ContentFile(b"%PDF-1.4 test"))  # uploaded on the site
    replaced = _send(client, "put", f"/api/registry/news/{item.pk}", people.curator, {**body, "title": "Panorama"})
    assert replaced.status_code == 200 and replaced.json()["file"].startswith("/registry/media/publications/")
    item.refresh_from_db()
    assert item.title == "Panorama" and item.file.name.startswith("publications/panorama")
    assert _error(_send(client, "put", f"/api/registry/news/{item.pk}", people.curator, {**body, "kind": "blog"}),
                  400).startswith("`kind`")
    assert _error(_send(client, "post", "/api/registry/news", people.curator, {**body, "summary": ""}),
                  400).startswith("`summary`")
    assert _send(client, "delete", f"/api/registry/news/{item.pk}", people.other).status_code == 403
    assert _send(client, "delete", f"/api/registry/news/{item.pk}", people.curator).status_code == 204
    assert client.get(f"/api/registry/news/{item.pk}").status_code == 404


def _invalid(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    return response.json()["error"]


def test_a_missing_or_mistyped_body_field_is_named(people, objects, client):
    """A field left out of a body, or of the wrong type, is reported by its own name (not ``payload``), as the
    ``parameter`` too."""
    url = "/api/registry/profiles"
    assert _invalid(_send(client, "post", url, people.owner, {"region": "DE11"})) == {
        "status": 400, "message": "`name` is required.", "parameter": "name"}
    assert _invalid(_send(client, "post", url, people.owner, {})) == {
        "status": 400, "message": "`name` is required.", "parameter": "name"}
    error = _invalid(_send(client, "post", url, people.owner, {"name": "X", "region": "DE11", "members_sme": "many"}))
    assert error == {"status": 400, "message": "`members_sme` must be an integer; got 'many'.",
                     "parameter": "members_sme"}
    error = _invalid(_send(client, "post", url, people.owner, {"name": "X", "region": "DE11", "categories": ["a", 3]}))
    assert error["parameter"] == "categories" and error["message"].startswith("`categories` item 2 must be")
    error = _invalid(_send(client, "put", f"/api/registry/events/{objects.event.pk}", people.owner, {"title": "x"}))
    assert error == {"status": 400, "message": "`start` is required.", "parameter": "start"}
    error = _invalid(_send(client, "post", f"/api/registry/requests/{objects.other_request.pk}/replies",
                           people.other, {"organisation": objects.profile.pk}))
    assert error == {"status": 400, "message": "`message` is required.", "parameter": "message"}
    for body in ([], "text", 5):
        error = _invalid(_send(client, "post", url, people.owner, body))
        assert error == {"status": 400, "message": "the request body must be a JSON object", "parameter": None}, body
