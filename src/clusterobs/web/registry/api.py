"""API endpoints of the registry feature, mounted under /api/ by ``clusterobs.web.api``."""

from ninja import Router

router = Router(tags=["registry"])
