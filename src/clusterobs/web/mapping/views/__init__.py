"""Page views: thin, each parses the page query, reads through ``selectors`` and renders a template."""

from clusterobs.web.mapping.views.clusters import cluster
from clusterobs.web.mapping.views.compare import compare
from clusterobs.web.mapping.views.home import home, sectors_go
from clusterobs.web.mapping.views.info import help_page, methodology, regions_index, search, sources
from clusterobs.web.mapping.views.maps import strength_map
from clusterobs.web.mapping.views.regions import portfolio, region
from clusterobs.web.mapping.views.sectors import categories, sector
from clusterobs.web.pages import not_found

__all__ = ["categories", "cluster", "compare", "help_page", "home", "methodology", "not_found", "portfolio", "region",
           "regions_index", "search", "sector", "sectors_go", "sources", "strength_map"]
