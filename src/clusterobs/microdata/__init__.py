"""Firm-level microdata: read, check (with quarantine), aggregate to NUTS regions and map clusters.

The same Ibis code runs on DuckDB (one machine) and PySpark (a cluster): only ``read_firms``
knows the backends apart. ``synthetic`` makes **synthetic** firm data for tests and benchmarks.
See docs/scaling.md.
"""

from clusterobs.microdata.aggregate import firm_cells, industry_panel, to_level
from clusterobs.microdata.pipeline import (
    Lookups,
    MicrodataResult,
    file_lookups,
    map_firms,
    read_concordance,
    store_lookups,
)
from clusterobs.microdata.read import FirmInput, InputError, read_firms
from clusterobs.microdata.validate import REASONS, check_firms, class_aliases, normalise_postcodes

__all__ = [
    "REASONS",
    "FirmInput",
    "InputError",
    "Lookups",
    "MicrodataResult",
    "check_firms",
    "class_aliases",
    "file_lookups",
    "firm_cells",
    "industry_panel",
    "map_firms",
    "normalise_postcodes",
    "read_concordance",
    "read_firms",
    "store_lookups",
    "to_level",
]
