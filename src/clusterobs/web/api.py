"""The REST API (Django Ninja): OpenAPI at /api/openapi.json, interactive docs at /api/docs.

The kernel's API object: the apps add their routers from their ``AppConfig.ready()`` (``add_router``; the Cluster
Mapping Tool's endpoints live in ``clusterobs.web.mapping.api_*``), each endpoint parses its parameters, calls one
selector and returns an output schema or a file (``api_formats``). Django runs every ``ready()`` before it imports
the URLconf, so every router is in before ``urls.py`` reads the API's URLs (and the fallback goes last).
Every error leaves in one envelope, ``{"error": {"status", "message", "parameter"}}``: 400 for a bad parameter
(``clusterobs.errors.BadParameter``, whose ``name`` is the ``parameter``, and Ninja's own validation), 404 for an
unknown region, category or path (``NotFound``, its ``name`` likewise), 503 when no dataset is published
(``NoDataset``) or a write still finds SQLite locked (with ``Retry-After``), 500 (with a reference to the server log)
for a bug.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import HttpError, ValidationError

from clusterobs import __version__
from clusterobs.charts.specs.text import years_text
from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.web import dataset, dbbusy
from clusterobs.web.api_formats import cached

log = logging.getLogger(__name__)


class ObservatoryAPI(NinjaAPI):
    """The API whose OpenAPI schema states, on every ``year`` parameter, the years the published version holds
    (read when the schema is built: a new version with more years changes the schema, not the code), and whose
    routes end with the fallback (``unknown_path``), added when its URLs or schema are first read."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        _finish()
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return with_years(schema, dataset.store_years())

    @property
    def urls(self) -> Any:
        _finish()
        return super().urls


def with_years(schema: Any, years: list[int]) -> Any:
    """Every ``year`` query parameter of ``schema`` bounded by the store's years (``minimum``/``maximum``), its
    description naming them ("one of 2008–2015"); unchanged when no version with measures is published."""
    if not years:
        return schema
    text = years_text(years)
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else ():
                if param.get("name") != "year" or param.get("in") != "query":
                    continue
                param["description"] = (f"Reference year, one of {text} (the years of the published dataset "
                                        f"version); {years[-1]}, the latest, when left out" if len(years) > 1 else
                                        f"Reference year: {text}, the only year of the published dataset version "
                                        "(also when left out)")
                body = param.get("schema", {})
                body["description"] = param["description"]
                for part in [body, *body.get("anyOf", [])]:
                    if part.get("type") == "integer":
                        part["minimum"], part["maximum"] = years[0], years[-1]
                param["example"] = years[-1]
    return schema


api = ObservatoryAPI(title="clusterobs API", version=__version__, urls_namespace="api",
               description="European Cluster Observatory: NUTS 2021 regions, cluster categories, cluster measures "
                           "and stars, portfolios, maps, dataset versions and sources. Every list answers in JSON, "
                           "CSV, XLSX or Parquet (`?format=`); maps in GeoJSON. Guide: docs/api.md.")
api.add_decorator(cached, mode="view")
_finished: list[bool] = []


def add_router(router: Router) -> None:
    """Add an app's router (called from its ``AppConfig.ready()``, in ``INSTALLED_APPS`` order: the order of the
    OpenAPI paths); after the URLs are read it is too late (Ninja's ``ConfigError``)."""
    api.add_router("/", router)


def error(request: HttpRequest, status: int, message: str, parameter: str | None = None,
          **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": {"status": status, "message": message, "parameter": parameter,
                                                   **extra}}, status=status)


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return error(request, 400, str(exc), exc.name)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    try:
        dataset.dataset()  # a read before the first ingest lands here: say so, as a 503
    except NoDataset as missing:
        return _no_dataset(request, missing)
    parameter = exc.name
    path_params = request.resolver_match.kwargs if request.resolver_match else {}
    if parameter == "region" and "code" in path_params:  # /regions/{code}: the path names it `code`
        parameter = "code"
    return error(request, 404, str(exc), parameter)


@api.exception_handler(NoDataset)
def _no_dataset(request: HttpRequest, exc: NoDataset) -> HttpResponse:
    response = error(request, 503, str(exc))
    response["Retry-After"] = "300"
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Ninja's own validation (types, bounds, choices) in the selectors' form: "`level` must be …; got …". A body's
    fields are named by ``BodyIn``; what reaches here about a body is the body itself (left out, or not an object),
    said so rather than by the endpoint's parameter name (`` `payload` ``)."""
    first = exc.errors[0] if exc.errors else {}
    raw_loc = tuple(first.get("loc", ()))
    if raw_loc[:1] == ("body",) and len(raw_loc) <= 2:
        missing = first.get("type") == "missing"
        return error(request, 400, "the request body is required: a JSON object" if missing
                     else "the request body must be a JSON object", None)
    loc = [str(x) for x in raw_loc if x not in ("query", "path", "body")]
    parameter = loc[0] if loc else None
    got = request.GET.get(parameter) if parameter else None
    msg = re.sub(r"^Input should", "must", first.get("msg", "is not valid"))
    msg = re.sub(r"^Value error, ", "", msg)  # a BeforeValidator's ValueError (QueryInt): its text says what
    if first.get("type") == "literal_error":
        msg = f"must be one of {first.get('ctx', {}).get('expected', '')}"
    elif first.get("type") == "missing":
        msg = "is required"
    elif first.get("type") == "string_too_short":  # QueryCodes: `region=` names nothing, it is not "every region"
        msg = "must name at least one code"
    msg = msg.replace("must be a valid integer, unable to parse string as an integer", "must be an integer")
    return error(request, 400, f"`{parameter}` {msg}" + (f"; got {got!r}." if got is not None else "."), parameter)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):  # Ninja's, for a body not JSON
        message = "the request body must be a JSON object; it is not JSON"
    return error(request, exc.status_code, message)


@api.exception_handler(OperationalError)
def _database_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """SQLite still locked after the busy timeout: 503 + Retry-After (``dbbusy``); any other: a 500 as below."""
    return dbbusy.answer(request) if dbbusy.is_locked(exc) else _unexpected(request, exc)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    reference = uuid.uuid4().hex[:12]
    log.exception("API error %s on %s", reference, request.get_full_path())
    return error(request, 500, f"internal error (reference {reference}); the server log has the details",
                 reference=reference)


fallback = Router()


@fallback.get("/{path:rest}", include_in_schema=False)
def unknown_path(request: HttpRequest, rest: str):
    return error(request, 404, f"no API endpoint at /api/{rest}; see /api/docs")


def _finish() -> None:
    """Add the fallback, once and last (only what no endpoint matched), when the URLs or the schema are first read."""
    if not _finished:
        _finished.append(True)
        api.add_router("/", fallback)
