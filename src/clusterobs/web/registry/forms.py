"""Forms of the registry pages (validation only; saving goes through ``services``)."""

from __future__ import annotations

from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from clusterobs.web.registry.categories import category_choices, category_sync
from clusterobs.web.registry.models import Event, InterestReply, NewsItem, Organisation, PartnershipRequest, Programme
from clusterobs.web.registry.permissions import own_organisations
from clusterobs.web.registry.validators import DEFAULT_TIMEZONE, event_timezones

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 25 * 1024 * 1024


def _size_checked(upload: Any, limit: int) -> Any:
    if upload and getattr(upload, "size", 0) > limit:
        raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    return upload


class CategoriesMixin(forms.Form):
    category_slugs = forms.MultipleChoiceField(label=_("Cluster categories"), required=False, choices=category_choices,
                                               widget=forms.SelectMultiple(attrs={"size": 8}),
                                               help_text=_("Traded and emerging industries of the observatory."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["category_slugs"] = list(instance.categories.values_list("slug", flat=True))

    def save_categories(self, obj: Any) -> None:
        obj.categories.set(category_sync(self.cleaned_data.get("category_slugs") or []))


def url_field(label: str) -> forms.URLField:
    return forms.URLField(label=label, required=False, assume_scheme="https", max_length=200)


class OrganisationForm(CategoriesMixin, forms.ModelForm):
    website = url_field(_("Website"))

    class Meta:
        model = Organisation
        fields = ("name", "acronym", "region", "category_slugs", "keywords", "description", "website", "members_sme",
                  "members_large", "members_research", "members_public", "management_fte", "label", "contact_name",
                  "contact_email", "logo", "benchmark_url")

    def clean_region(self) -> str:
        return self.cleaned_data["region"].strip().upper()

    def clean_logo(self) -> Any:
        return _size_checked(self.cleaned_data.get("logo"), MAX_LOGO_BYTES)


class RequestForm(CategoriesMixin, forms.ModelForm):
    class Meta:
        model = PartnershipRequest
        fields = ("organisation", "title", "description", "category_slugs", "deadline", "is_open")
        widgets: ClassVar[dict[str, Any]] = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)


class ReplyForm(forms.ModelForm):
    class Meta:
        model = InterestReply
        fields = ("organisation", "message")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)


class EventForm(CategoriesMixin, forms.ModelForm):
    """An event: its start and end are read as local times in its ``timezone`` (a time with a UTC offset, as the
    API may send, keeps its offset), stored as instants, and shown back in that zone when edited."""

    link = url_field(_("Link"))
    timezone = forms.ChoiceField(label=_("Time zone"), initial=DEFAULT_TIMEZONE, required=False,
                                 choices=lambda: [(z, z) for z in event_timezones()],
                                 help_text=_("The start and end are local times in this zone."))

    class Meta:
        model = Event
        fields = ("title", "start", "end", "timezone", "place", "online", "organiser", "category_slugs", "link",
                  "description")
        widgets: ClassVar[dict[str, Any]] = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:  # the stored instants as the local times they were given in
            for name in ("start", "end"):
                self.initial[name] = dj_timezone.make_naive(getattr(self.instance, name), self.instance.zone)

    def _zone(self) -> ZoneInfo:
        name = self.data.get(self.add_prefix("timezone")) if self.is_bound else None
        if name not in event_timezones():
            name = self.instance.timezone if self.instance.pk else DEFAULT_TIMEZONE
        return ZoneInfo(name)

    def clean_timezone(self) -> str:
        """Not given: the event's own zone (editing), else the default."""
        return self.cleaned_data.get("timezone") or self._zone().key

    def full_clean(self) -> None:
        with dj_timezone.override(self._zone()):  # naive start/end are read in the event's zone, not the site's
            super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The event ends before it starts."))
        if not data.get("place") and not data.get("online"):
            self.add_error("place", _("Give a place, or tick “online”."))
        return data


class ProgrammeForm(CategoriesMixin, forms.ModelForm):
    link = url_field(_("Link"))

    class Meta:
        model = Programme
        fields = ("name", "country", "region", "managing_body", "start_year", "end_year", "budget_eur", "instruments",
                  "category_slugs", "link", "description")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        country, region = (data.get("country") or "").upper(), (data.get("region") or "").upper()
        if country and len(country) != 2:
            self.add_error("country", _("A country is a two-letter NUTS 0 code (DE, FR, EL…)."))
        if country and region and not region.startswith(country):
            self.add_error("region", _("The region is not in this country."))
        if data.get("start_year") and data.get("end_year") and data["end_year"] < data["start_year"]:
            self.add_error("end_year", _("The programme ends before it starts."))
        return data


class NewsForm(forms.ModelForm):
    link = url_field(_("Link"))

    class Meta:
        model = NewsItem
        fields = ("kind", "title", "summary", "body", "authors", "published", "file", "link")
        widgets: ClassVar[dict[str, Any]] = {"published": forms.DateInput(attrs={"type": "date"})}

    def clean_file(self) -> Any:
        return _size_checked(self.cleaned_data.get("file"), MAX_FILE_BYTES)


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
