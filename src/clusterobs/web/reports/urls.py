"""URLs of the reports pages, included at the site root under the ``reports`` namespace."""

from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []
