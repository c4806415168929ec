"""Cross-sectoral linkages: co-location relatedness between cluster categories, the US Cluster Mapping matrix as a
reference, related pairs, each region's closest opportunities (density), and emerging industries as cross-sectoral
views. Engine code: numpy and pandas, no Django (docs/linkages.md)."""

from clusterobs.linkages.density import density_matrix, opportunities
from clusterobs.linkages.emerging import composition, regional_shares
from clusterobs.linkages.relatedness import (
    DEFAULT_PERCENTILE,
    METHODS,
    colocation,
    pairwise_correlation,
    related_pairs,
    square,
    uscmp_relatedness,
)

__all__ = ["DEFAULT_PERCENTILE", "METHODS", "colocation", "composition", "density_matrix", "opportunities",
           "pairwise_correlation", "regional_shares", "related_pairs", "square", "uscmp_relatedness"]
