"""What makes a report from a new process quick (docs/reports.md, speed): the PDF worker, the PDF's linked images,
kaleido tabs not reloaded after each figure, the lazy imports before Chromium starts and the phase timings."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import os
import subprocess
import sys
import textwrap

import duckdb
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.reports import images
from clusterobs.reports.html import LINK, linked_images, linked_sizes, render_html
from clusterobs.reports.model import Chart, Report, Section
from clusterobs.reports.pdf import PdfWorker, pdf_bytes, stand_in_jpeg


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    """A 2 x 1 pixel JPEG: ``colour``, then white."""
    from PIL import Image

    image = Image.new("RGB", (2, 1), (255, 255, 255))
    image.putpixel((0, 0), colour)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


RED, BLUE = _jpeg((255, 0, 0)), _jpeg((0, 0, 255))


def _report_with_two_charts() -> Report:
    import plotly.graph_objects as go

    charts = [Chart(name, f"Chart {name}", f"What {name} shows.", go.Figure(), image=image, size=(2, 1))
              for name, image in (("a", RED), ("b", BLUE))]
    return Report("region", "speed", "Speed", "Linked images", [Section("s", "Section", ["Text."], charts=charts)])


def _images_in(pdf: bytes) -> list[bytes]:
    """The images of a PDF's pages (their streams: a JPEG is embedded as it is)."""
    reader = PdfReader(io.BytesIO(pdf))
    return sorted({xobject.get_object()._data for page in reader.pages
                   for xobject in page["/Resources"]["/XObject"].values()})


def test_the_pdf_html_links_its_images_and_the_pdf_embeds_them():
    report = _report_with_two_charts()
    inline, linked = render_html(report), render_html(report, linked=True)
    assert inline.count("data:image/jpeg;base64,") == 2 and "data:image" not in linked
    assert f'src="{LINK.format(n=0)}"' in linked and f'src="{LINK.format(n=1)}"' in linked
    assert linked_images(report) == {"chart:0": (RED, "image/jpeg"), "chart:1": (BLUE, "image/jpeg")}
    # the same document otherwise: only the src attributes differ
    assert inline.replace(f"data:image/jpeg;base64,{base64.b64encode(RED).decode()}", "chart:0").replace(
        f"data:image/jpeg;base64,{base64.b64encode(BLUE).decode()}", "chart:1") == linked
    pdf = pdf_bytes(linked, linked_images(report))
    assert pdf.startswith(b"%PDF") and _images_in(pdf) == sorted([RED, BLUE]) == _images_in(pdf_bytes(inline))


def test_the_pdf_worker_writes_the_pdf_in_its_own_process(tmp_path, monkeypatch):
    report = _report_with_two_charts()
    html, linked = render_html(report, linked=True), linked_images(report)
    timings = tmp_path / "timings.jsonl"
    monkeypatch.setenv("CLUSTEROBS_TIMINGS", str(timings))
    worker = PdfWorker()
    assert worker.proc is not None
    pid = worker.proc.pid
    pdf = worker(html, linked)
    assert pdf.startswith(b"%PDF") and _images_in(pdf) == sorted([RED, BLUE])
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Chart a" in text and "What b shows." in text
    # the worker warmed WeasyPrint up, then wrote the PDF: in its own process, not this one
    marks = [json.loads(line) for line in timings.read_text().splitlines()]
    assert [m["phase"] for m in marks] == ["warm", "worker ready", "worker done"]
    assert {m["pid"] for m in marks} == {pid} and pid != os.getpid()
    assert worker.proc is None  # used once


def test_a_stand_in_jpeg_says_its_size():
    from PIL import Image

    with Image.open(io.BytesIO(stand_in_jpeg(2000, 1156))) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (2000, 1156))


def _drawn_later(report: Report) -> tuple[str, dict]:
    """The PDF's HTML and image sizes as the CLI sends them once the report is built, before any chart is drawn."""
    for chart in report.charts:
        chart.image = None
    html, sizes = render_html(report, linked=True), linked_sizes(report)
    for chart, image in zip(report.charts, (RED, BLUE), strict=True):
        chart.image = image
    return html, sizes


def test_the_pdf_worker_lays_out_and_paints_before_the_images_come(tmp_path, monkeypatch):
    report = _report_with_two_charts()
    html, sizes = _drawn_later(report)
    assert sizes == {"chart:0": (2, 1), "chart:1": (2, 1)}
    assert html == render_html(report, linked=True)  # the same HTML once the images are drawn
    timings = tmp_path / "timings.jsonl"
    monkeypatch.setenv("CLUSTEROBS_TIMINGS", str(timings))
    worker = PdfWorker()
    worker.lay_out(html, sizes)
    pdf = worker(html, linked_images(report))
    assert _images_in(pdf) == sorted([RED, BLUE]) == _images_in(pdf_bytes(html, linked_images(report)))
    assert [json.loads(line)["phase"] for line in timings.read_text().splitlines()] == [
        "warm", "worker ready", "worker laid out", "worker painted", "worker done"]


def test_images_of_another_size_than_laid_out_are_laid_out_again():
    report = _report_with_two_charts()
    html, _ = _drawn_later(report)
    worker = PdfWorker()
    worker.lay_out(html, {"chart:0": (2, 1), "chart:1": (400, 300)})  # chart b is not 400 x 300
    pdf = worker(html, linked_images(report))
    assert _images_in(pdf) == sorted([RED, BLUE])
    # and the page holds the image at its own ratio: the PDF is the one written with the images themselves
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(PdfReader(io.BytesIO(
        pdf_bytes(html, linked_images(report)))).pages)


def test_another_html_than_laid_out_is_the_one_written():
    report = _report_with_two_charts()
    html, sizes = _drawn_later(report)
    worker = PdfWorker()
    worker.lay_out(html.replace("What a shows.", "Laid out, never written."), sizes)
    pdf = worker(html, linked_images(report))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "What a shows." in text and "never written" not in text
    assert _images_in(pdf) == sorted([RED, BLUE])


def test_a_failed_pdf_worker_leaves_the_pdf_to_this_process(caplog):
    report = _report_with_two_charts()
    worker = PdfWorker()
    assert worker.proc is not None
    worker.proc.kill()
    worker.proc.wait()
    with caplog.at_level(logging.WARNING, logger="clusterobs.reports.pdf"):
        pdf = worker(render_html(report, linked=True), linked_images(report))
    assert pdf.startswith(b"%PDF") and _images_in(pdf) == sorted([RED, BLUE])
    assert "the PDF worker failed (exit status -9): the PDF is written in this process" in caplog.text


def test_a_pdf_worker_starts_when_told_once_and_never_after_its_pdf():
    report = _report_with_two_charts()
    worker = PdfWorker(start=False)
    assert worker.proc is None
    worker.start()
    first = worker.proc
    assert first is not None
    worker.start()  # started once
    assert worker.proc is first
    assert worker(render_html(report, linked=True), linked_images(report)).startswith(b"%PDF")
    assert first.returncode == 0
    worker.start()  # a late start (Chromium got ready after the PDF was written) starts nothing
    assert worker.proc is None
    never = PdfWorker(start=False)  # not started when the PDF is wanted: it starts then
    assert never(render_html(report, linked=True), linked_images(report)).startswith(b"%PDF")
    assert never.proc is None


def test_an_unused_pdf_worker_ends_when_closed():
    worker = PdfWorker()
    proc = worker.proc
    assert proc is not None
    worker.close()
    assert proc.returncode == 0 and worker.proc is None
    worker.close()  # twice: nothing more


class _Tabs:
    """kaleido's tab handling as far as ``_kaleido_class`` uses it: a queue of ready tabs and the reload."""

    def __init__(self) -> None:
        self.tabs_ready: asyncio.Queue = asyncio.Queue()
        self.reloads = 0

    async def _return_kaleido_tab(self, tab: object) -> None:
        self.reloads += 1
        await self.tabs_ready.put(tab)

    async def _conform_tabs(self, tabs: object = None) -> None:
        if tabs:  # kaleido conforms the browser's own tabs first: Chromium's headless shell opens with none
            await self.tabs_ready.put(tabs)


def test_a_basic_bundle_tab_is_reloaded_every_reload_every_figures_not_after_each():
    cls = images._kaleido_class(_Tabs)
    assert issubclass(cls, _Tabs) and images._kaleido_class(_Tabs) is cls

    class Tab:
        pass

    async def draw(n: int) -> tuple[int, int]:
        browser, tab = cls(), Tab()
        for _ in range(n):
            await browser._return_kaleido_tab(tab)
            assert await browser.tabs_ready.get() is tab  # the tab is back for the next figure
        return browser.reloads, tab._clusterobs_drawn

    assert asyncio.run(draw(images.RELOAD_EVERY - 1)) == (0, images.RELOAD_EVERY - 1)
    assert asyncio.run(draw(images.RELOAD_EVERY)) == (1, 0)
    assert asyncio.run(draw(2 * images.RELOAD_EVERY + 3)) == (2, 3)


def test_the_browser_is_ready_once_its_first_tab_has_loaded_the_page():
    """Not when kaleido's ``open`` returns, 0.1 s later (choreographer's poll)."""
    cls = images._kaleido_class(_Tabs)
    calls = []

    async def conform() -> object:
        browser = cls()
        browser.tabs_up = lambda: calls.append(browser.tabs_ready.qsize())
        await browser._conform_tabs("tab")
        return await browser.tabs_ready.get()

    assert asyncio.run(conform()) == "tab" and calls == [1]  # called once the tab is in the queue


def test_a_browser_that_opens_without_a_tab_is_ready_once_its_tab_is_created():
    """Chromium's headless shell opens with no tab: kaleido's first ``_conform_tabs`` finds none, then creates one.
    Ready before that, a figure sent at once failed ("you must await `k.open()`")."""
    cls = images._kaleido_class(_Tabs)
    calls = []

    async def conform() -> object:
        browser = cls()
        browser.tabs_up = lambda: calls.append(browser.tabs_ready.qsize())
        await browser._conform_tabs()  # the browser's own tabs: none
        assert calls == []
        await browser._conform_tabs("tab")  # the tab kaleido creates
        return await browser.tabs_ready.get()

    assert asyncio.run(conform()) == "tab" and calls == [1]


def test_kaleido_without_the_hook_is_used_as_it_is():
    class Other:
        pass

    assert images._kaleido_class(Other) is Other


def test_the_browser_keeps_kaleidos_reload_for_maps_and_the_full_bundle():
    assert frozenset({"bar", "pie", "scatter"}) == images.SVG_TRACES
    from clusterobs.charts import plotlyjs

    assert plotlyjs.by_name("basic").traces <= images.SVG_TRACES
    assert not plotlyjs.by_name("map").traces <= images.SVG_TRACES


def _python(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_browser_module_imports_no_pandas_nor_chart_builders():
    """What the report command imports before Chromium starts: not pandas, plotly's figure classes or the chart
    builders (``clusterobs.charts`` is imported lazily); the command's own imports not ``importlib.metadata`` for
    ``clusterobs.__version__`` (plotly, which kaleido needs, imports it)."""
    got = _python("""
        import json, sys
        import clusterobs.cli
        metadata = "importlib.metadata" in sys.modules
        from clusterobs.reports import images, pdf
        loaded = sorted(m for m in ("pandas", "numpy", "plotly.graph_objects", "clusterobs.charts.bars",
                                    "clusterobs.charts.lines", "weasyprint") if m in sys.modules)
        import clusterobs
        from clusterobs import charts
        print(json.dumps({"loaded": loaded, "metadata": metadata, "version": isinstance(clusterobs.__version__, str),
                          "scatter": charts.scatter.__module__, "palette": charts.palette.__name__,
                          "line_chart": callable(charts.line_chart)}))
    """)
    assert got == {"loaded": [], "metadata": False, "version": True, "scatter": "clusterobs.charts.scatter_chart",
                   "palette": "clusterobs.charts.palette", "line_chart": True}


def test_a_report_command_marks_its_phases(computed, tmp_path, monkeypatch):
    """``CLUSTEROBS_TIMINGS``: the phases of the command in order, each chart sent to Chromium and drawn."""
    store, _ = computed
    timings = tmp_path / "timings.jsonl"
    monkeypatch.setenv("CLUSTEROBS_TIMINGS", str(timings))
    result = CliRunner().invoke(app, ["report", "region", "LU00", "--no-pdf", "--out", str(tmp_path / "out"),
                                      "--home", str(store.home)])
    assert result.exit_code == 0, result.output
    marks = [json.loads(line) for line in timings.read_text().splitlines()]
    phases = [m["phase"] for m in marks]
    main = [p for p in phases if p in ("command", "browser", "imports", "dataset", "built", "charts", "html")]
    assert main == ["command", "browser", "imports", "dataset", "built", "charts", "html"]
    assert "pdf" not in phases and "worker ready" not in phases  # --no-pdf: no PDF worker
    sent = [p.split(" ", 1)[1] for p in phases if p.startswith("sent ")]
    assert sent and sorted(sent) == sorted(p.split(" ", 1)[1] for p in phases if p.startswith("drawn "))
    walls = {m["phase"]: m["wall"] for m in marks}
    assert walls["command"] <= walls["browser"] <= walls["built"] <= walls["charts"] <= walls["html"]
    # an image is marked drawn by its future's callback, which may run just after the waiting thread moved on
    assert all(walls["dataset"] <= walls[f"sent {c}"] <= walls[f"drawn {c}"] <= walls["charts"] + 0.1 for c in sent), \
        {p: round(w - walls["command"], 3) for p, w in walls.items()}


def test_a_report_built_from_template_none_has_the_same_charts(report_data):
    """The CLI builds a report with Plotly's default template set to "none" (``figures_from_template_none``): every
    chart goes through ``captioned``, which sets "none" anyway, so the figures are the same; the default is restored."""
    import plotly.io as pio

    from clusterobs.charts.caption import without_caption
    from clusterobs.reports import build_scorecard
    from clusterobs.reports.cli import figures_from_template_none

    def charts(report: Report) -> list[str]:
        return [json.dumps(without_caption(c.fig), sort_keys=True, default=str) for c in report.charts]

    before = pio.templates.default
    plain = build_scorecard(report_data, "DE21")
    with figures_from_template_none():
        assert pio.templates.default == "none"
        quick = build_scorecard(report_data, "DE21")
    assert pio.templates.default == before
    assert len(plain.charts) == len(quick.charts) >= 5
    assert charts(quick) == charts(plain)
    assert all(c.fig.layout.template == pio.templates["none"] for c in quick.charts)


def test_a_scorecards_queries_are_read_ahead_and_the_report_is_the_same(computed, monkeypatch):
    """``ReportData.prefetch``: the scorecard's queries (``scorecard.reads``) are read on a thread of their own while
    the first sections are built; each is taken once, none is left over, and the report is the same as without."""
    from clusterobs.reports import ReportData, build_scorecard
    from clusterobs.reports.html import render_html
    from clusterobs.store.reads.ahead import collecting, query_key

    store, _ = computed
    taken: list[str] = []
    df = ReportData.df

    def counting(self, sql, params=None):
        if not collecting() and query_key(sql, params) in self.ahead().jobs:
            taken.append(query_key(sql, params))
        return df(self, sql, params)

    monkeypatch.setattr(ReportData, "df", counting)

    def build(prefetch: bool) -> tuple[str, list[str], dict]:
        data = ReportData.open(store)
        if not prefetch:
            monkeypatch.setattr(data, "prefetch", lambda *reads: None)
        report = build_scorecard(data, "DE21")
        assert data.ahead().jobs == {}  # every query read ahead was asked for
        data.close()
        report.generated_at = "now"
        return render_html(report, linked=True), [c.fig.to_json() for c in report.charts], report.facts

    plain = build(False)
    assert taken == []
    quick = build(True)
    assert len(taken) >= 20 and len(set(taken)) == len(taken)  # star tests, history, LFS, citations, ...
    assert any("cluster_star_tests" in key for key in taken) and any("FROM sources" in key for key in taken)
    assert quick[0] == plain[0] and quick[1] == plain[1] and quick[2] == plain[2]


def test_a_query_read_ahead_is_taken_once_and_a_failed_one_read_again(computed):
    """A query read ahead gives its frame once; the same query asked again is read again; a query that failed on
    the thread is read again by the caller (and fails there as it would have); ``close`` waits for the thread."""
    from clusterobs.reports import ReportData

    store, _ = computed
    data = ReportData.open(store)
    sources = "SELECT source FROM sources ORDER BY source"
    data.prefetch(lambda: data.df(sources), lambda: data.df("SELECT * FROM no_such_table"),
                  lambda: 1 / 0)  # a read that fails before its query: nothing read ahead for it
    assert set(data.ahead().jobs) == {repr((sources, [])), repr(("SELECT * FROM no_such_table", []))}
    first = data.df(sources)
    assert list(first["source"]) == sorted(first["source"]) and len(first) > 0
    assert repr((sources, [])) not in data.ahead().jobs
    assert data.df(sources).equals(first)  # read again
    with pytest.raises(duckdb.Error):
        data.df("SELECT * FROM no_such_table")
    # asked for before the thread reaches it (or after: either way the same frame, and nothing left behind)
    queries = [f"SELECT source, {n} AS n FROM sources ORDER BY source" for n in range(30)]
    data.prefetch(*[lambda q=q: data.df(q) for q in queries])
    last = data.df(queries[-1])
    assert last.equals(ReportData.df(data, queries[-1])) and list(last["n"].unique()) == [29]
    assert all(data.df(q)["n"].iloc[0] == n for n, q in enumerate(queries[:-1]))
    assert data.ahead().jobs == {}
    data.close()
    assert data.ahead().thread is None and data.ahead().jobs == {}


def test_citations_are_read_once_per_list_of_sources(report_data):
    """``citations`` keeps each list's citations (the version never changes): a chart's source line reads them once."""
    ids = ["eurostat_sbs_2015", "eurostat_sbs_2008_2015"]
    first = report_data.citations(ids)
    first.append("changed by the caller")
    again = report_data.citations(ids)
    assert again == first[:-1] and len(again) >= 1 and all(c.startswith("Source: Eurostat") for c in again)
    assert report_data.citations(list(reversed(ids))) == list(reversed(again)) or len(again) == 1


def test_the_workers_weasyprint_finds_its_libraries_from_the_loader_cache():
    """The PDF worker imports WeasyPrint with ``find_library`` answered from one ``ldconfig -p``: the same sonames as
    the standard lookup for the names that exist, none (at once) for those that do not; restored after."""
    import ctypes.util

    from clusterobs.reports.pdf import libraries_from_the_loader_cache

    names = ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "pangoft2-1.0"]
    standard = {name: ctypes.util.find_library(name) for name in names}
    assert standard["pango-1.0"] == "libpango-1.0.so.0"
    before = ctypes.util.find_library
    with libraries_from_the_loader_cache():
        assert ctypes.util.find_library is not before
        assert {name: ctypes.util.find_library(name) for name in names} == standard
        assert ctypes.util.find_library("libpango-1.0-0") is None and ctypes.util.find_library("pango-1.0-0") is None
    assert ctypes.util.find_library is before
