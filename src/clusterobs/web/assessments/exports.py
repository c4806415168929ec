"""What a result shows and exports: its page context, the radar chart (page, PNG, SVG), the PDF and the CSV."""

from __future__ import annotations

import base64
import csv
import io
import logging
import uuid
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clusterobs import charts
from clusterobs.assessment import MIN_PEERS, score
from clusterobs.charts.caption import Caption
from clusterobs.charts.plotlyjs import trace_types
from clusterobs.web import figures
from clusterobs.web.assessments import selectors
from clusterobs.web.assessments.models import Assessment
from clusterobs.web.pages import _json_for_html

log = logging.getLogger(__name__)


def fmt_score(x: float | None) -> str:
    return "" if x is None else f"{x:.0f}"


def subject_label(a: Assessment, *, public: bool = False) -> str:
    if a.region:
        return f"{a.region_name} ({a.region})"
    return a.name or (_("A cluster organisation") if public else _("Your organisation"))


def result_context(a: Assessment, *, public: bool = False) -> dict[str, Any]:
    """Everything the result page, the PDF and the public summary show (the public one without answers), in the
    active language: the stored definition overlaid with its version's translation (the same numbers)."""
    shown = a.shown()
    q = shown.questionnaire
    res = score(q, a.answers)
    peers = selectors.assessment_comparison(a, q)
    comp = peers.comparison
    dims = []
    for d in res.dimensions:
        stat = comp.dimensions.get(d.id) if comp else None
        dims.append({"id": d.id, "title": d.title, "score": d.score, "score_text": fmt_score(d.score),
                     "weight": formats.number_format(d.weight, decimal_pos=1 if d.weight % 1 else 0),
                     "weak": d.weak, "guidance": d.guidance,
                     "peer": None if stat is None else {"median": fmt_score(stat.median), "q1": fmt_score(stat.q1),
                                                        "q3": fmt_score(stat.q3), "rank": fmt_score(stat.rank)}})
    ctx: dict[str, Any] = {
        "a": a, "questionnaire": q, "shown": shown, "result": res, "subject": subject_label(a, public=public),
        "overall_text": fmt_score(res.overall), "dims": dims, "comparison": comp, "peers_n": peers.n,
        "peer_description": peers.description, "min_peers": MIN_PEERS,
        "overall_peer": None if comp is None else {"median": fmt_score(comp.overall.median),
                                                   "q1": fmt_score(comp.overall.q1), "q3": fmt_score(comp.overall.q3),
                                                   "rank": fmt_score(comp.overall.rank)},
        "public": public,
    }
    if not public:
        ctx["weak_points"] = [{"dimension": q.dimension(w.dimension).title, "text": w.text, "answer": w.answer,
                               "guidance": w.guidance, "cost": f"{w.cost:.1f}"} for w in res.weak_points]
        ctx["comments"] = [{"question": q.question(k).text, "text": v} for k, v in res.comments.items()]
        ctx["region_data"] = selectors.region_data(a.region) if a.region else None
    return ctx


def plotly_text(text: str) -> str:
    """User text inside a Plotly string: Plotly reads a few HTML tags (links among them), so escape them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure(a: Assessment, ctx: dict[str, Any]):
    """The radar chart of the result, with the peers' median when a comparison group exists."""
    q, res, comp = ctx["questionnaire"], ctx["result"], ctx["comparison"]
    subject = plotly_text(ctx["subject"])
    title = _("Self-assessment: %(subject)s") % {"subject": subject}
    subtitle = " · ".join([_("%(title)s, version %(version)s") % {"title": q.title, "version": q.version},
                           _("score per dimension, 0-100"), _("overall %(score)s") % {"score": ctx["overall_text"]}])
    done = a.completed_at.date().isoformat() if a.completed_at else ""
    source = _("Source: the respondent's answers to the clusterobs questionnaire, completed %(date)s; scoring "
               "and questions: clusterobs (docs/self-assessment.md).") % {"date": done}
    notes = []
    reference = None
    if comp:
        reference = {d.title: comp.dimensions[d.id].median for d in res.dimensions if d.id in comp.dimensions}
        notes.append(_("Dashed: median of %(n)s other completed assessments of this version%(group)s.") % {
            "n": comp.n, "group": f" ({ctx['peer_description']})" if ctx["peer_description"] else ""})
    scores = {d.title: d.score for d in res.dimensions}
    fig = charts.score_radar(scores, Caption(title, subtitle, source, notes), name=subject,
                             reference=reference, reference_name=_("Median of the comparison group"))
    return fig, title


def filename(a: Assessment) -> str:
    who = a.region or a.size_class or "organisation"
    return f"self-assessment_{a.definition.get('key', 'questionnaire')}_{a.definition.get('version', '')}_{who}"


def chart_slot(a: Assessment, ctx: dict[str, Any], *, png: str, svg: str) -> dict[str, Any]:
    """What ``observatory/_chart.html`` draws: the figure, its summary, its table and its PNG/SVG links."""
    fig, _title = figure(a, ctx)
    title = _("Self-assessment: %(subject)s") % {"subject": ctx["subject"]}  # escaped by the template
    res = ctx["result"]
    best = max(res.dimensions, key=lambda d: d.score)
    worst = min(res.dimensions, key=lambda d: d.score)
    summary = _("Overall score %(overall)s of 100; highest in %(best)s (%(bs)s), lowest in %(worst)s (%(ws)s).") % {
        "overall": ctx["overall_text"], "best": best.title, "bs": fmt_score(best.score), "worst": worst.title,
        "ws": fmt_score(worst.score)}
    head = [_("Dimension"), _("Score")]
    if ctx["comparison"]:
        head.append(_("Median of the comparison group"))
    rows = [[d["title"], d["score_text"], *([d["peer"]["median"] if d["peer"] else ""] if ctx["comparison"] else [])]
            for d in ctx["dims"]]
    return {"name": "assessment-radar", "id": "chart-assessment-radar", "png": png, "svg": svg, "title": title,
            "summary": summary, "notes": [], "json": mark_safe(_json_for_html(fig.to_json())),  # escaped there
            "traces": sorted(trace_types(fig)),
            "height": int(fig.layout.height or 600), "filename": filename(a), "table_head": head, "table_rows": rows}


def radar_response(a: Assessment, fmt: str) -> HttpResponse:
    if fmt not in figures.FORMATS:
        return JsonResponse({"error": {"status": 404, "message": f"`format` must be one of png, svg; got {fmt!r}."}},
                            status=404)
    fig, _title = figure(a, result_context(a, public=True))
    try:
        body = figures.render_image(fig, fmt, width=800)
    except figures.ImageUnavailable as exc:
        return figures.unavailable(exc)
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("radar export failed (ref %s)", ref)
        return JsonResponse({"error": {"status": 500, "message": "the image could not be rendered (Chromium/kaleido)",
                                       "reference": ref}}, status=500)
    response = HttpResponse(body, content_type=figures.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(a)}.{fmt}"'
    return response


def result_pdf(a: Assessment, *, base_url: str) -> bytes:
    """The result as PDF (WeasyPrint), the radar chart embedded as PNG (kaleido); without it if Chromium fails."""
    from weasyprint import HTML

    ctx = result_context(a)
    fig, _title = figure(a, ctx)
    try:
        png = figures.render_image(fig, "png", width=800)
        ctx["radar_png"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    except Exception:
        log.exception("radar chart for the PDF failed; the PDF is made without it")
        ctx["radar_png"] = None
    html = render_to_string("assessments/result_pdf.html", ctx)
    return HTML(string=html, base_url=base_url).write_pdf()


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def answers_csv(a: Assessment) -> str:
    """The answers with their texts in the active language (ids, values and scores are the same in all)."""
    q = a.shown().questionnaire
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["questionnaire", "version", "dimension", "question", "text", "answer", "answer_label", "score",
                "max_score", "weight"])
    for d in q.dimensions:
        for x in d.questions:
            value = a.answers.get(x.id, "")
            opt = x.option(value) if x.kind == "choice" and value else None
            w.writerow([_cell(v) for v in (q.key, q.version, d.id, x.id, x.text, value, opt.label if opt else "",
                                           opt.score if opt else "", x.max_score if x.kind == "choice" else "",
                                           x.weight if x.kind == "choice" else "")])
    return out.getvalue()
