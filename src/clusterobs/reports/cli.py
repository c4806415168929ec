"""``clusterobs report panorama|region|trends``: write a report's HTML and PDF, with Rich progress."""

from __future__ import annotations

import atexit
import contextlib
import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from clusterobs.config import Settings
from clusterobs.errors import ClusterobsError
from clusterobs.reports import timings
from clusterobs.reports.timings import mark

if TYPE_CHECKING:
    from clusterobs.reports.pdf import PdfWorker

app = typer.Typer(help="Cluster Panorama reports, region scorecards and Cluster Trends (HTML and PDF).",
                  no_args_is_help=True)
console = Console()
err = Console(stderr=True)

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data directory [env CLUSTEROBS_HOME; ./var]")]
YearOpt = Annotated[int | None, typer.Option(help="Year of the cluster data (default: the latest)")]
SchemeOpt = Annotated[str, typer.Option(help="Star scheme: eco2007, eocic2019, uscmp")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder to write <report>.html and <report>.pdf into")]
PdfOpt = Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF (WeasyPrint)")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the report's text: en, fr")]

#: per report: kaleido tabs and plotly.js bundle (a scorecard's charts are scatter and bar traces: Plotly's
#: ``basic`` bundle opens in 0.6 s instead of 1.5 s; the Panorama has maps and bars: the full bundle)
BROWSERS = {"region": (1, "basic"), "panorama": (2, "full"), "trends": (1, "basic")}


def _start_browser(kind: str, pdf: bool = True) -> PdfWorker | None:
    """Start the report's Chromium in the background (0.6-2 s), first thing in the command once its options are
    checked, so that it gets ready while the report's modules are imported, the dataset read and the sections built;
    for a PDF, the ``pdf.PdfWorker`` (a child process that warms WeasyPrint up, 0.5 s, then lays the document out
    while Chromium draws the charts), which ``_report`` starts once the modules are imported. Nothing starts them on
    import (``clusterobs.cli`` imports only the commands' options)."""
    from clusterobs.reports import images
    from clusterobs.reports.pdf import PdfWorker

    tabs, bundle = BROWSERS[kind]
    images.start(tabs, bundle=bundle)
    worker = PdfWorker(start=False) if pdf else None  # started once the report's modules are imported
    # at exit: the interpreter's teardown then leaves the report's objects to the system (0.03 s instead of 0.15 s
    # of garbage collection and freeing, measured on a scorecard)
    atexit.register(gc.freeze)
    mark("browser")
    return worker


def _language(lang: str) -> str:
    """``lang`` checked before anything starts (Chromium, the dataset)."""
    from clusterobs.reports.i18n import LanguageError, check_language

    try:
        return check_language(lang)
    except LanguageError as exc:
        err.print(f"[bold red]Report failed:[/] {exc}")
        raise typer.Exit(2) from exc


@contextlib.contextmanager
def figures_from_template_none() -> Iterator[None]:
    """Plotly's new figures start from its default template ("plotly": its JSON read on first use, 0.1 s, then a
    deep copy in every figure) that ``charts.captioned`` replaces by "none" in every chart of a report: while a
    report is built they start from "none" (the same figures; restored after)."""
    import plotly.io as pio

    before = pio.templates.default
    pio.templates.default = "none"
    try:
        yield
    finally:
        pio.templates.default = before


def _run(build, home: Path | None, out: Path, pdf: bool, worker: PdfWorker | None = None) -> None:
    """Read the dataset, build the report, draw its charts (the browser ``_start_browser`` started) and write it
    (the PDF by ``worker`` when there is one)."""
    try:
        _report(build, home, out, pdf, worker)
    finally:
        if worker is not None:
            worker.close()


def _report(build, home: Path | None, out: Path, pdf: bool, worker: PdfWorker | None) -> None:
    from clusterobs.reports import ReportData, images
    from clusterobs.reports.html import linked_sizes, render_html
    from clusterobs.reports.render import render_images, start_drawing, write_report
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    if worker is not None:  # after the imports: their CPU went to them and Chromium's start (2 cores)
        worker.start()
    mark("imports")
    start = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("reading the dataset", total=None)

        def report(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        try:
            data = ReportData.open(store)
            mark("dataset")
            with contextlib.closing(data):
                report("building sections", 0, 1)
                with figures_from_template_none():  # Plotly's default restored once the worker lays out
                    built = build(data, start_drawing)
                    mark("built")
                    if pdf and worker is not None:  # laid out while Chromium draws the charts (their sizes are known)
                        worker.lay_out(render_html(built, linked=True), linked_sizes(built))
                render_images(built, progress=report, warm=pdf and worker is None)
                mark("charts")
                images.stop(wait=False)  # Chromium closes while the PDF is written
                output = write_report(built, out, pdf=pdf, progress=report, pdf_writer=worker)
        except (ClusterobsError, OSError) as exc:
            bar.stop()
            err.print(f"[bold red]Report failed:[/] {exc}")
            raise typer.Exit(1) from exc
    console.print(f"Wrote [cyan]{output.html}[/]" + (f" and [cyan]{output.pdf}[/]" if output.pdf else "")
                  + f": {len(built.charts)} charts, dataset {built.version}, {time.perf_counter() - start:.1f} s.")


@app.command()
def panorama(
    year: YearOpt = None, scheme: SchemeOpt = "eco2007",
    country: Annotated[str | None, typer.Option(help="Only this country (NUTS code such as DE, FR, EL)")] = None,
    out: OutOpt = Path("reports"), pdf: PdfOpt = True, home: HomeOpt = None, lang: LangOpt = "en",
) -> None:
    """The European Cluster Panorama (or one country's): stars, maps, top regions and competitiveness."""
    timings.start()
    lang = _language(lang)
    worker = _start_browser("panorama", pdf)
    from clusterobs.reports import build_panorama

    _run(lambda data, on_chart: build_panorama(data, scheme=scheme, year=year, country=country,
                                           on_chart=on_chart, lang=lang), home, out, pdf, worker)


@app.command()
def region(
    code: Annotated[str, typer.Argument(help="NUTS 2021 region code, e.g. DE21")],
    year: YearOpt = None, scheme: SchemeOpt = "eco2007", out: OutOpt = Path("reports"), pdf: PdfOpt = True,
    home: HomeOpt = None, lang: LangOpt = "en",
) -> None:
    """A region scorecard: portfolio, stars and their reasons, trends, linkages, scoreboard and peers."""
    timings.start()
    lang = _language(lang)
    worker = _start_browser("region", pdf)
    from clusterobs.reports import build_scorecard

    # one kaleido tab with Plotly's basic bundle (BROWSERS): a second tab costs more Chromium start than it
    # saves on the six charts (about 0.15 s each); the Panorama's two MapLibre maps are worth the second tab
    _run(lambda data, on_chart: build_scorecard(data, code, scheme=scheme, year=year, on_chart=on_chart, lang=lang),
         home, out, pdf, worker)


@app.command()
def trends(
    scheme: SchemeOpt = "eco2007",
    country: Annotated[str | None, typer.Option(help="Only this country (NUTS code such as DE, FR, EL)")] = None,
    out: OutOpt = Path("reports"), pdf: PdfOpt = True, home: HomeOpt = None, lang: LangOpt = "en",
) -> None:
    """Cluster Trends (Europe's or one country's): growth of categories and emerging industries over the longest
    window of at most five years (2010-2015 with the SBS 2008-2015 panel), regions gaining and losing three-star
    clusters, structural change, co-growth of related categories and the caveats of the data. With one year of data
    the report says that growth needs two."""
    timings.start()
    lang = _language(lang)
    worker = _start_browser("trends", pdf)
    from clusterobs.reports import build_trends

    _run(lambda data, on_chart: build_trends(data, scheme=scheme, country=country, on_chart=on_chart, lang=lang),
         home, out, pdf, worker)
