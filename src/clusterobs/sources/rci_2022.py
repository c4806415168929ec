"""EU Regional Competitiveness Index 2.0, 2022 edition: raw indicator values (DG REGIO).

Lineage: four raw CSVs (checksums) → the capital-region composition (``B10`` read as ``BE10``)
→ the indicator descriptions (continuation lines joined to the indicator above; directions)
→ the raw values and the population/GDP sheet, codes checked against NUTS 2021 level 2 or the
merged capital regions, ``NA`` read as missing → values on NUTS 2021 level-2 codes: a merged
capital region's value applied to each of its members, except counts (population, patent
applications), which cannot be → ``rci_indicators``, ``rci_indicator_definitions``,
``rci_capital_regions``. Values are raw (not normalised, not index scores).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pandas as pd

from clusterobs.classifications import nuts2021
from clusterobs.errors import SourceError
from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
RAW = "rci2022_raw_indicators.csv"
DESCRIPTIONS = "rci2022_indicator_descriptions.csv"
POPULATION = "rci2022_population_gdp_pps.csv"
CAPITALS = "rci2022_capital_region_aggregation.csv"
NUTS_VERSION = 2021
EDITION = 2022
POPULATION_COLUMNS = (
    "population_2018", "population_2019", "population_2020", "population_average_2018_2020",
    "gdp_pps_per_inhabitant_eu27_100_2018", "gdp_pps_per_inhabitant_eu27_100_2019",
    "gdp_pps_per_inhabitant_eu27_100_2020", "gdp_pps_per_inhabitant_eu27_100_average_2018_2020",
)
#: Indicators whose lower values are better, per the RCI 2.0 2022 methodology (names as in the data header).
LOWER_IS_BETTER = frozenset({
    "Presence of corruption in the national public institutions in the country",
    "Presence of corruption in the local or regional public institutions in the country",
    "Government bond yields", "Government debt", "Road fatalities", "Child mortality",
    "Cancer disease death rate (x1000)", "Heart disease death rate (x1000)", "Suicide death rate",
    "Low achievement in reading (15-year-olds)", "Low achievement in maths (15-year-olds)",
    "Low achievement in science (15-year-olds)", "Early school leavers", "Lower-secondary completion only",
    "Long-term unemployment", "Unemployment rate", "Gender balance unemployment", "Gender balance employment",
    "NEET rate", "Labour market slack", "Temporary employment",
})
#: Counts: a merged capital region's count is not a value of each of its members.
COUNTS = frozenset({"rci_total_patent_applications", "rci_population_2018", "rci_population_2019",
                    "rci_population_2020", "rci_population_average_2018_2020"})
#: Pillar (first words as published) → (pillar, sub-index) of RCI 2.0.
PILLARS = {
    "institutions": ("Institutions", "basic"), "macroeconomic": ("Macroeconomic stability", "basic"),
    "infrastructure": ("Infrastructure", "basic"), "health": ("Health", "basic"),
    "basic education": ("Basic education", "basic"),
    "higher education": ("Higher education and lifelong learning", "efficiency"),
    "labour market": ("Labour market efficiency", "efficiency"), "market size": ("Market size", "efficiency"),
    "technological readiness": ("Technological readiness", "innovation"),
    "business sophistication": ("Business sophistication", "innovation"), "innovation": ("Innovation", "innovation"),
}
TABLES = {
    "rci_indicators": "RCI 2.0 2022 raw indicator values (68 indicators; not normalised) and population / GDP per "
    "inhabitant in PPS 2018-2020 on NUTS 2021 level-2 codes (merged capital regions applied to their members, "
    "counts excepted); long form, NULL-free",
    "rci_indicator_definitions": "RCI 2.0 2022 indicators: pillar, sub-index, description, unit, source, reference "
    "year, geographical level, direction (+1 higher is better, -1 lower is better)",
    "rci_capital_regions": "The NUTS 2021 NUTS-2 regions that form each merged capital region of RCI 2022",
}


def slug(name: str) -> str:
    """``rci_`` + the header name in lower case, non-alphanumerics as ``_`` (non-breaking spaces too)."""
    text = unicodedata.normalize("NFKC", name).lower()
    return "rci_" + re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the four files; needs ``nuts_codes`` in ``ref``."""
    capitals = _capitals(mirror, log, ref)
    members = capitals.groupby("rci_code")["nuts2_2021_code"].apply(list).to_dict()
    raw_path = source_path(mirror, META, RAW)
    with raw_path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    if len(header) < 3 or header[0].replace("\ufeff", "").strip() != "NUTS":
        text = ",".join(header)
        hint = next((f"; the header splits on {d!r}, not on ',': wrong delimiter" for d in (";", "\t", "|")
                     if d in text), "")
        raise SourceError(raw_path, f"header does not start with NUTS, Region name (read {text[:80]!r}){hint}",
                          line=1)
    definitions = _definitions(mirror, log, [h.replace("\ufeff", "").strip() for h in header[2:]])
    columns = dict(zip(definitions["column"], definitions["indicator"], strict=True))
    values = _values(raw_path, log, ref, members, columns, RAW)
    pop_path = source_path(mirror, META, POPULATION)
    pop = _values(pop_path, log, ref, members, {c: f"rci_{c}" for c in POPULATION_COLUMNS}, POPULATION)
    df = pd.concat([values, pop], ignore_index=True)
    src = df["region_source_code"]
    direct = df.loc[~src.isin(set(members))].assign(region=lambda d: d["region_source_code"], method=nuts2021.SAME)
    merged = df.loc[src.isin(set(members))]
    for rec in merged.loc[merged["indicator"].isin(COUNTS)].itertuples(index=False):
        log.reject(source=META.id, file=rec.file, line=int(rec.line), value=f"{rec.region_source_code} {rec.indicator}",
                   reason="count of a merged capital region: not applied to its member regions")
    spread = nuts2021.expand(merged.loc[~merged["indicator"].isin(COUNTS)], members,
                             "merged region value applied to each member")
    out = nuts2021.finish(pd.concat([direct, spread], ignore_index=True), NUTS_VERSION, extra=["file"])
    return {"rci_indicators": out, "rci_indicator_definitions": definitions, "rci_capital_regions": capitals}


def _capitals(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> pd.DataFrame:
    path = source_path(mirror, META, CAPITALS)
    level2 = nuts2021.codes(ref, NUTS_VERSION, 2)
    rows = []
    for line, rec in iter_rows(path, source=META.id, log=log, min_rows=META.file(CAPITALS).min_rows,
                               expected=("country", "rci_code", "rci_name", "nuts2_2021_code", "nuts2_2021_name")):
        published = rec["nuts2_2021_code"].strip()
        code = published
        if re.fullmatch(r"B\d\d", code):
            log.quirk(source=META.id, file=path, kind="Belgian code written B10 for BE10: read as BE10",
                      line=line, value=code)
            code = "BE" + code[1:]
        if code not in level2:
            log.reject(source=META.id, file=path, line=line, value=published,
                       reason="member code is not a NUTS 2021 NUTS-2 code")
            continue
        rows.append({"rci_code": rec["rci_code"].strip(), "rci_name": rec["rci_name"].strip(),
                     "nuts2_2021_code": code, "published_code": published, "country": rec["country"].strip(),
                     "line": line})
    return pd.DataFrame(rows, columns=["rci_code", "rci_name", "nuts2_2021_code", "published_code", "country", "line"])


def _definitions(mirror: Path, log: IngestLog, header: list[str]) -> pd.DataFrame:
    path = source_path(mirror, META, DESCRIPTIONS)
    cols = ("Pillar name", "Indicator name", "Description", "Unit of measurement", "Source", "Reference year",
            "Geographical level", "Present in RCI 2019")
    rows: list[dict[str, object]] = []
    for line, rec in iter_rows(path, source=META.id, log=log, expected=cols,
                               min_rows=META.file(DESCRIPTIONS).min_rows):
        if not rec["Pillar name"].strip():
            if not rows:
                log.reject(source=META.id, file=path, line=line, value=",".join(rec.values()),
                           reason="continuation line before any indicator")
                continue
            log.quirk(source=META.id, file=path, kind="continuation line joined to the indicator above", line=line,
                      value=",".join(v for v in rec.values() if v))
            for key, text in rec.items():
                if text.strip():
                    rows[-1][key] = f"{rows[-1][key]} {text.strip()}".strip()
            continue
        rows.append({**{k: v.strip() for k, v in rec.items()}, "line": line})
    if len(rows) != len(header):
        raise SourceError(path, f"{len(rows)} indicators described, but {len(header)} indicator columns in {RAW}")
    out = []
    for position, (column, rec) in enumerate(zip(header, rows, strict=True), start=1):
        name = str(rec["Indicator name"])
        if _norm(name) != _norm(column):
            log.quirk(source=META.id, file=path, kind="indicator named differently in the data header: matched by "
                      "position", line=int(rec["line"]), value=f"{name} / {column}")
        pillar_text = re.sub(r"\s+", " ", str(rec["Pillar name"])).lower()
        pillar, sub_index = next((v for k, v in PILLARS.items() if pillar_text.startswith(k)), (rec["Pillar name"], ""))
        unit = str(rec["Unit of measurement"])
        lower = column in LOWER_IS_BETTER
        if "the higher the better" in unit or "(best)" in unit:
            basis = "unit of measurement"
        else:
            basis = "RCI 2.0 2022 methodology"
        out.append({
            "indicator": slug(column), "column": column, "position": position, "pillar": pillar,
            "pillar_published": rec["Pillar name"], "sub_index": sub_index, "name": name,
            "description": rec["Description"], "unit": unit, "source": rec["Source"],
            "reference_year": rec["Reference year"], "geographical_level": rec["Geographical level"],
            "in_rci_2019": str(rec["Present in RCI 2019"]).lower().startswith("yes"),
            "direction": -1 if lower else 1, "direction_basis": basis, "line": int(rec["line"]),
        })
    df = pd.DataFrame(out)
    return df.astype({"position": "int64", "direction": "int64", "line": "int64", "in_rci_2019": bool})


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"\s*\(.*?\)\s*|[^a-z0-9]+", "", text)


def _values(path: Path, log: IngestLog, ref: dict[str, pd.DataFrame], members: dict[str, list[str]],
            columns: dict[str, str], file: str) -> pd.DataFrame:
    level2 = nuts2021.codes(ref, NUTS_VERSION, 2)
    rows: list[tuple[str, str, int, float, int, str]] = []
    seen: dict[str, int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=("NUTS", *columns),
                               min_rows=META.file(file).min_rows):
        code = rec["NUTS"].strip()
        if code not in level2 and code not in members:
            log.reject(source=META.id, file=path, line=line, value=code,
                       reason="region code is not a NUTS 2021 NUTS-2 code or a merged capital region")
            continue
        if code in seen:
            log.reject(source=META.id, file=path, line=line, value=code, reason="duplicate region")
            continue
        seen[code] = line
        for col, indicator in columns.items():
            cell = cells.number(rec[col], missing=("", "NA"))
            if cell.problem == cells.EMPTY:
                log.quirk(source=META.id, file=path, kind="NA or empty cell (not available)", line=line,
                          value=f"{code} {col.strip()}")
                continue
            if cell.problem:  # not a number, or not finite
                log.reject(source=META.id, file=path, line=line, value=f"{code} {col.strip()}: {cell.text}",
                           reason="cell is not a finite number" if cell.problem == cells.NOT_FINITE
                           else "cell is not a number")
                continue
            rows.append((code, indicator, EDITION, cell.value, line, file))
    return pd.DataFrame(rows, columns=["region_source_code", "indicator", "year", "value", "line", "file"])


# ---- rebuilding the CSVs from the downloaded workbook --------------------------------------------------------

WORKBOOK = "RCI_2022.xlsx"
RAW_SHEET = "RCI_2022_raw_data"
CAPITALS_HEADER = ("country", "rci_code", "rci_name", "nuts2_2021_code", "nuts2_2021_name")
POPULATION_HEADER = ("NUTS", "Region name", "reference_code", *POPULATION_COLUMNS)
_REGION = re.compile(r"^[A-Z]{2}(?:(?=[0-9A-Z]{0,1}[0-9])[0-9A-Z]{2}|_C)$")
"""A NUTS-2 code (a digit in its last two characters: not the header word ``NUTS``) or a merged ``AT_C``."""


def after_download(folder: Path) -> list[Path]:
    """Write the four CSVs in ``folder`` from the downloaded workbook, as the mirror converted them.

    Sheets are recognised by their content (only the raw-data sheet's name, ``RCI_2022_raw_data``,
    is known): the one whose header starts ``NUTS, Region name`` with the indicator columns; the
    description sheet (first cell ``Pillar name``; non-breaking spaces made plain, cells trimmed);
    the capital-region sheet (merged codes ``AT_C``…; newlines in names made spaces; the mirror's
    header); the population/GDP sheet (its four-line header replaced by the mirror's one line).
    """
    from clusterobs.sources.workbook_csv import open_workbook, write_csv

    path = folder / WORKBOOK
    book = open_workbook(path)
    try:
        sheets = {name: [tuple(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    finally:
        book.close()
    found: dict[str, list[tuple]] = {}
    for name, rows in sheets.items():
        first = [_text(v) for v in (rows[0] if rows else ())]
        data = [r for r in rows if r and isinstance(r[0], str) and _REGION.match(r[0].strip())]
        if name == RAW_SHEET or (first[:2] == ["NUTS", "Region name"] and len(first) > 60):
            found.setdefault(RAW, rows)
        elif first[:1] == ["Pillar name"]:
            found[DESCRIPTIONS] = [tuple(_clean(v) for v in r) for r in rows]
        elif any(len(r) > 1 and isinstance(r[1], str) and r[1].strip().endswith("_C") for r in rows[1:]):
            members = [r for r in rows if len(r) > 1 and isinstance(r[1], str) and r[1].strip().endswith("_C")]
            found[CAPITALS] = [CAPITALS_HEADER, *[tuple(_oneline(v) for v in r[:5]) for r in members]]
        elif len(data) > 200 and len(first) <= len(POPULATION_HEADER) + 1:
            found[POPULATION] = [POPULATION_HEADER, *[r[:len(POPULATION_HEADER)] for r in data]]
    missing = [f for f in (RAW, DESCRIPTIONS, CAPITALS, POPULATION) if f not in found]
    if missing:
        raise SourceError(path, f"no sheet recognised for {', '.join(missing)} (sheets: {', '.join(sheets)})")
    return [write_csv(folder / name, found[name]) for name in (RAW, DESCRIPTIONS, POPULATION, CAPITALS)]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean(value: object) -> object:
    return value.replace("\xa0", " ").strip() if isinstance(value, str) else value


def _oneline(value: object) -> object:
    return value.replace("\r\n", " ").replace("\n", " ") if isinstance(value, str) else value
