"""Cluster Panorama reports and region scorecards, as HTML and PDF, from the store and the shared chart builders.

No Django here::

    from clusterobs.reports import ReportData, build_panorama, build_scorecard, write_report
    data = ReportData.open(Store("var"))
    write_report(build_scorecard(data, "DE21"), Path("out"))
"""

from clusterobs.reports.data import ReportData, ReportError
from clusterobs.reports.model import Chart, Report, Section, Table
from clusterobs.reports.panorama import build_panorama
from clusterobs.reports.render import Output, write_report
from clusterobs.reports.scorecard import build_scorecard

__all__ = ["Chart", "Output", "Report", "ReportData", "ReportError", "Section", "Table", "build_panorama",
           "build_scorecard", "write_report"]
