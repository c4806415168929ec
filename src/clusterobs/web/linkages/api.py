"""API endpoints of the linkages feature, mounted under /api/ by ``clusterobs.web.api``."""

from ninja import Router

router = Router(tags=["linkages"])
