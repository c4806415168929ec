"""URLs of the linkages pages, included at the site root under the ``linkages`` namespace."""

from django.urls import path  # noqa: F401

app_name = "linkages"
urlpatterns: list = []
