"""The Django admin for curators (staff with the curator group's permissions on every registry model)."""

from django.contrib import admin

from clusterobs.web.registry.models import (
    Category,
    Event,
    InterestReply,
    NewsItem,
    Organisation,
    PartnershipRequest,
    Programme,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "region", "country", "label", "is_example", "owner", "updated")
    list_filter = ("label", "country", "is_example")
    search_fields = ("name", "acronym", "keywords", "region")
    filter_horizontal = ("categories",)
    readonly_fields = ("country", "created", "updated")


@admin.register(PartnershipRequest)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "is_open", "deadline", "created")
    list_filter = ("is_open",)
    search_fields = ("title", "description", "organisation__name")
    filter_horizontal = ("categories",)


@admin.register(InterestReply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("request", "author", "organisation", "created")
    search_fields = ("message", "request__title")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "start", "end", "timezone", "place", "online", "organiser")
    list_filter = ("online",)
    search_fields = ("title", "organiser", "place")
    filter_horizontal = ("categories",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "region", "managing_body", "start_year", "end_year")
    list_filter = ("country",)
    search_fields = ("name", "managing_body", "instruments")
    filter_horizontal = ("categories",)


@admin.register(NewsItem)
class NewsAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "published", "authors")
    list_filter = ("kind",)
    search_fields = ("title", "summary", "authors")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "kind")
