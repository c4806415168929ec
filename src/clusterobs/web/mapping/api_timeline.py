"""The history endpoint: one region × category year by year (``/api/timeline``)."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import StringConstraints

from clusterobs.charts.specs.text import years_text
from clusterobs.web import api_params as p
from clusterobs.web.api_formats import FILE_FORMATS, download, measure_records, view_name
from clusterobs.web.api_params import OptionalQueryInt
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.mapping import history, selectors
from clusterobs.web.mapping.api_schemas import Timeline

router = Router(tags=["measures"])

Code = Annotated[str, StringConstraints(min_length=1)]


@router.get("/timeline", response={200: Timeline, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="One cluster year by year")
def timeline_api(request: HttpRequest,
                 region: Code = Query(..., description="NUTS 2021 code", example="DE11"),
                 category: Code = Query(..., description="Category key (see /api/categories)", example="automotive"),
                 scheme: str = p.scheme(),
                 level: OptionalQueryInt = Query(None, ge=0, le=2, description="NUTS 2021 level of the region "
                                                 "(its own level when left out; another level is a 400)"),
                 fmt: Format = p.fmt()):
    """One row per year of the dataset version for one region × category: employment, LQ, focus, share of Europe,
    the scheme's stars and tests passed, wage per person employed (`productivity`), local units
    (`establishments`), wages, growth over its window and on the previous year, the Eurostat `flags` of the cell's
    inputs and `growth_break` (a break in series inside the growth's window), `rankable` and `caveat`. A year in
    which the cell has no row keeps its row, `in_statistics` false and every value null."""
    rows = history.cluster_timeline(region, category, scheme=scheme, level=level)
    reg, cat = selectors.region_get(region), selectors.category_get(category)
    lvl = int(reg["level"])
    years = [int(y) for y in rows["year"]]
    if fmt in FILE_FORMATS:
        name = view_name("timeline", region, category, scheme, f"nuts{lvl}", years_text(years))
        return download(request, rows, fmt=fmt, name=name, scheme=scheme,
                        title=f"{cat['name']} in {region} {reg['name'] or ''}, year by year")
    return {"version": selectors.dataset().version, "region": region, "region_name": reg["name"],
            "category": category, "category_name": cat["name"], "level": lvl, "scheme": scheme, "years": years,
            "count": len(rows), "results": measure_records(rows)}
