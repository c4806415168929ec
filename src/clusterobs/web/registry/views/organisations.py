"""Registry pages: home, partner search, profiles, partnership requests, interest replies, matchmaking, region page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.web import dataset as selectors
from clusterobs.web.pages import not_found
from clusterobs.web.registry import permissions, services
from clusterobs.web.registry.categories import category_choices
from clusterobs.web.registry.forms import OrganisationForm, ReplyForm, RequestForm
from clusterobs.web.registry.models import (
    Event,
    InterestReply,
    Label,
    NewsItem,
    Organisation,
    PartnershipRequest,
    Programme,
)
from clusterobs.web.registry.search import ProfileFilters, profile_search, tokens
from clusterobs.web.registry.selectors import programme_list
from clusterobs.web.registry.validators import known_regions
from clusterobs.web.registry.views.common import PAGE_SIZE, delete_page, deny, form_page, param


def index(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    return render(request, "registry/index.html", {
        "profiles": Organisation.objects.order_by("-created")[:5], "profile_count": Organisation.objects.count(),
        "requests": PartnershipRequest.objects.filter(is_open=True).select_related("organisation")[:5],
        "events": Event.objects.filter(end__gte=timezone.now())[:5], "news": NewsItem.objects.all()[:3],
        "programme_count": Programme.objects.count()})


def _filters(request: HttpRequest) -> ProfileFilters:
    g = request.GET
    return ProfileFilters(q=g.get("q", "")[:200], country=g.get("country", "")[:2], region=g.get("region", "")[:10],
                          category=g.get("category", "")[:80], emerging=g.get("emerging", "")[:80],
                          label=g.get("label", "") if g.get("label") in Label.values else "",
                          keywords=g.get("keywords", "")[:200], validated=g.get("validated") == "1")


def profile_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    results = profile_search(filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    choices = category_choices()
    emerging = {c for c in choices if c[0].startswith("emerging_")}
    countries = sorted(set(Organisation.objects.values_list("country", flat=True)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/profile_list.html", {
        "filters": filters, "page": page, "count": page.paginator.count, "query": query.urlencode(),
        "categories": [c for c in choices if c not in emerging], "emerging": sorted(emerging, key=lambda c: c[1]),
        "labels": Label.choices, "countries": countries, "searched": any(request.GET.get(k) for k in request.GET
                                                                          if k != "page"),
        "can_create": permissions.can_create(request.user, Organisation)})


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.prefetch_related("categories"), pk=pk)
    return render(request, "registry/profile_detail.html", {
        "org": org, "region_name": known_regions().get(org.region, ""),
        "requests": org.requests.all(), "checks": org.validation_checks(),
        "can_change": permissions.can_change(request.user, org),
        "can_delete": permissions.can_delete(request.user, org),
        "can_post_request": permissions.can_change(request.user, org)})


def profile_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user, Organisation):
        return deny(request)
    form = OrganisationForm(request.POST or None, request.FILES or None)
    return form_page(request, form=form, title=_("New organisation profile"), cancel=reverse("registry:profiles"),
                     save=lambda f: services.form_save(f, owner=request.user), multipart=True)


def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_change(request.user, org):
        return deny(request)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org)
    return form_page(request, form=form, title=_("Edit %(name)s") % {"name": org.name}, cancel=org.get_absolute_url(),
                     save=services.form_save, multipart=True)


def profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return delete_page(request, get_object_or_404(Organisation, pk=pk), back=reverse("registry:profiles"))


def profile_matches(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.prefetch_related("categories"), pk=pk)
    return render(request, "registry/matches.html", {"source": org, "source_name": org.name,
                                                     **services.matches_for(org)})


# ---- partnership requests and replies -----------------------------------------------------------------------


def request_list(request: HttpRequest) -> HttpResponse:
    qs = PartnershipRequest.objects.select_related("organisation").prefetch_related("categories")
    show = request.GET.get("show", "open")
    if show != "all":
        qs = qs.filter(is_open=True)
    q, category = param(request, "q"), param(request, "category", 80)
    for word in tokens(q):
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if category:
        qs = qs.filter(categories__slug=category).distinct()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/request_list.html", {
        "page": page, "show": show, "q": q, "category": category,
        "categories": category_choices(),
        "can_create": permissions.own_organisations(request.user).exists()})


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(PartnershipRequest.objects.select_related("organisation"), pk=pk)
    replies = permissions.visible_replies(request.user, req.replies.select_related("author", "organisation"))
    can_reply = permissions.can_reply(request.user, req)
    return render(request, "registry/request_detail.html", {
        "req": req, "replies": replies, "can_reply": can_reply,
        "reply_form": ReplyForm(user=request.user) if can_reply else None,
        "can_change": permissions.can_change(request.user, req),
        "can_delete": permissions.can_delete(request.user, req)})


def request_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user, PartnershipRequest) or not permissions.own_organisations(
            request.user).exists():
        return deny(request)
    initial = {"organisation": request.GET.get("organisation")} if request.GET.get("organisation") else None
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    return form_page(request, form=form, title=_("New partnership request"), cancel=reverse("registry:requests"),
                     save=services.form_save)


def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(PartnershipRequest, pk=pk)
    if not permissions.can_change(request.user, req):
        return deny(request)
    form = RequestForm(request.POST or None, user=request.user, instance=req)
    return form_page(request, form=form, title=_("Edit “%(title)s”") % {"title": req.title},
                     cancel=req.get_absolute_url(), save=services.form_save)


def request_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return delete_page(request, get_object_or_404(PartnershipRequest, pk=pk), back=reverse("registry:requests"))


def request_matches(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(PartnershipRequest.objects.select_related("organisation"), pk=pk)
    return render(request, "registry/matches.html", {"source": req, "source_name": req.title,
                                                     **services.matches_for(req)})


def reply_create(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(PartnershipRequest, pk=pk)
    if not permissions.can_reply(request.user, req):
        return deny(request)
    form = ReplyForm(request.POST or None, user=request.user)
    return form_page(request, form=form, title=_("Express interest in “%(title)s”") % {"title": req.title},
                     cancel=req.get_absolute_url(),
                     save=lambda f: services.reply_create(form=f, partnership_request=req, author=request.user,
                                                          request=request))


def reply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_object_or_404(InterestReply.objects.select_related("request", "author", "organisation"), pk=pk)
    if not permissions.can_view(request.user, reply):
        return deny(request)
    return render(request, "registry/reply_detail.html", {
        "reply": reply, "can_change": permissions.can_change(request.user, reply),
        "can_delete": permissions.can_delete(request.user, reply)})


def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_object_or_404(InterestReply, pk=pk)
    if not permissions.can_change(request.user, reply):
        return deny(request)
    form = ReplyForm(request.POST or None, user=request.user, instance=reply)
    return form_page(request, form=form, title=_("Edit your reply"), cancel=reply.get_absolute_url(),
                     save=services.form_save)


def reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_object_or_404(InterestReply, pk=pk)
    return delete_page(request, reply, back=reply.request.get_absolute_url())


# ---- region page --------------------------------------------------------------------------------------------


def region(request: HttpRequest, code: str) -> HttpResponse:
    """Organisations in the region (and its sub-regions) and the programmes that apply there."""
    code = code.upper()
    try:
        reg = selectors.region_get(code)
    except selectors.NotFound:
        return not_found(request, _("There is no NUTS 2021 region with the code “%(code)s”.") % {"code": code})
    programmes = programme_list(region=code)
    return render(request, "registry/region.html", {
        "region": reg, "organisations": Organisation.objects.filter(region__startswith=code).prefetch_related(
            "categories"), "programmes": programmes})
