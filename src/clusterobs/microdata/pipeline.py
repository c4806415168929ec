"""Firm-level microdata through the mapping engine, on DuckDB or PySpark with the same code.

``map_firms`` reads the firm rows (``read_firms``), checks them (``check_firms``), sums the
accepted ones to region × NACE class × year cells at the finest NUTS level asked for in one pass
that also counts the rejected rows by reason (``firm_cells``), then for every coarser level sums
those cells up (``to_level``), then maps each level with the code ``compute`` maps a unit with
(``mapping.unit``): from classes to the cluster categories the data cover with the class-level
concordance (``category_panel``), measures (``measure_panel``) and stars (``schemes_applied``).

Establishments are the firms of a cell; wages map to productivity. The LQ and focus
denominators are the totals over the traded categories when the categories are known (a
store), else over every category of the concordance.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from clusterobs.errors import ClusterobsError
from clusterobs.mapping.backends import collect, load_tables
from clusterobs.mapping.pipeline import measure_panel
from clusterobs.mapping.schemes import get_scheme
from clusterobs.mapping.unit import category_panel, schemes_applied
from clusterobs.microdata.aggregate import (
    accepted_cells,
    firm_cells,
    industry_panel,
    panel_table,
    reason_counts,
    rejected_rows,
    to_level,
)
from clusterobs.microdata.read import FirmInput, InputError, read_firms
from clusterobs.microdata.validate import REASONS, check_firms, class_aliases, reason_of

DEFAULT_NUTS_VERSION = 2016  # the store's NUTS version with level-3 codes (GISCO 2016: 1,522 regions)
SAMPLE_COLUMNS = ["reason", "file", "line", "firm_id", "year", "value"]
Progress = Callable[[str], None]


@dataclass
class Lookups:
    """What the checks and the mapping compare firm rows with (pandas frames, put on the backend by ``map_firms``).

    ``classes``: NACE class codes; ``regions``: NUTS codes of ``nuts_version`` (None: shape only);
    ``postcodes``: ``country, postcode, nuts3`` or None; ``concordance``: ``industry, category,
    weight`` by NACE class; ``traded``: the reference categories of LQ and focus (None: all).
    """

    classes: list[str]
    concordance: pd.DataFrame
    regions: list[str] | None = None
    postcodes: pd.DataFrame | None = None
    traded: list[str] | None = None
    nuts_version: int | None = DEFAULT_NUTS_VERSION
    source: str = ""


def store_lookups(store: Any, *, nuts_version: int = DEFAULT_NUTS_VERSION, concordance: pd.DataFrame | None = None,
                  postcodes: pd.DataFrame | None = None) -> Lookups:
    """Lookups from a published store: NACE classes, NUTS codes of ``nuts_version``, the class-level
    concordance (or ``concordance``) and the traded categories, read through one connection to the version."""
    version = store.current()
    with contextlib.closing(store.connect(version)) as con:  # 40 ms to open: once, not once per table
        nace, codes, conc, cats = (con.sql(f'SELECT * FROM "{name}"').df()
                                   for name in ("nace", "nuts_codes", "concordance", "categories"))
    classes = sorted(nace.loc[nace["level"] == 4, "code"].astype(str))
    regions = sorted(codes.loc[codes["nuts_version"] == nuts_version, "code"].astype(str))
    if not regions:
        known = sorted(codes["nuts_version"].unique())
        raise InputError(f"the store has no NUTS {nuts_version} codes; versions: {', '.join(map(str, known))}")
    if concordance is None:
        concordance = conc.loc[conc["level"] == 4, ["industry", "category", "weight"]].reset_index(drop=True)
    traded = sorted(set(cats.loc[cats["kind"] == "traded", "category"]) & set(concordance["category"]))
    return Lookups(classes=classes, concordance=concordance, regions=regions, postcodes=postcodes,
                   traded=traded or None, nuts_version=nuts_version,
                   source=f"store {version} (NUTS {nuts_version})")


def file_lookups(concordance: pd.DataFrame, *, postcodes: pd.DataFrame | None = None) -> Lookups:
    """Lookups without a store: the classes are the concordance's, region codes are checked by shape only."""
    return Lookups(classes=sorted(concordance["industry"].astype(str).unique()), concordance=concordance,
                   postcodes=postcodes, nuts_version=None, source="concordance file (no store: region codes "
                   "checked by shape only, NACE classes are those the concordance names)")


def read_concordance(path: str | Path) -> pd.DataFrame:
    """A user's class-level concordance: CSV or Parquet with ``industry, category, weight``."""
    from clusterobs.microdata.read import read_table_file

    df = read_table_file(path)
    missing = [c for c in ("industry", "category", "weight") if c not in df.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(df.columns)}")
    out = df[["industry", "category", "weight"]].copy()
    out["weight"] = pd.to_numeric(out["weight"], errors="coerce")
    bad = out["weight"].isna() | (out["weight"] <= 0) | (out["weight"] > 1)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(f"{path}, line {i + 2}: weight must be a number in (0, 1]; got {df['weight'].iloc[i]!r}")
    out["industry"] = out["industry"].astype(str).str.strip().str.upper().str.replace(".", "", regex=False)
    return out


@dataclass
class MicrodataResult:
    """What ``map_firms`` found and computed.

    ``totals`` are exact sums over the accepted firms in hundredths (int) of employees, wages and
    turnover, and their count (``firms``); ``panels`` (when asked for) the region × NACE class ×
    year tables per level; ``mapped`` one frame per scheme with every level (column ``level``).
    """

    rows: int
    accepted: int
    quarantined: dict[str, int]
    sample: pd.DataFrame
    totals: dict[str, int | None]
    levels: tuple[int, ...]
    nuts_version: int | None
    engine: str
    mapped: dict[str, pd.DataFrame] = field(default_factory=dict)
    panels: dict[int, pd.DataFrame] = field(default_factory=dict)
    coverage: dict[int, pd.DataFrame] = field(default_factory=dict)
    cells: dict[int, int] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    quarantine_file: Path | None = None

    def summary(self) -> dict[str, Any]:
        """A JSON-friendly summary (no frames but the sample)."""
        return {
            "engine": self.engine, "nuts_version": self.nuts_version, "levels": list(self.levels),
            "rows": self.rows, "accepted": self.accepted, "quarantined": self.quarantined,
            "totals": self.totals, "cells": self.cells,
            "stars": {s: star_counts(df) for s, df in self.mapped.items()},
            "steps": {k: round(v, 3) for k, v in self.steps.items()},
            "sample": self.sample.astype(object).where(self.sample.notna(), None).to_dict("records"),
            "quarantine_file": str(self.quarantine_file) if self.quarantine_file else None,
        }


def star_counts(mapped: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``{level: {stars: cells}}`` of a mapped frame."""
    return {str(int(lv)): {str(int(k)): int(v) for k, v in g["stars"].value_counts().sort_index().items()}
            for lv, g in mapped.groupby("level")}


def put_lookups(con: Any, lookups: Lookups) -> dict[str, ir.Table | None]:
    """Register the lookups on the backend: classes (aliases), regions, postcodes, concordance, traded."""
    frames = {"_md_classes": class_aliases(lookups.classes),
              "_md_concordance": lookups.concordance[["industry", "category", "weight"]]}
    if lookups.regions is not None:
        frames["_md_regions"] = pd.DataFrame({"code": pd.Series(lookups.regions, dtype="string")})
    if lookups.postcodes is not None:
        frames["_md_postcodes"] = lookups.postcodes[["country", "postcode", "nuts3"]]
    if lookups.traded is not None:
        frames["_md_traded"] = pd.DataFrame({"category": pd.Series(lookups.traded, dtype="string")})
    load_tables(con, frames)
    return {"classes": con.table("_md_classes"), "concordance": con.table("_md_concordance"),
            "regions": con.table("_md_regions") if lookups.regions is not None else None,
            "postcodes": con.table("_md_postcodes") if lookups.postcodes is not None else None,
            "traded": con.table("_md_traded") if lookups.traded is not None else None}


def map_firms(con: Any, source: str | Path | list | FirmInput, lookups: Lookups, *, levels: Sequence[int] = (2,),
              schemes: Sequence[str] = ("eco2007",), sample: int = 10, quarantine_path: str | Path | None = None,
              panels: bool = False, growth_window: int = 5, delimiter: str = ",",
              progress: Progress | None = None) -> MicrodataResult:
    """Check, aggregate and map firm-level microdata on ``con`` (an Ibis DuckDB or PySpark backend).

    ``levels``: NUTS levels to map (0-3); a firm needs a code at least as fine as the finest.
    ``schemes``: star schemes (an empty list checks and aggregates only). ``sample``: rejected
    rows shown per reason (the first by file and line). ``quarantine_path``: write every
    rejected row there (CSV or Parquet by extension). ``panels``: also collect the region ×
    NACE class × year tables.
    """
    levels = tuple(sorted(set(levels), reverse=True))
    bad = [lv for lv in levels if lv not in (0, 1, 2, 3)]
    if bad or not levels:
        raise ValueError(f"`levels` of map_firms must be among 0-3; got {list(levels)}.")
    for s in schemes:
        get_scheme(s)
    steps: dict[str, float] = {}
    say = progress or (lambda _msg: None)

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        out = fn()
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - start
        return out

    finest = levels[0]
    if lookups.regions is not None and not any(len(c) == finest + 2 for c in lookups.regions):
        raise InputError(f"NUTS {lookups.nuts_version} has no level-{finest} codes in the store: map a coarser "
                         "level or use a NUTS version with them (2016 has NUTS-3)")
    firms = source if isinstance(source, FirmInput) else timed("read", lambda: read_firms(con, source,
                                                                                         delimiter=delimiter))
    tables = timed("lookups", lambda: put_lookups(con, lookups))
    has_wages = "wages" in firms.table.columns

    say(f"checking and aggregating to NUTS-{finest}")
    checked = timed("check: lookups, duplicate keys", lambda: check_firms(
        firms.table, classes=tables["classes"], regions=tables["regions"], postcodes=tables["postcodes"],
        level=finest))
    agg = timed("check and aggregate (one pass)", lambda: firm_cells(checked, single_file=firms.single_file).cache())
    counts, totals = timed("counts", lambda: _counts_and_totals(agg))
    quarantined = {r: counts[r] for r in REASONS.all() if r in counts}
    accepted = totals.pop("rows_accepted")
    rows = accepted + sum(quarantined.values())

    sample_df = pd.DataFrame(columns=SAMPLE_COLUMNS)
    written = None
    if quarantined:
        say("collecting the quarantine sample")
        sample_df = timed("quarantine sample", lambda: quarantine_sample(agg, firms, sample))
        if quarantine_path is not None:
            written = timed("quarantine file", lambda: write_quarantine(agg, firms, Path(quarantine_path)))

    result = MicrodataResult(rows=rows, accepted=accepted, quarantined=quarantined, sample=sample_df,
                             totals=totals, levels=levels, nuts_version=lookups.nuts_version,
                             engine=getattr(con, "name", "?"), steps=steps, quarantine_file=written)
    cells = accepted_cells(agg)
    conc = tables["concordance"]
    mapped: dict[str, list[pd.DataFrame]] = {s: [] for s in schemes}
    for level in levels:
        say(f"mapping NUTS-{level}")
        # the finest level's cells are firm_cells' accepted ones (grouped by that region code already); the
        # coarser levels are summed from them
        lc = cells if level == finest else timed(f"NUTS-{level} cells", lambda level=level: to_level(
            cells, level).cache())
        if panels:
            result.panels[level] = timed(f"NUTS-{level} panel", lambda lc=lc, level=level: _sorted(
                panel_table(lc, level=level, nuts_version=lookups.nuts_version).execute(),
                ["region", "industry", "year"]))
        if not schemes:
            result.cells[level] = int(lc.count().execute())
            continue
        panel = industry_panel(lc, wages=has_wages)
        # the categories the data cover, as compute maps them (a category missing some of its classes keeps the
        # others and its coverage, under 80% never starred)
        cp = timed(f"NUTS-{level} coverage", lambda panel=panel: category_panel(panel, conc))
        result.coverage[level] = cp.coverage.sort_values("category").reset_index(drop=True)
        # to_categories rounds a category's employment to 1e-6 so that parallel sums agree on every
        # engine; wages and establishments go through the same weighted sums and need the same: uscmp
        # compares establishments (firm counts here) with a percentile by `>`, and a last-bit
        # difference between DuckDB's and Spark's sums flipped stars at ties.
        cat_panel = cp.table.mutate(**{c: cp.table[c].round(6) for c in ("wages", "establishments")
                                       if c in cp.table.columns})
        cat_panel = timed(f"NUTS-{level} categories", lambda cp=cat_panel: cp.cache())

        def measure(_scheme: Any, cp: ir.Table = cat_panel, level: int = level) -> ir.Table:
            return timed(f"NUTS-{level} measures", lambda: measure_panel(cp, reference=tables["traded"],
                                                                        growth_window=growth_window))

        # one measurement for every scheme (key): the reference categories, not a scheme's denominator
        for scheme, _measured, _first, wide_expr in schemes_applied([get_scheme(s) for s in schemes], measure,
                                                                    key=lambda _s: None):
            # sorted by the engine (year, category, region: one row each), collected in one conversion
            wide = timed(f"NUTS-{level} stars {scheme.name}", lambda w=wide_expr: collect(
                w.order_by(["year", "category", "region"])))
            wide.insert(0, "level", level)
            wide.insert(0, "nuts_version", lookups.nuts_version)
            mapped[scheme.name].append(wide)
        result.cells[level] = int(lc.count().execute())
    # each level's frame is sorted by year, category and region: the levels in increasing order sort the whole
    result.mapped = {s: v[0] if len(v) == 1 else pd.concat(v[::-1], ignore_index=True)
                     for s, v in mapped.items() if v}
    return result


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def _counts_and_totals(agg: ir.Table) -> tuple[dict[str, int], dict[str, int | None]]:
    counts = reason_counts(agg).execute()
    cells = accepted_cells(agg)
    tot = cells.aggregate(
        rows_accepted=cells.firms.sum(), employees=cells.employees.sum(), wages=cells.wages.sum(),
        turnover=cells.turnover.sum(), wages_missing=cells.wages_missing.sum(),
        turnover_missing=cells.turnover_missing.sum()).execute().iloc[0]
    totals = {k: (None if pd.isna(v) else int(v)) for k, v in tot.items()}
    totals["rows_accepted"] = totals["rows_accepted"] or 0
    totals["firms"] = totals["rows_accepted"]
    return {reason_of(r): int(n) for r, n in zip(counts["reason"], counts["rows"], strict=True)}, totals


MALFORMED_CODE = REASONS.all().index(REASONS.malformed_csv)


def _rejected(firms: FirmInput, keys: ir.Table) -> ir.Table:
    """The firm rows named by ``keys`` (``reason`` code, ``file``, ``line``), as read, with ``_reason``.

    One scan of the data joined with the (small) keys: no check runs again.
    """
    t = firms.table
    k = keys.select(_reason=keys.reason, _kfile=keys.file, _kline=keys.line)
    preds = [t._file == k._kfile, t._line == k._kline]
    if "_malformed" in t.columns:
        # DuckDB numbers a CSV's malformed rows by their line and the others by their record: keep them apart
        preds.append(t._malformed == (k._reason == MALFORMED_CODE))
    extra = [c for c in ("_raw",) if c in t.columns]
    raw = [c for c in t.columns if not c.startswith("_")]
    return t.inner_join(k, preds).select("_reason", "_file", "_line", *raw, *extra)


def _collect(expr: ir.Table) -> pd.DataFrame:
    """A frame whose integer columns stay integers where values are missing (``Int64``, not float)."""
    import pyarrow as pa

    table = expr.to_pyarrow()
    return table.to_pandas(types_mapper=lambda t: pd.Int64Dtype() if pa.types.is_integer(t) else None)


def _with_value(df: pd.DataFrame, firms: FirmInput) -> pd.DataFrame:
    """file, line (corrected for skipped CSV rows), reason, firm_id, year, value (the row as read)."""
    raw = [c for c in df.columns if not c.startswith("_")]
    df = df.rename(columns={"_file": "file", "_line": "line"})
    df["reason"] = df["_reason"].map(reason_of).astype("string")
    df = firms.fix_lines(df)
    parts = []
    for col in raw:
        s = df[col].astype("string")
        parts.append((col + "=" + s.fillna("")).where(s.notna(), col + "="))
    value = parts[0].str.cat(parts[1:], sep="; ") if parts else pd.Series("", index=df.index)
    if "_raw" in df.columns:
        value = df["_raw"].astype("string").where(df["_raw"].notna(), value)
    out = pd.DataFrame({"reason": df["reason"].astype("string"), "file": df["file"].astype("string"),
                        "line": df["line"].astype("Int64"),
                        "firm_id": df["firm_id"].astype("string") if "firm_id" in df else pd.NA,
                        "year": df["year"].astype("string") if "year" in df else pd.NA,
                        "value": value.astype("string")})
    return out


def quarantine_sample(cells: ir.Table, firms: FirmInput, n: int = 10) -> pd.DataFrame:
    """The first ``n`` rejected rows of each reason (by file and line), reasons in the order of the checks.

    ``cells``: the materialised ``firm_cells``, which keep every rejected row's reason, file and line.
    """
    keys = rejected_rows(cells)
    rank = ibis.row_number().over(group_by=keys.reason, order_by=[keys.file, keys.line])
    top = keys.mutate(_rank=rank).filter(lambda t: t._rank < n).drop("_rank").cache()
    out = _with_value(_collect(_rejected(firms, top)), firms)
    order = {r: i for i, r in enumerate(REASONS.all())}
    out["_o"] = out["reason"].map(order)
    return out.sort_values(["_o", "file", "line"], kind="stable").drop(columns="_o").reset_index(drop=True)


def write_quarantine(cells: ir.Table, firms: FirmInput, path: Path, *, page: int = 500_000) -> Path:
    """Every rejected row to ``path`` (CSV or Parquet by extension), sorted by file and line.

    The rejected rows are fetched once (one scan joined with their keys), numbered, materialised,
    and collected ``page`` rows at a time.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise InputError(f"{path}: unknown quarantine format {suffix!r} (use .csv or .parquet)")
    bad = _rejected(firms, rejected_rows(cells))
    bad = bad.mutate(_rn=ibis.row_number().over(order_by=[bad._file, bad._line])).cache()
    total = int(bad.count().execute())
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    try:
        for start in range(0, max(total, 1), page):
            part = bad.filter((bad._rn >= start) & (bad._rn < start + page)).order_by("_rn").drop("_rn")
            df = _with_value(_collect(part), firms)
            if suffix == ".csv":
                df.to_csv(path, mode="w" if start == 0 else "a", header=start == 0, index=False)
            else:
                table = pa.Table.from_pandas(df, preserve_index=False)
                writer = writer or pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path


class MicrodataError(ClusterobsError):
    """The microdata pipeline cannot run (no store and no concordance, an engine that cannot start)."""
