"""API endpoints of the scoreboard feature, mounted under /api/ by ``clusterobs.web.api``.

Same conventions as the rest of the API: JSON pages (``version``, ``count``, ``limit``, ``offset``, ``next``,
``previous``, ``results``) or files (``?format=csv|xlsx|parquet``) with the same columns; the site's error envelope.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clusterobs.web import api_params as p
from clusterobs.web.api_formats import DEFAULT_LIMIT, FILE_FORMATS, download, page_links, records, split_list, view_name
from clusterobs.web.api_params import OptionalQueryInt, QueryCodes, QueryInt
from clusterobs.web.api_schemas import ERRORS, Format, Paged
from clusterobs.web.scoreboard import selectors as sb

router = Router(tags=["scoreboard"])
Level = Literal["subdimension", "dimension", "overall"]


class ScoreOut(Schema):
    region: str = Field(..., description="NUTS 2021 level-2 code")
    region_name: str | None = None
    level: str = Field(..., description="subdimension, dimension or overall")
    name: str = Field(..., description="`dimension/subdimension`, a dimension id, or `overall`")
    dimension: str | None = None
    score: float | None = Field(None, description="0-100 (min-max); null when too few indicators have data")
    rank: int | None = Field(None, description="1 = best")
    indicators_used: int
    normalisation: str
    aggregation: str


class RankOut(Schema):
    region: str
    region_name: str | None = None
    level: str
    name: str
    score: float | None = None
    rank: int | None = None
    rank_p05: float | None = Field(None, description="5th percentile rank over the Monte Carlo draws")
    rank_median: float | None = None
    rank_p95: float | None = Field(None, description="95th percentile rank")
    draws: int | None = None


class IntervalOut(Schema):
    region: str
    name: str
    rank_p05: float | None = None
    rank_median: float | None = None
    rank_p95: float | None = None
    draws_ranked: int
    draws: int
    seed: int
    weight_noise: float = Field(..., description="Each dimension weight multiplied by a factor uniform in "
                                "[1 - weight_noise, 1 + weight_noise]")
    inner_noise: float = Field(..., description="Each sub-dimension and indicator weight multiplied by a factor "
                               "uniform in [1 - inner_noise, 1 + inner_noise]")
    normalisations: str


class ValueOut(Schema):
    region: str
    indicator: str
    indicator_name: str | None = None
    unit: str | None = None
    dimension: str
    subdimension: str
    target_year: int | None = None
    year: int | None = Field(None, description="Year of the value used")
    raw: float | None = Field(None, description="Raw value in the source's unit")
    imputed: bool = Field(..., description="True when taken from the latest available year, not the target year")
    transformed: float | None = None
    outlier_treated: bool
    treated: float | None = None
    normalised: float | None = None
    normalisation: str


class IndicatorOut(Schema):
    id: str
    name: str
    dimension: str
    dimension_name: str
    subdimension: str
    subdimension_name: str
    source: str
    source_id: str
    unit: str | None = None
    direction: int
    transformation: str
    weight: float
    prenormalised: bool
    target_year: int | None = None
    regions: int
    imputed: int
    treated_values: int
    excluded: str | None = None
    note: str | None = None
    user: bool


class StrengthOut(Schema):
    region: str
    indicator: str
    indicator_name: str | None = None
    dimension: str | None = None
    unit: str | None = None
    raw: float | None = None
    value: float | None = Field(None, description="Normalised score")
    europe: float | None = Field(None, description="European average of the score")
    peers_mean: float | None = None
    peers_used: int
    vs_europe: float | None = None
    vs_peers: float | None = None
    sd: float | None = None
    kind: str = Field(..., description="strength, weakness or empty")


class ScorePage(Paged):
    results: list[ScoreOut]


class RankPage(Paged):
    results: list[RankOut]


class IntervalPage(Paged):
    results: list[IntervalOut]


class ValuePage(Paged):
    results: list[ValueOut]


class IndicatorPage(Paged):
    results: list[IndicatorOut]


class StrengthPage(Paged):
    results: list[StrengthOut]


def _answer(request: HttpRequest, df: pd.DataFrame, *, fmt: str, limit: int | None, offset: int, name: str,
            title: str, columns: list[str]):
    df = df.reindex(columns=columns)
    if fmt in FILE_FORMATS:
        return download(request, df, fmt=fmt, name=name, title=title)
    limit = limit or DEFAULT_LIMIT
    nxt, prev = page_links(request, total=len(df), limit=limit, offset=offset)
    return {"version": sb.board().version, "count": len(df), "limit": limit, "offset": offset, "next": nxt,
            "previous": prev, "results": records(df.iloc[offset:offset + limit])}


def _fields(schema: type[Schema]) -> list[str]:
    return list(schema.model_fields)


REGION = Query(None, description="NUTS 2021 level-2 code(s): repeated or comma-separated", example=["DE21"])
NAME = Query(None, description="`overall`, a dimension id, or `dimension/subdimension`", example="overall")
FILES = p.file_formats(*FILE_FORMATS)


def _regions(region: list[str] | None) -> list[str] | None:
    codes = split_list(region)
    if codes:
        for c in codes:
            sb.region_get(c)
    return codes


@router.get("/scoreboard/scores", response={200: ScorePage, **ERRORS}, openapi_extra=FILES,
            summary="Scoreboard scores and ranks")
def scoreboard_scores_api(request: HttpRequest, region: QueryCodes = REGION, name: str | None = NAME,
                          level: Level | None = Query(None, description="subdimension, dimension or overall"),
                          limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """Scores (0-100) and ranks of every region on every sub-dimension, dimension and the overall index."""
    codes = _regions(region)
    df = sb.scores(name=name, level=level, region=codes)
    return _answer(request, df, fmt=fmt, limit=limit, offset=offset, title="Scoreboard scores",
                   name=view_name("scoreboard-scores", name, level, *(codes or [])), columns=_fields(ScoreOut))


@router.get("/scoreboard/ranks", response={200: RankPage, **ERRORS}, openapi_extra=FILES,
            summary="Scoreboard ranks with their uncertainty interval")
def scoreboard_ranks_api(request: HttpRequest, region: QueryCodes = REGION, name: str | None = NAME,
                         limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """Rank of each region on the overall index and each dimension, with the 5th-95th percentile interval of
    the rank over the Monte Carlo draws of weights and normalisations."""
    codes = _regions(region)
    df = sb.ranks(name=name, region=codes)
    return _answer(request, df, fmt=fmt, limit=limit, offset=offset, title="Scoreboard ranks",
                   name=view_name("scoreboard-ranks", name, *(codes or [])), columns=_fields(RankOut))


@router.get("/scoreboard/intervals", response={200: IntervalPage, **ERRORS}, openapi_extra=FILES,
            summary="Scoreboard rank intervals (Monte Carlo)")
def scoreboard_intervals_api(request: HttpRequest, region: QueryCodes = REGION, name: str | None = NAME,
                             limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """The Monte Carlo rank intervals with the draws, seed, weight noise (dimensions, and inside them) and
    normalisations used."""
    codes = _regions(region)
    df = sb.intervals(name=name, region=codes)
    return _answer(request, df, fmt=fmt, limit=limit, offset=offset, title="Scoreboard rank intervals",
                   name=view_name("scoreboard-intervals", name, *(codes or [])), columns=_fields(IntervalOut))


@router.get("/scoreboard/values", response={200: ValuePage, **ERRORS}, openapi_extra=FILES,
            summary="Scoreboard indicator values, step by step")
def scoreboard_values_api(request: HttpRequest, region: QueryCodes = REGION,
                          indicator: QueryCodes = Query(None, description="Indicator id(s)",
                                                              example=["rd_expenditure"]),
                          dimension: str | None = Query(None, description="A dimension id"),
                          limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """Every indicator value of the regions: raw value and year used (imputed flag), transformed, winsorised
    flag, normalised score."""
    codes = _regions(region)
    df = sb.values(region=codes, indicator=split_list(indicator), dimension=dimension)
    return _answer(request, df, fmt=fmt, limit=limit, offset=offset, title="Scoreboard indicator values",
                   name=view_name("scoreboard-values", dimension, *(codes or [])), columns=_fields(ValueOut))


@router.get("/scoreboard/indicators", response={200: IndicatorPage, **ERRORS}, openapi_extra=FILES,
            summary="Scoreboard indicator registry")
def scoreboard_indicators_api(request: HttpRequest, limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(),
                              fmt: Format = p.fmt()):
    """The registry as computed: source, unit, direction, transformation, weight, target year, coverage."""
    return _answer(request, sb.indicators(), fmt=fmt, limit=limit, offset=offset, title="Scoreboard indicators",
                   name="scoreboard-indicators", columns=_fields(IndicatorOut))


@router.get("/scoreboard/strengths", response={200: StrengthPage, **ERRORS}, openapi_extra=FILES,
            summary="Strengths and weaknesses of a region")
def scoreboard_strengths_api(request: HttpRequest,
                             region: str = Query(..., description="NUTS 2021 level-2 code", example="DE21"),
                             peers: str | None = Query(None, description="Up to 5 peer regions, comma-separated; "
                                                       "the 5 nearest regions when left out", example="AT13,FR10"),
                             limit: OptionalQueryInt = p.limit(), offset: QueryInt = p.offset(), fmt: Format = p.fmt()):
    """The region's indicators against the European average and the mean of its peers, with the verdict."""
    code = sb.region_get(region)["code"]
    chosen = sb.check_peers(code, peers)
    df = sb.strengths(code, chosen)
    return _answer(request, df, fmt=fmt, limit=limit, offset=offset, title="Scoreboard strengths and weaknesses",
                   name=view_name("scoreboard-strengths", code, *(chosen or [])), columns=_fields(StrengthOut))
