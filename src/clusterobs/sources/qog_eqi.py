"""European Quality of Government Index 2021 (QoG Institute), by NUTS-2 region.

Lineage: raw CSV (checksum) → codes checked against NUTS 2016 (level 2, or level 0 for the
five single-region countries) → Stata numbers (``.826``) read as floats → long table
``eqi_scores`` on NUTS 2021 level-2 codes (Croatia's HR04 split with the JRC weights; the
countries' values go to their one NUTS-2 region ``CY00``…).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.classifications import nuts2021
from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "eqi_2021_nuts.csv"
NUTS_VERSION = 2016
YEAR = 2021
#: column of the file → indicator id
INDICATORS = {
    "eqi21_n2": "eqi", "eqi21_n2_lowME": "eqi_low", "eqi21_n2_highME": "eqi_high",
    "qualityp21_n2": "eqi_quality", "impartialityp21_n2": "eqi_impartiality", "corruptionp21_n2": "eqi_corruption",
}
TABLES = {
    "eqi_scores": "European Quality of Government Index 2021 and its pillars (z-scores, higher = better) on NUTS 2021 "
    "level-2 codes, converted from QoG's NUTS 2016 codes; long form, NULL-free",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the EQI file; needs ``nuts_codes`` and ``nuts_conversion`` in ``ref``."""
    path = source_path(mirror, META, FILE)
    level2, level0 = nuts2021.codes(ref, NUTS_VERSION, 2), nuts2021.codes(ref, NUTS_VERSION, 0)
    rows: list[tuple[str, str, int, float, int]] = []
    seen: dict[str, int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=("region_code", "year", *INDICATORS),
                               min_rows=META.file(FILE).min_rows):
        code = rec["region_code"].strip()
        if code not in level2 and code not in level0:
            log.reject(source=META.id, file=path, line=line, value=code,
                       reason="region code is not a NUTS 2016 NUTS-2 or country code")
            continue
        if rec["year"].strip() != str(YEAR):
            log.reject(source=META.id, file=path, line=line, value=rec["year"], reason="year is not 2021")
            continue
        if code in seen:
            log.reject(source=META.id, file=path, line=line, value=code, reason="duplicate region")
            continue
        seen[code] = line
        for col, indicator in INDICATORS.items():
            cell = cells.number(rec[col])
            if cell.problem == cells.EMPTY:
                log.quirk(source=META.id, file=path, kind=f"{col} empty (not available)", line=line, value=code)
                continue
            if cell.problem:
                log.reject(source=META.id, file=path, line=line, value=cell.text,
                           reason=f"{col} is not a number" if cell.problem == cells.NOT_A_NUMBER
                           else f"{col} is not finite")
                continue
            if cell.text.startswith((".", "-.")):
                log.quirk(source=META.id, file=path, kind="number without leading zero (Stata export), read as float",
                          line=line, value=cell.text)
            rows.append((code, indicator, YEAR, cell.value, line))
    df = pd.DataFrame(rows, columns=["region_source_code", "indicator", "year", "value", "line"])
    countries = {c: [f"{c}00"] for c in level0 if c in set(df["region_source_code"])}
    national = nuts2021.expand(df, countries, "single-region country")
    regional = nuts2021.from_2016(df.loc[~df["region_source_code"].isin(set(countries))], ref)
    for rec in regional.loc[regional["region"].isna()].itertuples(index=False):
        log.reject(source=META.id, file=path, line=int(rec.line), value=rec.region_source_code,
                   reason="no JRC weights from NUTS 2016 to NUTS 2021 for this region")
    out = pd.concat([national, regional.loc[regional["region"].notna()]], ignore_index=True)
    return {"eqi_scores": nuts2021.finish(out, NUTS_VERSION)}
