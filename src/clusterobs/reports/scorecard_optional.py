"""Scorecard sections that need tables of optional engine stages: linkages (``region_opportunities``) and the
Regional Ecosystem Scoreboard (``scoreboard_strengths``, ``scoreboard_peers``). Each says plainly when its table is
not in the dataset."""

from __future__ import annotations

from clusterobs.reports.data import ReportData
from clusterobs.reports.model import Section


def _absent(table: str, what: str) -> str:
    return (f"Not in this dataset: {what} (table {table}) has not been computed for dataset versions like this "
            "one. Run `clusterobs compute` with a version of clusterobs that includes it.")


def linkages_section(data: ReportData, code: str, name: str) -> Section:
    section = Section("linkages", "Linkages and opportunities")
    if not data.has("region_opportunities"):
        section.absent = _absent("region_opportunities", "the cross-sectoral linkages and opportunities")
    return section


def scoreboard_section(data: ReportData, code: str, name: str) -> Section:
    section = Section("scoreboard", "Scoreboard strengths and weaknesses")
    if not data.has("scoreboard_strengths"):
        section.absent = _absent("scoreboard_strengths", "the Regional Ecosystem Scoreboard")
    return section


def peers_section(data: ReportData, code: str, name: str) -> Section:
    section = Section("peers", "Peer regions")
    if not data.has("scoreboard_peers"):
        section.absent = _absent("scoreboard_peers", "the scoreboard's peer regions")
    return section
