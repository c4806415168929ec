"""Events calendar: list and month views, an event's page, iCal per event and as a feed."""

from __future__ import annotations

import calendar as pycal
from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterobs.web.registry import ical, permissions, services
from clusterobs.web.registry.forms import EventForm
from clusterobs.web.registry.models import Event
from clusterobs.web.registry.views.common import delete_page, deny, form_page, param


def event_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "upcoming")
    qs = Event.objects.prefetch_related("categories")
    now = timezone.now()
    qs = qs.filter(end__lt=now).order_by("-start") if show == "past" else qs.filter(end__gte=now)
    if param(request, "category", 80):
        qs = qs.filter(categories__slug=param(request, "category", 80)).distinct()
    return render(request, "registry/event_list.html", {
        "events": qs[:200], "show": show, "can_create": permissions.can_create(request.user, Event)})


def event_month(request: HttpRequest, year: int | None = None, month: int | None = None) -> HttpResponse:
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return render(request, "observatory/bad_request.html", {"message": _("No such month."),
                                                                "reset_url": reverse("registry:events_month_now")},
                      status=400)
    first = date(year, month, 1)
    last = date(year, month, pycal.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    events = list(Event.objects.filter(start__lt=timezone.make_aware(datetime.combine(last + timedelta(1), time()), tz),
                                       end__gte=timezone.make_aware(datetime.combine(first, time()), tz)))
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"day": d, "in_month": d.month == month, "today": d == today,
                       "events": [e for e in events if timezone.localtime(e.start, e.zone).date() <= d
                                  <= timezone.localtime(e.end, e.zone).date()]} for d in week])  # its own days
    prev_month = first - timedelta(days=1)
    next_month = last + timedelta(days=1)
    return render(request, "registry/event_month.html", {
        "weeks": weeks, "month": first, "prev": prev_month, "next": next_month,
        "weekdays": [date(2024, 1, d) for d in range(1, 8)]})  # 1 Jan 2024 was a Monday


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.prefetch_related("categories"), pk=pk)
    return render(request, "registry/event_detail.html", {
        "event": event, "can_change": permissions.can_change(request.user, event),
        "can_delete": permissions.can_delete(request.user, event)})


def event_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user, Event):
        return deny(request)
    form = EventForm(request.POST or None)
    return form_page(request, form=form, title=_("New event"), cancel=reverse("registry:events"),
                     save=lambda f: services.form_save(f, created_by=request.user))


def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    if not permissions.can_change(request.user, event):
        return deny(request)
    form = EventForm(request.POST or None, instance=event)
    return form_page(request, form=form, title=_("Edit “%(title)s”") % {"title": event.title},
                     cancel=event.get_absolute_url(), save=services.form_save)


def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return delete_page(request, get_object_or_404(Event, pk=pk), back=reverse("registry:events"))


def _ics(request: HttpRequest, events, name: str, filename: str) -> HttpResponse:
    text = ical.calendar(events, host=request.get_host().split(":")[0], name=name,
                         url_for=lambda e: request.build_absolute_uri(e.get_absolute_url()))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.prefetch_related("categories"), pk=pk)
    return _ics(request, [event], event.title, f"clusterobs-event-{event.pk}.ics")


def events_feed(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=365)
    return _ics(request, Event.objects.filter(end__gte=since).prefetch_related("categories"),
                "clusterobs events", "clusterobs-events.ics")
