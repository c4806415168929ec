"""URLs of the assessments pages, included at the site root under the ``assessments`` namespace."""

from django.urls import path  # noqa: F401

app_name = "assessments"
urlpatterns: list = []
