"""The whole mapping for one panel: measures, growth, stars; and the generic ``map`` contract.

``map_table`` is the library call behind ``clusterobs map``: a table of
``region, category, year, employment`` (optionally ``establishments, wages``; or ``industry``
instead of ``category``, then a concordance applies) in, the measures and stars out.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from clusterobs.errors import InputError
from clusterobs.mapping.categories import rankability, to_categories
from clusterobs.mapping.measures import cluster_measures, growth
from clusterobs.mapping.schemes import StarScheme, get_scheme
from clusterobs.mapping.stars import apply_scheme

REQUIRED = ("region", "year", "employment")
OPTIONAL = ("establishments", "wages")
#: The text columns: the region and the category (or industry) of a row
KEYS = ("region", "category", "industry")
#: The years a row may have (as the microdata's check)
FIRST_YEAR, LAST_YEAR = 1900, 2100


def measure_panel(panel: ir.Table, *, reference: Any = None, totals: ir.Table | None = None,
                  growth_window: int = 5, wage_unit: float = 1.0) -> ir.Table:
    """Measures and growth (over ``growth_window`` years) for a category panel, materialised.

    Materialising (``Table.cache``) makes every star test compare a value with a threshold
    computed from the very same stored numbers: two runs give the same stars even where
    parallel floating-point sums differ in their last bits.
    """
    m = cluster_measures(panel, reference=reference, totals=totals, wage_unit=wage_unit)
    g = growth(panel, window=growth_window)
    m = (m.left_join(g, [m.region == g.region, m.category == g.category, m.year == g.year])
         .drop("region_right", "category_right", "year_right"))
    return m.cache()


def map_panel(panel: ir.Table, *, scheme: str | StarScheme, reference: Any = None, totals: ir.Table | None = None,
              growth_window: int = 5) -> ir.Table:
    """Measures, growth and the scheme's stars for a category panel."""
    m = measure_panel(panel, reference=reference, totals=totals, growth_window=growth_window)
    return apply_scheme(m, get_scheme(scheme))


NUMERIC = ("employment", *OPTIONAL)
#: Cells read as missing in a CSV (pandas' defaults without the spellings of NaN: a "nan" is refused, not missing)
MISSING = ("", "#N/A", "#N/A N/A", "#NA", "<NA>", "N/A", "NA", "NULL", "None", "n/a", "null")
#: what ``read_input`` reads, for the message refusing anything else
ENCODINGS = ("clusterobs map reads UTF-8 CSV (with or without a byte-order mark) and UTF-16 or UTF-32 with one: "
             "save it as \"CSV UTF-8\"")


def read_input(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file, or raise an ``InputError`` naming it (and the line, where there is one).

    A CSV must be UTF-8 text (a byte-order mark is dropped), or UTF-16/32 with its byte-order mark, with a header
    naming each column once, at least one row, and as many cells on every row as in the header; its number columns
    are read as text, so that ``validate_input`` quotes a refused value as written (``'1e400'``). In a Parquet
    file a NaN in a number column is refused (a null is a missing value), as the text ``nan`` is in a CSV.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path)
    raise InputError(f"{path}: unknown format {suffix!r} (use .csv or .parquet)")


#: Byte-order marks of the Unicode encodings read besides UTF-8 (Excel's "Unicode Text" is UTF-16 with a mark)
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"))


def _encoding(path: Path) -> str:
    """``utf-8-sig``, or UTF-16/32 when the file starts with its byte-order mark; without one, NUL bytes are
    refused (UTF-16 or UTF-32 without a mark cannot be told apart reliably)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    for mark, encoding in BOMS:
        if head.startswith(mark):
            return encoding
    if b"\x00" in head:
        raise InputError(f"{path}: not UTF-8 text (it looks like UTF-16 or UTF-32 without a byte-order mark); "
                         f"{ENCODINGS}")
    return "utf-8-sig"


def _read_csv(path: Path) -> pd.DataFrame:
    encoding = _encoding(path)
    text = dict.fromkeys((*KEYS, "year", *NUMERIC), "string")
    try:
        _check_header(path, encoding)
        df = pd.read_csv(path, encoding=encoding, dtype=text, keep_default_na=False, na_values=list(MISSING))
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path}: empty file (no header, no rows)") from exc
    except UnicodeDecodeError as exc:
        raise InputError(_not_utf8(path) if encoding == "utf-8-sig" else
                         f"{path}: not {encoding.upper()} text after its byte-order mark: {exc.reason}") from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read as CSV: {' '.join(str(exc).split())}") from exc
    return df


def _check_header(path: Path, encoding: str) -> None:
    """Refuse a header naming a column twice (pandas would silently rename the second ``employment.1``) and a row
    with more or fewer cells than the header (pandas would take a first row with one more cell as an index column
    and shift every value one column to the left)."""
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        header = [h.replace("\ufeff", "").strip() for h in next(reader, [])]
        twice = sorted({h for h in header if header.count(h) > 1})
        if twice:
            raise InputError(f"{path}, line 1: column(s) {', '.join(twice)} appear more than once in the header")
        for row in reader:
            if row and len(row) != len(header) and any(c.strip() for c in row):
                raise InputError(f"{path}, line {reader.line_num}: cannot read as CSV: {len(row)} cells, the header "
                                 f"has {len(header)}")


def _not_utf8(path: Path) -> str:
    """The message for a file that is not UTF-8, with the line of its first byte that is not."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); {ENCODINGS}"
    return f"{path}: not UTF-8 text; {ENCODINGS}"


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: cannot read as Parquet: {exc}") from exc
    for col in (c for c in NUMERIC if c in table.column_names):
        if pa.types.is_floating(table[col].type):
            nan = pc.fill_null(pc.is_nan(table[col]), False).to_numpy(zero_copy_only=False)
            if nan.any():
                raise InputError(f"{path}, line {int(nan.nonzero()[0][0]) + 2}: {col} is not a finite number: nan")
    return table.to_pandas()


def _shown(value: Any) -> str:
    """A cell as a message quotes it: text in quotes, as written; a number plain (``2020.5``, not its repr)."""
    return repr(value) if isinstance(value, str) else str(value)


def _numbers(values: pd.Series) -> pd.Series:
    return pd.Series(pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
                     index=values.index)


def validate_input(df: pd.DataFrame, *, source: str = "input") -> pd.DataFrame:
    """Check columns and values; errors name the file, the row (1-based data row + 1 for the header) and why.

    A missing number (an empty cell, NA, a null) is kept as missing; a number that is not finite (``inf``,
    ``nan`` written as text, ``1e400``, which overflows), negative, or not a number at all is refused, as is a year
    that is not a whole number or not from 1900 to 2100, an empty region, category or industry (text cells are
    stripped of blanks), a duplicate region/category/year, and a table without rows.
    """
    missing = [c for c in REQUIRED if c not in df.columns]
    if "category" not in df.columns and "industry" not in df.columns:
        missing.append("category (or industry)")
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}")
    if df.empty:
        raise InputError(f"{source}: no data rows (a header and nothing else)")
    out = df.copy()
    for col in (c for c in KEYS if c in out.columns):
        cells = out[col].astype("string").str.strip()
        empty = cells.isna() | (cells == "")
        if empty.any():
            i = int(empty.to_numpy().nonzero()[0][0])
            raise InputError(f"{source}, line {i + 2}: {col} is empty")
        out[col] = cells.astype(object)
    for col in (c for c in NUMERIC if c in df.columns):
        num = _numbers(out[col])
        bad = out[col].notna() & ~np.isfinite(num)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            value = out[col].iloc[i]
            reason = "is not a finite number" if _non_finite(value) else "is not a number"
            raise InputError(f"{source}, line {i + 2}: {col} {reason}: {_shown(value)}")
        neg = num < 0
        if neg.any():
            i = int(neg.to_numpy().nonzero()[0][0])
            raise InputError(f"{source}, line {i + 2}: {col} is negative: {num.iloc[i]}")
        out[col] = num
    year = _numbers(out["year"])
    whole = np.isfinite(year) & (year == year.round())
    if not whole.all():
        i = int((~whole).to_numpy().nonzero()[0][0])
        raise InputError(f"{source}, line {i + 2}: year is not a whole number: {_shown(out['year'].iloc[i])}")
    out["year"] = year.astype("int64")
    outside = (out["year"] < FIRST_YEAR) | (out["year"] > LAST_YEAR)
    if outside.any():
        i = int(outside.to_numpy().nonzero()[0][0])
        raise InputError(f"{source}, line {i + 2}: year {out['year'].iloc[i]} is not from {FIRST_YEAR} to "
                         f"{LAST_YEAR}")
    key = ["region", "category" if "category" in out.columns else "industry", "year"]
    dup = out.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        first = int(out.index[(out[key] == out.loc[out.index[i], key]).all(axis=1)][0])
        raise InputError(f"{source}, line {i + 2}: duplicate {'/'.join(key)} of line {first + 2}")
    return out


def _non_finite(value: Any) -> bool:
    """Whether a refused cell is a number, but not a finite one (``inf``, ``nan``, ``1e400``)."""
    try:
        return not np.isfinite(float(str(value).strip()))
    except ValueError:
        return False


def map_table(data: pd.DataFrame | Any, *, scheme: str | StarScheme = "eco2007",
              concordance: pd.DataFrame | None = None, growth_window: int = 5, source: str = "input",
              output: Literal["pandas", "polars"] = "pandas", backend: Any = None) -> Any:
    """Map a user's table; returns a pandas (or Polars) frame, one row per region × category × year.

    Columns: region, category, year, employment, share_europe, focus, lq, (productivity, avg_size),
    growth, growth_window, stars, one boolean ``star_<test>`` per test of the scheme, and for every
    condition its ``_value``, ``_threshold`` and ``_pass``. LQ denominators are the totals over
    the input's categories. ``backend`` is an Ibis backend (DuckDB in memory by default).
    """
    if hasattr(data, "to_pandas") and not isinstance(data, pd.DataFrame):
        data = data.to_pandas()
    df = validate_input(data, source=source)
    con = backend or ibis.duckdb.connect()
    cols = [c for c in (*REQUIRED, "category", "industry", *OPTIONAL) if c in df.columns]
    t = con.create_table("_map_input", df[cols], overwrite=True) if backend is None else ibis.memtable(df[cols])
    if "category" not in df.columns:
        if concordance is None:
            raise InputError(f"{source}: has `industry` but no concordance was given (ingest the mirror first, "
                             "or pass a concordance file with industry, category, weight)")
        known = set(concordance["industry"].astype(str))
        unknown = ~df["industry"].isin(known)
        if unknown.any():
            i = int(unknown.to_numpy().nonzero()[0][0])
            codes = sorted(set(df.loc[unknown, "industry"]))
            raise InputError(f"{source}, line {i + 2}: industry {df['industry'].iloc[i]!r} is not in the concordance "
                             f"({int(unknown.sum())} row(s), code(s) {', '.join(codes[:10])}"
                             f"{', ...' if len(codes) > 10 else ''}): its employment would be lost")
        conc = ibis.memtable(concordance[["industry", "category", "weight"]])
        # a category with a missing industry keeps the others and its coverage; under 80% it is not starred
        t = rankability(to_categories(t, conc))
    result = map_panel(t, scheme=scheme, growth_window=growth_window).execute()
    result = result.sort_values(["year", "category", "region"], kind="stable").reset_index(drop=True)
    ignored = [str(c) for c in df.columns if c not in (*REQUIRED, *KEYS, *OPTIONAL)]
    result.attrs["notes"] = [f"{source}: column(s) {', '.join(ignored)} ignored (not used by the mapping)"] \
        if ignored else []
    if output == "polars":
        import polars as pl

        return pl.from_pandas(result)
    return result


def write_output(df: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        df.to_csv(path, index=False)
    elif suffix in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    else:
        raise InputError(f"{path}: unknown output format {suffix!r} (use .csv or .parquet)")
