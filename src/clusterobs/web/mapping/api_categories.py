"""Category endpoints: the list with data coverage, one category, and one category across all regions."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from clusterobs.web import api_params as p
from clusterobs.web.api_formats import (
    FILE_FORMATS,
    download,
    geojson_response,
    measure_records,
    plain,
    records,
    view_name,
)
from clusterobs.web.api_params import OptionalQueryInt, QueryInt
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.mapping import selectors
from clusterobs.web.mapping.api_schemas import (
    CategoryDetail,
    CategoryDivisions,
    CategoryList,
    CategoryRegions,
    Kind,
    Measure,
    RankFormat,
)

router = Router(tags=["categories"])


@router.get("/categories", response={200: CategoryList, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="Cluster categories")
def category_list_api(request: HttpRequest,
                      kind: Kind | None = Query(None, description="traded, local or emerging"),
                      fmt: Format = p.fmt()):
    """The 51 traded and 16 local US Cluster Mapping categories and the emerging industries, with data coverage."""
    df = selectors.category_list(kind)
    if fmt in FILE_FORMATS:
        return download(request, df, fmt=fmt, name=view_name("categories", kind), title="Cluster categories")
    return {"version": selectors.dataset().version, "count": len(df), "results": records(df)}


@router.get("/categories/{category}", response={200: CategoryDetail, **ERRORS}, summary="One category")
def category_detail_api(request: HttpRequest, category: str = p.category(), scheme: str = p.scheme(),
                        year: OptionalQueryInt = p.year(), level: QueryInt = p.level()):
    """The category, its data coverage and the number of regions by stars."""
    profile = selectors.category_profile(category, scheme=scheme, year=year, level=level)
    by_stars = {str(k): v for k, v in profile.pop("regions_by_stars").items()}
    divisions = records(selectors.category_divisions(category))
    return {**plain(profile), "regions_by_stars": by_stars, "divisions": divisions,
            "version": selectors.dataset().version}


@router.get("/categories/{category}/divisions", response={200: CategoryDivisions, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="The NACE divisions feeding one category")
def category_divisions_api(request: HttpRequest, category: str = p.category(), fmt: Format = p.fmt()):
    """The NACE divisions that feed the category, with their concordance weight and the share of the category's
    US employment (County Business Patterns 2012) each carries, largest first, and whether the SBS business economy
    covers them. Empty when the dataset version has no `category_divisions` table."""
    rows = selectors.category_divisions(category)
    cat = selectors.category_get(category)
    if fmt in FILE_FORMATS:
        return download(request, rows, fmt=fmt, name=view_name("divisions", category),
                        title=f"{cat['name']}: the NACE divisions feeding it")
    return {"version": selectors.dataset().version, "category": category, "name": cat["name"], "count": len(rows),
            "results": records(rows)}


@router.get("/categories/{category}/regions", response={200: CategoryRegions, **ERRORS},
            openapi_extra=p.map_formats(*FILE_FORMATS), summary="One category across regions, ranked")
def category_regions_api(request: HttpRequest, category: str = p.category(), scheme: str = p.scheme(),
                         year: OptionalQueryInt = p.year(), level: QueryInt = p.level(),
                         min_stars: QueryInt = p.min_stars(),
                         measure: Measure = Query("employment", description="Ranking measure"),
                         fmt: RankFormat = p.fmt()):
    """Every region holding the category, ranked by `measure` (1 = highest; missing values unranked, last).
    `format=geojson` gives the map of the category instead (every region of the level, as `/api/geojson`)."""
    if fmt == "geojson":
        collection = selectors.region_map(level=level, category=category, scheme=scheme, year=year,
                                          measure=measure)
        year = collection["features"][0]["properties"]["year"] if collection["features"] else year
        return geojson_response(collection, name=view_name("map", category, measure, scheme, year, f"nuts{level}"))
    rows = selectors.category_regions(category, scheme=scheme, year=year, level=level, measure=measure,
                                      min_stars=min_stars)
    cat = selectors.category_get(category)
    year = selectors.check_year(year)
    if fmt in FILE_FORMATS:
        name = view_name("regions", category, scheme, year, f"nuts{level}", measure,
                         f"min{min_stars}stars" if min_stars else None)
        return download(request, rows, fmt=fmt, name=name, scheme=scheme, title=f"{cat['name']} across regions")
    note = None
    if rows.empty:
        note = (f"{category} is not mapped: the data cover too few of its industries ({cat.get('status')})"
                if cat.get("status") == "not covered" else "no region matches these filters")
    return {"version": selectors.dataset().version, "category": category, "name": cat["name"], "scheme": scheme,
            "year": year, "level": level, "measure": measure, "note": note, "count": len(rows),
            "results": measure_records(rows)}
