"""The REST API (Django Ninja), OpenAPI docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from clusterobs import __version__

api = NinjaAPI(title="clusterobs API", version=__version__,
               description="European Cluster Observatory: regions, categories, cluster measures and stars.")
