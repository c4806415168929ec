"""Region endpoints: the list, one region's profile, its cluster portfolio and why a cluster has its stars."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from clusterobs.web import api_params as p
from clusterobs.web.api_formats import (
    DEFAULT_LIMIT,
    FILE_FORMATS,
    download,
    measure_records,
    page_links,
    plain,
    records,
    view_name,
)
from clusterobs.web.api_params import OptionalQueryInt, QueryInt
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.mapping import selectors
from clusterobs.web.mapping.api_schemas import Portfolio, RegionDetail, RegionPage, StarTests

router = Router(tags=["regions"])


@router.get("/regions", response={200: RegionPage, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="NUTS 2021 regions")
def region_list_api(request: HttpRequest, level: OptionalQueryInt = Query(None, ge=0, le=2, description="NUTS level"),
                    country: str | None = Query(None, description="Country code", example="DE"),
                    q: str | None = Query(None, description="Search in codes (prefix) and names", example="stutt"),
                    limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """Regions, filtered by level, country or a search; with `q`, the best matches first."""
    df = selectors.region_list(level=level, country=country, q=q)
    total = len(df)
    if fmt in FILE_FORMATS:
        page = df.iloc[offset:offset + limit] if limit else df.iloc[offset:]
        name = view_name("regions", f"nuts{level}" if level is not None else None, country, q and f"q-{q}")
        return download(request, page, fmt=fmt, name=name, title="NUTS 2021 regions")
    limit = limit or DEFAULT_LIMIT
    nxt, prev = page_links(request, total=total, limit=limit, offset=offset)
    return {"version": selectors.dataset().version, "count": total, "limit": limit, "offset": offset, "next": nxt,
            "previous": prev, "results": records(df.iloc[offset:offset + limit])}


@router.get("/regions/{code}", response={200: RegionDetail, **ERRORS}, summary="One region")
def region_detail_api(request: HttpRequest, code: str = p.code(), scheme: str = p.scheme(),
                      year: OptionalQueryInt = p.year()):
    """Name, level, parent, country, regional context indicators, the region's data quality (`data_quality`: a
    no-data region is left out of rankings and headlines), its flagged SBS/LFS `caveats`, its headline figures of
    traded categories and its starred clusters."""
    profile = dict(selectors.region_profile(code, scheme=scheme, year=year))
    starred = profile.pop("starred_clusters")
    caveats = profile.pop("caveats")
    return {**plain(profile), "version": selectors.dataset().version, "caveats": records(caveats),
            "starred_clusters": measure_records(starred)}


@router.get("/regions/{code}/portfolio", response={200: Portfolio, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="A region's cluster portfolio")
def region_portfolio_api(request: HttpRequest, code: str = p.code(), scheme: str = p.scheme(),
                         year: OptionalQueryInt = p.year(),
                         top: QueryInt = Query(5, ge=1, le=50, description="Length of the top lists"),
                         fmt: Format = p.fmt()):
    """The most productive, most specialised and largest traded clusters among those that can be ranked (never a
    cell with `rankable` false, nor any of a no-data region), and every category's row with its `caveat`."""
    pf = selectors.region_portfolio(code, scheme=scheme, year=year, top=top)
    if fmt in FILE_FORMATS:
        name = view_name("portfolio", code, pf["scheme"], pf["year"], f"nuts{pf['level']}")
        return download(request, pf["rows"], fmt=fmt, name=name, scheme=pf["scheme"],
                        title=f"Cluster portfolio of {code} {pf['name'] or ''}")
    lists = {k: measure_records(pf[k]) for k in ("most_productive", "most_specialised", "largest")}
    return {**plain({k: pf[k] for k in ("region", "name", "level", "scheme", "year")}), "notes": pf["notes"], **lists,
            "data_quality": plain(pf["data_quality"]) if pf["data_quality"] else None,
            "version": selectors.dataset().version, "count": len(pf["rows"]), "results": measure_records(pf["rows"])}


@router.get("/regions/{code}/clusters/{category}/tests", response={200: StarTests, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="Why a cluster has its stars")
def star_tests_api(request: HttpRequest, code: str = p.code(), category: str = p.category(), scheme: str = p.scheme(),
                   year: OptionalQueryInt = p.year(), fmt: Format = p.fmt()):
    """Every condition of the scheme's tests with the cluster's value, the threshold and whether it passed."""
    ex = selectors.star_explanation(code, category, scheme=scheme, year=year)
    if fmt in FILE_FORMATS:
        name = view_name("tests", code, category, ex["scheme"], ex["year"], f"nuts{ex['level']}")
        return download(request, ex["conditions"], fmt=fmt, name=name, scheme=ex["scheme"],
                        title=f"Star tests of {category} in {code}")
    return {**plain(ex), "version": selectors.dataset().version, "conditions": records(ex["conditions"])}
