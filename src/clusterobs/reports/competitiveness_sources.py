"""Indicators from the optional competitiveness sources (RCI 2010-2019, RIS 2023, ...), read when present.

Until those sources are in the dataset this returns nothing, and the Panorama says which are absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clusterobs.reports.data import ReportData

if TYPE_CHECKING:
    from clusterobs.reports.competitiveness import Indicator

#: the optional tables and what they hold, for the "not in this dataset" notes
EXPECTED = {
    "rci_scores": "Regional Competitiveness Index, 2010-2019 editions",
    "ris_indicators": "Regional Innovation Scoreboard 2023",
}


def indicators(data: ReportData, year: int) -> list[Indicator]:
    return []


def absent(data: ReportData) -> list[str]:
    return [label for table, label in EXPECTED.items() if not data.has(table)]
