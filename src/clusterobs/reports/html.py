"""The report as one self-contained HTML document (charts inline as images, their captions as text), styled for
screen and print.

For the PDF the images are linked instead (``render_html(report, linked=True)``: ``src="chart:<name>"``, which
``render.pdf_bytes`` hands WeasyPrint from memory): the HTML parser then reads 15 kB instead of 1.5 MB of base64
(0.14 s of the PDF's CPU on a scorecard), and nothing is encoded and decoded again.

No template engine is installed beside Django's (which engine code may not import), so the document is written
here with MarkupSafe's escaping: every value from the data passes through ``escape``.
"""

from __future__ import annotations

import base64

from markupsafe import Markup, escape

from clusterobs.charts.caption import Caption, caption_of
from clusterobs.reports import formatting as fmt
from clusterobs.reports import i18n
from clusterobs.reports.i18n import _
from clusterobs.reports.model import Chart, Report, Section, Table

PAGE_CSS = """
@page { size: A4; margin: 18mm 15mm 18mm 15mm;
        @bottom-left { content: string(doc-title); font-size: 8pt; color: #555; }
        @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages); font-size: 8pt; color: #555; } }
"""
CSS = """
html { font-family: "DejaVu Sans", "Liberation Sans", Helvetica, Arial, sans-serif; font-size: 10pt;
       color: #1a1a1a; line-height: 1.4; }
body { max-width: 190mm; margin: 0 auto; }
header.report { border-bottom: 3px solid #0072B2; margin-bottom: 1em; }
header.report h1 { string-set: doc-title content(); font-size: 20pt; margin: 0 0 .2em 0; color: #08306b; }
header.report p.subtitle { font-size: 11pt; margin: 0 0 .6em 0; color: #333; }
h2 { font-size: 14pt; color: #08306b; border-bottom: 1px solid #c6dbef; margin-top: 1.4em;
     break-after: avoid; }
section.annex { break-before: page; }
p.absent { background: #f4f4f4; border-left: 4px solid #b0b0b0; padding: .4em .8em; }
dl.facts { display: flex; flex-wrap: wrap; gap: .6em 1.6em; margin: .6em 0; }
dl.facts div { min-width: 38mm; }
dl.facts dt { font-size: 8.5pt; color: #4d4d4d; }
dl.facts dd { margin: 0; font-size: 14pt; font-weight: bold; color: #08306b; }
figure.chart { margin: .8em 0; break-inside: avoid; }
figure.chart img { width: 100%; height: auto; display: block; }
figure.chart p { margin: 0; }
figure.chart p.chart-title { font-weight: bold; font-size: 11pt; color: #1a1a1a; }
figure.chart p.chart-subtitle { font-size: 9pt; color: #333; margin-bottom: .3em; }
figure.chart div.chart-notes { font-size: 7.5pt; color: #4d4d4d; }
figure.chart div.chart-notes p:first-child { font-size: 8.5pt; color: #1a1a1a; }
table { table-layout: fixed; border-collapse: collapse; width: 100%; margin: .6em 0 1em 0; font-size: 8.5pt; }
p.table-note { font-size: 8pt; color: #4d4d4d; margin-top: -.6em; }
table caption { text-align: left; font-weight: bold; font-size: 9pt; padding-bottom: .3em; }
th, td { border-bottom: 1px solid #ddd; padding: .15em .4em; text-align: left; vertical-align: top; }
th { background: #deebf7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
td.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 7pt; word-break: break-all; }
nav.toc ol { font-size: 9pt; padding-left: 0; counter-reset: toc; }
nav.toc li { display: inline-block; width: 48%; counter-increment: toc; }  /* two columns (CSS columns: +50 ms) */
nav.toc li::before { content: counter(toc) ". "; }
aside.caveats { border: 1px solid #d55e00; border-left: 5px solid #d55e00; background: #fff5ee;
                padding: .4em .9em; margin: .8em 0 1em 0; break-inside: avoid; }
aside.caveats p.caveats-title { font-weight: bold; color: #8c3a00; margin: .2em 0; }
aside.caveats ul { margin: .2em 0; padding-left: 1.2em; }
footer.provenance { margin-top: 2em; font-size: 8pt; color: #4d4d4d; border-top: 1px solid #ddd; }
"""


#: the address of the report's ``n``-th chart's image in the HTML for the PDF (``render_html(linked=True)``)
LINK = "chart:{n}"


def _chart(chart: Chart, link: str | None = None) -> str:
    """The chart's image with its caption as text: title and subtitle above, summary, source line and notes below."""
    if chart.image is None and link is None:
        raise ValueError(f"chart {chart.name!r} has no image: render the report's images first")
    caption = caption_of(chart.fig) or Caption(chart.title)
    src = link if link is not None else \
        f"data:{chart.mime};base64,{base64.b64encode(chart.image).decode('ascii')}"
    alt = f"{caption.title}. {chart.summary}"
    head = f'<p class="chart-title">{escape(caption.title)}</p>' + (
        f'<p class="chart-subtitle">{escape(caption.subtitle)}</p>' if caption.subtitle else "")
    foot = "".join(f"<p>{escape(line)}</p>" for line in [chart.summary, caption.source, *caption.notes] if line)
    return (f'<figure class="chart" id="chart-{escape(chart.name)}" data-chart="{escape(chart.name)}">'
            f"<figcaption>{head}</figcaption>"
            f'<img class="chart" alt="{escape(alt)}" src="{escape(src)}">'
            f'<div class="chart-notes">{foot}</div></figure>')


#: characters of 8.5 pt table text on a line of the 180 mm text width, and the cell padding in characters
LINE_CHARS, CELL_PADDING, LONGEST_CELL = 105, 1.5, 80


def column_widths(table: Table) -> list[float]:
    """Column widths (percent) from the cells' lengths in characters, as an automatic table layout would roughly
    share the line: each column gets its longest word, then the rest of the line in proportion to what its longest
    cell needs beyond that. With them the table is laid out fixed, which spares WeasyPrint measuring every cell."""
    natural = [float(len(h)) for h in table.header]
    minimum = [float(max((len(w) for w in h.split()), default=1)) for h in table.header]
    for row in table.rows:
        for i, cell in enumerate(row):
            text = str(cell)
            natural[i] = max(natural[i], min(len(text), LONGEST_CELL))
            longest_word = 8 if len(text) == 64 else max((len(w) for w in text.split()), default=0)  # hashes break
            minimum[i] = max(minimum[i], longest_word)
    minimum = [min(m, n) for m, n in zip(minimum, natural, strict=True)]
    room = LINE_CHARS - CELL_PADDING * len(natural)
    if sum(natural) <= room:
        widths = natural
    elif sum(minimum) >= room:
        widths = minimum
    else:
        extra = [n - m for n, m in zip(natural, minimum, strict=True)]
        share = (room - sum(minimum)) / sum(extra)
        widths = [m + e * share for m, e in zip(minimum, extra, strict=True)]
    widths = [w + CELL_PADDING for w in widths]
    return [100 * w / sum(widths) for w in widths]


def _cell(i: int, cell: str, table: Table) -> str:
    cls = " class=num" if i in table.numeric else " class=hash" if len(str(cell)) == 64 else ""
    return f"<td{cls}>{escape(cell)}</td>"


def _table(table: Table) -> str:
    cols = "".join(f'<col style="width:{w:.1f}%">' for w in column_widths(table))
    head = "".join(f'<th scope="col"{" class=num" if i in table.numeric else ""}>{escape(h)}</th>'
                   for i, h in enumerate(table.header))
    body = "".join("<tr>" + "".join(_cell(i, c, table) for i, c in enumerate(row)) + "</tr>" for row in table.rows)
    note = f'<p class="table-note">{escape(table.note)}</p>' if table.note else ""
    return (f"<table><caption>{escape(table.caption)}</caption><colgroup>{cols}</colgroup><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table>{note}")


def _section(section: Section, links: dict[int, str]) -> str:
    parts = [f'<section id="{escape(section.id)}"{" class=annex" if section.annex else ""}>',
             f"<h2>{escape(section.title)}</h2>"]
    if section.absent:
        parts.append(f'<p class="absent">{escape(section.absent)}</p>')
    parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
    parts += [_chart(c, links.get(id(c))) for c in section.charts]
    parts += [_table(t) for t in section.tables]
    parts.append("</section>")
    return "".join(parts)


def caveats_box(caveats: list[str]) -> Markup:
    """The caveats of a report, in a box under its title."""
    if not caveats:
        return Markup("")
    items = "".join(f"<li>{escape(c)}</li>" for c in caveats)
    title = _("Read with care")
    return Markup(f'<aside class="caveats" role="note"><p class="caveats-title">{escape(title)}</p>'
                  f"<ul>{items}</ul></aside>")


def facts_list(items: list[tuple[str, str]]) -> Markup:
    return Markup('<dl class="facts">' + "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>"
                                                 for k, v in items) + "</dl>")


def render_html(report: Report, *, linked: bool = False) -> str:
    """The complete HTML document of ``report`` (its charts must have their image), in ``report.lang``; with
    ``linked``, each image is linked as ``LINK`` instead of inline (for ``pdf.pdf_bytes``), and may not be drawn
    yet."""
    links = {id(c): LINK.format(n=n) for n, c in enumerate(report.charts)} if linked else {}
    with i18n.language(report.lang):
        return _document(report, links)


def linked_images(report: Report) -> dict[str, tuple[bytes, str]]:
    """The images ``render_html(report, linked=True)`` links to: address -> (bytes, MIME type)."""
    return {LINK.format(n=n): (c.image, c.mime) for n, c in enumerate(report.charts) if c.image is not None}


def linked_sizes(report: Report) -> dict[str, tuple[int, int]]:
    """The size in pixels of each image ``render_html(report, linked=True)`` links to, as soon as it is being drawn
    (``Chart.size``): address -> (width, height)."""
    return {LINK.format(n=n): c.size for n, c in enumerate(report.charts) if c.size is not None}


def _document(report: Report, links: dict[int, str]) -> str:
    page = PAGE_CSS % {"page": _("Page"), "of": _("of")}
    contents = _("Contents")
    footer = _("clusterobs {code} · dataset version {version} (extracted {date}) · generated {generated}").format(
        code=report.code_version, version=report.version, date=fmt.date(report.created_at[:10]),
        generated=report.generated_at)
    toc = "".join(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in report.sections)
    body = "".join(_section(s, links) for s in report.sections)
    lead = facts_list(report.highlights) if report.highlights else ""
    return (
        f'<!DOCTYPE html><html lang="{escape(report.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title>"
        f'<meta name="generator" content="clusterobs {escape(report.code_version)}">'
        f'<meta name="dataset-version" content="{escape(report.version)}">'
        f"<style>{page}{CSS}</style></head><body>"
        f'<header class="report"><h1>{escape(report.title)}</h1><p class="subtitle">{escape(report.subtitle)}</p>'
        f"{lead}{caveats_box(report.caveats)}</header>"
        f'<nav class="toc" aria-label="{escape(contents)}"><ol>{toc}</ol></nav>{body}'
        f'<footer class="provenance"><p>{escape(footer)}</p></footer></body></html>')
