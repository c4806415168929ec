"""The whole mapping for one panel: measures, growth, stars; and the generic ``map`` contract.

``map_table`` is the library call behind ``clusterobs map``: a table of
``region, category, year, employment`` (optionally ``establishments, wages``; or ``industry``
instead of ``category``, then a concordance applies) in, the measures and stars out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from clusterobs.errors import ClusterobsError
from clusterobs.mapping.categories import rankability, to_categories
from clusterobs.mapping.measures import cluster_measures, growth
from clusterobs.mapping.schemes import StarScheme, get_scheme
from clusterobs.mapping.stars import apply_scheme

REQUIRED = ("region", "year", "employment")
OPTIONAL = ("establishments", "wages")


class InputError(ClusterobsError):
    """The user's table does not have the columns or values the mapping needs."""


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
ENCODINGS = "clusterobs map reads UTF-8 CSV (with or without a byte-order mark): save it as \"CSV UTF-8\""


def read_input(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file, or raise an ``InputError`` naming it (and the line, where there is one).

    A CSV must be UTF-8 text (a byte-order mark is dropped) with a header and at least one row; its number columns
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


def _read_csv(path: Path) -> pd.DataFrame:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:  # a UTF-16/32 mark, or NUL bytes
        raise InputError(f"{path}: not UTF-8 text (it looks like UTF-16 or UTF-32); {ENCODINGS}")
    text = dict.fromkeys(("region", "category", "industry", "year", *NUMERIC), "string")
    try:
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=text, keep_default_na=False, na_values=list(MISSING))
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path}: empty file (no header, no rows)") from exc
    except UnicodeDecodeError as exc:
        raise InputError(_not_utf8(path)) from exc
    except pd.errors.ParserError as exc:
        raise InputError(f"{path}: cannot read as CSV: {' '.join(str(exc).split())}") from exc
    return df


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
    that is not a whole number, a duplicate region/category/year, and a table without rows.
    """
    missing = [c for c in REQUIRED if c not in df.columns]
    if "category" not in df.columns and "industry" not in df.columns:
        missing.append("category (or industry)")
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}")
    if df.empty:
        raise InputError(f"{source}: no data rows (a header and nothing else)")
    out = df.copy()
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
        conc = ibis.memtable(concordance[["industry", "category", "weight"]])
        # a category with a missing industry keeps the others and its coverage; under 80% it is not starred
        t = rankability(to_categories(t, conc))
    result = map_panel(t, scheme=scheme, growth_window=growth_window).execute()
    result = result.sort_values(["year", "category", "region"], kind="stable").reset_index(drop=True)
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
