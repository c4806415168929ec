"""The economic complexity app: registers its charts (with its own query parser) and its API router when Django is
ready."""

from django.apps import AppConfig


class ComplexityConfig(AppConfig):
    name = "clusterobs.web.complexity"
    label = "complexity"

    def ready(self) -> None:
        from clusterobs.web import api, chart_registry
        from clusterobs.web.complexity import api as complexity_api
        from clusterobs.web.complexity import charts
        from clusterobs.web.complexity.query import parse_complexity_query

        chart_registry.register(charts, parser=parse_complexity_query)
        api.add_router(complexity_api.router)
