"""API endpoints of economic complexity, mounted under /api/ by ``clusterobs.web.api``: a region's growth
opportunities and the ECI of every region, in JSON, CSV, XLSX or Parquet (``?format=``), in the API's error
envelope."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from clusterobs.web import api_params as p
from clusterobs.web import dataset
from clusterobs.web.api_formats import FILE_FORMATS, download, records, view_name
from clusterobs.web.api_params import OptionalQueryInt, QueryInt
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.complexity import selectors as cs

router = Router(tags=["complexity"])


class GrowthOpportunityRow(Schema):
    rank: int = Field(..., description="1 = the most feasible (highest density) category the region does not have")
    region: str
    year: int
    category: str
    category_name: str | None = None
    density: float | None = Field(None, description="Proximity-weighted share of the category's neighbours the "
                                                    "region has (0-1): feasibility")
    distance: float | None = Field(None, description="1 - density")
    pci: float | None = Field(None, description="Complexity of the category (PCI, on ECI's scale)")
    cog: float | None = Field(None, description="Complexity outlook gain of the category for the region")
    rca: float | None = Field(None, description="Revealed comparative advantage (below 1: the region lacks it)")
    employment_europe: float | None = Field(None, description="European employment in the category (the sum over "
                                                              "the level's regions)")
    related_strengths: str = Field("", description="The region's categories with RCA >= 1 closest to this one, "
                                                   "with their proximity")


class GrowthOpportunitiesOut(Schema):
    version: str
    region: str
    name: str | None
    level: int
    year: int
    eci: float | None = Field(None, description="The region's Economic Complexity Index")
    coi: float | None = Field(None, description="The region's Complexity Outlook Index")
    count: int
    results: list[GrowthOpportunityRow]


class EciRow(Schema):
    rank: int = Field(..., description="1 = the highest ECI")
    region: str
    name: str | None = None
    level: int
    year: int
    eci: float | None = Field(None, description="Economic Complexity Index (mean 0, sd 1 over the regions)")
    coi: float | None = Field(None, description="Complexity Outlook Index (standardised over the regions)")
    diversity: int | None = Field(None, description="Traded categories with RCA >= 1")


class EciOut(Schema):
    version: str
    level: int
    year: int
    count: int
    results: list[EciRow]


@router.get("/regions/{code}/opportunities", response={200: GrowthOpportunitiesOut, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="A region's growth opportunities (complexity)")
def growth_opportunities_api(request: HttpRequest, code: str = p.code(), year: OptionalQueryInt = p.year(),
                             fmt: Format = p.fmt()):
    """The traded categories the region does not have (RCA < 1), most feasible first: density, distance, PCI, COG,
    RCA, European employment and the region's related strengths."""
    rows = cs.opportunities(code, year=year)
    year = dataset.check_year(year)
    region = dataset.region_get(code)
    if fmt in FILE_FORMATS:
        return download(request, rows, fmt=fmt, name=view_name("growth-opportunities", code, year,
                                                               f"nuts{int(region['level'])}"),
                        title=f"Growth opportunities of {code}")
    all_rows = cs.region_complexity(code, year=year)
    eci = all_rows["eci"].dropna()
    coi = all_rows["coi"].dropna()
    return {"version": dataset.dataset().version, "region": code, "name": region["name"],
            "level": int(region["level"]), "year": year, "eci": float(eci.iloc[0]) if len(eci) else None,
            "coi": float(coi.iloc[0]) if len(coi) else None, "count": len(rows), "results": records(rows)}


@router.get("/complexity/eci", response={200: EciOut, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="Economic Complexity Index of every region")
def eci_api(request: HttpRequest, level: QueryInt = p.level(), year: OptionalQueryInt = p.year(),
            fmt: Format = p.fmt()):
    """ECI, COI and diversity of every region of a NUTS level with a value in the year, highest ECI first."""
    rows = cs.eci_regions(level=level, year=year)
    year = dataset.check_year(year)
    if fmt in FILE_FORMATS:
        return download(request, rows, fmt=fmt, name=view_name("eci", year, f"nuts{level}"),
                        title="Economic Complexity Index")
    return {"version": dataset.dataset().version, "level": level, "year": year, "count": len(rows),
            "results": records(rows)}
