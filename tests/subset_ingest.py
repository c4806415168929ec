"""``run_ingest`` over a few sources (checksums, reading, writing, publishing as in a whole ingest): for the tests
about a rule of the ingest that a few files show, at a fraction of a whole ingest's time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from clusterobs import ingest
from clusterobs.classifications import regions
from clusterobs.ingest import sbs_series
from clusterobs.sources import gisco_nuts, jrc_nuts, nace_classification

#: the classification sources the NUTS codes need, read first by every subset
CLASSIFICATIONS = (nace_classification, jrc_nuts, gisco_nuts)


def limit_ingest(monkeypatch: pytest.MonkeyPatch, sources: Sequence[ModuleType] = (), panel: bool = False) -> None:
    """Make ``run_ingest`` read ``CLASSIFICATIONS``, the NUTS codes, then ``sources`` (and with ``panel`` the SBS
    panel that merges the two SBS vintages, ``sbs_series``), and nothing optional."""

    def read_all(mirror: Path, log, progress=None, sink=None) -> dict[str, pd.DataFrame]:
        tables: dict[str, pd.DataFrame] = {}
        for module in CLASSIFICATIONS:
            tables.update(module.read(mirror, log, tables))
        tables["nuts_codes"] = regions.nuts_codes(tables)
        for module in sources:
            tables.update(module.read(mirror, log, tables))
        if panel:
            tables.update(sbs_series.build(tables, log))
        return tables

    monkeypatch.setattr(ingest, "SOURCES", (*CLASSIFICATIONS, *sources))
    monkeypatch.setattr(ingest, "OPTIONAL_SOURCES", ())
    monkeypatch.setattr(ingest, "read_all", read_all)
