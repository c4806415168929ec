"""Regional Innovation Scoreboard 2023, full regional database 2016-2023 (DG GROW).

Every value is a RIS **normalised score** relative to the EU in 2016 (EU = 100), not a raw
indicator value: ``value_kind`` says so on every row, and the scoreboard must not normalise
these scores again without saying so.

Lineage: raw CSV (checksum; derived from the published workbook) → indicator label split into
code and name (``5.1,7`` read as ``5.1.7``) → region codes checked against NUTS 2021 (the UK
against NUTS 2016 NUTS-1), ``NO0B`` dropped (no data) → values on NUTS 2021 level-2 codes:
NUTS-2 codes as they are, a NUTS-1 region's score applied to each of its NUTS-2 regions, a
single-region country's to its one NUTS-2 region; the ``EU`` rows kept at level 0 → ``ris_indicators``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from clusterobs.classifications import nuts2021
from clusterobs.errors import SourceError
from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.ingestlog import IngestLog
from clusterobs.sources.workbook_csv import open_workbook, write_csv

META = load_meta(__file__)
FILE = "ris2023_regional_database.csv"
WORKBOOK = "RIS_2023.xlsx"
SHEET = "RIS"
COLUMNS = ("Indicator", "Year", "Zone", "Country", "CountryName", "Region", "RegionName", "Level", "Value",
           "performance group")
YEARS = range(2016, 2024)
NUTS_VERSION = 2021
UK_NUTS_VERSION = 2016
VALUE_KIND = "normalised score (EU 2016 = 100)"
DROPPED = {"NO0B": "NO0B (Jan Mayen and Svalbard) has no RIS data: dropped"}
_LABEL = re.compile(r"^(?P<code>\d+(?:[.,]\d+)*)\s+(?P<name>.+)$")
EXTRA = ["indicator_code", "indicator_name", "kind", "regional", "value_kind", "performance_group"]
TABLES = {
    "ris_indicators": "Regional Innovation Scoreboard 2023 (2016-2023): summary index, dimensions, indicators as RIS "
    "normalised scores (EU 2016 = 100) on NUTS 2021 level-2 codes (NUTS-1 scores applied to their NUTS-2 regions) "
    "and EU rows; long form, NULL-free",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the RIS database; needs ``nuts_codes`` in ``ref``."""
    path = source_path(mirror, META, FILE)
    known = {lev: nuts2021.codes(ref, NUTS_VERSION, lev) for lev in (0, 1, 2)}
    uk_level1 = {c for c in nuts2021.codes(ref, UK_NUTS_VERSION, 1) if c.startswith("UK")}
    single = {c for c in known[0] if nuts2021.children_2021(ref, c) == [f"{c}00"]}
    rows: list[tuple] = []
    seen: dict[tuple[str, str, int], int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=COLUMNS, min_rows=META.file(FILE).min_rows):
        label = rec["Indicator"].strip()
        m = _LABEL.match(label)
        if m is None:
            log.reject(source=META.id, file=path, line=line, value=label, reason="indicator label has no code")
            continue
        code = m["code"]
        if "," in code:
            log.quirk(source=META.id, file=path, kind="comma in the indicator code (5.1,7) read as a dot",
                      line=line, value=label)
            code = code.replace(",", ".")
        region = rec["Region"].strip()
        if region in DROPPED:
            log.reject(source=META.id, file=path, line=line, value=region, reason=DROPPED[region])
            continue
        if not (region == "EU" or region in known[2] or region in known[1] or region in uk_level1
                or region in single):
            log.reject(source=META.id, file=path, line=line, value=region,
                       reason="region code is not a NUTS 2021 code of level 1 or 2, a single-region country or EU")
            continue
        year_text = rec["Year"].strip()
        if not year_text.isdigit() or int(year_text) not in YEARS:
            log.reject(source=META.id, file=path, line=line, value=year_text, reason="year is not 2016-2023")
            continue
        year = int(year_text)
        key = (code, region, year)
        if key in seen:
            log.reject(source=META.id, file=path, line=line, value=f"{label},{region},{year}",
                       reason="duplicate of an earlier line (same indicator, region and year)")
            continue
        seen[key] = line
        # structural differences (5.x.y) may be negative (growth rates, FDI inflows); scores may not
        cell = cells.number(rec["Value"], negative=code.startswith("5."))
        if cell.problem == cells.EMPTY:
            log.quirk(source=META.id, file=path, kind="Value empty (not available)", line=line, value=region)
            continue
        if cell.problem:
            log.reject(source=META.id, file=path, line=line, value=cell.text,
                       reason="Value is not a number" if cell.problem == cells.NOT_A_NUMBER
                       else "Value negative (not a structural indicator) or not finite")
            continue
        rows.append((region, "ris_" + code.replace(".", "_"), year, cell.value, line, code, m["name"].strip(),
                     rec["performance group"].strip() or None))
    df = pd.DataFrame(rows, columns=["region_source_code", "indicator", "year", "value", "line", "indicator_code",
                                     "indicator_name", "performance_group"])
    df["kind"] = df["indicator_code"].map(_kind)
    df["regional"] = df["indicator_name"].str.endswith("(Regional)")
    df["value_kind"] = VALUE_KIND
    src = df["region_source_code"]
    nuts2 = df.loc[src.isin(known[2])].assign(region=lambda d: d["region_source_code"], method=nuts2021.SAME)
    eu = df.loc[src == "EU"].assign(region="EU", method="EU average (not a region)")
    level1 = sorted(set(src) & (known[1] | uk_level1))
    parents = nuts2021.expand(df, {c: nuts2021.children_2021(ref, c) for c in level1},
                              "NUTS-1 value applied to each NUTS-2 region")
    countries = nuts2021.expand(df, {c: [f"{c}00"] for c in set(src) & single}, "single-region country")
    out = pd.concat([nuts2, eu, parents, countries], ignore_index=True)
    version = out["region_source_code"].isin(uk_level1).map({True: UK_NUTS_VERSION, False: NUTS_VERSION})
    return {"ris_indicators": nuts2021.finish(out, version, extra=EXTRA)}


def _kind(code: str) -> str:
    parts = code.split(".")
    if code == "0":
        return "index"
    if len(parts) == 2:
        return "dimension"
    return "structural" if parts[0] == "5" else "indicator"


def after_download(folder: Path) -> list[Path]:
    """Write ``ris2023_regional_database.csv`` in ``folder`` from the downloaded workbook."""
    return [build_csv_from_workbook(folder)]


def build_csv_from_workbook(folder: Path) -> Path:
    """The mirror's conversion: sheet ``RIS`` as CSV (``workbook_csv``), written atomically."""
    book = open_workbook(folder / WORKBOOK)
    try:
        if SHEET not in book.sheetnames:
            raise SourceError(folder / WORKBOOK, f"no sheet {SHEET!r} (sheets: {', '.join(book.sheetnames)})")
        return write_csv(folder / FILE, book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
