"""A write that still finds SQLite locked after the busy timeout answers 503 with ``Retry-After``, not 500.

settings.py opens SQLite in WAL mode with immediate transactions and a busy timeout
(``CLUSTEROBS_SQLITE_TIMEOUT``, 20 s), so concurrent writers queue for the lock instead of failing; only a write
that waited the whole timeout gets here. A page answers with a short HTML page, the API (``/api/``) with its JSON
error envelope (``api.py`` registers ``api_answer`` for ``OperationalError``); nothing was written, so the client may
send the same request again. PostgreSQL never raises this error: its answers are unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

#: seconds a client should wait before sending the write again
RETRY_AFTER = 5


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (or "database table is locked")."""
    return isinstance(exc, OperationalError) and "is locked" in str(exc)


def _message() -> str:
    return _("The database is busy with other changes; nothing was saved. Please try again in a few seconds.")


def api_answer(request: HttpRequest) -> JsonResponse:
    """The API's envelope: ``{"error": {"status": 503, "message", "parameter": null}}`` with ``Retry-After``."""
    response = JsonResponse({"error": {"status": 503, "message": _message(), "parameter": None}}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def page_answer(request: HttpRequest) -> HttpResponse:
    """A short HTML page saying the same, with ``Retry-After``."""
    try:
        body = render_to_string("observatory/busy.html", {"message": _message(), "retry_after": RETRY_AFTER},
                                request=request)
    except Exception:  # the site's layout reads the database too: the message alone then
        log.exception("the busy page could not be drawn")
        body = f"<!doctype html><title>503</title><p>{escape(_message())}</p>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def answer(request: HttpRequest) -> HttpResponse:
    log.warning("database is locked after the busy timeout: 503 for %s %s", request.method, request.path)
    return api_answer(request) if request.path.startswith("/api/") else page_answer(request)


def handler500(request: HttpRequest) -> HttpResponse:
    """``urls.handler500``: "database is locked" raised outside a view (a middleware saving the session) answers
    503 too; any other error Django's plain 500 page."""
    import sys

    from django.views.defaults import server_error

    exc = sys.exc_info()[1]
    return answer(request) if exc is not None and is_locked(exc) else server_error(request)


class DatabaseBusyMiddleware:
    """Turn a view's "database is locked" into 503 + ``Retry-After`` (any other error passes on)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return answer(request) if is_locked(exception) else None
