"""URL map of the observatory: pages, the API, the admin and the language switcher."""

from django.contrib import admin
from django.urls import include, path

from clusterobs.web import views
from clusterobs.web.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
