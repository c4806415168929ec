"""URL map of the observatory: pages, the image export, the API, the admin and the language switcher."""

from django.contrib import admin
from django.urls import include, path, re_path

from clusterobs.web import figures, views
from clusterobs.web.api import api

FEATURE_APPS = ("linkages", "complexity", "scoreboard", "assessments", "accounts", "registry", "reports")

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", views.regions_index, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("regions/<str:code>/portfolio/", views.portfolio, name="portfolio"),
    path("regions/<str:code>/clusters/<str:category>/", views.cluster, name="cluster"),
    path("sectors/", views.sectors_go, name="sectors"),
    path("sectors/<str:category>/", views.sector, name="sector"),
    path("map/", views.strength_map, name="map"),
    path("compare/", views.compare, name="compare"),
    path("categories/", views.categories, name="categories"),
    path("search/", views.search, name="search"),
    path("methodology/", views.methodology, name="methodology"),
    path("sources/", views.sources, name="sources"),
    path("help/", views.help_page, name="help"),
    # feature apps (each a namespace: linkages:…, scoreboard:…, assessments:…, accounts:…, registry:…, reports:…)
    *[path("", include(f"clusterobs.web.{app}.urls")) for app in FEATURE_APPS],
    re_path(r"^api/figures/(?P<chart>[a-z0-9-]+)\.(?P<fmt>[a-z]+)$", figures.figure, name="figure"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "clusterobs.web.views.common.handler404"
handler500 = "clusterobs.web.dbbusy.handler500"
