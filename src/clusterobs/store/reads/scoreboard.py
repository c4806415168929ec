"""Reads of the Regional Ecosystem Scoreboard's tables (``scoreboard_*``): scores, rank intervals, indicator values,
strengths and weaknesses, peers, the indicator registry and the dimensions."""

from __future__ import annotations

import pandas as pd

from clusterobs.store.reads.catalogue import Catalogue
from clusterobs.store.reads.sql import NUTS_VERSION, region_name_sql

#: the tables the scoreboard stage writes
SCOREBOARD_TABLES = ("scoreboard_scores", "scoreboard_values", "scoreboard_indicators", "scoreboard_intervals",
                     "scoreboard_strengths", "scoreboard_peers", "scoreboard_dimensions")
#: the whole-table reads (``Scoreboard.scoreboard``), by name
_WHOLE = {"indicators": "SELECT * FROM scoreboard_indicators", "dimensions": "SELECT * FROM scoreboard_dimensions",
          "codes": "SELECT DISTINCT region FROM scoreboard_values", "scores": "SELECT * FROM scoreboard_scores",
          "intervals": "SELECT * FROM scoreboard_intervals", "values": "SELECT * FROM scoreboard_values",
          "peers": "SELECT * FROM scoreboard_peers ORDER BY region, rank",
          "strengths": "SELECT * FROM scoreboard_strengths"}


class Scoreboard(Catalogue):
    """The scoreboard tables of the version."""

    def scoreboard(self, name: str) -> pd.DataFrame:
        """A whole scoreboard table (``indicators``, ``dimensions``, ``scores``, ``intervals``, ``values``,
        ``peers``, ``strengths``; ``codes``: the scored regions), read once per version."""
        cache = self.__dict__.setdefault("_scoreboard", {})
        if name not in cache:
            cache[name] = self.df(_WHOLE[name])
        return cache[name]

    def scoreboard_outliers(self, code: str) -> pd.DataFrame:
        """A region's strengths and weaknesses (``scoreboard_strengths``), named from the indicator registry when
        the version holds it (``name``, ``dimension``), by kind and furthest from the European average first."""
        named = self.has("scoreboard_indicators")
        join = "LEFT JOIN scoreboard_indicators i ON i.id = s.indicator" if named else ""
        label = "coalesce(i.name, s.indicator)" if named else "s.indicator"
        dim = "i.dimension_name" if named else "NULL"
        return self.df(f"""SELECT {label} AS name, {dim} AS dimension, s.raw, s.value, s.europe, s.peers_mean, s.kind
                           FROM scoreboard_strengths s {join}
                           WHERE s.region = ? AND s.kind IN ('strength', 'weakness')
                           ORDER BY s.kind, abs(s.vs_europe) DESC""", [code])

    def scoreboard_weaknesses(self, code: str, *, table: str = "scoreboard_strengths") -> pd.DataFrame:
        """A region's weaknesses (rows of ``table`` whose kind says weak), worst against Europe first, named from
        the indicator registry when the version holds it."""
        named = self.has("scoreboard_indicators")
        name = "coalesce(i.name, s.indicator)" if named else "s.indicator"
        join = "LEFT JOIN scoreboard_indicators i ON i.id = s.indicator " if named else ""
        return self.df(f"SELECT s.region, s.indicator, {name} AS indicator_name, s.value, s.europe, s.peers_mean, "
                       f"s.vs_europe, s.vs_peers, s.kind FROM {table} s {join}"
                       f"WHERE s.region = ? AND lower(CAST(s.kind AS VARCHAR)) LIKE '%weak%' "
                       f"ORDER BY s.vs_europe NULLS LAST, s.indicator", [code])

    def scoreboard_overall(self, code: str) -> pd.DataFrame:
        """A region's overall score and rank, with ``n``, the number of regions with an overall score."""
        return self.df("SELECT score, rank, (SELECT count(score) FROM scoreboard_scores WHERE level = 'overall') "
                       "AS n FROM scoreboard_scores WHERE region = ? AND level = 'overall'", [code])

    def scoreboard_peers(self, code: str) -> pd.DataFrame:
        """A region's peers (``scoreboard_peers``) with their names, distance and overall score and rank (NULL when
        the version has no scores)."""
        score = ("LEFT JOIN scoreboard_scores s ON s.region = p.peer AND s.level = 'overall'"
                 if self.has("scoreboard_scores") else "")
        cols = "s.score, s.rank AS score_rank" if score else "NULL AS score, NULL AS score_rank"
        return self.df(f"""SELECT p.rank, p.peer, {region_name_sql()} AS name, p.distance, {cols}
                           FROM scoreboard_peers p
                           LEFT JOIN regions r ON r.code = p.peer AND r.nuts_version = {NUTS_VERSION} {score}
                           WHERE p.region = ? ORDER BY p.rank""", [code])
