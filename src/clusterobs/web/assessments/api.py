"""API endpoints of the assessments feature, mounted under /api/ by ``clusterobs.web.api``."""

from ninja import Router

router = Router(tags=["assessments"])
