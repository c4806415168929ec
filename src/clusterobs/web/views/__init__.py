"""Page views: thin, each parses the page query, reads through ``selectors`` and renders a template."""

from clusterobs.web.views.clusters import cluster
from clusterobs.web.views.common import not_found
from clusterobs.web.views.compare import compare
from clusterobs.web.views.home import home, sectors_go
from clusterobs.web.views.info import help_page, methodology, regions_index, search, sources
from clusterobs.web.views.maps import strength_map
from clusterobs.web.views.regions import portfolio, region
from clusterobs.web.views.sectors import categories, sector

__all__ = ["categories", "cluster", "compare", "help_page", "home", "methodology", "not_found", "portfolio", "region",
           "regions_index", "search", "sector", "sectors_go", "sources", "strength_map"]
