"""Reads of a region's context: the Eurostat regional indicators, LFS employment and the optional competitiveness
sources (RCI, RIS, EQI, Industry 4.0), each keyed by region and year."""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.store.reads.catalogue import Catalogue
from clusterobs.store.reads.sql import NUTS_VERSION


class Context(Catalogue):
    """Regional indicators and LFS employment of the version."""

    def indicator_catalogue(self) -> pd.DataFrame:
        """The Eurostat regional indicators: code, table, unit, description (empty when the version has none)."""
        if not self.has("indicator_catalogue"):
            return pd.DataFrame(columns=["indicator", "eurostat_table", "unit", "description"])
        return self.df("SELECT indicator, eurostat_table, unit, description FROM indicator_catalogue")

    def region_context(self, code: str) -> dict[str, Any]:
        """The latest year of each regional indicator of one region (NUTS 2016 code = the 2021 code when
        unchanged): indicator → ``{"value", "year"}``; empty when the version has no indicators."""
        if not self.has("regional_indicators"):
            return {}
        df = self.df("""SELECT indicator, year, value FROM regional_indicators WHERE region = ?
                        QUALIFY row_number() OVER (PARTITION BY indicator ORDER BY year DESC) = 1""", [code])
        return {r.indicator: {"value": float(r.value), "year": int(r.year)} for r in df.itertuples()}

    def region_indicators(self, code: str) -> pd.DataFrame:
        """Every year of every regional indicator of one region (NUTS 2016 code = the 2021 code when unchanged)."""
        if not self.has("regional_indicators"):
            return pd.DataFrame(columns=["indicator", "year", "value"])
        return self.df("SELECT indicator, year, value FROM regional_indicators WHERE region = ? "
                       "ORDER BY indicator, year", [code])

    def indicator_values(self, indicator: str, *, year: int | None = None) -> tuple[pd.DataFrame, int | None]:
        """``regional_indicators`` for one indicator: (region, value) in ``year`` or the year closest to it with
        the most regions (NUTS 2016 codes); returns the frame and the year used."""
        if not self.has("regional_indicators"):
            return pd.DataFrame(columns=["region", "value"]), None
        counts = self.df("SELECT year, count(*) AS n FROM regional_indicators WHERE indicator = ? GROUP BY year",
                         [indicator])
        if counts.empty:
            return pd.DataFrame(columns=["region", "value"]), None
        if year is not None and year in set(counts["year"]):
            used = year
        else:
            target = year if year is not None else int(counts["year"].max())
            counts["gap"] = (counts["year"] - target).abs()
            used = int(counts.sort_values(["gap", "n", "year"], ascending=[True, False, False])["year"].iloc[0])
        df = self.df("SELECT region, value FROM regional_indicators WHERE indicator = ? AND year = ?",
                     [indicator, used])
        return df, used

    # ---- LFS employment -----------------------------------------------------------------------------------------
    def region_employment(self, code: str) -> dict[str, Any]:
        """Employment in the whole economy (LFS, latest year with a value, NUTS-2 only), persons: ``{"value",
        "year"}``, empty without one."""
        if not self.has("lfs_employment"):
            return {}
        df = self.df("SELECT year, value FROM lfs_employment WHERE region = ? AND nuts_version = ? "
                     "AND sector = 'TOTAL' AND value IS NOT NULL ORDER BY year DESC LIMIT 1", [code, NUTS_VERSION])
        if df.empty:
            return {}
        return {"value": float(df["value"].iloc[0]), "year": int(df["year"].iloc[0])}

    def lfs_employment(self, code: str) -> pd.DataFrame:
        """LFS employment of one region (NUTS 2021, converted where needed) by activity aggregate and year."""
        if not self.has("lfs_employment"):
            return pd.DataFrame(columns=["sector", "label", "year", "value", "converted"])
        label = "coalesce(t.name, e.sector)" if self.has("lfs_sectors") else "e.sector"
        join = "LEFT JOIN lfs_sectors t USING (sector)" if self.has("lfs_sectors") else ""
        return self.df(f"SELECT e.sector, {label} AS label, e.year, e.value, e.converted FROM lfs_employment e "
                       f"{join} WHERE e.region = ? AND e.nuts_version = ? ORDER BY e.sector, e.year",
                       [code, NUTS_VERSION])

    # ---- competitiveness sources (NUTS 2021 level 2) ----------------------------------------------------------
    def source_indicator(self, table: str, indicator: str, *, year: int | None = None) -> pd.DataFrame:
        """``region, year, value, method`` of one indicator of a competitiveness table (``rci_scores``,
        ``ris_indicators``…) at NUTS 2021 level 2, in ``year`` or every year."""
        return self.df(f"""SELECT region, year, value, method FROM "{table}" WHERE indicator = ? AND level = 2
                           AND nuts_version = ? {'AND year = ?' if year is not None else ''}""",
                       [indicator, NUTS_VERSION, *([year] if year is not None else [])])

    def source_indicator_years(self, table: str, indicator: str) -> pd.DataFrame:
        """``year, n``: how many level-2 regions have a value of the indicator each year."""
        return self.df(f'SELECT year, count(*) AS n FROM "{table}" WHERE indicator = ? AND level = 2 '
                       "GROUP BY year", [indicator])
