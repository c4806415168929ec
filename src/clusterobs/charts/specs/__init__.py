"""Captioned charts below Django: each chart's figure, caption, source line, data table and summary sentence,
defined once for the web pages, the image export and the reports.

A spec takes a ``Translator`` (``text.Translator``: the reader's language), the dataset version's reads
(``clusterobs.store.reads.VersionReads``) and the view's parameters, and returns a ``ChartOut``; it raises
``EmptyChart`` when there is nothing to draw. What only the web has (links to its pages, file names that encode a
page's query) is passed in. ``text`` holds the texts every chart shares; one module per chart or small family
beside it (``region_stars``, ``maps``, ``portfolio``, ``sector``, ``compare``, ``timeline``, ``complexity``,
``linkages``, ``scoreboard``). Every chart of the site is one of these; the web's ``@chart`` functions
(``clusterobs.web.mapping.chartspecs`` and each app's ``charts``) are adapters from a page's query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go


class EmptyChart(Exception):
    """Nothing to draw for this view; the message says why (shown in place of the chart)."""


@dataclass
class ChartOut:
    """A drawn chart: its figure (with its caption), title, one-sentence summary (its text alternative), the numbers
    drawn (its Table tab: a header row, then one row per line), a file name that encodes the view, and its notes."""

    name: str
    fig: go.Figure
    title: str
    summary: str
    table: list[list[str]]
    filename: str
    notes: list[str] = field(default_factory=list)
