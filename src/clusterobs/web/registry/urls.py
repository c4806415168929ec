"""URLs of the registry pages, included at the site root under the ``registry`` namespace."""

from django.urls import path  # noqa: F401

app_name = "registry"
urlpatterns: list = []
