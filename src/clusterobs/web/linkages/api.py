"""API endpoints of the linkages feature, mounted under /api/ by ``clusterobs.web.api``: relatedness pairs, a region's
opportunities and the emerging industries, in JSON, CSV, XLSX or Parquet (``?format=``), in the API's error envelope."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clusterobs.web import api_params as p
from clusterobs.web import dataset
from clusterobs.web.api_formats import FILE_FORMATS, download, records, view_name
from clusterobs.web.api_params import OptionalQueryInt
from clusterobs.web.api_schemas import ERRORS, Format
from clusterobs.web.linkages import selectors as ls

router = Router(tags=["linkages"])
Method = Literal["colocation_share", "colocation_loglq", "uscmp"]
Part = Literal["composition", "regions"]


class RelatednessRow(Schema):
    rank: int = Field(..., description="1 = the most related pair of the answer")
    method: str
    nuts_version: int | None = Field(None, description="NUTS version of the regions correlated; null for uscmp")
    level: int | None = None
    year: int | None = Field(None, description="Reference year; null for uscmp (published once)")
    category_i: str
    name_i: str | None = None
    category_j: str
    name_j: str | None = None
    value: float = Field(..., description="Pearson correlation (co-location) or the US CMP overall score")
    regions_used: int | None = Field(None, description="Regions with both values; null for uscmp")


class RelatednessOut(Schema):
    version: str
    method: str
    year: int | None
    category: str | None
    threshold: int | None = Field(None, description="Percentile of the matrix's pair values the pairs reach")
    cutoff: float | None = Field(None, description="The value of that percentile")
    count: int
    results: list[RelatednessRow]


class OpportunityRow(Schema):
    region: str
    year: int
    category: str
    category_name: str | None = None
    density: float | None = Field(None, description="Relatedness-weighted share of related categories where the "
                                                    "region is specialised (0-1)")
    lq: float | None = None
    specialised: bool | None = Field(None, description="LQ >= 1; null when the LQ is missing")
    rank: int | None = Field(None, description="1 = closest opportunity among the categories with LQ < 1")


class OpportunitiesOut(Schema):
    version: str
    region: str
    name: str | None
    year: int
    count: int
    results: list[OpportunityRow]


class EmergingRow(Schema):
    category: str
    name: str
    description: str | None = None
    employment: float | None = Field(None, description="European employment (NUTS 2 regions with data)")
    regions_with_data: int | None = None
    top_region: str | None = Field(None, description="Region where the industry holds the largest share")
    top_share: float | None = None


class EmergingOut(Schema):
    version: str
    year: int
    count: int
    results: list[EmergingRow]


class EmergingDetailOut(Schema):
    version: str
    category: str
    name: str
    year: int
    part: str
    count: int
    results: list[dict]


@router.get("/linkages/relatedness", response={200: RelatednessOut, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="Relatedness between traded categories")
def relatedness_api(request: HttpRequest, method: Method = Query("colocation_share", description="Relatedness "
                    "method: colocation_share, colocation_loglq or uscmp (published US CMP score)"),
                    year: OptionalQueryInt = p.year(),
                    category: str | None = Query(None, description="Only the pairs that include this category"),
                    threshold: OptionalQueryInt = Query(None, ge=50, le=99,
                                                       description="Only the pairs at or above this percentile "
                                                       "of the matrix's pair values (90: the top 10%)"),
                    fmt: Format = p.fmt()):
    """Unordered pairs of traded categories (category_i < category_j), most related first."""
    rows, cutoff = ls.relatedness(method=method, year=year, category=category, threshold=threshold)
    year = None if method == "uscmp" else dataset.check_year(year)
    if fmt in FILE_FORMATS:
        name = view_name("relatedness", method, year, category, f"p{threshold}" if threshold else None)
        return download(request, rows, fmt=fmt, name=name, title=f"Relatedness ({method})")
    return {"version": dataset.dataset().version, "method": method, "year": year, "category": category,
            "threshold": threshold, "cutoff": cutoff, "count": len(rows), "results": records(rows)}


@router.get("/linkages/opportunities/{code}", response={200: OpportunitiesOut, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="A region's opportunities (density)")
def opportunities_api(request: HttpRequest, code: str = p.code(), year: OptionalQueryInt = p.year(),
                      fmt: Format = p.fmt()):
    """Every traded category of a NUTS 2 region: density, LQ, specialised, rank (1 = closest opportunity)."""
    rows = ls.opportunities(code, year=year)
    year = dataset.check_year(year)
    if fmt in FILE_FORMATS:
        return download(request, rows, fmt=fmt, name=view_name("opportunities", code, year, "nuts2"),
                        title=f"Opportunities of {code}")
    return {"version": dataset.dataset().version, "region": code, "name": dataset.region_get(code)["name"],
            "year": year, "count": len(rows), "results": records(rows)}


@router.get("/emerging", response={200: EmergingOut, **ERRORS}, openapi_extra=p.file_formats(*FILE_FORMATS),
            summary="Emerging industries")
def emerging_api(request: HttpRequest, year: OptionalQueryInt = p.year(), fmt: Format = p.fmt()):
    """The ten emerging industries with their European employment and the region of their largest share."""
    rows = ls.emerging_list(year=year)
    year = dataset.check_year(year)
    if fmt in FILE_FORMATS:
        return download(request, rows, fmt=fmt, name=view_name("emerging", year, "nuts2"), title="Emerging industries")
    return {"version": dataset.dataset().version, "year": year, "count": len(rows), "results": records(rows)}


@router.get("/emerging/{industry}", response={200: EmergingDetailOut, **ERRORS},
            openapi_extra=p.file_formats(*FILE_FORMATS), summary="One emerging industry")
def emerging_detail_api(request: HttpRequest, industry: str, year: OptionalQueryInt = p.year(),
                        part: Part = Query("composition", description="composition (NACE industries and categories) "
                                           "or regions (share of each NUTS 2 region's employment)"),
                        fmt: Format = p.fmt()):
    """What an emerging industry is made of, or its employment share in every NUTS 2 region."""
    cat = ls.check_emerging(industry)
    rows = ls.emerging_composition(industry) if part == "composition" else ls.emerging_regions(industry, year=year)
    year = dataset.check_year(year)
    if fmt in FILE_FORMATS:
        return download(request, rows, fmt=fmt, name=view_name("emerging", industry, part, year),
                        title=f"{cat['name']}: {part}")
    return {"version": dataset.dataset().version, "category": industry, "name": cat["name"], "year": year,
            "part": part, "count": len(rows), "results": records(rows)}
