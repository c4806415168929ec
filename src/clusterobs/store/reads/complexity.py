"""Reads of the economic complexity stage's table (``complexity``: RCA, M, density, PCI, COG, ECI per region,
category and year)."""

from __future__ import annotations

import pandas as pd

from clusterobs.store.reads.catalogue import Catalogue
from clusterobs.store.reads.sql import NUTS_VERSION

_WHERE = "nuts_version = ? AND level = ? AND year = ?"
#: the columns of ``complexity`` a matrix may be read of
MATRIX_COLUMNS = ("mcp", "rca", "density", "pci", "cog")


class Complexity(Catalogue):
    """The complexity table of the version."""

    def complexity_matrix(self, column: str, *, level: int, year: int) -> pd.DataFrame:
        """Region × category matrix of one column (``mcp`` or ``rca``) of a level and year; missing values are 0."""
        if column not in MATRIX_COLUMNS:
            raise ValueError(f"not a matrix column of complexity: {column!r}")
        df = self.df(f"SELECT region, category, {column} AS v FROM complexity WHERE {_WHERE}",
                     [NUTS_VERSION, level, year])
        return df.pivot(index="region", columns="category", values="v").astype(float).fillna(0.0).sort_index(
            axis=0).sort_index(axis=1)

    def region_complexity(self, code: str, *, level: int, year: int) -> pd.DataFrame:
        """Every traded category of a region in a year: its complexity row, by category."""
        return self.df(f"SELECT region, year, category, rca, mcp, density, pci, cog, eci, coi, diversity, ubiquity "
                       f"FROM complexity WHERE {_WHERE} AND region = ? ORDER BY category",
                       [NUTS_VERSION, level, year, code])

    def region_complexity_named(self, code: str, *, level: int, year: int) -> pd.DataFrame:
        """A region's complexity rows with the categories' stored names (``category_name``)."""
        return self.df("""SELECT x.category, c.name AS category_name, x.mcp, x.density, x.pci, x.cog, x.eci, x.diversity
                          FROM complexity x JOIN categories c USING (category)
                          WHERE x.region = ? AND x.nuts_version = ? AND x.level = ? AND x.year = ?""",
                       [code, NUTS_VERSION, level, year])

    def eci_regions(self, *, level: int, year: int) -> pd.DataFrame:
        """ECI, COI and diversity of every region of a level with an ECI in the year."""
        return self.df(f"""SELECT region, max(eci) AS eci, max(coi) AS coi, max(diversity) AS diversity
                           FROM complexity WHERE {_WHERE} GROUP BY region HAVING max(eci) IS NOT NULL""",
                       [NUTS_VERSION, level, year])

    def eci_series(self, code: str, *, level: int) -> pd.DataFrame:
        """A region's ECI (and diversity) in every year of the version."""
        return self.df("""SELECT year, max(eci) AS eci, max(diversity) AS diversity FROM complexity
                          WHERE nuts_version = ? AND level = ? AND region = ? GROUP BY year ORDER BY year""",
                       [NUTS_VERSION, level, code])
