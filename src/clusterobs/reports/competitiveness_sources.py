"""Indicators from the optional competitiveness sources, read when their tables are in the dataset.

All are keyed by NUTS 2021 level-2 codes (the ``sources`` tables' contract), so they match the cluster measures
exactly. Values a source published for a larger or merged region and copied to each NUTS-2 region (the ``method``
column says so) are kept and counted in the indicator's note: they repeat one value over several regions.
"""

from __future__ import annotations

import pandas as pd

from clusterobs.reports.data import ReportData
from clusterobs.reports.i18n import _, ngettext
from clusterobs.reports.indicator import Indicator

#: table → what it holds, for the "not in this dataset" note
EXPECTED = {
    "rci_scores": "Regional Competitiveness Index, 2010-2019 editions",
    "ris_indicators": "Regional Innovation Scoreboard 2023",
    "eqi_scores": "European Quality of Government Index 2021",
    "rci_indicators": "Regional Competitiveness Index 2.0 2022 raw indicators",
    "i40_indicators": "Industry 4.0 regional indicators",
}
RCI_EDITIONS = (2010, 2013, 2016, 2019)
#: (table, indicator, label, unit, source id, year rule, drawn)
SERIES = [
    ("ris_indicators", "ris_0", "RIS Summary Innovation Index", "score, EU 2016 = 100", "ris_2023", "latest", True),
    ("ris_indicators", "ris_0", "RIS Summary Innovation Index", "score, EU 2016 = 100", "ris_2023", "closest", False),
    ("eqi_scores", "eqi", "Quality of Government (EQI)", "z-score", "qog_eqi_2021", "latest", False),
    ("rci_indicators", "rci_gdp_pps_per_inhabitant_eu27_100_average_2018_2020", "GDP per inhabitant in PPS (RCI 2022)",
     "EU-27 = 100, average 2018-2020", "rci_2022", "latest", False),
    ("rci_indicators", "rci_higher_educational_attainment", "Higher educational attainment (RCI 2022)", "%",
     "rci_2022", "latest", False),
    ("i40_indicators", "htec_emp_reg2_NACE_R2_HTC__UNIT_PC_EMP__SEX_T", "Employment in high-tech sectors (I4.0)",
     "% of employment", "i40_nuts2_indicators", "closest", False),
    ("i40_indicators", "rd_e_gerdreg_SECTPERF_TOTAL__UNIT_PC_GDP", "R&D expenditure (GERD, I4.0)", "% of GDP",
     "i40_nuts2_indicators", "closest", False),
]


def _values(data: ReportData, table: str, indicator: str, year: int | None) -> pd.DataFrame:
    return data.source_indicator(table, indicator, year=year)


def _note(df: pd.DataFrame) -> str:
    copied = df["method"].fillna("").str.contains("applied to each|copied|merged", regex=True)
    n = int(copied.sum())
    return (ngettext("{n} region carries a value published for a larger or merged region (copied to each NUTS-2 "
                     "region by the source reader).", "{n} regions carry a value published for a larger or merged "
                     "region (copied to each NUTS-2 region by the source reader).", n).format(n=n) if n else "")


def indicators(data: ReportData, year: int) -> list[Indicator]:

    out: list[Indicator] = []
    if data.has("rci_scores"):
        for edition in RCI_EDITIONS:
            df = _values(data, "rci_scores", "rci_score", edition)
            if df.empty:
                continue
            out.append(Indicator(f"rci_{edition}", f"Regional Competitiveness Index {edition}", "z-score, EU = 0",
                                 "rci_scores_2010_2019", edition, df.set_index("region")["value"].astype(float),
                                 chart=edition == max(RCI_EDITIONS), note=_note(df)))
    seen: set[tuple[str, int]] = set()
    for table, indicator, label, unit, source, rule, chart in SERIES:
        if not data.has(table):
            continue
        years = data.source_indicator_years(table, indicator)
        if years.empty:
            continue
        if rule == "latest":
            used = int(years["year"].max())
        else:
            years["gap"] = (years["year"] - year).abs()
            used = int(years.sort_values(["gap", "n"], ascending=[True, False])["year"].iloc[0])
        if (indicator, used) in seen:
            continue
        seen.add((indicator, used))
        df = _values(data, table, indicator, used)
        note = " ".join(n for n in [_("{used} (closest year to {year} with data).").format(used=used, year=year)
                                    if rule == "closest" and
                                    used != year else "", _note(df)] if n)
        out.append(Indicator(f"{indicator}_{used}", label, unit, source, used,
                             df.set_index("region")["value"].astype(float), chart=chart, note=note))
    return out


def absent(data: ReportData) -> list[str]:
    return [label for table, label in EXPECTED.items() if not data.has(table)]
