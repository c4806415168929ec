"""From a built ``Report`` to its files: an image of every chart (kaleido, several at once), HTML, then PDF
(WeasyPrint, fonts DejaVu/Liberation: ``pdf``).

Charts are embedded as JPEG at print resolution (``SCALE`` 2: 2000 pixels across the 180 mm text width, about
280 dpi), drawn without their caption, which the HTML prints as text (``html``). Measured on a scorecard (six
charts): WeasyPrint draws SVG text letter by letter (0.8 s of CPU for the charts as SVG, 0.5 s without their
captions) and decodes and re-encodes every PNG (0.5 s), while it embeds a JPEG as it is (0.06 s); Chromium's JPEG
(quality 0.92) of a chart on a white background shows no visible artefact at this resolution.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clusterobs.charts.caption import without_caption
from clusterobs.reports import images
from clusterobs.reports.html import linked_images, render_html
from clusterobs.reports.model import Chart, Report
from clusterobs.reports.pdf import Images, pdf_bytes, warm_up
from clusterobs.reports.timings import mark

Progress = Callable[[str, int, int], None]
#: what writes the PDF of an HTML whose images are linked: ``pdf.pdf_bytes`` here, or a ``pdf.PdfWorker``
PdfWriter = Callable[[str, Images], bytes]

__all__ = ["FORMAT", "MIME", "SCALE", "Output", "PdfWriter", "pdf_bytes", "render_images", "start_drawing",
           "write_report"]


def _quiet(label: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Output:
    html: Path
    pdf: Path | None


FORMAT, MIME, SCALE = "jpg", "image/jpeg", 2


def start_drawing(chart: Chart) -> None:
    """Start drawing ``chart``'s image (the builders' ``on_chart``); ``render_images`` collects it."""
    if chart.image is None and chart.job is None:
        spec = without_caption(chart.fig)
        chart.size = images.pixels(spec, scale=SCALE)
        chart.job = images.submit(spec, fmt=FORMAT, scale=SCALE)
        mark(f"sent {chart.name}")
        chart.job.add_done_callback(lambda _, name=chart.name: mark(f"drawn {name}"))


def render_images(report: Report, progress: Progress = _quiet, *, warm: bool = True) -> None:
    """Draw every chart of ``report`` that has no image yet (several at once on the kaleido browser's tabs); while
    they are drawn, make WeasyPrint ready (``warm``: its first document of a process costs about 0.5 s; not when a
    ``pdf.PdfWorker`` writes the PDF)."""
    charts = [c for c in report.charts if c.image is None]
    for chart in charts:
        start_drawing(chart)
    jobs = {c.job: c for c in charts if c.job is not None}
    progress("charts", 0, len(charts))
    if warm:
        warm_up()
    try:
        for done, job in enumerate(concurrent.futures.as_completed(jobs), start=1):
            chart = jobs[job]
            chart.image, chart.mime = job.result(), MIME
            progress(f"chart {chart.name}", done, len(charts))
    finally:
        for chart in charts:
            chart.job = None


def write_report(report: Report, out: Path, *, pdf: bool = True, progress: Progress = _quiet,
                 pdf_writer: PdfWriter | None = None) -> Output:
    """Write ``<slug>.html`` and ``<slug>.pdf`` into ``out`` (created), each via a temporary file and a rename; the
    PDF by ``pdf_writer`` (default: ``pdf_bytes`` in this process) from the HTML with its images linked."""
    out.mkdir(parents=True, exist_ok=True)
    render_images(report, progress, warm=pdf and pdf_writer is None)
    progress("HTML", 0, 1)
    html = render_html(report)
    html_path = out / f"{report.slug}.html"
    _atomic_write(html_path, html.encode("utf-8"))
    mark("html")
    pdf_path = None
    if pdf:
        progress("PDF (WeasyPrint)", 0, 1)
        pdf_path = out / f"{report.slug}.pdf"
        _atomic_write(pdf_path, (pdf_writer or pdf_bytes)(render_html(report, linked=True), linked_images(report)))
        mark("pdf")
    progress("written", 1, 1)
    return Output(html_path, pdf_path)


def _atomic_write(path: Path, body: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(body)
    tmp.replace(path)
