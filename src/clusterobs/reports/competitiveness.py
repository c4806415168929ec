"""Competitiveness indicators the Panorama correlates with cluster strength, from whichever tables the dataset holds.

Each ``Indicator`` is one value per NUTS-2 region. The Eurostat regional indicators (``regional_indicators``,
NUTS 2016 codes) are always there; indicators of optional sources (the Regional Competitiveness Index editions,
the Regional Innovation Scoreboard, ...) are added when their tables are in the dataset. Codes are matched to the
NUTS 2021 regions of the cluster measures by identical code; the regions that do not match are counted.
"""

from __future__ import annotations

from clusterobs.charts.specs.text import INDICATORS
from clusterobs.reports import competitiveness_sources
from clusterobs.reports.data import ReportData
from clusterobs.reports.i18n import _
from clusterobs.reports.indicator import Indicator

__all__ = ["Indicator", "eurostat_indicators", "indicators", "optional_indicators"]


#: Eurostat regional indicators correlated in the Panorama: (indicator, label, unit, drawn)
EUROSTAT = [
    ("gdp_per_capita_eur", "GDP per capita", "EUR per inhabitant", True),
    ("disp_income_household", "Disposable household income per inhabitant", "EUR", False),
    ("patents", "Patent applications to the EPO", "per million inhabitants", False),
    ("unemployment_rate_t", "Unemployment rate", "% of labour force", False),
    ("broadband_access_household", "Households with broadband access", "% of households", False),
]


def eurostat_indicators(data: ReportData, year: int) -> list[Indicator]:
    out = []
    catalogue = data.indicator_catalogue().set_index("indicator")
    for key, label, unit, chart in EUROSTAT:
        df, used = data.indicator_values(key, year=year)
        if df.empty:
            continue
        if key in catalogue.index and catalogue.at[key, "unit"]:
            unit = str(catalogue.at[key, "unit"])
        note = _("{used} (closest year to {year} with data)").format(used=used, year=year) if used != year else ""
        out.append(Indicator(key, label, unit, INDICATORS, used, df.set_index("region")["value"].astype(float),
                             chart=chart, note=note))
    return out


def optional_indicators(data: ReportData, year: int) -> list[Indicator]:
    """Indicators of the optional competitiveness sources, when their tables are in the dataset."""
    return competitiveness_sources.indicators(data, year)


def indicators(data: ReportData, year: int) -> list[Indicator]:
    return [*eurostat_indicators(data, year), *optional_indicators(data, year)]
