"""The linkages app: registers its charts, with its own query parser, when Django is ready."""

from django.apps import AppConfig


class LinkagesConfig(AppConfig):
    name = "clusterobs.web.linkages"
    label = "linkages"

    def ready(self) -> None:
        from clusterobs.web import chartspecs
        from clusterobs.web.linkages import charts
        from clusterobs.web.linkages.query import parse_linkages_query

        chartspecs.register(charts, parser=parse_linkages_query)
