"""The Cluster Mapping Tool's app: registers its charts, its API routers, its download row counts and the answers
the API cache may keep, when Django is ready (before the URLconf is read)."""

from types import ModuleType

from django.apps import AppConfig


class MappingConfig(AppConfig):
    name = "clusterobs.web.mapping"
    label = "mapping"
    verbose_name = "Cluster Mapping Tool"

    def ready(self) -> None:
        from clusterobs.web import api, api_formats, chart_registry, pages
        from clusterobs.web.mapping import (
            api_categories,
            api_measures,
            api_meta,
            api_places,
            api_regions,
            api_timeline,
            chartspecs,
            chartspecs_history,
            downloads,
        )

        chart_registry.register(chartspecs)
        chart_registry.register(chartspecs_history)
        pages.count_rows_with(downloads.download_rows)
        api_formats.keep_answers(api_regions, api_categories, api_measures, api_meta, api_timeline)
        for module in (api_places, api_regions, api_categories, api_measures, api_timeline, api_meta):
            keep_operation_ids(module)
            api.add_router(module.router)


def keep_operation_ids(module: ModuleType) -> None:
    """The OpenAPI ``operationId`` of each endpoint of ``module`` as it was before the tool became an app
    (``clusterobs_web_api_regions_region_detail_api``: Ninja's default from the module ``clusterobs.web.api_*``), so
    clients generated from the schema keep their names."""
    prefix = module.__name__.replace(".mapping.", ".").replace(".", "_")
    for view in module.router.path_operations.values():
        for operation in view.operations:
            if operation.operation_id is None:
                operation.operation_id = f"{prefix}_{operation.view_func.__name__}"
