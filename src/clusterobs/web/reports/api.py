"""API endpoints of the reports feature, mounted under /api/ by ``clusterobs.web.api``."""

from ninja import Router

router = Router(tags=["reports"])
