"""Cluster Panorama reports, region scorecards and Cluster Trends, as HTML and PDF, from the store and the shared
chart builders.

No Django here::

    from clusterobs.reports import ReportData, build_panorama, build_scorecard, write_report
    data = ReportData.open(Store("var"))
    write_report(build_scorecard(data, "DE21"), Path("out"))

The names are imported on first use, so that a scorecard does not import what only the Panorama needs (SciPy for
the correlations, about 0.7 s).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clusterobs.reports.data import ReportData, ReportError
    from clusterobs.reports.model import Chart, Report, Section, Table
    from clusterobs.reports.panorama import build_panorama
    from clusterobs.reports.render import Output, write_report
    from clusterobs.reports.scorecard import build_scorecard
    from clusterobs.reports.trends import build_trends

_WHERE = {"ReportData": "data", "ReportError": "data", "Chart": "model", "Report": "model", "Section": "model",
          "Table": "model", "build_panorama": "panorama", "Output": "render", "write_report": "render",
          "build_scorecard": "scorecard", "build_trends": "trends"}

__all__ = ["Chart", "Output", "Report", "ReportData", "ReportError", "Section", "Table", "build_panorama",
           "build_scorecard", "build_trends", "write_report"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"clusterobs.reports.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
