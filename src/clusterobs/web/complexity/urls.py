"""URLs of the complexity pages, included at the site root under the ``complexity`` namespace."""

from django.urls import path

from clusterobs.web.complexity import views

app_name = "complexity"
urlpatterns = [
    path("regions/<str:region>/opportunities/", views.growth, name="growth"),
    path("complexity/eci/", views.eci, name="eci"),
]
