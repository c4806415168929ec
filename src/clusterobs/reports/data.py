"""Reads for the reports: one dataset version of the store, opened read-only (no Django).

Every query and every parameter check is the read layer's (``clusterobs.store.reads.VersionReads``, the base of the
web's ``Observatory`` as well), so that a number in a report is the number on screen; here only what the reports
alone make of it: the scheme's title in the report's language, and the cluster measures with the trust in each
cell made explicit. Tables written by optional engine stages (linkages, scoreboard, competitiveness sources) are
read only when the version holds them: ``has`` says which.

What the engine says about the trust in each number is read there too: a cell's ``coverage``, ``split_share``,
``rankable`` and ``caveat`` (``cluster_measures``), a region's ``region_quality`` (no-data regions and why), the
headline figures computed once by the engine (``region_headlines``, ``clusterobs.mapping.headlines``) and, when the
version holds it, the SBS/LFS plausibility check ``region_caveats``. A dataset computed before them reads as if every
cell with employment could be ranked.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from clusterobs.charts.specs.text import scheme_title
from clusterobs.errors import NoDataset, ReportError
from clusterobs.reports import formatting
from clusterobs.reports.history import shared_pairs
from clusterobs.store import Store
from clusterobs.store.reads import NUTS_VERSION, VersionReads
from clusterobs.store.reads.ahead import ReadAhead

DEFAULT_SCHEME = "eco2007"
DEFAULT_LEVEL = 2
#: what ``cluster_measures`` says about the trust in a cell (added to the shared read when it does not give them)
QUALITY_COLUMNS = ("coverage", "split_share", "rankable", "caveat")

__all__ = ["DEFAULT_LEVEL", "DEFAULT_SCHEME", "NUTS_VERSION", "QUALITY_COLUMNS", "ReportData", "ReportError"]


@dataclass
class ReportData(ReadAhead, VersionReads):
    """The tables of one dataset version that the reports draw from."""

    store: Store
    version: str
    _con: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)

    @classmethod
    def open(cls, store: Store, version: str | None = None) -> ReportData:
        """The version (the published one by default); ``NoDataset`` when there is none or it is not computed."""
        version = version or store.current()
        if version is None:
            raise NoDataset(f"no published dataset in {store.home}: run `clusterobs ingest` and "
                            "`clusterobs compute`")
        data = cls(store, version)
        if not {"cluster_measures", "cluster_stars", "star_schemes"} <= data.tables:
            raise NoDataset(f"dataset {version} has no cluster measures: run `clusterobs compute`")
        return data

    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self.store.connect(self.version)
        return self._con

    def close(self) -> None:
        self.stop_reading_ahead()
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
            self._con = None

    def scheme_title(self, scheme: str) -> str:
        """The scheme's title in the report's language."""
        return scheme_title(formatting.T, self, scheme)

    # ---- cluster measures -----------------------------------------------------------------------------------
    def measures(self, *, scheme: str | None, year: int, level: int = DEFAULT_LEVEL, region: str | None = None,
                 country: str | None = None) -> pd.DataFrame:
        """Cluster measures with the scheme's stars, one row per region × category (``cluster_measures``, the web's
        read); with ``scheme=None``, one row per region × category × scheme."""
        m = self.cluster_measures(scheme=scheme, year=year, level=level, regions=[region] if region else None,
                                  country=country)
        return self._with_quality(m, year=year, level=level)

    def _with_quality(self, m: pd.DataFrame, *, year: int, level: int) -> pd.DataFrame:
        """``m`` with ``coverage``, ``split_share``, ``rankable`` (bool) and ``caveat``, and ``stars`` a float that
        is NaN where the cell cannot be ranked (no employment, coverage below the threshold, a region split by
        population): such a cell has no stars, never 0."""
        missing = [c for c in QUALITY_COLUMNS if c not in m.columns]
        if missing and set(missing) <= self.columns("cluster_measures") and len(m):
            q = self.measure_cells(missing, year=year, level=level, regions=sorted(set(m["region"])))
            m = m.merge(q, on=["region", "category"], how="left")
        m = m.copy()
        known = m["employment"].notna()
        if "rankable" not in m.columns:  # a dataset computed before the engine said which cells can be ranked
            m["rankable"] = known
        m["rankable"] = m["rankable"].astype("boolean").fillna(False).astype(bool) & known
        for column, default in (("coverage", float("nan")), ("split_share", 0.0)):
            m[column] = pd.to_numeric(m[column], errors="coerce") if column in m.columns else default
        if "caveat" not in m.columns:
            m["caveat"] = None
        m["stars"] = pd.to_numeric(m["stars"], errors="coerce").astype(float).where(m["rankable"])
        return m

    def division_pairs(self) -> set[tuple[str, str]]:
        """The unordered pairs of categories (category_i < category_j) that share a NACE division: both have a
        weight above 0 on the same level-2 code of ``concordance``. Their employment is partly the same industries'
        employment, so their series move together by construction (empty when the version has no concordance)."""
        div = self.division_categories()
        return set() if div is None else shared_pairs(div)
