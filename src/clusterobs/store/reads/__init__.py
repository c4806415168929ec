"""The read layer: every query of a dataset version and every check of a read's parameters, shared by the web, the
API and the reports (no Django), so that a number in a report is the number on screen.

``VersionReads`` gathers the reads by subject, one module each: ``catalogue`` (tables, facts, years, schemes,
regions and geometry, categories, sources), ``checks`` (the parameter checks and code lookups, raising the typed
errors of ``clusterobs.errors``), ``measures`` (cluster measures, stars, star tests and thresholds, data quality,
headlines, caveats, several years), ``context`` (regional indicators, LFS employment, competitiveness sources),
``linkages``, ``complexity`` and ``scoreboard`` (the optional stages' tables). A subclass supplies ``con()``, a
read-only DuckDB connection to the version: the web's ``Observatory`` (``clusterobs.web.dataset``, which memoizes
and translates what the pages show) and the reports' ``ReportData`` (``clusterobs.reports.data``). The reads of the
years (a cluster's timeline, a region's history) are ``clusterobs.store.history``, functions of a ``VersionReads``.
"""

from __future__ import annotations

from clusterobs.store.reads.catalogue import Catalogue
from clusterobs.store.reads.checks import KINDS, LEVELS, MAX_CODES, MEASURES, Checks
from clusterobs.store.reads.complexity import Complexity
from clusterobs.store.reads.context import Context
from clusterobs.store.reads.linkages import LINKAGES_TABLES, Linkages
from clusterobs.store.reads.measures import Measures, missing, ranked_mask, star_values
from clusterobs.store.reads.scoreboard import SCOREBOARD_TABLES, Scoreboard
from clusterobs.store.reads.sql import MEASURE_SORTS, NUTS_VERSION, region_name_sql


class VersionReads(Measures, Context, Linkages, Complexity, Scoreboard):
    """Every read of one dataset version; a subclass supplies ``con()``, a read-only DuckDB connection to it."""


__all__ = ["KINDS", "LEVELS", "LINKAGES_TABLES", "MAX_CODES", "MEASURES", "MEASURE_SORTS",
           "NUTS_VERSION", "SCOREBOARD_TABLES", "Catalogue", "Checks", "Complexity", "Context", "Linkages", "Measures",
           "Scoreboard", "VersionReads", "missing", "ranked_mask", "region_name_sql", "star_values"]
