"""The Cluster Mapping Tool's pages. Their URL names are not namespaced (``{% url 'region' code %}``): every app's
templates and charts link to them."""

from django.urls import path

from clusterobs.web.mapping import views

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
]
