"""The scoreboard app: registers its charts and its API router when Django is ready."""

from django.apps import AppConfig


class ScoreboardConfig(AppConfig):
    name = "clusterobs.web.scoreboard"
    label = "scoreboard"

    def ready(self) -> None:
        from clusterobs.web import api, chart_registry
        from clusterobs.web.scoreboard import api as scoreboard_api
        from clusterobs.web.scoreboard import charts

        chart_registry.register(charts)
        api.add_router(scoreboard_api.router)
