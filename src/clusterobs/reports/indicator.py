"""One competitiveness indicator the Panorama correlates with cluster strength: a value per NUTS-2 region."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Indicator:
    """An indicator's values by region code, with what a citation and a chart need."""

    key: str
    label: str
    unit: str
    source: str  # source id, for the citation
    year: int | None
    values: pd.Series  # indexed by region code
    chart: bool = False  # drawn as a scatter (the others are in the table only)
    note: str = ""
