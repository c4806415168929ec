"""From a built ``Report`` to its files: SVG images of every chart (one kaleido server), HTML, then PDF
(WeasyPrint, fonts DejaVu/Liberation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clusterobs.reports import images
from clusterobs.reports.html import render_html
from clusterobs.reports.model import Report

Progress = Callable[[str, int, int], None]


def _quiet(label: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Output:
    html: Path
    pdf: Path | None


def render_images(report: Report, progress: Progress = _quiet) -> None:
    charts = report.charts
    for i, chart in enumerate(charts):
        progress(f"chart {chart.name}", i, len(charts))
        if chart.svg is None:
            chart.svg = images.svg(chart.fig)
    progress("charts drawn", len(charts), len(charts))


def pdf_bytes(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def write_report(report: Report, out: Path, *, pdf: bool = True, progress: Progress = _quiet) -> Output:
    """Write ``<slug>.html`` and ``<slug>.pdf`` into ``out`` (created), each via a temporary file and a rename."""
    out.mkdir(parents=True, exist_ok=True)
    render_images(report, progress)
    progress("HTML", 0, 1)
    html = render_html(report)
    html_path = out / f"{report.slug}.html"
    _atomic_write(html_path, html.encode("utf-8"))
    pdf_path = None
    if pdf:
        progress("PDF (WeasyPrint)", 0, 1)
        pdf_path = out / f"{report.slug}.pdf"
        _atomic_write(pdf_path, pdf_bytes(html))
    progress("written", 1, 1)
    return Output(html_path, pdf_path)


def _atomic_write(path: Path, body: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(body)
    tmp.replace(path)
