"""API endpoints of the registry feature, mounted under /api/ by ``clusterobs.web.api``.

Public reads of profiles, partnership requests and events; writes (create, update, delete) with a personal token
(``Authorization: Bearer <token>``, made on the account page) and the same permissions as the site
(``permissions``). Replies and programmes/news stay on the site.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from clusterobs.web.api_schemas import ErrorOut
from clusterobs.web.registry import permissions, services
from clusterobs.web.registry.forms import EventForm, OrganisationForm, RequestForm
from clusterobs.web.registry.models import Event, Organisation, PartnershipRequest
from clusterobs.web.registry.search import ProfileFilters, profile_search

router = Router(tags=["registry"])
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


def _window(limit: int, offset: int) -> slice:
    start = min(max(offset, 0), MAX_OFFSET)
    return slice(start, start + max(1, min(limit, MAX_LIMIT)))
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.token_user(token)
        if user is not None:
            request.user = user
        return user


class ProfileOut(Schema):
    id: int
    name: str
    acronym: str
    region: str
    country: str
    categories: list[str]
    keywords: str
    description: str
    website: str
    members_sme: int
    members_large: int
    members_research: int
    members_public: int
    management_fte: float
    label: str
    validated: bool
    benchmark_url: str
    is_example: bool
    updated: datetime


class ProfileIn(Schema):
    name: str
    acronym: str = ""
    region: str
    categories: list[str] = Field(default_factory=list)
    keywords: str = ""
    description: str = ""
    website: str = ""
    members_sme: int = 0
    members_large: int = 0
    members_research: int = 0
    members_public: int = 0
    management_fte: float = 0
    label: str = "none"
    contact_name: str = ""
    contact_email: str = ""
    benchmark_url: str = ""


class RequestOut(Schema):
    id: int
    organisation: int
    organisation_name: str
    title: str
    description: str
    categories: list[str]
    deadline: date | None
    is_open: bool
    created: datetime


class RequestIn(Schema):
    organisation: int
    title: str
    description: str
    categories: list[str] = Field(default_factory=list)
    deadline: date | None = None
    is_open: bool = True


class EventOut(Schema):
    id: int
    title: str
    start: datetime
    end: datetime
    place: str
    online: bool
    organiser: str
    categories: list[str]
    link: str
    description: str


class EventIn(Schema):
    title: str
    start: datetime
    end: datetime
    place: str = ""
    online: bool = False
    organiser: str
    categories: list[str] = Field(default_factory=list)
    link: str = ""
    description: str = ""


def _get(model: type, pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, f"no {model._meta.verbose_name} with id {pk}")
    return obj


def _profile(o: Organisation) -> dict[str, Any]:
    return {**{f: getattr(o, f) for f in ProfileOut.model_fields if hasattr(o, f) and f != "categories"},
            "categories": [c.slug for c in o.categories.all()], "validated": o.is_validated,
            "management_fte": float(o.management_fte)}


def _request(r: PartnershipRequest) -> dict[str, Any]:
    return {"id": r.pk, "organisation": r.organisation_id, "organisation_name": r.organisation.name, "title": r.title,
            "description": r.description, "categories": [c.slug for c in r.categories.all()],
            "deadline": r.deadline, "is_open": r.is_open, "created": r.created}


def _event(e: Event) -> dict[str, Any]:
    return {**{f: getattr(e, f) for f in EventOut.model_fields if f != "categories"},
            "categories": [c.slug for c in e.categories.all()]}


def _save(form: ModelForm, **extra: Any) -> Any:
    if not form.is_valid():
        fields = {k: [str(e) for e in v] for k, v in form.errors.items()}
        name = next(iter(fields))
        raise HttpError(400, f"`{'categories' if name == 'category_slugs' else name}`: {fields[name][0]}")
    with transaction.atomic():
        obj = form.save(commit=False)
        for k, v in extra.items():
            setattr(obj, k, v)
        obj.save()
        form.save_categories(obj)
    return obj


def _data(payload: Schema) -> dict[str, Any]:
    data = payload.dict()
    data["category_slugs"] = data.pop("categories", [])
    return data


def _forbid(request: HttpRequest) -> None:
    raise HttpError(403, "your account may not do this")


# ---- profiles ------------------------------------------------------------------------------------------------


@router.get("/registry/profiles", response={200: list[ProfileOut], **READ_ERRORS},
            summary="Organisation profiles (filters as the site)")
def profiles(request: HttpRequest, q: str = "", country: str = "", region: str = "", category: str = "",
             label: str = "", keywords: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    qs = profile_search(ProfileFilters(q=q[:200], country=country[:2], region=region[:10], category=category[:80],
                                       label=label[:10], keywords=keywords[:200]))
    return [_profile(o) for o in qs[_window(limit, offset)]]


@router.get("/registry/profiles/{pk}", response={200: ProfileOut, **READ_ERRORS}, summary="One organisation profile")
def profile(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _profile(_get(Organisation, pk))


@router.post("/registry/profiles", response={201: ProfileOut, **WRITE_ERRORS}, auth=TokenAuth(),
             summary="Create a profile")
def profile_create(request: HttpRequest, payload: ProfileIn) -> Status:
    if not permissions.can_create(request.user, Organisation):
        _forbid(request)
    return Status(201, _profile(_save(OrganisationForm(data=_data(payload)), owner=request.user)))


@router.put("/registry/profiles/{pk}", response={200: ProfileOut, **WRITE_ERRORS}, auth=TokenAuth(),
            summary="Replace a profile")
def profile_update(request: HttpRequest, pk: int, payload: ProfileIn) -> dict[str, Any]:
    org = _get(Organisation, pk)
    if not permissions.can_change(request.user, org):
        _forbid(request)
    return _profile(_save(OrganisationForm(data=_data(payload), instance=org)))


@router.delete("/registry/profiles/{pk}", response={204: None, **WRITE_ERRORS}, auth=TokenAuth(),
               summary="Delete a profile")
def profile_delete(request: HttpRequest, pk: int) -> Status:
    org = _get(Organisation, pk)
    if not permissions.can_delete(request.user, org):
        _forbid(request)
    org.delete()
    return Status(204, None)


# ---- partnership requests -----------------------------------------------------------------------------------


@router.get("/registry/requests", response={200: list[RequestOut], **READ_ERRORS},
            summary="Partnership requests (open ones by default)")
def requests(request: HttpRequest, include_closed: bool = False, limit: int = 100,
             offset: int = 0) -> list[dict[str, Any]]:
    qs = PartnershipRequest.objects.select_related("organisation").prefetch_related("categories")
    if not include_closed:
        qs = qs.filter(is_open=True)
    return [_request(r) for r in qs[_window(limit, offset)]]


@router.get("/registry/requests/{pk}", response={200: RequestOut, **READ_ERRORS}, summary="One partnership request")
def request_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _request(_get(PartnershipRequest, pk))


@router.post("/registry/requests", response={201: RequestOut, **WRITE_ERRORS}, auth=TokenAuth(),
             summary="Post a request")
def request_create(request: HttpRequest, payload: RequestIn) -> Status:
    if not permissions.can_create(request.user, PartnershipRequest):
        _forbid(request)
    return Status(201, _request(_save(RequestForm(data=_data(payload), user=request.user))))


@router.put("/registry/requests/{pk}", response={200: RequestOut, **WRITE_ERRORS}, auth=TokenAuth(),
            summary="Replace a request")
def request_update(request: HttpRequest, pk: int, payload: RequestIn) -> dict[str, Any]:
    req = _get(PartnershipRequest, pk)
    if not permissions.can_change(request.user, req):
        _forbid(request)
    return _request(_save(RequestForm(data=_data(payload), user=request.user, instance=req)))


@router.delete("/registry/requests/{pk}", response={204: None, **WRITE_ERRORS}, auth=TokenAuth(),
               summary="Delete a request")
def request_delete(request: HttpRequest, pk: int) -> Status:
    req = _get(PartnershipRequest, pk)
    if not permissions.can_delete(request.user, req):
        _forbid(request)
    req.delete()
    return Status(204, None)


# ---- events -------------------------------------------------------------------------------------------------


@router.get("/registry/events", response={200: list[EventOut], **READ_ERRORS},
            summary="Events (from a date, default: all)")
def events(request: HttpRequest, since: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    qs = Event.objects.prefetch_related("categories")
    if since:
        try:
            day = date.fromisoformat(since)
        except ValueError as exc:
            raise HttpError(400, f"`since` must be a date like 2026-01-31; got {since!r}.") from exc
        qs = qs.filter(end__date__gte=day)
    return [_event(e) for e in qs[_window(limit, offset)]]


@router.get("/registry/events/{pk}", response={200: EventOut, **READ_ERRORS}, summary="One event")
def event_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _event(_get(Event, pk))


@router.post("/registry/events", response={201: EventOut, **WRITE_ERRORS}, auth=TokenAuth(), summary="Add an event")
def event_create(request: HttpRequest, payload: EventIn) -> Status:
    if not permissions.can_create(request.user, Event):
        _forbid(request)
    return Status(201, _event(_save(EventForm(data=_data(payload)), created_by=request.user)))


@router.put("/registry/events/{pk}", response={200: EventOut, **WRITE_ERRORS}, auth=TokenAuth(),
            summary="Replace an event")
def event_update(request: HttpRequest, pk: int, payload: EventIn) -> dict[str, Any]:
    event = _get(Event, pk)
    if not permissions.can_change(request.user, event):
        _forbid(request)
    return _event(_save(EventForm(data=_data(payload), instance=event)))


@router.delete("/registry/events/{pk}", response={204: None, **WRITE_ERRORS}, auth=TokenAuth(),
               summary="Delete an event")
def event_delete(request: HttpRequest, pk: int) -> Status:
    event = _get(Event, pk)
    if not permissions.can_delete(request.user, event):
        _forbid(request)
    event.delete()
    return Status(204, None)
