"""Reads of the registry's curated content and interest replies (HackSoft "selectors"), for the pages and the API
alike: cluster programmes by words, country, region, kind (national or regional) and category; news and
publications by kind and date; the interest replies a user may see (``permissions.visible_replies``).

Text filters are cut to their field's length and stripped of NUL characters, which PostgreSQL refuses.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from clusterobs.web.registry import permissions
from clusterobs.web.registry.models import InterestReply, NewsItem, Programme
from clusterobs.web.registry.search import tokens

PROGRAMME_KINDS = ("national", "regional")  # national: no region


def _clean(text: str, length: int) -> str:
    return (text or "").replace("\x00", "")[:length].strip()


def programme_list(*, q: str = "", country: str = "", region: str = "", kind: str = "",
                   category: str = "") -> QuerySet[Programme]:
    """Programmes matching every filter given. ``region`` (a NUTS code): those that apply there, as on the
    registry's region page: national programmes of its country, and those of the region, of the regions it belongs
    to and of the regions inside it."""
    qs = Programme.objects.prefetch_related("categories")
    for word in tokens(q):
        qs = qs.filter(Q(name__icontains=word) | Q(managing_body__icontains=word) | Q(instruments__icontains=word)
                       | Q(description__icontains=word))
    country, region, category = _clean(country, 2).upper(), _clean(region, 10).upper(), _clean(category, 80)
    if country:
        qs = qs.filter(country=country)
    if region:
        ancestors = [region[:n] for n in range(2, len(region) + 1)]
        qs = qs.filter(country=region[:2]).filter(Q(region="") | Q(region__in=ancestors)
                                                  | Q(region__startswith=region))
    if kind:
        qs = qs.filter(region="") if kind == "national" else qs.exclude(region="")
    if category:
        qs = qs.filter(categories__slug=category).distinct()
    return qs


def news_list(*, kind: str = "", since: date | None = None, until: date | None = None) -> QuerySet[NewsItem]:
    """News items and publications, newest first: of one ``kind`` (``news``, ``publication``), published from
    ``since`` to ``until`` (both included) when given."""
    qs = NewsItem.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if since is not None:
        qs = qs.filter(published__gte=since)
    if until is not None:
        qs = qs.filter(published__lte=until)
    return qs


def reply_list(*, user: Any, request_pk: int | None = None) -> QuerySet[InterestReply]:
    """The interest replies ``user`` may see (their own, those to their requests, all for curators), newest first;
    only those to one partnership request when ``request_pk`` is given."""
    qs = permissions.visible_replies(user).select_related("author")
    if request_pk is not None:
        qs = qs.filter(request_id=request_pk)
    return qs
