"""The economic complexity app: registers its charts, with its own query parser, when Django is ready."""

from django.apps import AppConfig


class ComplexityConfig(AppConfig):
    name = "clusterobs.web.complexity"
    label = "complexity"

    def ready(self) -> None:
        from clusterobs.web import chartspecs
        from clusterobs.web.complexity import charts
        from clusterobs.web.complexity.query import parse_complexity_query

        chartspecs.register(charts, parser=parse_complexity_query)
