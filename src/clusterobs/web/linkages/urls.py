"""URLs of the linkages pages, included at the site root under the ``linkages`` namespace."""

from django.urls import path

from clusterobs.web.linkages import views

app_name = "linkages"
urlpatterns = [
    path("linkages/", views.related_index, name="related_index"),
    path("linkages/related/<str:category>/", views.related, name="related"),
    path("linkages/opportunities/<str:region>/", views.opportunities, name="opportunities"),
    path("emerging/", views.emerging, name="emerging"),
    path("emerging/<str:industry>/", views.emerging_detail, name="emerging_detail"),
]
