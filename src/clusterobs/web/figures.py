"""Server-side image export: ``/api/figures/<chart>.png|svg?<page query>`` renders the page's chart with kaleido.

The figure is the one the page draws (``chart_registry``), caption included. kaleido drives the system Chromium
(``BROWSER_PATH``, default ``/usr/bin/chromium`` when it exists): one browser per process, started in the
background by ``clusterobs serve`` (else on the first image) and shared with the reports
(``clusterobs.reports.images``: two tabs, any thread may ask), about 0.3 s an image once warm. MathJax is off, so
the browser loads nothing from the network.

A request made while the browser still starts waits for it, at most ``CLUSTEROBS_IMAGE_WAIT`` seconds (60), then
answers 503 with ``Retry-After``; without Chromium it answers 503 at once, saying what to install.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from clusterobs.reports import images
from clusterobs.reports.chromium import BrowserStartError, ChromiumMissing
from clusterobs.web import chart_registry, dataset
from clusterobs.web.query import parse_query

log = logging.getLogger(__name__)

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH = 1000
#: seconds a request waits for the browser (starting, or busy with other images) before it answers 503
WAIT = float(os.environ.get("CLUSTEROBS_IMAGE_WAIT", "60"))
RETRY_AFTER = 10


class ImageUnavailable(Exception):
    """No image now: Chromium is missing (``retry_after`` None), or starting or busy (retry after that many s)."""

    def __init__(self, message: str, retry_after: int | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def render_image(fig, fmt: str, *, width: int = WIDTH, wait: float | None = None) -> bytes:
    """PNG or SVG bytes of a Plotly figure, at the figure's own height (PNG at scale 2); ``ImageUnavailable``
    when Chromium is missing, did not start, or is not ready within ``wait`` s (``WAIT``)."""
    job = images.submit(fig, fmt=fmt, width=width, scale=2 if fmt == "png" else 1)
    try:
        return job.result(timeout=WAIT if wait is None else wait)
    except ChromiumMissing as exc:
        raise ImageUnavailable(str(exc), None) from exc
    except BrowserStartError as exc:
        raise ImageUnavailable(f"{exc}; try again in a few seconds", RETRY_AFTER) from exc
    except concurrent.futures.TimeoutError as exc:
        raise ImageUnavailable("the image export browser (Chromium) is still starting or busy; try again in a few "
                               "seconds", RETRY_AFTER) from exc


def _error(status: int, message: str, **extra: object) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message, **extra}}, status=status)


def unavailable(exc: ImageUnavailable) -> JsonResponse:
    """503 in the API's envelope, with ``Retry-After`` unless Chromium is missing (it will not come by itself)."""
    response = _error(503, str(exc), parameter=None)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


@require_GET
def figure(request: HttpRequest, chart: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        return _error(404, f"`format` must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    if chart not in chart_registry.CHARTS:
        return _error(404, f"unknown chart {chart!r}; charts: {', '.join(sorted(chart_registry.CHARTS))}")
    try:
        if dataset.published_version() is None:
            return _error(503, "no dataset is published: run `clusterobs ingest` and `clusterobs compute`")
        parser = chart_registry.CHART_PARSERS.get(chart)
        q = parser(request.GET) if parser else parse_query(
            request.GET, measure=request.GET.get("measure") or
            ("lq" if chart == "compare-measure" else "employment" if chart.startswith("sector") else "stars"))
        if q.region:
            dataset.region_get(q.region)
            if chart in ("locator", "region-stars", "portfolio") and not parser:
                q = parse_query(request.GET, level=int(dataset.region_get(q.region)["level"]))
        out = chart_registry.build(chart, q)
    except chart_registry.EmptyChart as exc:
        return _error(404, str(exc))
    except dataset.NotFound as exc:
        return _error(404, str(exc))
    except dataset.BadParameter as exc:
        return _error(400, str(exc))
    try:
        body = render_image(out.fig, fmt)
    except ImageUnavailable as exc:
        log.warning("image export of %s: %s", chart, exc)
        return unavailable(exc)
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("image export of %s failed (ref %s)", chart, ref)
        return _error(500, "the image could not be rendered (Chromium/kaleido); see the server log", reference=ref)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{out.filename}.{fmt}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
