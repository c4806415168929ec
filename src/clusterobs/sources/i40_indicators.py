"""Regional Industry 4.0 readiness indicator database (Honti et al. 2020): a NUTS-2 panel 2008-2019.

R&D expenditure and personnel, human resources in science and technology, employment in
high-tech and knowledge-intensive sectors, educational attainment, population, and the
authors' own counts (graduates, papers, patents, research institutions, news).

Lineage: the two TSVs (checksums; derived from the article's zip) → column descriptions
(trailing spaces and an empty fourth field tolerated) → rows whose code is a NUTS 2016 or a
NUTS 2013 NUTS-2 code (aggregates, extra-regio and NUTS 2010 codes quarantined) → NUTS 2021
level 2: NUTS 2016 codes with the 2016→2021 JRC weights; NUTS 2013-only codes (French regions
before 2016, ``HU10``, ``IE01``…) with the 2013→2021 weights, used only where no NUTS 2016
code gave the region a value that year → ``i40_indicators``, ``i40_indicator_definitions``.
Percentages and tone scores are averaged (pop21-weighted), counts are split (JRC shares).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from clusterobs.classifications import nuts2021
from clusterobs.errors import SourceError
from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import BOM, iter_rows
from clusterobs.sources.download import extract_zip
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "I40_indicator_db.tsv"
DESCRIPTION = "I40_indicator_db_column_description.tsv"
ZIP = "1-s2.0-S2352340920313469-mmc2.zip"
#: file in the mirror → member of the zip
ZIP_MEMBERS = {FILE: "I40_indicator_db.csv", DESCRIPTION: "I40_indicator_db_column_description.csv",
               "rankings.csv": "rankings.csv"}
YEARS = range(2008, 2020)
_COUNT = re.compile(r"UNIT_(NR|THS|FTE|HC)(__|$)|COUNT|^Graduates|^I40Papers$")
TABLES = {
    "i40_indicators": "NUTS-2 panel 2008-2019 (Eurostat R&D expenditure and personnel, HRST, high-tech and "
    "knowledge-intensive employment, educational attainment, population; authors' counts) on NUTS 2021 level-2 codes, "
    "converted from NUTS 2016 (or NUTS 2013 where 2016 codes lack the value); long form, NULL-free",
    "i40_indicator_definitions": "Columns of the NUTS-2 panel: description, data type, unit and whether values are "
    "averaged (mean) or summed (sum) when regions change",
}


def aggregation(indicator: str) -> str:
    """``sum`` for counts (persons, thousands, FTE, head counts, the authors' counts), else ``mean``."""
    return "sum" if _COUNT.search(indicator) else "mean"


def unit(indicator: str) -> str:
    """The unit the column name says (Eurostat's ``UNIT_`` code), or the authors' kind of value."""
    m = re.search(r"UNIT_([A-Z_]+?)(?:__|$)", indicator)
    if m:
        return {"PC": "%", "PC_POP": "% of population", "PC_GDP": "% of GDP", "PC_EMP": "% of total employment",
                "PC_EMP_FTE": "% of employment (FTE)", "PC_EMP_HC": "% of employment (head count)",
                "NR": "number", "THS": "thousands", "FTE": "full-time equivalents", "HC": "head count"}.get(
                    m.group(1), m.group(1))
    return "tone score" if indicator.startswith("GDELT_TONE") else "number"


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the panel; needs ``nuts_codes`` and ``nuts_conversion`` in ``ref``."""
    definitions = _definitions(source_path(mirror, META, DESCRIPTION), log)
    path = source_path(mirror, META, FILE)
    c16, c13 = nuts2021.codes(ref, 2016, 2), nuts2021.codes(ref, 2013, 2)
    indicators = list(definitions["indicator"])
    rows16: list[tuple[str, str, int, float, int]] = []
    rows13: list[tuple[str, str, int, float, int]] = []
    seen: dict[tuple[str, int], int] = {}
    empty: list[tuple[int, str]] = []
    for line, rec in iter_rows(path, source=META.id, log=log, delimiter="\t", expected=("NUTS2", "YEAR", *indicators),
                               min_rows=META.file(FILE).min_rows):
        code = rec["NUTS2"].strip()
        if code in c16:
            target = rows16
        elif code in c13:
            target = rows13
        else:
            log.reject(source=META.id, file=path, line=line, value=code,
                       reason="region code is not a NUTS 2016 or NUTS 2013 NUTS-2 code (aggregate, extra-regio or "
                       "an older NUTS version)")
            continue
        year_text = rec["YEAR"].strip()
        if not year_text.isdigit() or int(year_text) not in YEARS:
            log.reject(source=META.id, file=path, line=line, value=year_text, reason="YEAR is not 2008-2019")
            continue
        year = int(year_text)
        if (code, year) in seen:
            log.reject(source=META.id, file=path, line=line, value=f"{code},{year}",
                       reason="duplicate of an earlier line (same region and year)")
            continue
        seen[(code, year)] = line
        for col in indicators:
            cell = cells.number(rec[col])
            if cell.problem == cells.EMPTY:
                empty.append((line, code))
            elif cell.problem:  # not a number, or not finite
                log.reject(source=META.id, file=path, line=line, value=f"{code} {col}: {cell.text}",
                           reason="cell is not a finite number" if cell.problem == cells.NOT_FINITE
                           else "cell is not a number")
            else:
                target.append((code, col, year, cell.value, line))
    if empty:
        log.quirk(source=META.id, file=path, kind="empty cell (not available)", line=empty[0][0], value=empty[0][1],
                  count=len(empty))
    cols = ["region_source_code", "indicator", "year", "value", "line"]
    counts = {i for i in indicators if aggregation(i) == "sum"}
    parts = []
    for version, rows in ((2016, rows16), (2013, rows13)):
        df = pd.DataFrame(rows, columns=cols)
        if version == 2013:
            # every NUTS 2013 code of the file, unchanged ones included, so the 2013 regions are complete
            both = pd.DataFrame(rows16, columns=cols)
            df = pd.concat([df, both.loc[both["region_source_code"].isin(c13)]], ignore_index=True)
        conv = nuts2021.from_2016(df, ref, extensive=counts, from_version=version)
        for rec in conv.loc[conv["region"].isna()].drop_duplicates("region_source_code").itertuples(index=False):
            n = int((conv["region_source_code"] == rec.region_source_code).sum())
            log.quirk(source=META.id, file=path, kind=f"no JRC weights from NUTS {version} to NUTS 2021 for this "
                      "region: its values are not converted", line=int(rec.line), value=f"{rec.region_source_code} "
                      f"({n} values)")
        parts.append(conv.loc[conv["region"].notna()].assign(source_nuts_version=version))
    new, old = parts
    key = ["region", "indicator", "year"]
    covered = old.set_index(key).index.isin(new.set_index(key).index)
    names = {n: any(x not in c16 for x in n.split("+")) for n in old["region_source_code"].unique()}
    old_only = old["region_source_code"].map(names).astype(bool)
    superseded = old.loc[covered & old_only]
    for rec in superseded.itertuples(index=False):
        log.quirk(source=META.id, file=path, kind="NUTS 2013 value not used: the NUTS 2016 codes give this region a "
                  "value that year", line=int(rec.line), value=f"{rec.region} {rec.indicator} {rec.year}")
    out = pd.concat([new, old.loc[~covered]], ignore_index=True)
    return {"i40_indicators": nuts2021.finish(out, out["source_nuts_version"]),
            "i40_indicator_definitions": definitions}


def _definitions(path: Path, log: IngestLog) -> pd.DataFrame:
    """The column description file: trailing spaces stripped, an empty fourth field ignored (counted)."""
    rows = []
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError(path, f"cannot open: {exc.strerror or exc}") from exc
    with fh:
        reader = csv.reader(fh, delimiter="\t")
        header = [h.replace(BOM, "").strip() for h in next(reader, [])]
        if header[:3] != ["ColumnName", "DataType", "Description"]:
            hint = "; wrong delimiter?" if len(header) == 1 else ""
            raise SourceError(path, f"header is not ColumnName, DataType, Description (read {header[:3]!r}){hint}",
                              line=1)
        for record in reader:
            line = reader.line_num
            if not record or not any(f.strip() for f in record):
                continue
            if len(record) == 4 and not record[3].strip():
                log.quirk(source=META.id, file=path, kind="empty fourth field (trailing tab) ignored", line=line,
                          value=record[0].strip())
                record = record[:3]
            if len(record) != 3:
                log.reject(source=META.id, file=path, line=line, value="\t".join(record),
                           reason="expected 3 fields (truncated or malformed row)")
                continue
            name, dtype, desc = (f.strip() for f in record)
            if record[0] != name or record[1] != dtype:
                log.quirk(source=META.id, file=path, kind="trailing space in ColumnName or DataType stripped",
                          line=line, value=record[0])
            if name in ("NUTS2", "YEAR"):
                continue
            rows.append({"indicator": name, "data_type": dtype, "description": desc, "unit": unit(name),
                         "aggregation": aggregation(name), "line": line})
    if len(rows) < META.file(DESCRIPTION).min_rows - 2:
        raise SourceError(path, f"only {len(rows)} columns described (truncated file?)")
    return pd.DataFrame(rows).astype({"line": "int64"})


def after_download(folder: Path) -> list[Path]:
    """Extract the panel files from the downloaded zip into ``folder``, renamed as the mirror names them."""
    return extract_zip(folder, ZIP, ZIP_MEMBERS, source=META.id)
