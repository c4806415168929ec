"""API endpoints of the reports feature, mounted under /api/ by ``clusterobs.web.api``.

``GET /api/reports/europe.pdf|html``, ``/api/reports/country/{code}.pdf|html``, ``/api/reports/region/{code}.pdf|html``,
``/api/reports/trends.pdf|html`` and ``/api/reports/trends/{code}.pdf|html`` return the report file (200), or 202 with
``{"status": "generating", "retry_after": 5}`` while it is being generated.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from ninja import Path, Query, Router, Schema

from clusterobs.web import dataset
from clusterobs.web.api_params import YEAR_MAX, YEAR_MIN, OptionalQueryInt
from clusterobs.web.api_schemas import ERRORS, ErrorOut
from clusterobs.web.reports.services import FORMATS, report_get, report_key

router = Router(tags=["reports"])
RETRY_AFTER = 5


def _error(status: int, message: str, **extra: object) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message, "parameter": None, **extra}}, status=status)


def _serve(kind: str, code: str | None, fmt: str, scheme: str, year: int | None, lang: str = "en") -> HttpResponse:
    if fmt not in FORMATS:
        return _error(404, f"`format` must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    try:
        key = report_key(kind, code, scheme=scheme, year=year, lang=lang)
    except dataset.NoDataset as exc:
        return _error(503, str(exc))
    except dataset.NotFound as exc:
        return _error(404, str(exc))
    except dataset.BadParameter as exc:  # named as the API's other 400s name it
        return _error(400, str(exc), parameter=exc.name)
    state = report_get(key)
    if state.status == "generating":
        response = JsonResponse({"status": "generating", "retry_after": RETRY_AFTER, "report": key.slug}, status=202)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    if state.status == "unavailable":  # Chromium missing or not starting: what to install
        return _error(503, state.error or "the report could not be generated")
    if state.status == "failed":
        return _error(500, state.error or "the report could not be generated", reference=state.reference)
    response = FileResponse(state.path(fmt).open("rb"), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'{"attachment" if fmt == "pdf" else "inline"}; filename="{key.slug}.{fmt}"'
    response["X-Dataset-Version"] = key.version
    response["Content-Language"] = key.lang
    return response


class GeneratingOut(Schema):
    status: str
    retry_after: int
    report: str


#: the file itself (200), "being generated" (202) and the error envelope (400, 404, 500, 503), all documented
RESPONSES = {200: None, 202: GeneratingOut, **ERRORS, 500: ErrorOut}
#: keyed by the int 200 as in RESPONSES, so Ninja merges it into that entry (a "200" string key gave a second
#: "200" in openapi.json, which Swagger UI's YAML parser rejects as a duplicated mapping key)
FILE_CONTENT = {"responses": {200: {"description": "The report file",
                                      "content": {mime: {"schema": {"type": "string", "format": "binary"}}
                                                  for mime in FORMATS.values()}}}}

SCHEME = Query(dataset.DEFAULT_SCHEME, description="Star scheme: eco2007, eocic2019, uscmp")
YEAR = Query(None, ge=YEAR_MIN, le=YEAR_MAX, description="Year of the cluster data (default: the latest)")
LANG = Query("en", description="Language of the report's text: en or fr (names of categories, regions and "
                               "indicators stay as the data give them)")


@router.get("/reports/europe.{fmt}", response=RESPONSES, openapi_extra=FILE_CONTENT,
            summary="The European Cluster Panorama (PDF or HTML)")
def panorama_api(request: HttpRequest, fmt: str = Path(..., description="pdf or html"), scheme: str = SCHEME,
                 year: OptionalQueryInt = YEAR, lang: str = LANG):
    """The European Cluster Panorama; 202 while it is being generated (retry after the given seconds)."""
    return _serve("panorama", None, fmt, scheme, year, lang)


@router.get("/reports/country/{code}.{fmt}", response=RESPONSES, openapi_extra=FILE_CONTENT,
            summary="One country's Cluster Panorama (PDF or HTML)")
def country_api(request: HttpRequest, code: str = Path(..., description="NUTS country code, e.g. DE"),
                fmt: str = Path(..., description="pdf or html"), scheme: str = SCHEME, year: OptionalQueryInt = YEAR,
                lang: str = LANG):
    """The Panorama restricted to one country's regions; 202 while it is being generated."""
    return _serve("country", code, fmt, scheme, year, lang)


@router.get("/reports/region/{code}.{fmt}", response=RESPONSES, openapi_extra=FILE_CONTENT,
            summary="A region scorecard (PDF or HTML)")
def region_api(request: HttpRequest, code: str = Path(..., description="NUTS 2021 region code, e.g. DE21"),
               fmt: str = Path(..., description="pdf or html"), scheme: str = SCHEME, year: OptionalQueryInt = YEAR,
               lang: str = LANG):
    """A region's scorecard: portfolio, stars and their reasons, trends and the optional sections."""
    return _serve("region", code, fmt, scheme, year, lang)


@router.get("/reports/trends.{fmt}", response=RESPONSES, openapi_extra=FILE_CONTENT,
            summary="The European Cluster Trends report (PDF or HTML)")
def trends_api(request: HttpRequest, fmt: str = Path(..., description="pdf or html"), scheme: str = SCHEME,
               lang: str = LANG):
    """Cluster Trends over the longest window of at most five years ending in the latest year (2010-2015 with the
    SBS 2008-2015 panel; with one year it says that growth needs two); 202 while it is being generated."""
    return _serve("trends", None, fmt, scheme, None, lang)


@router.get("/reports/trends/{code}.{fmt}", response=RESPONSES, openapi_extra=FILE_CONTENT,
            summary="One country's Cluster Trends report (PDF or HTML)")
def country_trends_api(request: HttpRequest, code: str = Path(..., description="NUTS country code, e.g. DE"),
                       fmt: str = Path(..., description="pdf or html"), scheme: str = SCHEME, lang: str = LANG):
    """Cluster Trends over one country's regions; 202 while it is being generated."""
    return _serve("trends", code, fmt, scheme, None, lang)
