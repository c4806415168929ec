"""API endpoints of the scoreboard feature, mounted under /api/ by ``clusterobs.web.api``."""

from ninja import Router

router = Router(tags=["scoreboard"])
