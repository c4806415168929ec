"""URLs of the scoreboard pages, included at the site root under the ``scoreboard`` namespace."""

from django.urls import path  # noqa: F401

app_name = "scoreboard"
urlpatterns: list = []
