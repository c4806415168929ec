"""SQL shared by the reads: the NUTS version served, how a region is named, and the FROM and columns of the
cluster measures with their stars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NUTS_VERSION = 2021


def region_name_sql(alias: str = "r") -> str:
    """SQL for the name a region is shown by: GISCO's national name, or its Latin-script name (``NAME_LATN``) where
    the national name is written in Greek or Cyrillic (Greece, Cyprus, Bulgaria, Serbia, Montenegro, North
    Macedonia), so that every page, chart and report names it in the script of the interface."""
    return (f"CASE WHEN regexp_matches({alias}.name, '\\p{{Greek}}|\\p{{Cyrillic}}') "
            f"THEN coalesce({alias}.name_latn, {alias}.name) ELSE {alias}.name END")


#: the sort keys of ``VersionReads.cluster_measures`` and their columns
MEASURE_SORTS = {"region": "m.region", "category": "m.category", "stars": "s.stars", "employment": "m.employment",
                 "imputed_share": "m.imputed_share", "share_europe": "m.share_europe", "focus": "m.focus",
                 "lq": "m.lq", "growth": "m.growth", "productivity": "m.productivity",
                 "relative_productivity": "m.relative_productivity", "establishments": "m.establishments",
                 "avg_size": "m.avg_size", "coverage": "m.coverage", "growth_yoy": "m.growth_yoy", "wages": "m.wages"}
MEASURES_FROM = """
    FROM cluster_measures m
    JOIN cluster_stars s USING (nuts_version, level, region, category, year)
    JOIN categories c USING (category)
    LEFT JOIN regions r ON r.code = m.region AND r.nuts_version = m.nuts_version"""
MEASURE_COLUMNS = """
    m.nuts_version, m.level, m.region, {region_name} AS region_name, r.country, m.category,
    c.name AS category_name, c.kind,
    m.year, s.scheme, s.stars, s.tests_evaluated, s.tests_passed, m.employment, m.imputed_share,
    m.imputed_share > 0 AS imputed, m.coverage, m.split_share, m.rankable, m.caveat, m.share_europe, m.focus, m.lq,
    m.growth, m.growth_window""".format(region_name=region_name_sql("r"))
MEASURE_COLUMNS_AFTER = "m.productivity, m.relative_productivity, m.establishments, m.avg_size"
#: columns of ``cluster_measures`` added with SBS 2008-2015 (2026-12): NULL when read from an older version
SBS_HISTORY_COLUMNS = {"growth_base_year": "BIGINT", "growth_yoy": "DOUBLE", "growth_break": "BOOLEAN",
                   "flags": "VARCHAR", "wages": "DOUBLE"}


def measures_from(*, year: int, level: int, scheme: str | None, regions: Sequence[str] | None,
                  categories: Sequence[str] | None, country: str | None, kind: str | None,
                  min_stars: int | None) -> tuple[str, list[Any]]:
    """The FROM and WHERE of ``cluster_measures`` and its parameters."""
    where = ["m.nuts_version = ?", "m.level = ?", "m.year = ?"]
    params: list[Any] = [NUTS_VERSION, level, year]
    # min_stars 0 (or None) keeps every row, also the cells without stars (NULL: not rankable)
    for condition, value in (("s.scheme = ?", scheme), ("s.stars >= ?", min_stars or None), ("r.country = ?", country),
                             ("c.kind = ?", kind)):
        if value is not None:
            where.append(condition)
            params.append(value)
    for column, codes in (("m.region", regions), ("m.category", categories)):
        if codes and len(codes) == 1:
            where.append(f"{column} = ?")
            params.append(codes[0])
        elif codes:
            where.append(f"list_contains(?, {column})")
            params.append(list(codes))
    return f"{MEASURES_FROM}\n    WHERE {' AND '.join(where)}", params
