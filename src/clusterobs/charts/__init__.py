"""Plotly figure builders: one definition serves the web, the API's image export and the reports.

No Django here. Every figure goes through ``captioned`` (title, subtitle, source line, notes).
"""

from clusterobs.charts.caption import Caption, captioned

__all__ = ["Caption", "captioned"]
