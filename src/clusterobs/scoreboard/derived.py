"""Indicators the scoreboard derives from the store's other tables (each documented in the registry's note).

- ``cluster_strength``: from the engine's headline figures (``region_headlines``: scheme ECO 2007 by default, NUTS
  2021 level 2): the share of the region's traded employment in traded categories with at least one star, and the
  number of traded categories with three stars, over the cells that can be ranked; a no-data region has none.
- ``population_density``: population 2021 over area (km²) of each NUTS 2021 region, both summed from the JRC
  conversion table's intersections (population grid 2021, GISCO areas).
- ``employment_growth``: compound annual growth of total LFS employment over the latest five years (NUTS 2021).
- ``technology_intensity``: see ``clusterobs.scoreboard.technology``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.scoreboard.technology import technology_shares

NUTS_VERSION = 2021
LEVEL = 2


def cluster_strength(stars: pd.DataFrame, measures: pd.DataFrame, categories: pd.DataFrame, *,
                     scheme: str = "eco2007", headlines: pd.DataFrame | None = None,
                     quality: pd.DataFrame | None = None) -> pd.DataFrame:
    """The share of traded employment in starred traded clusters and the number of three-star traded clusters per
    region: the engine's headline figures (``region_headlines``, else ``clusterobs.mapping.headlines`` on the same
    cells), counting only the cells that can be ranked; a no-data region has no value (missing, not zero)."""
    from clusterobs.mapping import headlines as engine

    keys = {"nuts_version": NUTS_VERSION, "level": LEVEL}
    if headlines is None:
        st = stars[(stars["scheme"] == scheme) & (stars["nuts_version"] == keys["nuts_version"])
                   & (stars["level"] == keys["level"])]
        m = measures[(measures["nuts_version"] == keys["nuts_version"]) & (measures["level"] == keys["level"])]
        m = m[m["denominator"] == "traded"] if "denominator" in m else m
        if "rankable" not in m:
            m = m.assign(rankable=m["employment"].notna())
        q = quality if quality is not None else pd.DataFrame(
            columns=["nuts_version", "level", "region", "year", "no_data"])
        headlines = engine.region_headlines(st, m, categories, q)
    h = headlines[(headlines["scheme"] == scheme) & (headlines["nuts_version"] == keys["nuts_version"])
                  & (headlines["level"] == keys["level"]) & (headlines["kind"] == "traded")]
    h = h[~h["no_data"].fillna(False).astype(bool) & (h["clusters"] > 0)]
    share = (100 * h["starred_share"]).rename("value")
    out = pd.concat([h[["region", "year"]].assign(value=share, indicator="starred_employment_share"),
                     h[["region", "year"]].assign(value=h["stars_3"].astype(float), indicator="three_star_clusters")],
                    ignore_index=True)
    return out.dropna(subset=["value"])[["region", "year", "value", "indicator"]].reset_index(drop=True)


def population_density(conversion: pd.DataFrame) -> pd.DataFrame:
    c = conversion[(conversion["to_version"] == NUTS_VERSION) & (conversion["level"] == LEVEL)]
    c = c[c["from_version"] == c["from_version"].max()]  # one set of intersections (2016→2021)
    g = c.groupby("code_to").agg(pop=("pop21", "sum"), area=("area_km2", "sum"))
    dens = (g["pop"] / g["area"]).where(g["area"] > 0).rename("value").reset_index().rename(
        columns={"code_to": "region"})
    return dens.assign(indicator="population_density", year=2021).dropna(subset=["value"])


def employment_growth(lfs: pd.DataFrame, *, window: int = 5) -> pd.DataFrame:
    t = lfs[(lfs["nuts_version"] == NUTS_VERSION) & (lfs["level"] == LEVEL) & (lfs["sector"] == "TOTAL")]
    wide = t.pivot_table(index="region", columns="year", values="value", aggfunc="first")
    end = int(wide.columns.max())
    start = end - window
    if start not in wide.columns:
        return pd.DataFrame(columns=["indicator", "region", "year", "value"])
    with np.errstate(invalid="ignore", divide="ignore"):
        cagr = 100 * ((wide[end] / wide[start]) ** (1 / window) - 1)
    out = cagr.where((wide[start] > 0) & (wide[end] > 0)).rename("value").dropna().reset_index()
    return out.assign(indicator="employment_growth", year=end)


def derived_observations(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every derived indicator as observations (``source`` column = the registry's source name), plus the
    technology-intensity coverage."""
    frames = []
    panel = tables.get("industry_panel")
    cov = pd.DataFrame(columns=["share", "divisions", "covered", "missing"])
    if panel is not None:
        p = panel[(panel["nuts_version"] == NUTS_VERSION) & (panel["level"] == LEVEL)]
        obs, cov = technology_shares(p)
        frames.append(obs.assign(source="technology_intensity"))
    if {"cluster_stars", "cluster_measures", "categories"} <= set(tables):
        frames.append(cluster_strength(tables["cluster_stars"], tables["cluster_measures"], tables["categories"],
                                       headlines=tables.get("region_headlines"),
                                       quality=tables.get("region_data_quality")).assign(source="cluster_strength"))
    if "nuts_conversion" in tables:
        frames.append(population_density(tables["nuts_conversion"]).assign(source="population_density"))
    if "lfs_employment" in tables:
        frames.append(employment_growth(tables["lfs_employment"]).assign(source="employment_growth"))
    cols = ["source", "indicator", "region", "year", "value"]
    out = pd.concat([f[cols] for f in frames], ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out["year"] = out["year"].astype(int)
    return out, cov
