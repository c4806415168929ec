"""The Cluster Mapping Tool's page views: thin, each parses the page query, reads through ``selectors`` and renders a
template (the error pages and page helpers are the kernel's, ``clusterobs.web.pages``)."""

from clusterobs.web.mapping.views.clusters import cluster
from clusterobs.web.mapping.views.compare import compare
from clusterobs.web.mapping.views.home import home, sectors_go
from clusterobs.web.mapping.views.info import help_page, methodology, regions_index, search, sources
from clusterobs.web.mapping.views.maps import strength_map
from clusterobs.web.mapping.views.regions import portfolio, region
from clusterobs.web.mapping.views.sectors import categories, sector

__all__ = ["categories", "cluster", "compare", "help_page", "home", "methodology", "portfolio", "region",
           "regions_index", "search", "sector", "sectors_go", "sources", "strength_map"]
