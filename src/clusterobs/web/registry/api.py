"""API endpoints of the registry feature, mounted under /api/ by ``clusterobs.web.api``.

Public reads of profiles, partnership requests, events, programmes and news, one object or a page of a list (and of
interest replies for those who may see them: a list shows exactly the replies one may read one by one); writes
(create, replace, delete) of all of them with a personal token (``Authorization: Bearer <token>``, made on the
account page) and the site's permissions (``permissions``), forms (the same validation) and services (the same side
effects: a reply e-mails the request's owner). Lists filter through ``selectors`` and ``search``, as the site's pages
do; the one-object endpoints of each type come from ``api_common.add_endpoints``. A publication's file is uploaded
on the site: the API shows its address, and a replacement keeps it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from clusterobs.web.api_params import OptionalQueryInt, QueryInt
from clusterobs.web.registry import permissions, selectors, services
from clusterobs.web.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIn,
    Kind,
    TokenAuth,
    add_endpoints,
    check_valid,
    day,
    forbid,
    form_data,
    get_or_404,
    page_limit,
    page_offset,
    window,
)
from clusterobs.web.registry.forms import EventForm, NewsForm, OrganisationForm, ProgrammeForm, ReplyForm, RequestForm
from clusterobs.web.registry.models import Event, InterestReply, NewsItem, Organisation, PartnershipRequest, Programme
from clusterobs.web.registry.search import ProfileFilters, profile_search
from clusterobs.web.registry.validators import DEFAULT_TIMEZONE

router = Router(tags=["registry"])


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


class ProfileIn(BodyIn):
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


class RequestIn(BodyIn):
    organisation: int
    title: str
    description: str
    categories: list[str] = Field(default_factory=list)
    deadline: date | None = None
    is_open: bool = True


class ReplyOut(Schema):
    id: int
    request: int
    organisation: int | None
    author: str | None
    message: str
    created: datetime
    updated: datetime


class ReplyIn(BodyIn):
    organisation: int | None = None
    message: str


class EventOut(Schema):
    id: int
    title: str
    start: datetime
    end: datetime
    timezone: str
    place: str
    online: bool
    organiser: str
    categories: list[str]
    link: str
    description: str
    is_example: bool


class DescribedIn(Schema):
    """What an event and a programme both have: cluster categories (slugs), a link, a description."""

    categories: list[str] = Field(default_factory=list)
    link: str = ""
    description: str = ""


class EventIn(BodyIn, DescribedIn):
    title: str
    start: datetime
    end: datetime
    timezone: str = Field(DEFAULT_TIMEZONE, description="IANA zone of the event (Europe's, or UTC); a start or end "
                                                        "without a UTC offset is a local time in it")
    place: str = ""
    online: bool = False
    organiser: str


class ProgrammeFields(DescribedIn):
    name: str
    country: str
    region: str = ""
    managing_body: str
    start_year: int | None = None
    end_year: int | None = None
    budget_eur: int | None = None
    instruments: str = ""


class ProgrammeIn(BodyIn, ProgrammeFields):
    pass


class ProgrammeOut(ProgrammeFields):
    id: int
    is_example: bool
    updated: datetime


class NewsFields(Schema):
    kind: str = "news"
    title: str
    summary: str
    body: str = ""
    authors: str = ""
    published: date
    link: str = ""


class NewsIn(BodyIn, NewsFields):
    pass


class NewsOut(NewsFields):
    id: int
    file: str = Field(description="Address of the attached file (uploaded on the site); empty without one")
    is_example: bool
    updated: datetime


def _profile(o: Organisation) -> dict[str, Any]:
    return {**{f: getattr(o, f) for f in ProfileOut.model_fields if hasattr(o, f) and f != "categories"},
            "categories": [c.slug for c in o.categories.all()], "validated": o.is_validated,
            "management_fte": float(o.management_fte)}


def _request(r: PartnershipRequest) -> dict[str, Any]:
    return {"id": r.pk, "organisation": r.organisation_id, "organisation_name": r.organisation.name, "title": r.title,
            "description": r.description, "categories": [c.slug for c in r.categories.all()],
            "deadline": r.deadline, "is_open": r.is_open, "created": r.created}


def _reply(r: InterestReply) -> dict[str, Any]:
    return {"id": r.pk, "request": r.request_id, "organisation": r.organisation_id,
            "author": r.author.get_username() if r.author else None, "message": r.message, "created": r.created,
            "updated": r.updated}


def _event(e: Event) -> dict[str, Any]:
    """An event, its start and end with the UTC offset of its own zone (``10:00+01:00`` for 10:00 in Brussels)."""
    return {**{f: getattr(e, f) for f in EventOut.model_fields if f not in ("categories", "start", "end")},
            "start": e.start.astimezone(e.zone), "end": e.end.astimezone(e.zone),
            "categories": [c.slug for c in e.categories.all()]}


def _programme(p: Programme) -> dict[str, Any]:
    return {**{f: getattr(p, f) for f in ProgrammeOut.model_fields if f not in ("categories", "budget_eur")},
            "budget_eur": None if p.budget_eur is None else int(p.budget_eur),
            "categories": [c.slug for c in p.categories.all()]}


def _news(n: NewsItem) -> dict[str, Any]:
    return {**{f: getattr(n, f) for f in NewsOut.model_fields if f != "file"}, "file": n.file.url if n.file else ""}


# ---- profiles ------------------------------------------------------------------------------------------------


@router.get("/registry/profiles", response={200: list[ProfileOut], **READ_ERRORS},
            summary="Organisation profiles (filters as the site)")
def profiles(request: HttpRequest, q: str = "", country: str = "", region: str = "", category: str = "",
             label: str = "", keywords: str = "", limit: QueryInt = page_limit(),
             offset: QueryInt = page_offset()) -> list[dict[str, Any]]:
    qs = profile_search(ProfileFilters(q=q[:200], country=country[:2], region=region[:10], category=category[:80],
                                       label=label[:10], keywords=keywords[:200]))
    return [_profile(o) for o in qs[window(limit, offset)]]


add_endpoints(router, Kind(name="profile", noun="organisation profile", path="/registry/profiles", model=Organisation,
                           form=OrganisationForm, schema_in=ProfileIn, schema_out=ProfileOut, out=_profile,
                           creator="owner"))


# ---- partnership requests -----------------------------------------------------------------------------------


@router.get("/registry/requests", response={200: list[RequestOut], **READ_ERRORS},
            summary="Partnership requests (open ones by default)")
def requests(request: HttpRequest, include_closed: bool = False, limit: QueryInt = page_limit(),
             offset: QueryInt = page_offset()) -> list[dict[str, Any]]:
    qs = PartnershipRequest.objects.select_related("organisation").prefetch_related("categories")
    if not include_closed:
        qs = qs.filter(is_open=True)
    return [_request(r) for r in qs[window(limit, offset)]]


add_endpoints(router, Kind(name="request", noun="partnership request", path="/registry/requests",
                           model=PartnershipRequest, form=RequestForm, schema_in=RequestIn, schema_out=RequestOut,
                           out=_request, form_user=True))


# ---- interest replies ---------------------------------------------------------------------------------------


@router.post("/registry/requests/{pk}/replies", response={201: ReplyOut, **WRITE_ERRORS}, auth=TokenAuth(),
             summary="Express interest in a request (e-mails its owner)")
def reply_create(request: HttpRequest, pk: QueryInt, payload: ReplyIn) -> Status:
    req = get_or_404(PartnershipRequest, pk)
    if not permissions.can_reply(request.user, req):
        forbid()
    form = ReplyForm(data=form_data(payload), user=request.user)
    check_valid(form)
    return Status(201, _reply(services.reply_create(form=form, partnership_request=req, author=request.user,
                                                    request=request)))


@router.get("/registry/replies", response={200: list[ReplyOut], **WRITE_ERRORS}, auth=TokenAuth(),
            summary="The interest replies you may see (yours, those to your requests; curators: all)")
def replies(request: HttpRequest, request_pk: OptionalQueryInt = Query(None, alias="request"),
            limit: QueryInt = page_limit(), offset: QueryInt = page_offset()) -> list[dict[str, Any]]:
    qs = selectors.reply_list(user=request.user, request_pk=request_pk)
    return [_reply(r) for r in qs[window(limit, offset)]]


add_endpoints(router, Kind(name="reply", noun="interest reply", path="/registry/replies", model=InterestReply,
                           form=ReplyForm, schema_in=ReplyIn, schema_out=ReplyOut, out=_reply, form_user=True,
                           public=False), create=False)  # replies are created on their request, above


# ---- events -------------------------------------------------------------------------------------------------


@router.get("/registry/events", response={200: list[EventOut], **READ_ERRORS},
            summary="Events (from a date, default: all)")
def events(request: HttpRequest, since: str | None = None, limit: QueryInt = page_limit(),
           offset: QueryInt = page_offset()) -> list[dict[str, Any]]:
    qs = Event.objects.prefetch_related("categories")
    if (first := day("since", since)) is not None:
        qs = qs.filter(end__date__gte=first)
    return [_event(e) for e in qs[window(limit, offset)]]


add_endpoints(router, Kind(name="event", noun="event", path="/registry/events", model=Event, form=EventForm,
                           schema_in=EventIn, schema_out=EventOut, out=_event, creator="created_by"))


# ---- cluster programmes and policies, news and publications (curated) -----------------------------------


@router.get("/registry/programmes", response={200: list[ProgrammeOut], **READ_ERRORS},
            summary="Cluster programmes and policies (filters as the site, and the region page's)")
def programmes(request: HttpRequest, q: str = "", country: str = "", region: str = "",
               kind: Literal["national", "regional"] | None = None, category: str = "", limit: QueryInt = page_limit(),
               offset: QueryInt = page_offset()) -> list[dict[str, Any]]:
    qs = selectors.programme_list(q=q[:200], country=country, region=region, kind=kind or "", category=category)
    return [_programme(p) for p in qs[window(limit, offset)]]


@router.get("/registry/news", response={200: list[NewsOut], **READ_ERRORS},
            summary="News and publications, newest first (by kind, published between two dates)")
def news(request: HttpRequest, kind: Literal["news", "publication"] | None = None, since: str | None = None,
         until: str | None = None, limit: QueryInt = page_limit(),
         offset: QueryInt = page_offset()) -> list[dict[str, Any]]:
    qs = selectors.news_list(kind=kind or "", since=day("since", since), until=day("until", until))
    return [_news(n) for n in qs[window(limit, offset)]]


add_endpoints(router, Kind(name="programme", noun="cluster programme", path="/registry/programmes", model=Programme,
                           form=ProgrammeForm, schema_in=ProgrammeIn, schema_out=ProgrammeOut, out=_programme,
                           creator="created_by"))
add_endpoints(router, Kind(name="news", noun="news item or publication", path="/registry/news", model=NewsItem,
                           form=NewsForm, schema_in=NewsIn, schema_out=NewsOut, out=_news, creator="created_by"))
