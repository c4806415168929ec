"""Query parameters shared by the endpoints: one name, one description, one constraint each."""

from __future__ import annotations

import re
from typing import Annotated, Any

from ninja import Path, Query
from pydantic import BeforeValidator, StringConstraints

from clusterobs.web import dataset
from clusterobs.web.api_formats import CONTENT_TYPES

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
#: the years a ``year`` parameter may name (the schema states them; a year without data is a 404 or 400 after)
YEAR_MIN, YEAR_MAX = 1900, 2100


def _whole_number(value: Any) -> Any:
    """A query or path value declared ``integer``: ASCII digits with an optional minus sign, nothing else.

    Pydantic's lax mode would also take ``+0.0``, ``1.0``, `` 5`` or ``1_000`` for an int; the OpenAPI schema says
    ``integer``, so those are refused (422) like any other value outside the schema."""
    if isinstance(value, str):
        if not _WHOLE_NUMBER.fullmatch(value):
            raise ValueError("must be an integer")  # digits only: "1.0", "+0", " 5" are not
        return int(value)
    return value


#: An integer query or path parameter: ``top: QueryInt = Query(5, ge=1)``.
QueryInt = Annotated[int, BeforeValidator(_whole_number)]
#: The same, optional: ``year: OptionalQueryInt = Query(None, ge=1900)``. Written as one Annotated optional (not
#: ``QueryInt | None``) so that the schema's bounds are ``minimum``/``maximum`` (pydantic writes ``ge``/``le``, which
#: no client reads, when a validator sits inside the union).
OptionalQueryInt = Annotated[int | None, BeforeValidator(_whole_number)]
#: A repeatable (or comma-separated) query parameter of codes: no empty value (``region=`` is an error, not "all").
QueryCodes = list[Annotated[str, StringConstraints(min_length=1)]] | None


def code() -> Any:
    return Path(..., description="NUTS 2021 code", example="DE11")


def category() -> Any:
    return Path(..., description="Category key (see /api/categories)", example="automotive")


def scheme() -> Any:
    return Query(dataset.DEFAULT_SCHEME, description="Star scheme: eco2007, eocic2019 or uscmp")


def year() -> Any:
    return Query(None, ge=YEAR_MIN, le=YEAR_MAX, description="Reference year; the latest when left out")


def level() -> Any:
    return Query(dataset.DEFAULT_LEVEL, ge=0, le=2, description="NUTS 2021 level: 0 country, 1, 2")


def min_stars(default: int = 0) -> Any:
    return Query(default, ge=0, le=99, description="Only clusters with at least this many stars")


def limit() -> Any:
    return Query(None, ge=1, le=100_000,
                 description="Page size (JSON: 100 when left out; files hold every row when left out)")


def offset() -> Any:
    return Query(0, ge=0, le=10_000_000, description="Rows to skip")


def fmt(default: str = "json") -> Any:
    return Query(default, alias="format", description="Answer format; files are attachments named after the view")


def file_formats(*formats: str) -> dict[str, Any]:
    """OpenAPI: the other media types a 200 answer can have (``?format=``)."""
    content = {CONTENT_TYPES[f].split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for f in formats}
    return {"responses": {200: {"content": content}}}


def map_formats(*formats: str) -> dict[str, Any]:
    """OpenAPI: a 200 answer that can be a GeoJSON FeatureCollection (``format=geojson``) or a file download."""
    content = {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}},
               **file_formats(*formats)["responses"][200]["content"]}
    return {"responses": {200: {"content": content}}}
