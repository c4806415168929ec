"""The scoreboard app: registers its charts when Django is ready."""

from django.apps import AppConfig


class ScoreboardConfig(AppConfig):
    name = "clusterobs.web.scoreboard"
    label = "scoreboard"

    def ready(self) -> None:
        from clusterobs.web import chartspecs
        from clusterobs.web.scoreboard import charts

        chartspecs.register(charts)
