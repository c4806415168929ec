"""The cluster measures (filtered, sorted, paginated) and the map layer (GeoJSON of NUTS 2021 regions)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from clusterobs.web import api_params as p
from clusterobs.web.api_formats import (
    DEFAULT_LIMIT,
    FILE_FORMATS,
    download,
    geojson_response,
    measure_records,
    page_links,
    plain,
    split_list,
    view_name,
)
from clusterobs.web.api_params import OptionalQueryInt, QueryCodes, QueryInt
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.mapping import selectors
from clusterobs.web.mapping.api_schemas import FeatureCollection, Headline, Kind, MapFormat, Measure, MeasurePage

router = Router(tags=["measures"])

SORT_HELP = ("Comma-separated columns, `-` for descending, missing values last: "
             + ", ".join(selectors.MEASURE_SORTS))


@router.get("/measures", response={200: MeasurePage, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="Cluster measures and stars")
def measure_list_api(request: HttpRequest,
                     region: QueryCodes = Query(None, description="NUTS 2021 code(s): repeated or "
                                                      "comma-separated", example=["DE11"]),
                     category: QueryCodes = Query(None, description="Category key(s): repeated or "
                                                        "comma-separated", example=["automotive"]),
                     year: OptionalQueryInt = p.year(), scheme: str = p.scheme(), min_stars: QueryInt = p.min_stars(),
                     level: QueryInt = p.level(),
                     country: str | None = Query(None, description="Country code", example="DE"),
                     kind: Kind | None = Query(None, description="traded, local or emerging"),
                     sort: str = Query("region,category", description=SORT_HELP),
                     limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """One row per region × category: employment (with `imputed_share` and the `imputed` flag), its `coverage`,
    `split_share`, whether it can be ranked (`rankable`, `caveat`, `region_no_data`), specialisation, focus, growth,
    productivity, and the scheme's stars with the tests passed (null when the cell cannot be ranked)."""
    regions, categories = split_list(region), split_list(category)
    for name, raw, codes in (("region", region, regions), ("category", category, categories)):
        if raw is not None and codes is None:  # `region=` or `region=,`: a filter naming nothing
            raise selectors.BadParameter(name, f"`{name}` must name at least one code; "
                                               f"got {request.GET.get(name, '')!r}.")
    if fmt not in FILE_FORMATS:
        limit = limit or DEFAULT_LIMIT
    total, rows = selectors.measure_list(scheme=scheme, year=year, level=level, regions=regions,
                                         categories=categories, country=country, kind=kind, min_stars=min_stars,
                                         sort=sort, limit=limit, offset=offset)
    if fmt in FILE_FORMATS:
        name = view_name("measures", scheme, selectors.check_year(year), f"nuts{level}", *(regions or []),
                         *(categories or []), country, kind, f"min{min_stars}stars" if min_stars else None)
        return download(request, rows, fmt=fmt, name=name, scheme=scheme, title="Cluster measures and stars")
    nxt, prev = page_links(request, total=total, limit=limit, offset=offset)
    return {"version": selectors.dataset().version, "count": total, "limit": limit, "offset": offset, "next": nxt,
            "previous": prev, "results": measure_records(rows)}


@router.get("/geojson", response={200: FeatureCollection, **ERRORS}, openapi_extra=p.map_formats(*FILE_FORMATS),
            summary="Map layer: NUTS 2021 regions with a measure")
def region_map_api(request: HttpRequest, level: QueryInt = p.level(),
                   category: str | None = Query(None, description="Category key; without it the value is the "
                                                "number of starred traded clusters", example="automotive"),
                   scheme: str = p.scheme(), year: OptionalQueryInt = p.year(),
                   measure: Measure | None = Query(None, description="With a category only (default stars)"),
                   min_stars: QueryInt = p.min_stars(1), fmt: MapFormat = p.fmt("geojson")):
    """Every region of the level with a polygon (GISCO 1:60M), its measure in `properties.value`; regions without
    data are kept with `value` null and `no_data` saying why."""
    query = {"level": level, "category": category, "scheme": scheme, "year": year, "measure": measure,
             "min_stars": min_stars}
    selectors.dataset(measures=True)
    name = view_name("map", category, measure or ("stars" if category else f"min{min_stars}stars"), scheme,
                     selectors.check_year(year), f"nuts{level}")
    if fmt in FILE_FORMATS:
        return download(request, selectors.region_map_values(**query), fmt=fmt, name=name, scheme=scheme,
                        title="Map layer values")
    return geojson_response(selectors.region_map(**query), name=name)


@router.get("/headline", response={200: Headline, **ERRORS}, summary="Headline figures: clusters by stars")
def headline_api(request: HttpRequest, scheme: str = p.scheme(), year: OptionalQueryInt = p.year(),
                 level: QueryInt = p.level(),
                 kind: Kind = Query("traded", description="Kind of categories counted: traded (default), local or "
                                    "emerging")):
    """The headline figures the home page prints, computed by the engine (`clusterobs.mapping.headlines`): clusters
    by stars and the share of employment in starred clusters, over the cells of `kind` categories that can be
    ranked, outside the no-data regions; what was left out is counted apart."""
    selectors.dataset(measures=True)
    head = selectors.headline(scheme=scheme, year=year, level=level, kind=kind)
    return {**plain(head), "by_stars": {str(k): v for k, v in head["by_stars"].items()},
            "version": selectors.dataset().version}
