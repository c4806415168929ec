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
                  growth_window: int = 5) -> ir.Table:
    """Measures and growth (over ``growth_window`` years) for a category panel, materialised.

    Materialising (``Table.cache``) makes every star test compare a value with a threshold
    computed from the very same stored numbers: two runs give the same stars even where
    parallel floating-point sums differ in their last bits.
    """
    m = cluster_measures(panel, reference=reference, totals=totals)
    g = growth(panel, window=growth_window)
    m = (m.left_join(g, [m.region == g.region, m.category == g.category, m.year == g.year])
         .drop("region_right", "category_right", "year_right"))
    return m.cache()


def map_panel(panel: ir.Table, *, scheme: str | StarScheme, reference: Any = None, totals: ir.Table | None = None,
              growth_window: int = 5) -> ir.Table:
    """Measures, growth and the scheme's stars for a category panel."""
    m = measure_panel(panel, reference=reference, totals=totals, growth_window=growth_window)
    return apply_scheme(m, get_scheme(scheme))


def read_input(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file, or raise an ``InputError`` naming it."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".csv":
        return pd.read_csv(path, dtype={"region": "string", "category": "string", "industry": "string"})
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    raise InputError(f"{path}: unknown format {suffix!r} (use .csv or .parquet)")


def validate_input(df: pd.DataFrame, *, source: str = "input") -> pd.DataFrame:
    """Check columns and values; errors name the file, the row (1-based data row + 1 for the header) and why."""
    missing = [c for c in REQUIRED if c not in df.columns]
    if "category" not in df.columns and "industry" not in df.columns:
        missing.append("category (or industry)")
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}")
    out = df.copy()
    for col in ("employment", *[c for c in OPTIONAL if c in df.columns]):
        num = pd.to_numeric(out[col], errors="coerce")
        bad = out[col].notna() & num.isna()
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"{source}, line {i + 2}: {col} is not a number: {out[col].iloc[i]!r}")
        neg = num < 0
        if neg.any():
            i = int(neg.to_numpy().nonzero()[0][0])
            raise InputError(f"{source}, line {i + 2}: {col} is negative: {num.iloc[i]}")
        out[col] = num.astype("float64")
    year = pd.to_numeric(out["year"], errors="coerce")
    if year.isna().any() or (year != year.round()).any():
        i = int((year.isna() | (year != year.round())).to_numpy().nonzero()[0][0])
        raise InputError(f"{source}, line {i + 2}: year is not a whole number: {out['year'].iloc[i]!r}")
    out["year"] = year.astype("int64")
    key = ["region", "category" if "category" in out.columns else "industry", "year"]
    dup = out.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        first = int(out.index[(out[key] == out.loc[out.index[i], key]).all(axis=1)][0])
        raise InputError(f"{source}, line {i + 2}: duplicate {'/'.join(key)} of line {first + 2}")
    return out


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
