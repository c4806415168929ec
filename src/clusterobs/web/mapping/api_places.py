"""Place search for the search boxes' suggestions: regions by name, NUTS 3 name, city or exonym, and why."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clusterobs.web.api_params import QueryInt
from clusterobs.web.api_schemas import ERRORS
from clusterobs.web.mapping import places, selectors

router = Router(tags=["regions"])


class PlaceOut(Schema):
    code: str = Field(..., description="NUTS 2021 code of the region found")
    name: str = Field(..., description="Name of the region (Latin script where GISCO's is Greek or Cyrillic)")
    level: int = Field(..., description="NUTS level: 0 country, 1, 2")
    country: str = Field(..., description="Country code (EL Greece)")
    via: str = Field(..., description="What matched: code, name, city, exonym or nuts3")
    matched: str = Field(..., description="The code or name that matched the query")
    how: str = Field(..., description="exact, prefix, words (each word starts a word of the name) or contains")
    nuts3: str | None = Field(None, description="The NUTS 3 region (NUTS 2016 code) whose name matched")
    why: str = Field(..., description="Why it matched, in a sentence in the request's language")
    url: str = Field(..., description="The region's page")


class PlacesOut(Schema):
    version: str = Field(..., description="Dataset version the answer was read from")
    q: str = Field(..., description="The query")
    resolved: str | None = Field(None, description="The one region the query names exactly, if any")
    count: int = Field(..., description="Regions returned")
    results: list[PlaceOut]


@router.get("/places", response={200: PlacesOut, **ERRORS}, url_name="place_suggestions",
            summary="Find regions by name, city or code")
def places_api(request: HttpRequest,
               q: str = Query(..., min_length=1, max_length=200, description="A region, province, city or code, "
                              "any case, accents optional", example="Munich"),
               limit: QueryInt = Query(10, ge=1, le=50, description="Most regions returned")):
    """Regions matching `q`, best first: exact code, exact name (national or Latin script), exact city or common
    name (English, French), exact NUTS 3 name, then prefixes, then names whose words start with the query's words.
    `resolved` is the region the query names unambiguously (a tie between regions leaves it null)."""
    resolved, _candidates = places.resolve(q)
    results = places.search(q, limit=limit)
    return {"version": selectors.dataset().version, "q": q, "resolved": resolved, "count": len(results),
            "results": results}
