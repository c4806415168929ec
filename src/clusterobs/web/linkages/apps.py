"""The linkages app: registers its charts and its API router, with its own query parser, when Django is ready."""

from django.apps import AppConfig


class LinkagesConfig(AppConfig):
    name = "clusterobs.web.linkages"
    label = "linkages"

    def ready(self) -> None:
        from clusterobs.web import api, chart_registry
        from clusterobs.web.linkages import api as linkages_api
        from clusterobs.web.linkages import charts
        from clusterobs.web.linkages.query import parse_linkages_query

        chart_registry.register(charts, parser=parse_linkages_query)
        api.add_router(linkages_api.router)
