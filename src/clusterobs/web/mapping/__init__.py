"""The Cluster Mapping Tool: the pages of regions, clusters, sectors, maps, comparisons and trends, and the REST API
of regions, categories, measures, places, timelines and the dataset versions."""
