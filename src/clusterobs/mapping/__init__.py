"""The cluster mapping engine: measures, star schemes, growth and productivity.

Functions take and return Ibis table expressions (DuckDB by default, PySpark as an option);
``map_table`` wraps them for a pandas or Polars table; ``mapping.compute`` is the mapping stage of
``clusterobs compute`` (``clusterobs.compute.run_compute``), which materialises the results for the store.
"""

from clusterobs.mapping.categories import coverage, to_categories
from clusterobs.mapping.imputation import impute_children
from clusterobs.mapping.measures import cluster_measures, growth
from clusterobs.mapping.pipeline import map_panel, map_table
from clusterobs.mapping.schemes import StarScheme, get_scheme, load_schemes
from clusterobs.mapping.stars import apply_scheme, tests_long

__all__ = [
    "StarScheme",
    "apply_scheme",
    "cluster_measures",
    "coverage",
    "get_scheme",
    "growth",
    "impute_children",
    "load_schemes",
    "map_panel",
    "map_table",
    "tests_long",
    "to_categories",
]
