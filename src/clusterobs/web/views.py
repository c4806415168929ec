"""Page views: thin, each reads through ``selectors`` and renders a template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterobs.web import selectors


def home(request: HttpRequest) -> HttpResponse:
    try:
        head = selectors.headline()
    except selectors.NotFound as exc:
        return render(request, "observatory/empty.html", {"message": str(exc)}, status=503)
    return render(request, "observatory/home.html", {"headline": head})
