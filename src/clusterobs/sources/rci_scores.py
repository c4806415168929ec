"""EU Regional Competitiveness Index, overall scores of the editions 2010-2019 (DG REGIO "RCI evolution").

Lineage: raw CSV (checksum) → codes checked against NUTS 2016 (level 2 or country) → merged
capital regions (``AT00``…, ``UK00``) and the pre-2016 codes ``PL90`` and ``HU10`` resolved to
their members: the country's NUTS 2016 NUTS-2 codes that the file never names on their own
→ NUTS 2016 → NUTS 2021 (JRC weights, pop21-weighted mean) → ``rci_scores``. Country rows are
kept at level 0.
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
FILE = "rci_2010_2019_zscores.csv"
NUTS_VERSION = 2016
EDITIONS = (2010, 2013, 2016, 2019)
INDICATOR = "rci_score"
TABLES = {
    "rci_scores": "Overall EU Regional Competitiveness Index score (z-score, EU = 0) of the editions 2010, 2013, 2016 "
    "and 2019 on NUTS 2021 level-2 codes (merged capital regions applied to their members) and country rows",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the scores; needs ``nuts_codes`` and ``nuts_conversion`` in ``ref``."""
    path = source_path(mirror, META, FILE)
    level2, level0 = nuts2021.codes(ref, NUTS_VERSION, 2), nuts2021.codes(ref, NUTS_VERSION, 0)
    rows: list[tuple[str, str, int, float, int, bool]] = []
    seen: dict[tuple[str, int], int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, min_rows=META.file(FILE).min_rows,
                               expected=("NUTS CODE 2016", "merged regions_code", "capital region", "Year", "value")):
        code = rec["NUTS CODE 2016"].strip()
        year_text = rec["Year"].strip()
        if not year_text.isdigit() or int(year_text) not in EDITIONS:
            log.reject(source=META.id, file=path, line=line, value=year_text, reason="year is not an RCI edition")
            continue
        year = int(year_text)
        if (code, year) in seen:
            log.reject(source=META.id, file=path, line=line, value=f"{code},{year}",
                       reason="duplicate of an earlier line (same region and edition)")
            continue
        seen[(code, year)] = line
        cell = cells.number(rec["value"])
        if cell.problem == cells.EMPTY:
            log.quirk(source=META.id, file=path, kind="value empty (no score in this edition)", line=line, value=code)
            continue
        if cell.problem:  # not a number, or not finite
            log.reject(source=META.id, file=path, line=line, value=cell.text,
                       reason="value is not a finite number" if cell.problem == cells.NOT_FINITE
                       else "value is not a number")
            continue
        if rec["merged regions_code"].strip() == "not enough data":
            log.quirk(source=META.id, file=path, kind="region flagged 'not enough data' by the publisher: score kept",
                      line=line, value=code)
        rows.append((code, INDICATOR, year, cell.value, line, rec["capital region"].strip() == "capital region"))
    df = pd.DataFrame(rows, columns=["region_source_code", "indicator", "year", "value", "line", "capital_region"])
    named = set(df["region_source_code"])
    odd = sorted(c for c in named if c not in level2 and c not in level0)
    members: dict[str, list[str]] = {}
    for code in odd:
        absent = sorted(c for c in level2 if c[:2] == code[:2] and c not in named)
        if len(code) != 4 or not absent or sum(o[:2] == code[:2] for o in odd) > 1:
            for line in df.loc[df["region_source_code"] == code, "line"]:
                log.reject(source=META.id, file=path, line=int(line), value=code,
                           reason="region code is not NUTS 2016 and its member regions cannot be told")
            continue
        members[code] = absent
    merged = nuts2021.expand(df, members, "")
    merged = merged.assign(merged_code=merged["region_source_code"], region_source_code=merged["region"])
    regional = df.loc[df["region_source_code"].isin(level2)].assign(merged_code=pd.NA)
    both = pd.concat([regional, merged.drop(columns=["region", "method"])], ignore_index=True)
    capital = df.drop_duplicates("region_source_code").set_index("region_source_code")["capital_region"]
    out = nuts2021.from_2016(both[["region_source_code", "indicator", "year", "value", "line"]], ref)
    for rec in out.loc[out["region"].isna()].drop_duplicates("line").itertuples(index=False):
        log.reject(source=META.id, file=path, line=int(rec.line), value=rec.region_source_code,
                   reason="no JRC weights from NUTS 2016 to NUTS 2021 for this region")
    out = out.loc[out["region"].notna()].copy()
    # a member of a merged region: say so, and name the published code
    line_code = df.set_index("line")["region_source_code"]
    published = out["line"].map(line_code)
    via = published.isin(set(members))
    out.loc[via, "method"] = ("merged region value applied to each member (" + published[via] + " = "
                              + published[via].map(lambda c: "+".join(members[c])) + "); " + out.loc[via, "method"])
    out.loc[via, "region_source_code"] = published[via]
    out["capital_region"] = out["region_source_code"].map(capital).fillna(False).astype(bool)
    countries = df.loc[df["region_source_code"].isin(level0)].assign(
        region=lambda d: d["region_source_code"], method=nuts2021.SAME)
    table = pd.concat([out, countries], ignore_index=True)
    return {"rci_scores": nuts2021.finish(table, NUTS_VERSION, extra=["capital_region"])}
