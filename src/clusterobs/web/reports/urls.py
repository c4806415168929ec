"""URLs of the reports pages, included at the site root under the ``reports`` namespace."""

from functools import partial

from django.urls import path

from clusterobs.web.reports import views

app_name = "reports"
urlpatterns: list = [
    path("reports/", views.index, name="index"),
    path("reports/europe/", views.panorama, name="panorama"),
    path("reports/europe.html", partial(views.panorama_document, fmt="html"), name="panorama_html"),
    path("reports/europe.pdf", partial(views.panorama_document, fmt="pdf"), name="panorama_pdf"),
    path("reports/country/<str:code>/", views.country, name="country"),
    path("reports/country/<str:code>.html", partial(views.country_document, fmt="html"), name="country_html"),
    path("reports/country/<str:code>.pdf", partial(views.country_document, fmt="pdf"), name="country_pdf"),
    path("reports/trends/", views.trends, name="trends"),
    path("reports/trends.html", partial(views.trends_document, fmt="html"), name="trends_html"),
    path("reports/trends.pdf", partial(views.trends_document, fmt="pdf"), name="trends_pdf"),
    path("reports/trends/<str:code>/", views.country_trends, name="country_trends"),
    path("reports/trends/<str:code>.html", partial(views.country_trends_document, fmt="html"),
         name="country_trends_html"),
    path("reports/trends/<str:code>.pdf", partial(views.country_trends_document, fmt="pdf"),
         name="country_trends_pdf"),
    path("reports/region/<str:code>/", views.region, name="region"),
    path("reports/region/<str:code>.html", partial(views.region_document, fmt="html"), name="region_html"),
    path("reports/region/<str:code>.pdf", partial(views.region_document, fmt="pdf"), name="region_pdf"),
]
