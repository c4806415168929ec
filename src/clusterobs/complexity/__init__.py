"""Economic complexity of regions and industries (Django-free): RCA, M, diversity, ubiquity, ECI, PCI, proximity,
density, distance, COI and COG, with the conventions of Harvard Growth Lab's ``ecomplexity``; see docs/complexity.md.
"""

from clusterobs.complexity.matrices import YearComplexity, year_complexity
from clusterobs.complexity.table import COLUMNS, complexity_table, proximity_table, read_panel

__all__ = ["COLUMNS", "YearComplexity", "complexity_table", "proximity_table", "read_panel", "year_complexity"]
