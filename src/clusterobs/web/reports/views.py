"""Report pages: the list of reports (Europe, each country, each region, the Cluster Trends), a report's page with
its HTML and PDF."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from clusterobs.web import dataset
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import page
from clusterobs.web.reports.services import FORMATS, ReportState, report_get, report_key, report_language

REFRESH_SECONDS = 5


def _params(request: HttpRequest) -> dict:
    year = request.GET.get("year")
    if year is not None and not year.isdigit():
        raise dataset.BadParameter("year", f"`year` must be a year such as 2015; got {year!r}.")
    return {"scheme": request.GET.get("scheme") or dataset.DEFAULT_SCHEME, "year": int(year) if year else None,
            "lang": report_language(get_language())}  # the report in the site's active language


@cached_page
@page
def index(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    key = report_key("panorama", **params)
    obs = dataset.data()
    mapped = set(dataset.measures(scheme=key.scheme, year=key.year, level=2)["region"])
    regions = obs.regions[obs.regions["code"].isin(mapped)]
    countries = obs.regions[(obs.regions["level"] == 0) & obs.regions["code"].isin(set(regions["country"]))]
    groups = [{"code": c.code, "name": c.name, "regions": [
        {"code": r.code, "name": r.name} for r in regions[regions["country"] == c.code].itertuples()]}
        for c in countries.itertuples()]
    query = f"?scheme={key.scheme}&year={key.year}"
    return render(request, "reports/index.html", {
        "groups": groups, "query": query, "trends_query": f"?scheme={key.scheme}", "scheme": key.scheme,
        "year": key.year,
        "schemes": list(dict.fromkeys(obs.schemes["scheme"])), "years": obs.years, "version": key.version})


def _report_page(request: HttpRequest, state: ReportState, title: str, html_url: str, pdf_url: str) -> HttpResponse:
    status = {"ready": 200, "generating": 202, "failed": 500, "unavailable": 503}[state.status]
    return render(request, "reports/report.html", {
        "state": state, "title": title, "html_url": html_url, "pdf_url": pdf_url,
        "refresh": REFRESH_SECONDS if state.status == "generating" else None,
        "index_url": reverse("reports:index")}, status=status)


def _file(request: HttpRequest, state: ReportState, fmt: str, title: str) -> HttpResponse:
    if state.status != "ready":
        return _report_page(request, state, title, "", "")
    response = FileResponse(state.path(fmt).open("rb"), content_type=FORMATS[fmt])
    if fmt == "pdf":
        response["Content-Disposition"] = f'attachment; filename="{state.key.slug}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _views(kind: str, title_of, name: str | None = None):
    """The page and the document views of one kind of report; ``name``: the URL names' stem (default ``kind``)."""
    name = name or kind

    @page
    def html_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
        key = report_key(kind, code, **_params(request))
        state = report_get(key)
        q = f"?scheme={key.scheme}&year={key.year}"
        args = [code] if code else []
        return _report_page(request, state, title_of(code), reverse(f"reports:{name}_html", args=args) + q,
                            reverse(f"reports:{name}_pdf", args=args) + q)

    @xframe_options_sameorigin  # the report page (same site) shows the HTML in an iframe; other sites may not
    @page
    def document(request: HttpRequest, code: str | None = None, fmt: str = "html") -> HttpResponse:
        key = report_key(kind, code, **_params(request))
        return _file(request, report_get(key), fmt, title_of(code))

    return html_page, document


def _region_title(code: str | None) -> str:
    return _("Region scorecard: %(name)s") % {"name": dataset.region_get(code or "")["name"]}


def _country_title(code: str | None) -> str:
    return _("Cluster Panorama: %(name)s") % {"name": dataset.region_get(code or "")["name"]}


panorama, panorama_document = _views("panorama", lambda code: _("European Cluster Panorama"))
country, country_document = _views("country", _country_title)
region, region_document = _views("region", _region_title)
trends, trends_document = _views("trends", lambda code: _("European Cluster Trends"))


def _country_trends_title(code: str | None) -> str:
    return _("Cluster Trends: %(name)s") % {"name": dataset.region_get(code or "")["name"]}


country_trends, country_trends_document = _views("trends", _country_trends_title, "country_trends")
