"""Eurostat NUTS-2 indicators 2007-2018 (GDP, population, unemployment and more).

The mirror's CSV is a stack of the properties of twelve yearly GeoJSON files; it is not
published as such online, so its address is the repository page of the yearly files, and
after a download ``after_download`` rebuilds it from them (``build_csv_from_yearly``).
Lineage: raw file (checksum) → wide rows → region codes checked against NUTS 2016 level 2
→ long table ``regional_indicators`` with ``gdp_per_capita_eur`` derived and marked as such.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.download import replacing
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "nuts2_indicators_2007_2018.csv"
VARIABLES = "eu_eurostat_variables.tsv"
NUTS_VERSION = 2016
YEARS = range(2007, 2019)
YEARLY = "eu_nuts_2_eurostat_{year}.geojson.gz"
"""The yearly GeoJSON files the CSV is rebuilt from (``build_csv_from_yearly``)."""
_IDENTIFIERS = ("nuts_id", "cntr_code", "nuts_name")
#: indicator column → (Eurostat table code, unit)
INDICATORS = {
    "region_gdp": ("tgs00003", "million EUR"),
    "region_population": ("tgs00096", "persons"),
    "unemployment_rate_t": ("tgs00010", "% of labour force"),
    "unemployment_rate_m": ("tgs00010", "% of labour force"),
    "unemployment_rate_f": ("tgs00010", "% of labour force"),
    "disp_income_household": ("tgs00026", "EUR per inhabitant"),
    "patents": ("tgs00040", "applications"),
    "broadband_access_household": ("tgs00049", "% of households with internet access"),
    "gender_employ_gap": ("tepsr_lm220", "percentage points"),
    "life_expectancy_t": ("tgs00101", "years"),
    "life_expectancy_m": ("tgs00101", "years"),
    "life_expectancy_f": ("tgs00101", "years"),
}
DERIVED = {"gdp_per_capita_eur": ("derived", "EUR per inhabitant")}
TABLES = {
    "regional_indicators": "NUTS-2 (NUTS 2016) indicators by year 2007-2018, long form; NULL-free "
    "(absent cells are absent rows, counted in the ingest quirks)",
    "indicator_catalogue": "Indicators of regional_indicators: code, Eurostat table, unit, description",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the indicators; needs ``nuts_codes`` in ``ref``."""
    path = source_path(mirror, META, FILE)
    nuts = ref["nuts_codes"]
    known = set(nuts.loc[(nuts["nuts_version"] == NUTS_VERSION) & (nuts["level"] == 2), "code"])
    rows: list[tuple[str, int, str, float, int]] = []
    seen: dict[tuple[str, int], int] = {}
    for line, rec in iter_rows(path, source=META.id, log=log, expected=("nuts_id", "year", *INDICATORS),
                               min_rows=META.file(FILE).min_rows):
        geo = rec["nuts_id"].strip()
        if geo not in known:
            log.reject(source=META.id, file=path, line=line, value=geo,
                       reason=f"region code {geo!r} is not a NUTS 2016 NUTS-2 code")
            continue
        if not rec["year"].isdigit():
            log.reject(source=META.id, file=path, line=line, value=rec["year"], reason="year is not a number")
            continue
        year = int(rec["year"])
        if (geo, year) in seen:
            log.reject(source=META.id, file=path, line=line, value=f"{geo},{year}",
                       reason=f"duplicate of line {seen[(geo, year)]} (same region and year)")
            continue
        seen[(geo, year)] = line
        values: dict[str, float] = {}
        for col in INDICATORS:
            cell = cells.number(rec[col], negative=col == "gender_employ_gap")
            if cell.problem == cells.EMPTY:
                log.quirk(source=META.id, file=path, kind=f"{col} empty (not available)", line=line, value=geo)
                continue
            if cell.problem:
                log.reject(source=META.id, file=path, line=line, value=cell.text,
                           reason=f"{col} is not a number" if cell.problem == cells.NOT_A_NUMBER
                           else f"{col} negative or not finite")
                continue
            values[col] = cell.value
            rows.append((geo, year, col, cell.value, line))
        gdp, pop = values.get("region_gdp"), values.get("region_population")
        if gdp is not None and pop:
            rows.append((geo, year, "gdp_per_capita_eur", gdp * 1e6 / pop, line))
    df = pd.DataFrame(rows, columns=["region", "year", "indicator", "value", "line"])
    df.insert(1, "nuts_version", NUTS_VERSION)
    return {"regional_indicators": df, "indicator_catalogue": _catalogue(mirror, log)}


def _catalogue(mirror: Path, log: IngestLog) -> pd.DataFrame:
    path = source_path(mirror, META, VARIABLES)
    desc: dict[str, str] = {}
    for _line, rec in iter_rows(path, source=META.id, log=log, delimiter="\t",
                                expected=("input_var_short", "input_var_code", "input_var_desc")):
        desc[rec["input_var_code"].strip()] = rec["input_var_desc"].strip()
    rows = []
    for code, (table, unit) in {**INDICATORS, **DERIVED}.items():
        label = desc.get(table, "GDP per inhabitant = region_gdp x 1e6 / region_population (EUR, derived)")
        if code.endswith(("_m", "_f", "_t")) and table != "derived":
            label += {"_m": " (males)", "_f": " (females)", "_t": " (total)"}[code[-2:]]
        rows.append({"indicator": code, "eurostat_table": table, "unit": unit, "description": label})
    return pd.DataFrame(rows)


def after_download(folder: Path) -> list[Path]:
    """Rebuild ``nuts2_indicators_2007_2018.csv`` in ``folder`` from the downloaded yearly files."""
    return [build_csv_from_yearly(folder)]


def build_csv_from_yearly(folder: Path) -> Path:
    """Rebuild the mirror's CSV from the downloaded yearly GeoJSON files (online users).

    Takes the feature properties of ``eu_nuts_2_eurostat_<year>.geojson.gz`` for 2007-2018,
    adds a ``year`` column after the identifiers (``nuts_id, cntr_code, nuts_name``) and
    drops the geometry, as the mirror's README describes; rows keep the files' order, years in
    order. Written with pandas (floats as Python prints them, empty for null, CRLF line ends:
    the mirror CSV's layout), atomically. A missing or unreadable yearly file, or features
    without the properties the reader needs, raise ``SourceError`` naming the file.
    """
    frames = []
    for year in YEARS:
        gz = folder / YEARLY.format(year=year)
        if not gz.is_file():
            raise SourceError(gz, f"missing yearly file of source {META.id!r}, needed to rebuild {FILE} "
                              "(a download skips an optional file the server does not have)")
        try:
            with gzip.open(gz, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceError(gz, f"not gzip-compressed GeoJSON: {exc}") from exc
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
            raise SourceError(gz, "not a GeoJSON FeatureCollection")
        props = pd.DataFrame([f.get("properties") or {} for f in features])
        missing = [c for c in ("nuts_id", *INDICATORS) if c not in props.columns]
        if missing or "year" in props.columns:
            problem = f"lack the properties {', '.join(missing)}" if missing else "already have a year property"
            raise SourceError(gz, f"the features {problem}")
        ids = [c for c in _IDENTIFIERS if c in props.columns]
        props.insert(max(props.columns.get_loc(c) for c in ids) + 1, "year", year)
        frames.append(props)
    out = folder / FILE
    with replacing(out) as tmp:
        pd.concat(frames, ignore_index=True).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n")
    return out
