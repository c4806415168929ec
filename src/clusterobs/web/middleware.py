"""The site's own middleware: one dataset version per request, and embedding.

``DatasetVersionMiddleware``: every read of a request (pages, API answers, their cache keys and ETags) uses the
version published when the request first read one (``current.json`` is read once per request, see
``dataset.one_version``): a version published meanwhile serves the next request, never half of this one.

``EmbedFrameMiddleware``: a page asked with ``?embed=1`` (no site chrome, see base.html) may be framed by other
sites. Every other page keeps Django's ``X-Frame-Options: DENY`` (clickjacking protection), but for the report
documents, which the site's own report pages frame (``SAMEORIGIN``, set on their views in ``web.reports.views``). An
embedded view shows data and links only; its forms (language, search) are not drawn, so framing it exposes no action
to a hostile page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from clusterobs.web import dataset


class DatasetVersionMiddleware:
    """Resolve the published dataset version once per request and carry it (a context variable) to every read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with dataset.one_version():
            return self.get_response(request)


class EmbedFrameMiddleware:
    """Mark ``?embed=1`` answers exempt from X-Frame-Options (list it after XFrameOptionsMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and request.GET.get("embed") == "1":
            response.xframe_options_exempt = True  # type: ignore[attr-defined]
        return response
