"""The reports app (region scorecards, Panoramas, Trends on the site): registers its API router when Django is
ready."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clusterobs.web.reports"
    label = "reports"

    def ready(self) -> None:
        from clusterobs.web import api
        from clusterobs.web.reports import api as reports_api

        api.add_router(reports_api.router)
