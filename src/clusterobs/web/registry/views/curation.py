"""Curator pages: CSV export and import of profiles; uploaded files (logos, publications) served safely."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils._os import safe_join

from clusterobs.web.registry import csvio, permissions
from clusterobs.web.registry.forms import CsvImportForm
from clusterobs.web.registry.models import Organisation
from clusterobs.web.registry.views.common import deny

INLINE_TYPES = {"image/png", "image/jpeg"}


def _curator(request: HttpRequest) -> bool:
    return permissions.can_create(request.user, Organisation) and request.user.has_perm("registry.change_organisation")


def profiles_export(request: HttpRequest) -> HttpResponse:
    if not _curator(request):
        return deny(request)
    response = HttpResponse(csvio.profiles_csv(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="clusterobs-profiles-{stamp}.csv"'
    return response


def profiles_import(request: HttpRequest) -> HttpResponse:
    if not _curator(request):
        return deny(request)
    form = CsvImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = csvio.profiles_import(form.cleaned_data["file"].read())
    status = 400 if (result and result.errors) or (form.is_bound and not form.is_valid()) else 200
    return render(request, "registry/import.html", {"form": form, "result": result, "columns": csvio.COLUMNS},
                  status=status)


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded logos (PNG/JPEG, shown inline) and publication files (always downloaded, never rendered)."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception as exc:
        raise Http404 from exc
    if not full.is_file() or not path.startswith(("logos/", "publications/")):
        raise Http404
    kind = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    inline = kind in INLINE_TYPES and path.startswith("logos/")
    response = FileResponse(full.open("rb"), as_attachment=not inline, filename=full.name,
                            content_type=kind if inline else "application/octet-stream")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
