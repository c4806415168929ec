"""URLs of the scoreboard pages, included at the site root under the ``scoreboard`` namespace."""

from django.urls import path

from clusterobs.web.scoreboard import views

app_name = "scoreboard"
urlpatterns = [
    path("scoreboard/", views.index, name="index"),
    path("scoreboard/<str:code>/", views.region, name="region"),
]
