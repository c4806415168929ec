"""Provenance endpoints: the dataset versions on disk and the raw sources with their checksums."""

from __future__ import annotations

import pandas as pd
from django.http import HttpRequest
from ninja import Router

from clusterobs.web import api_params as p
from clusterobs.web.api_formats import FILE_FORMATS, download, records
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.mapping import selectors
from clusterobs.web.mapping.api_schemas import SourceList, VersionList

router = Router(tags=["provenance"])


@router.get("/versions", response={200: VersionList, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="Dataset versions")
def version_list_api(request: HttpRequest, fmt: Format = p.fmt()):
    """Every dataset version in the store, oldest first, and the published one the API serves."""
    published = selectors.dataset().version
    df = pd.DataFrame(selectors.versions(), columns=["version", "published", "created_at", "parent_version"])
    if fmt in FILE_FORMATS:
        return download(request, df, fmt=fmt, name=f"versions_{published}", title="Dataset versions")
    return {"published": published, "count": len(df), "results": records(df)}


@router.get("/sources", response={200: SourceList, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="Sources with provenance and checksums")
def source_list_api(request: HttpRequest, fmt: Format = p.fmt()):
    """Every raw file the published version was built from: publisher, address, licence, citation, SHA-256."""
    obs = selectors.dataset()
    df = selectors.sources()
    if fmt in FILE_FORMATS:
        return download(request, df, fmt=fmt, name=f"sources_{obs.version}", title="Sources")
    return {"version": obs.version, "count": len(df), "results": records(df)}
