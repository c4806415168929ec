"""The scoreboard as a ``clusterobs compute`` stage (see ``STAGES`` in ``clusterobs.compute``), ``read_indicators``
for a user's indicator file (an input of ``clusterobs compute --scoreboard-indicators``) and ``add_indicators`` for
``clusterobs scoreboard add-indicators``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from clusterobs.scoreboard.build import DRAWS, SEED, Scoreboard, build
from clusterobs.scoreboard.registry import load_registry
from clusterobs.scoreboard.userdata import TABLE as USER_TABLE
from clusterobs.scoreboard.userdata import read_user_file, user_registry, user_table
from clusterobs.store import Store

TABLES = {
    "scoreboard_indicators": "The scoreboard's indicator registry as configured (built-in and user indicators): "
    "dimension, sub-dimension, source table and id, unit, direction, transformation, weights; with the target "
    "year, regions with a value, imputed values and the outlier test (skewness, kurtosis, values winsorised)",
    "scoreboard_dimensions": "Per dimension and sub-dimension: indicators configured and with data, regions "
    "scored, status (filled / partly filled / no data) and the indicators without data",
    "scoreboard_values": "Every indicator value of every NUTS 2021 level-2 region through each step: raw value "
    "and year used, imputed flag, transformed, outlier-treated flag and value, normalised score",
    "scoreboard_scores": "Scores and ranks per region of every sub-dimension, dimension and the overall index, "
    "with the number of indicators used",
    "scoreboard_intervals": "Rank uncertainty per region for the overall index and each dimension: 5th, 50th and "
    "95th percentile rank over seeded Monte Carlo draws of the normalisation and of the dimension, sub-dimension "
    "and indicator weights",
    "scoreboard_strengths": "Strengths and weaknesses: each region's normalised indicator values against the "
    "European average and the mean of its peer regions",
    "scoreboard_peers": "Peer regions: the five nearest regions on standardised structural characteristics",
    "scoreboard_structure": "The structural characteristics used to find peers (raw values per region)",
    "scoreboard_notes": "What the scoreboard could not fill or had to approximate, in words (topic, note)",
    USER_TABLE: "Indicators added by users from their own CSV files (clusterobs scoreboard add-indicators): "
    "the definition repeated on each value row, region, year, value, and the file and row it came from",
}
Progress = Callable[[str, int, int], None]


def reader(store: Store | None, tables: dict[str, pd.DataFrame]) -> Callable[[str], pd.DataFrame | None]:
    """Read a table from this compute's own tables first, then from the published version."""
    have = set(store.tables()["name"]) if store is not None and store.current() else set()

    def read(name: str) -> pd.DataFrame | None:
        if name in tables:
            return tables[name]
        if name in have:
            tables[name] = store.table(name)  # type: ignore[union-attr]
            return tables[name]
        return None

    return read


def to_tables(sb: Scoreboard) -> dict[str, pd.DataFrame]:
    """The published tables of a scoreboard."""
    r = sb.result
    ind = sb.registry.to_frame()
    values = r.values
    target = values.groupby("indicator")["target_year"].max()
    stats = r.treatments.set_index("indicator")
    ind["target_year"] = ind["id"].map(target).astype("Int64")
    ind["excluded"] = ind["id"].map(stats["excluded"]).fillna("").astype(str)
    for c in ("regions", "regions_in_source", "imputed", "outside_domain", "treated_values"):
        ind[c] = ind["id"].map(stats[c]).fillna(0).astype("int64")
    for c in ("skew_before", "kurt_before", "skew_after", "kurt_after"):
        ind[c] = ind["id"].map(stats[c]).astype(float)
    ind["still_outlying"] = ind["id"].map(stats["still_outlying"]).fillna(False).astype(bool)
    tech = sb.technology.set_index("share")["missing"] if len(sb.technology) else pd.Series(dtype=str)
    for i, row in ind.iterrows():
        if row["source"] == "technology_intensity" and row["source_id"] in tech.index and tech[row["source_id"]]:
            note = f"divisions missing from the data: {tech[row['source_id']]}"
            ind.at[i, "note"] = f"{row['note']}; {note}" if row["note"] else note
    notes = pd.DataFrame({"topic": "input", "note": sb.notes}) if sb.notes else pd.DataFrame(
        columns=["topic", "note"])
    intervals = sb.intervals.copy()
    for c in ("draws", "seed", "draws_ranked"):
        intervals[c] = intervals[c].astype("int64")
    return {
        "scoreboard_indicators": ind,
        "scoreboard_dimensions": r.dimensions,
        "scoreboard_values": values.assign(imputed=values["imputed"].astype(bool),
                                           outlier_treated=values["outlier_treated"].astype(bool)),
        "scoreboard_scores": r.scores,
        "scoreboard_intervals": intervals,
        "scoreboard_strengths": sb.strengths,
        "scoreboard_peers": sb.peers,
        "scoreboard_structure": sb.structure,
        "scoreboard_notes": notes,
    }


def compute_stage(store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None,
                  *, draws: int = DRAWS, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The stage hook: the scoreboard from the mapping's tables and the published version's sources."""
    local = dict(tables)
    read = reader(store, local)
    user = read(USER_TABLE)
    registry = user_registry(load_registry(), user)
    if progress:
        progress("scoreboard: indicators and scores", 0, 1)
    sb = build(read, registry=registry, user=_user_obs(user), draws=draws, seed=seed)
    if progress:
        progress("scoreboard: indicators and scores", 1, 1)
    return {**to_tables(sb), USER_TABLE: user_table(user)}


def _user_obs(user: pd.DataFrame | None) -> pd.DataFrame | None:
    if user is None or user.empty:
        return None
    return user[["indicator", "region", "year", "value"]]


def read_indicators(store: Store, path: Path | str, *, replace: bool = False) -> pd.DataFrame:
    """A user's indicator file validated against the published version's NUTS 2021 level-2 regions and merged with
    the user indicators it holds (``replace``: the file's indicators replace those loaded before with the same
    ids; else such an id is an error). Raises ``UserIndicatorError`` naming the file, row and reason."""
    read = reader(store, {})
    regions = read("regions")
    codes = set(regions.loc[(regions["nuts_version"] == 2021) & (regions["level"] == 2), "code"])
    return read_user_file(path, load_registry(), codes, previous=read(USER_TABLE), replace=replace)


def add_indicators(store: Store, path: Path | str, *, replace: bool = False) -> tuple[str, pd.DataFrame]:
    """Validate a user's indicator file and publish a new version holding it and the scoreboard recomputed.

    A file with any error raises ``UserIndicatorError`` before anything is written: the published version
    stays as it was. Returns (new version, the user table). (``clusterobs compute --scoreboard-indicators``
    instead gives the file to its one run: ``clusterobs.compute.run_compute``'s ``user_indicators``.)"""
    user = read_indicators(store, path, replace=replace)
    with store.derive() as writer:
        if reader(store, {})("cluster_stars") is not None:  # computed before: refresh the scoreboard
            for name, df in compute_stage(store, {USER_TABLE: user}).items():
                writer.write(name, df, description=TABLES[name])
        else:
            writer.write(USER_TABLE, user_table(user), description=TABLES[USER_TABLE])
        version = writer.publish()
    return version, user
