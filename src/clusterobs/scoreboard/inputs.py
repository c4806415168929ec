"""Observations for the registry's indicators, read from the store's tables.

Every source table is long: ``region``, ``indicator``, ``year``, ``value`` (the scoreboard sources' tables on
NUTS 2021 level 2, see their contract; ``regional_indicators`` on NUTS 2016, moved to NUTS 2021 here with the
sources' own conversion helper: rates by population-weighted mean, counts split by the JRC shares). Derived
indicators (technology intensity, cluster strength, density, employment growth) come from ``derived``; a user's
indicators from their own file (source ``user``). What cannot be found is said, never filled in.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from clusterobs.scoreboard.derived import LEVEL, NUTS_VERSION, derived_observations
from clusterobs.scoreboard.registry import Registry

Reader = Callable[[str], "pd.DataFrame | None"]
DERIVED_SOURCES = ("technology_intensity", "cluster_strength", "population_density", "employment_growth")
#: tables the derived indicators read
DERIVED_TABLES = ("industry_panel", "cluster_stars", "cluster_measures", "categories", "nuts_conversion",
                  "lfs_employment", "region_headlines", "region_data_quality")
#: counts in ``regional_indicators`` (split, not averaged, when NUTS codes change)
EXTENSIVE = ("region_gdp", "region_population", "patents")
OBS_COLUMNS = ["indicator", "region", "year", "value"]


def _nuts2021(df: pd.DataFrame, read: Reader, wanted: set[str]) -> pd.DataFrame:
    """Rows of one source table on NUTS 2021 level 2 (only the indicators ``wanted``)."""
    df = df[df["indicator"].isin(wanted)]
    if "level" in df:
        df = df[df["level"] == LEVEL]
    versions = set(df["nuts_version"].unique()) if "nuts_version" in df else {NUTS_VERSION}
    if versions == {NUTS_VERSION}:
        return df
    from clusterobs.classifications.nuts2021 import from_2016

    tables = {"nuts_conversion": read("nuts_conversion"), "nuts_codes": read("nuts_codes")}
    old = df[df["nuts_version"] == 2016].rename(columns={"region": "region_source_code"})
    if "line" not in old:
        old = old.assign(line=0)
    moved = from_2016(old[["region_source_code", "indicator", "year", "value", "line"]], tables,
                      extensive=EXTENSIVE)
    moved = moved.dropna(subset=["region"])
    return pd.concat([df[df["nuts_version"] == NUTS_VERSION], moved], ignore_index=True)


def observations(registry: Registry, read: Reader, *, user: pd.DataFrame | None = None
                 ) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """(observations keyed by registry id, notes on what could not be found, technology coverage)."""
    notes: list[str] = []
    frames = []
    cache: dict[str, pd.DataFrame | None] = {}
    derived, cov = pd.DataFrame(columns=["source", *OBS_COLUMNS]), pd.DataFrame()
    if any(i.source in DERIVED_SOURCES for i in registry.indicators):
        derived, cov = derived_observations({t: d for t in DERIVED_TABLES if (d := read(t)) is not None})
    for ind in registry.indicators:
        if ind.source in DERIVED_SOURCES:
            rows = derived[(derived["source"] == ind.source) & (derived["indicator"] == ind.source_id)]
        elif ind.source == "user":
            rows = (user[user["indicator"] == ind.id] if user is not None else user)
            if rows is None:
                notes.append(f"{ind.id}: a user indicator without its values")
                continue
        else:
            if ind.source not in cache:
                table = read(ind.source)
                wanted = {i.source_id for i in registry.indicators if i.source == ind.source}
                cache[ind.source] = None if table is None else _nuts2021(table, read, wanted)
            table = cache[ind.source]
            if table is None:
                notes.append(f"{ind.id}: source table {ind.source} is not in this dataset version")
                continue
            rows = table[table["indicator"] == ind.source_id]
        if rows.empty:
            notes.append(f"{ind.id}: {ind.source} has no regional value for {ind.source_id}")
            continue
        frames.append(rows.assign(indicator=ind.id)[OBS_COLUMNS])
    obs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OBS_COLUMNS)
    obs = obs.dropna(subset=["value"])
    obs["year"] = obs["year"].astype(int)
    obs["value"] = obs["value"].astype(float)
    return obs, notes, cov
