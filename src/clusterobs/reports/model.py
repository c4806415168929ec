"""What a report is made of: sections holding paragraphs, charts and tables, plus its provenance."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from clusterobs.reports import formatting, i18n


@dataclass
class Chart:
    """A captioned Plotly figure and its one-sentence text alternative. The report prints the caption (title,
    subtitle, source line, notes) as text around the image, drawn without it (``images``)."""

    name: str
    title: str
    summary: str
    fig: go.Figure
    image: bytes | None = None
    mime: str = "image/jpeg"
    #: the image being drawn (``render.start_drawing``)
    job: Future[bytes] | None = field(default=None, repr=False, compare=False)
    #: the image's size in pixels (width, height), known as soon as it is being drawn (``render.start_drawing``)
    size: tuple[int, int] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if i18n.current() != i18n.DEFAULT_LANGUAGE:  # axis ticks the language's way (1 234,5); English unchanged
            self.fig.update_layout(separators=formatting.plotly_separators())


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # columns aligned right
    #: printed under the table (what was left out and where to find it)
    note: str = ""


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    #: set when the section's data are not in the dataset: the report says so instead of the content
    absent: str | None = None
    annex: bool = False


@dataclass
class Report:
    kind: str  # panorama, country, region
    slug: str  # file stem: panorama_eco2007_2015, region_DE21_eco2007_2015
    title: str
    subtitle: str
    sections: list[Section]
    #: the headline figures as printed (label, value), under the title
    highlights: list[tuple[str, str]] = field(default_factory=list)
    #: the headline figures, by key, as numbers (tests compare them with the API)
    facts: dict[str, Any] = field(default_factory=dict)
    #: what a reader must know before reading the figures (a region left out, split by population, cells below
    #: coverage, much imputation, an SBS/LFS caveat), printed in a box under the title
    caveats: list[str] = field(default_factory=list)
    version: str = ""
    code_version: str = ""
    created_at: str = ""
    generated_at: str = ""
    #: the language of the report's own text (``i18n.LANGUAGES``)
    lang: str = "en"

    @property
    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]


OnChart = Callable[[Chart], None]


def announcing(on_chart: OnChart | None) -> Callable[[Section], Section]:
    """``section → section`` that hands each chart of a section to ``on_chart`` as soon as the section is built, so
    that a renderer can draw it while the next sections are built."""

    def announce(section: Section) -> Section:
        if on_chart is not None:
            for chart in section.charts:
                on_chart(chart)
        return section

    return announce
