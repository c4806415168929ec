"""Firm-level microdata: read, check (with quarantine), aggregate to NUTS regions and map clusters.

The same Ibis code runs on DuckDB (one machine) and PySpark (a cluster): only ``read_firms``
knows the backends apart. ``synthetic`` makes **synthetic** firm data for tests and benchmarks.
See docs/scaling.md.

The names are imported on first use: ``clusterobs microdata`` (and so the ``clusterobs`` command) imports no Ibis
before a command runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {"firm_cells": "aggregate", "industry_panel": "aggregate", "to_level": "aggregate", "Lookups": "pipeline",
          "MicrodataResult": "pipeline", "file_lookups": "pipeline", "map_firms": "pipeline",
          "read_concordance": "pipeline", "store_lookups": "pipeline", "FirmInput": "read", "InputError": "read",
          "read_firms": "read", "REASONS": "validate", "check_firms": "validate", "class_aliases": "validate",
          "normalise_postcodes": "validate"}

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"clusterobs.microdata.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
