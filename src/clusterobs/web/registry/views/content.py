"""Curated content: cluster programmes and policies (searchable), news and publications with an Atom feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterobs.web.registry import permissions, selectors, services
from clusterobs.web.registry.categories import category_choices
from clusterobs.web.registry.forms import NewsForm, ProgrammeForm
from clusterobs.web.registry.models import NewsItem, NewsKind, Programme
from clusterobs.web.registry.views.common import delete_page, deny, form_page, param


def programme_list(request: HttpRequest) -> HttpResponse:
    q, country, category = param(request, "q"), param(request, "country", 2).upper(), param(request, "category", 80)
    qs = selectors.programme_list(q=q, country=country, category=category)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "registry/programme_list.html", {
        "page": page, "q": q, "country": country, "category": category, "categories": category_choices(),
        "countries": sorted(set(Programme.objects.values_list("country", flat=True))),
        "can_create": permissions.can_create(request.user, Programme)})


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prog = get_object_or_404(Programme.objects.prefetch_related("categories"), pk=pk)
    return render(request, "registry/programme_detail.html", {
        "prog": prog, "can_change": permissions.can_change(request.user, prog),
        "can_delete": permissions.can_delete(request.user, prog)})


def programme_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user, Programme):
        return deny(request)
    form = ProgrammeForm(request.POST or None)
    return form_page(request, form=form, title=_("New cluster programme"), cancel=reverse("registry:programmes"),
                     save=lambda f: services.form_save(f, created_by=request.user))


def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prog = get_object_or_404(Programme, pk=pk)
    if not permissions.can_change(request.user, prog):
        return deny(request)
    form = ProgrammeForm(request.POST or None, instance=prog)
    return form_page(request, form=form, title=_("Edit %(name)s") % {"name": prog.name}, cancel=prog.get_absolute_url(),
                     save=services.form_save)


def programme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return delete_page(request, get_object_or_404(Programme, pk=pk), back=reverse("registry:programmes"))


def news_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    qs = selectors.news_list(kind=kind if kind in NewsKind.values else "")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "registry/news_list.html", {
        "page": page, "kind": kind, "can_create": permissions.can_create(request.user, NewsItem)})


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(NewsItem, pk=pk)
    return render(request, "registry/news_detail.html", {
        "item": item, "can_change": permissions.can_change(request.user, item),
        "can_delete": permissions.can_delete(request.user, item)})


def news_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user, NewsItem):
        return deny(request)
    form = NewsForm(request.POST or None, request.FILES or None)
    return form_page(request, form=form, title=_("New news item or publication"), cancel=reverse("registry:news"),
                     save=lambda f: services.form_save(f, created_by=request.user), multipart=True)


def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(NewsItem, pk=pk)
    if not permissions.can_change(request.user, item):
        return deny(request)
    form = NewsForm(request.POST or None, request.FILES or None, instance=item)
    return form_page(request, form=form, title=_("Edit “%(title)s”") % {"title": item.title},
                     cancel=item.get_absolute_url(), save=services.form_save, multipart=True)


def news_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return delete_page(request, get_object_or_404(NewsItem, pk=pk), back=reverse("registry:news"))


class TextAtomFeed(Atom1Feed):
    """Atom with each entry's ``summary`` as plain text (``type="text"``), escaped once for XML.

    Django's Atom writes a summary as ``type="html"``: a reader then renders the (unescaped) text as HTML, so a
    ``<script>`` or ``<img onerror>`` in a curator's summary would run in the reader. Summaries are plain text here,
    as on the site's pages; titles already are (an Atom title without ``type`` is text)."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class NewsFeed(Feed):
    """Atom feed of the latest 30 news items and publications (summaries as text: ``TextAtomFeed``)."""

    feed_type = TextAtomFeed
    title = gettext_lazy("clusterobs: cluster news and publications")
    subtitle = gettext_lazy("News and publications of the cluster collaboration registry")
    link = reverse_lazy("registry:news")

    def items(self):
        return NewsItem.objects.all()[:30]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_author_name(self, item: NewsItem) -> str | None:
        return item.authors or None

    def item_pubdate(self, item: NewsItem):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.published, time()))

    def item_updateddate(self, item: NewsItem):
        return item.updated

    def item_categories(self, item: NewsItem) -> list[str]:
        return [item.get_kind_display()]
