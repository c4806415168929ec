"""The permission matrix: anonymous, another member, the owner, a curator × view, create, edit, delete for every
object type, through the site's own pages and through the token API (``make test`` runs it on SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import ClassVar

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterobs.web.accounts.services import token_create
from clusterobs.web.registry.models import (
    Event,
    InterestReply,
    NewsItem,
    Organisation,
    PartnershipRequest,
    Programme,
)

ROLES = ("anonymous", "other", "owner", "curator")
A, OT, W, C = ROLES  # short names for the matrix below: anonymous, other, owner (W), curator
EVERYONE = set(ROLES)

# the matrix of docs/registry.md: who may do what
MATRIX = {
    "profile": {"view": EVERYONE, "create": {OT, W, C}, "edit": {W, C}, "delete": {W, C}},
    "request": {"view": EVERYONE, "create": {OT, W, C}, "edit": {W, C}, "delete": {W, C}},
    "reply": {"view": {W, C}, "create": {OT, W, C}, "edit": {W, C}, "delete": {W, C}},
    "event": {"view": EVERYONE, "create": {OT, W, C}, "edit": {W, C}, "delete": {W, C}},
    "programme": {"view": EVERYONE, "create": {C}, "edit": {C}, "delete": {C}},
    "news": {"view": EVERYONE, "create": {C}, "edit": {C}, "delete": {C}},
}
MODELS = {"profile": Organisation, "request": PartnershipRequest, "reply": InterestReply, "event": Event,
          "programme": Programme, "news": NewsItem}
TITLE_FIELD = {"profile": "name", "request": "title", "reply": "message", "event": "title", "programme": "name",
               "news": "title"}


def _user(people, role):
    return None if role == "anonymous" else getattr(people, role)


def _acting_org(people, objects, role):
    """The organisation a role acts for: its own (the other member gets one), the curator any."""
    if role == "other":
        return Organisation.objects.get_or_create(owner=people.other, name="Other Cluster", region="ITC4")[0]
    return objects.profile


def _form_data(kind, objects, org, title):
    start = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.now() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    return {
        "profile": {"name": title, "region": "DE12", "category_slugs": ["automotive"], "members_sme": "3",
                    "members_large": "0", "members_research": "0", "members_public": "0", "management_fte": "0",
                    "label": "none"},
        "request": {"organisation": org.pk if org else "", "title": title, "description": "Looking.",
                    "is_open": "on"},
        "reply": {"message": title},
        "event": {"title": title, "start": start, "end": end, "place": "Lyon", "organiser": "Org"},
        "programme": {"name": title, "country": "FR", "region": "FR10", "managing_body": "DGE"},
        "news": {"kind": "news", "title": title, "summary": "Summary.", "published": "2026-01-02"},
    }[kind]


def _urls(kind, obj, objects):
    names = {"profile": "profile", "request": "request", "reply": "reply", "event": "event", "programme": "programme",
             "news": "news_item"}
    create = {"profile": reverse("registry:profile_create"), "request": reverse("registry:request_create"),
              "reply": reverse("registry:reply_create", args=[objects.other_request.pk]),
              "event": reverse("registry:event_create"), "programme": reverse("registry:programme_create"),
              "news": reverse("registry:news_create")}[kind]
    view = reverse(f"registry:{names[kind]}", args=[obj.pk])
    return {"view": view, "create": create, "edit": view + "edit/", "delete": view + "delete/"}


API_PATHS = {"profile": "profiles", "request": "requests", "reply": "replies", "event": "events",
             "programme": "programmes", "news": "news"}


def _api_urls(kind, obj, objects):
    one = f"/api/registry/{API_PATHS[kind]}/{obj.pk}"
    create = (f"/api/registry/requests/{objects.other_request.pk}/replies" if kind == "reply"
              else f"/api/registry/{API_PATHS[kind]}")
    return {"view": one, "create": create, "edit": one, "delete": one}


def _api_body(kind, objects, org, title):
    """The site's form data as the API's JSON body."""
    body = _form_data(kind, objects, org, title)
    if "category_slugs" in body:
        body["categories"] = body.pop("category_slugs")
    if kind == "request":
        body.update(organisation=(org or objects.profile).pk, is_open=True)
    return json.dumps(body)


class Site:
    """The site's pages: forms posted with a session; success redirects, a visitor is sent to the login page."""

    success: ClassVar[dict[str, int]] = {"view": 200, "create": 302, "edit": 302, "delete": 302}

    def __init__(self, user, login, objects):
        self.client, self.objects = login(user), objects

    def send(self, action, kind, obj, org, title):
        url = _urls(kind, obj, self.objects)[action]
        if action == "view":
            return self.client.get(url)
        return self.client.post(url, _form_data(kind, self.objects, org, title) if action != "delete" else {})

    @staticmethod
    def denied(response, role):
        if role == "anonymous":
            return response.status_code == 302 and reverse("accounts:login") in response["Location"]
        return response.status_code == 403

    @staticmethod
    def explain(response):
        form = getattr(response, "context", None) and response.context.get("form")
        return response.status_code, form and form.errors


class Api:
    """The token API: JSON with ``Authorization: Bearer``; 401 without a token, 403 without the right."""

    success: ClassVar[dict[str, int]] = {"view": 200, "create": 201, "edit": 200, "delete": 204}
    methods: ClassVar[dict[str, str]] = {"view": "get", "create": "post", "edit": "put", "delete": "delete"}

    def __init__(self, user, login, objects):
        self.client, self.objects = login(None), objects
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"} if user else {}

    def send(self, action, kind, obj, org, title):
        url, call = _api_urls(kind, obj, self.objects)[action], getattr(self.client, self.methods[action])
        if action in ("create", "edit"):
            return call(url, _api_body(kind, self.objects, org, title), content_type="application/json", **self.headers)
        return call(url, **self.headers)

    @staticmethod
    def denied(response, role):
        return response.status_code == (401 if role == "anonymous" else 403)

    @staticmethod
    def explain(response):
        return response.status_code, response.content[:300]


@pytest.mark.parametrize("channel", [Site, Api], ids=["site", "api"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["view", "create", "edit", "delete"])
@pytest.mark.parametrize("kind", list(MATRIX))
def test_permission_matrix(kind, action, role, channel, people, objects, login):
    """Every cell of the matrix, through the site's pages and through the token API: the status and the effect."""
    obj = {"profile": objects.profile, "request": objects.request, "reply": objects.reply, "event": objects.event,
           "programme": objects.programme, "news": objects.news}[kind]
    model = MODELS[kind]
    allowed = role in MATRIX[kind][action]
    via = channel(_user(people, role), login, objects)
    org = _acting_org(people, objects, role) if role != "anonymous" else None
    title = f"{kind} by {role}"
    before = model.objects.count()
    response = via.send(action, kind, obj, org, title)
    if action == "view":
        assert (response.status_code == via.success["view"]) == allowed, via.explain(response)
    elif action == "create":
        created = model.objects.filter(**{TITLE_FIELD[kind]: title}).exists()
        assert created == allowed, via.explain(response)
        assert model.objects.count() == before + allowed
    elif action == "edit":
        obj.refresh_from_db()
        assert (getattr(obj, TITLE_FIELD[kind]) == title) == allowed, via.explain(response)
    else:
        assert model.objects.filter(pk=obj.pk).exists() != allowed
        assert model.objects.count() == before - allowed
    if allowed:
        assert response.status_code == via.success[action], via.explain(response)
    else:
        assert via.denied(response, role), via.explain(response)


def test_request_owner_sees_replies_but_cannot_edit_them(people, objects, login):
    client = login(people.requester)
    assert client.get(reverse("registry:reply", args=[objects.reply.pk])).status_code == 200
    assert client.post(reverse("registry:reply_edit", args=[objects.reply.pk]), {"message": "x"}).status_code == 403
    page = client.get(reverse("registry:request", args=[objects.other_request.pk])).content.decode()
    assert "We are interested." in page
    # another member does not see the reply on the request page
    other_page = login(people.other).get(reverse("registry:request", args=[objects.other_request.pk]))
    assert "We are interested." not in other_page.content.decode()


def test_member_cannot_post_a_request_for_someone_elses_organisation(people, objects, login):
    client = login(people.other)
    response = client.post(reverse("registry:request_create"),
                           {"organisation": objects.profile.pk, "title": "Hijack", "description": "x"})
    assert response.status_code == 403  # the other member owns no organisation: no request at all
    Organisation.objects.create(owner=people.other, name="Other", region="ITC4")
    response = client.post(reverse("registry:request_create"),
                           {"organisation": objects.profile.pk, "title": "Hijack", "description": "x"})
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    assert not PartnershipRequest.objects.filter(title="Hijack").exists()


def test_owner_cannot_reply_to_own_request(people, objects, login):
    response = login(people.owner).post(reverse("registry:reply_create", args=[objects.request.pk]),
                                        {"message": "me"})
    assert response.status_code == 403


def test_unconfirmed_account_has_no_member_rights(db, django_user_model, login):
    user = django_user_model.objects.create_user("visitor", "v@example.org", "pw-not-used-123")
    response = login(user).post(reverse("registry:profile_create"), {"name": "X", "region": "DE11"})
    assert response.status_code == 403
    assert not Organisation.objects.exists()
