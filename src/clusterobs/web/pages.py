"""What every page of every app shares: error pages, chart slots, download and share links, the filter choices.

Part of the site kernel: it imports no app (the apps register their charts and row counters into it)."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clusterobs.charts.plotlyjs import trace_types
from clusterobs.charts.specs.text import data_text, scheme_short
from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.web import chart_registry, dataset
from clusterobs.web.labels import (
    DATA_MEASURES,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    STATUS_LABELS,
    T,
    num,
)
from clusterobs.web.query import Query

log = logging.getLogger("clusterobs.web")

View = Callable[..., HttpResponse]


def offered_measures(measures: tuple[str, ...], current: str | None = None) -> list[str]:
    """The ``measures`` a menu offers: growth and productivity only when the dataset has a value of them in some year
    (growth needs two years, productivity wages); the ``current`` one is always kept, so the menu shows the view."""
    return [m for m in measures if m not in DATA_MEASURES or m == current or dataset.years_with(m)]


def not_found(request: HttpRequest, message: str, *, status: int = 404) -> HttpResponse:
    """The 404 page: what was not found and why, with the search form and the entry points."""
    return render(request, "observatory/not_found.html", {"message": message}, status=status)


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "observatory/bad_request.html",
                  {"message": message, "reset_url": request.path}, status=400)


def page(view: View) -> View:
    """Turn the selectors' errors into pages: unknown code → 404, bad parameter → 400, no dataset → 503."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            if dataset.published_version() is None:
                return render(request, "observatory/empty.html", {"message": str(exc)}, status=503)
            return not_found(request, str(exc))
        except BadParameter as exc:
            return bad_request(request, str(exc))
        except NoDataset as exc:
            return render(request, "observatory/empty.html", {"message": str(exc)}, status=503)

    return wrapper


def _json_for_html(fig_json: str) -> str:
    """Figure JSON safe inside <script type="application/json"> (as Django's json_script escapes)."""
    return fig_json.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def figure_url(name: str, q: Query, fmt: str) -> str:
    return reverse("figure", args=[name, fmt]) + "?" + q.qs(*chart_registry.CHART_PARAMS[name])


def _slot_body(name: str, q: Query) -> dict[str, Any]:
    try:
        out = chart_registry.build(name, q)
    except chart_registry.EmptyChart as exc:
        return {"empty": str(exc)}
    return {"title": out.title, "summary": out.summary, "notes": out.notes,
            "json": mark_safe(_json_for_html(out.fig.to_json())),  # escaped above
            "traces": sorted(trace_types(out.fig)),  # which plotly.js bundle can draw it (plotlyjs.py)
            "height": int(out.fig.layout.height or 480), "filename": out.filename,
            "table_head": out.table[0], "table_rows": out.table[1:]}


def chart_slot(name: str, q: Query) -> dict[str, Any]:
    """Everything a template needs to draw one chart, or say why it cannot (empty) or what failed (error).

    The built chart is kept in the published version's memo per (chart, query, language): a version never
    changes, so the figure JSON of a view is built once (it is most of a page's server time).
    """
    slot: dict[str, Any] = {"name": name, "id": f"chart-{name}", "png": figure_url(name, q, "png"),
                            "svg": figure_url(name, q, "svg")}
    try:
        body = dataset.data().memo.get(("chart", name, repr(q), get_language()), lambda: _slot_body(name, q))
    except (NotFound, BadParameter):
        raise
    except Exception:  # a chart that fails must not take the page down: say so, with a reference
        ref = uuid.uuid4().hex[:8]
        log.exception("chart %s failed (ref %s) for %s", name, ref, q)
        return {**slot, "error": _("This chart could not be drawn (reference %(ref)s).") % {"ref": ref}}
    return {**slot, **body}


def api_url(endpoint: str, params: dict[str, Any], fmt: str | None = None) -> str:
    """A link to the REST API with the page's query (``format`` added for file downloads)."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if fmt:
        query["format"] = fmt
    return f"/api/{endpoint}?{urlencode(query, doseq=True)}"


#: the apps' row counters (``count_rows_with``): each answers how many rows the download of an endpoint holds, or None
#: for an endpoint it does not know
ROW_COUNTERS: list[Callable[[str, dict[str, Any]], int | None]] = []


def count_rows_with(counter: Callable[[str, dict[str, Any]], int | None]) -> None:
    """Add an app's row counter (from its ``AppConfig.ready()``): ``downloads`` states the row count it answers."""
    if counter not in ROW_COUNTERS:
        ROW_COUNTERS.append(counter)


def download_rows(endpoint: str, params: dict[str, Any]) -> int | None:
    """How many rows the CSV/XLSX download of ``endpoint`` with ``params`` holds, by the first app that knows the
    endpoint; None when none does."""
    for counter in ROW_COUNTERS:
        rows = counter(endpoint, params)
        if rows is not None:
            return rows
    return None


def downloads(endpoint: str, params: dict[str, Any], *, rows: int | None = None) -> dict[str, Any]:
    """The CSV, XLSX and JSON links of a table, with its row count (``rows``, counted here when not given)."""
    if rows is None:
        rows = download_rows(endpoint, params)
    return {"csv": api_url(endpoint, params, "csv"), "xlsx": api_url(endpoint, params, "xlsx"),
            "json": api_url(endpoint, params), "rows": rows,
            "rows_text": None if rows is None else ngettext("%(n)s row", "%(n)s rows", rows) % {"n": num(rows)}}


def embed_code(request: HttpRequest, share: str, *, title: str, height: int = 700) -> str:
    """The iframe that embeds this view elsewhere: the shared deep link with ``embed=1`` (no site chrome)."""
    src = share + ("&" if "?" in share else "?") + "embed=1"
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{int(height)}" '
            'style="border:0" loading="lazy"></iframe>')


def share_url(request: HttpRequest, path: str, params: dict[str, str]) -> str:
    """The over-specified deep link of the view, carrying the data release it was made with."""
    params = {**params, "release": dataset.data().version}
    return request.build_absolute_uri(f"{path}?{urlencode(params)}")


def release_notice(request: HttpRequest) -> str:
    asked = request.GET.get("release")
    current = dataset.data().version
    if asked and asked != current:
        return _("This link was made with data release %(asked)s; it now shows release %(current)s, the one "
                 "published.") % {"asked": asked, "current": current}
    return ""


def choices(level: int | None = None) -> dict[str, Any]:
    """The options of the filter controls (kept per version, level and language: they change with neither)."""
    return dataset.data().memo.get(("choices", level, get_language()), lambda: _choices(level))


def _choices(level: int | None) -> dict[str, Any]:
    obs = dataset.data()
    schemes = obs.schemes.drop_duplicates("scheme")
    cats = dataset.categories_named()  # "Medical devices (emerging)" beside the traded "Medical Devices"
    cov = dataset.category_coverage(level=dataset.DEFAULT_LEVEL if level is None else level)
    status = dict(zip(cov["category"], cov["status"], strict=True))
    groups = []
    for kind in ("traded", "local", "emerging"):
        rows = cats[cats["kind"] == kind].sort_values("name")
        groups.append({"label": KIND_LABELS[kind], "options": [
            {"value": r.category, "label": r.name + (f" ({STATUS_LABELS['not covered']})"
                                                     if status.get(r.category) == "not covered" else "")}
            for r in rows.itertuples()]})
    return {
        "years": obs.years,
        "schemes": [{"value": r.scheme, "label": f"{scheme_short(r.scheme)}: {data_text(T, r.title)}"}
                    for r in schemes.itertuples()],
        "levels": [{"value": k, "label": v} for k, v in LEVEL_LABELS.items()],
        "category_groups": groups,
        "measure_labels": MEASURE_LABELS,
    }


def base_context(request: HttpRequest, q: Query, path: str, *keys: str) -> dict[str, Any]:
    params = q.params(*keys)
    share = share_url(request, path, params)
    return {"q": q, "share": share, "embed": embed_code(request, share, title=_("European Cluster Observatory")),
            "release_notice": release_notice(request), **choices(q.level)}


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Any unknown address: say so, with the search form and the entry points."""
    return not_found(request, _("There is no page at %(path)s.") % {"path": request.path})
