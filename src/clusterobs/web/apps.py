"""The site's own app (the Cluster Mapping Tool's pages): registers its charts when Django is ready."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clusterobs.web"
    label = "web"

    def ready(self) -> None:
        from clusterobs.web import chartspecs, chartspecs_history

        chartspecs.register(chartspecs)
        chartspecs.register(chartspecs_history)
