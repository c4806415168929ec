"""The whole scoreboard from the store's tables: registry → observations → pipeline → peers, strengths,
uncertainty, as the tables ``clusterobs compute`` publishes (``TABLE_COLUMNS``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clusterobs.scoreboard.derived import LEVEL, NUTS_VERSION
from clusterobs.scoreboard.inputs import Reader, observations
from clusterobs.scoreboard.peers import nearest_peers, standardise
from clusterobs.scoreboard.pipeline import Result, Settings, run_pipeline
from clusterobs.scoreboard.registry import Registry, load_registry
from clusterobs.scoreboard.strengths import strengths_weaknesses
from clusterobs.scoreboard.technology import division_number
from clusterobs.scoreboard.uncertainty import monte_carlo_ranks

#: structural characteristics for peers: (name, registry indicator or derived, log before standardising)
STRUCTURE = (("gdp_per_capita", True), ("population_density", True), ("manufacturing_share", False),
             ("knowledge_intensive_services", False))
DRAWS = 1000
SEED = 20231


@dataclass
class Scoreboard:
    result: Result
    registry: Registry
    regions: pd.DataFrame
    peers: pd.DataFrame
    strengths: pd.DataFrame
    intervals: pd.DataFrame
    structure: pd.DataFrame
    technology: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def universe(read: Reader) -> pd.DataFrame:
    """The regions scored: every NUTS 2021 level-2 region (code, name, country)."""
    r = read("regions")
    r = r[(r["nuts_version"] == NUTS_VERSION) & (r["level"] == LEVEL)]
    return r[["code", "name", "country"]].sort_values("code").reset_index(drop=True)


def manufacturing_share(panel: pd.DataFrame | None) -> pd.Series:
    if panel is None:
        return pd.Series(dtype=float)
    p = panel[(panel["nuts_version"] == NUTS_VERSION) & (panel["level"] == LEVEL)]
    p = p[p["industry"].map(division_number).notna()]
    total = p.groupby("region")["employment"].sum()
    manuf = p[p["industry"].str.startswith("C")].groupby("region")["employment"].sum()
    return (100 * manuf.reindex(total.index, fill_value=0) / total).where(total > 0)


def structure_table(result: Result, read: Reader, regions: list[str]) -> pd.DataFrame:
    """Regions × structural characteristics (raw values) for the peer search."""
    v = result.values.pivot(index="region", columns="indicator", values="raw")
    out = pd.DataFrame(index=pd.Index(regions, name="region"))
    for name, _ in STRUCTURE:
        if name in v:
            out[name] = v[name]
    out["manufacturing_share"] = manufacturing_share(read("industry_panel")).reindex(regions)
    return out[[n for n, _ in STRUCTURE if n in out]]


def build(read: Reader, *, registry: Registry | None = None, settings: Settings | None = None,
          user: pd.DataFrame | None = None, draws: int = DRAWS, seed: int = SEED, k_peers: int = 5) -> Scoreboard:
    registry = registry or load_registry()
    settings = settings or Settings()
    regions_df = universe(read)
    regions = list(regions_df["code"])
    obs, notes, tech = observations(registry, read, user=user)
    result = run_pipeline(obs, registry, regions, settings)
    structure = structure_table(result, read, regions)
    logs = tuple(n for n, log in STRUCTURE if log)
    peers = nearest_peers(standardise(structure, logs), k=k_peers)
    peer_map = peers.groupby("region")["peer"].apply(list).to_dict()
    strengths = strengths_weaknesses(result.values, peer_map, regions=regions)
    treated = result.values.pivot(index="region", columns="indicator", values="treated").reindex(
        index=regions, columns=[i.id for i in registry.indicators])
    intervals = (monte_carlo_ranks(treated, registry, settings, draws=draws, seed=seed) if draws > 0
                 else pd.DataFrame())
    return Scoreboard(result=result, registry=registry, regions=regions_df, peers=peers, strengths=strengths,
                      intervals=intervals, structure=structure.reset_index(), technology=tech,
                      notes=[*notes, *result.notes])
