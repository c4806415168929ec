"""Reads of the linkages stage's tables (``relatedness``, ``related_pairs``, ``region_opportunities``,
``emerging_composition``, ``emerging_shares``): how categories relate, a region's opportunities and the emerging
industries."""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.store.reads.catalogue import Catalogue
from clusterobs.store.reads.sql import NUTS_VERSION, region_name_sql

#: the tables the linkages stage writes
LINKAGES_TABLES = frozenset({"relatedness", "related_pairs", "region_opportunities", "emerging_composition",
                             "emerging_shares"})


def _slice(method: str, year: int | None, level: int) -> tuple[str, list[Any]]:
    """The WHERE of one relatedness matrix: the US Cluster Mapping's (``uscmp``) has no year or level."""
    if method == "uscmp":
        return "year IS NULL", []
    return "year = ? AND nuts_version = ? AND level = ?", [year, NUTS_VERSION, level]


class Linkages(Catalogue):
    """Relatedness, opportunities and emerging industries."""

    def relatedness(self, method: str, *, year: int | None, level: int) -> pd.DataFrame:
        """The unordered pairs (category_i < category_j) with a value of one relatedness matrix."""
        where, params = _slice(method, year, level)
        return self.df(f"SELECT method, nuts_version, level, year, category_i, category_j, value, regions_used "
                       f"FROM relatedness WHERE method = ? AND {where} AND category_i < category_j "
                       "AND value IS NOT NULL", [method, *params])

    def relatedness_categories(self, method: str, *, year: int | None, level: int) -> list[str]:
        """The categories in one relatedness matrix (as ``category_i``)."""
        where, params = _slice(method, year, level)
        return list(self.df(f"SELECT DISTINCT category_i FROM relatedness WHERE method = ? AND {where}",
                            [method, *params])["category_i"])

    def relatedness_pairs(self, *, year: int | None = None, level: int = 2) -> tuple[str, pd.DataFrame] | None:
        """The relatedness of every unordered pair of traded categories and whether the linkages stage lists it as
        related (``relatedness`` and ``related_pairs``): the US Cluster Mapping score (``uscmp``, input-output,
        occupation and co-location in the US: independent of the European employment data) when the version holds
        it, else European co-location of ``year``. (method, frame of category_i < category_j, value, related); None
        when the version has no linkages."""
        if not self.has("relatedness", "related_pairs"):
            return None
        for method, where, params in (("uscmp", "method = 'uscmp'", []),
                                      ("colocation_share", "method = 'colocation_share' AND nuts_version = ? "
                                       "AND level = ? AND year = ?", [NUTS_VERSION, level, year])):
            rel = self.df(f"SELECT category_i, category_j, value FROM relatedness WHERE {where} "
                          "AND category_i < category_j AND value IS NOT NULL", params)
            if len(rel):
                pairs = self.df(f"SELECT least(category_i, category_j) AS category_i, greatest(category_i, "
                                f"category_j) AS category_j FROM related_pairs WHERE {where}", params)
                related = set(zip(pairs["category_i"], pairs["category_j"], strict=True))
                rel["related"] = [(i, j) in related for i, j in zip(rel["category_i"], rel["category_j"],
                                                                     strict=True)]
                return method, rel
        return None

    def related_pairs(self, method: str, *, year: int, level: int) -> pd.DataFrame:
        """``category_i, category_j, value`` of the pairs the linkages stage lists as related."""
        return self.df("""SELECT category_i, category_j, value FROM related_pairs WHERE method = ?
                          AND nuts_version = ? AND level = ? AND year = ?""", [method, NUTS_VERSION, level, year])

    def relatedness_latest(self) -> tuple[str, int, int, pd.DataFrame] | None:
        """The finest, latest relatedness matrix (co-location first): ``(method, level, year, pairs)`` with every
        ordered pair of different categories with a value; None when the version has none."""
        if not self.has("relatedness"):
            return None
        slice_ = self.df("SELECT method, level, year FROM relatedness WHERE nuts_version = ? "
                         "ORDER BY level DESC, year DESC, method = 'colocation_share' DESC, method LIMIT 1",
                         [NUTS_VERSION])
        if slice_.empty:
            return None
        method, level, year = slice_.iloc[0]["method"], int(slice_.iloc[0]["level"]), int(slice_.iloc[0]["year"])
        df = self.df("SELECT category_i, category_j, value FROM relatedness WHERE nuts_version = ? AND method = ? "
                     "AND level = ? AND year = ? AND category_i <> category_j AND value IS NOT NULL",
                     [NUTS_VERSION, method, level, year])
        return method, level, year, df

    # ---- opportunities --------------------------------------------------------------------------------------
    def region_opportunities(self, code: str, *, year: int, level: int) -> pd.DataFrame:
        """Every traded category of a region with its density, LQ, whether specialised and its rank."""
        return self.df("SELECT region, year, category, density, lq, specialised, rank FROM region_opportunities "
                       "WHERE nuts_version = ? AND level = ? AND region = ? AND year = ? "
                       "ORDER BY rank NULLS LAST, category", [NUTS_VERSION, level, code, year])

    def top_opportunities(self, code: str, *, year: int, level: int, limit: int) -> pd.DataFrame:
        """A region's ``limit`` closest opportunities (ranked) with the categories' stored names."""
        return self.df("""SELECT o.category, c.name AS category_name, o.density, o.lq, o.rank
                          FROM region_opportunities o JOIN categories c USING (category)
                          WHERE o.region = ? AND o.nuts_version = ? AND o.level = ? AND o.year = ?
                          AND o.rank IS NOT NULL ORDER BY o.rank LIMIT ?""", [code, NUTS_VERSION, level, year, limit])

    # ---- emerging industries --------------------------------------------------------------------------------
    def emerging_summary(self, *, year: int, level: int) -> pd.DataFrame:
        """Per emerging industry: European employment, regions with data, and the region where its share is
        largest."""
        return self.df("""SELECT emerging AS category, sum(employment) AS employment, count(share) AS regions_with_data,
                                 arg_min(region, rank) AS top_region, min_by(share, rank) AS top_share
                          FROM emerging_shares WHERE nuts_version = ? AND level = ? AND year = ? GROUP BY emerging""",
                       [NUTS_VERSION, level, year])

    def emerging_composition(self, industry: str) -> pd.DataFrame:
        """The categories and NACE industries an emerging industry is made of, with their weights."""
        return self.df("SELECT emerging, component, component_kind, nace_level, weight, employment "
                       "FROM emerging_composition WHERE emerging = ? "
                       "ORDER BY component_kind, nace_level DESC NULLS FIRST, weight DESC, component", [industry])

    def emerging_regions(self, industry: str, *, year: int, level: int) -> pd.DataFrame:
        """One emerging industry in every region of a level: employment, share, LQ, rank."""
        return self.df(f"""SELECT s.region, {region_name_sql()} AS region_name, s.year, s.emerging, s.employment,
                                  s.economy_employment,
                                  s.share, s.lq, s.share_europe, s.imputed_share, s.rank
                           FROM emerging_shares s
                           LEFT JOIN regions r ON r.code = s.region AND r.nuts_version = s.nuts_version
                           WHERE s.nuts_version = ? AND s.level = ? AND s.year = ? AND s.emerging = ?
                           ORDER BY s.rank NULLS LAST, s.region""", [NUTS_VERSION, level, year, industry])
