"""The ``complexity`` contract: a long table of region, category, year, employment in; every measure out.

``complexity_table`` is the library call behind ``clusterobs complexity``. It checks the table (errors name the
source, the line — 1-based data row + 1 for the header, as in a CSV — and the reason), puts it into one dense
year × region × category array, computes each year with ``year_complexity`` and returns one row per region ×
category × year of that year's rectangle (every region and every category with a row in the year).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from clusterobs.complexity.matrices import YearComplexity, year_complexity
from clusterobs.errors import InputError

COLUMNS = ("region", "category", "year", "rca", "mcp", "density", "eci", "pci", "diversity", "ubiquity", "coi",
           "cog")
REQUIRED = ("region", "category", "year", "employment")
#: measures given as whole numbers (nullable: no value for a region or category with no activity)
COUNTS = ("mcp", "diversity", "ubiquity")


@dataclass(frozen=True)
class Panel:
    """A checked input: integer codes into sorted ``regions``, ``categories``, ``years`` and the dense array."""

    regions: pd.Index
    categories: pd.Index
    years: pd.Index  # int64
    employment: np.ndarray  # (Y, R, C), 0 where the input has no row or a missing value
    present: np.ndarray     # (Y, R, C) bool: the output rectangle of each year
    missing: int            # input rows whose employment was missing (counted as 0, as ecomplexity does)


def _line(i: int) -> int:
    return int(i) + 2


def _numbers(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def read_panel(df: pd.DataFrame, *, source: str = "input") -> Panel:
    """Check ``df`` and build its dense array, or raise an ``InputError`` naming source, line and reason.

    Refused: a missing column, no rows, an empty region or category, an employment that is not a number, not finite
    or negative, a year that is not a whole number, and a region/category/year given twice. A missing employment
    (an empty cell, a null) is counted as 0, as ``ecomplexity`` does, and counted in ``Panel.missing``.
    """
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        hint = " (rename the industry column to category)" if "industry" in df.columns else ""
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}{hint}; "
                         f"found {', '.join(map(str, df.columns))}")
    if df.empty:
        raise InputError(f"{source}: no data rows (a header and nothing else)")
    emp = _numbers(df["employment"])
    given = df["employment"].notna().to_numpy()
    bad = given & ~np.isfinite(emp)
    if bad.any():
        i = _first(bad)
        value = df["employment"].iloc[i]
        reason = "is not a number" if np.isnan(emp[i]) and not _says_nan(value) else "is not a finite number"
        raise InputError(f"{source}, line {_line(i)}: employment {reason}: {_shown(value)}")
    neg = emp < 0
    if neg.any():
        i = _first(neg)
        raise InputError(f"{source}, line {_line(i)}: employment is negative: {emp[i]:g}")
    year = _numbers(df["year"])
    whole = np.isfinite(year) & (year == np.round(year))
    if not whole.all():
        i = _first(~whole)
        raise InputError(f"{source}, line {_line(i)}: year is not a whole number: {_shown(df['year'].iloc[i])}")
    r, regions = _codes(df["region"], source)
    c, categories = _codes(df["category"], source)
    y, years = pd.factorize(year.astype("int64"), sort=True)
    shape = (len(years), len(regions), len(categories))
    flat = np.ravel_multi_index((y, r, c), shape)
    counts = np.bincount(flat, minlength=int(np.prod(shape)))
    if (counts > 1).any():
        seen = np.zeros(len(flat), bool)
        order = np.argsort(flat, kind="stable")
        seen[order[1:]] = flat[order[1:]] == flat[order[:-1]]
        i = _first(seen)
        first = _first(flat == flat[i])
        raise InputError(f"{source}, line {_line(i)}: duplicate region/category/year of line {_line(first)}")
    nan = np.isnan(emp)
    cube = np.zeros(shape)
    cube.ravel()[flat] = np.where(nan, 0.0, emp)
    has = (counts > 0).reshape(shape)
    present = has.any(axis=2)[:, :, None] & has.any(axis=1)[:, None, :]
    return Panel(regions, categories, pd.Index(years), cube, present, int(nan.sum()))


def _codes(values: pd.Series, source: str) -> tuple[np.ndarray, pd.Index]:
    """Codes into the sorted distinct values; an empty (missing or blank) value is refused."""
    codes, uniques = pd.factorize(values, sort=True)
    blank = np.flatnonzero([str(u).strip() == "" for u in uniques])
    bad = codes < 0
    if blank.size:
        bad |= np.isin(codes, blank)
    if bad.any():
        raise InputError(f"{source}, line {_line(_first(bad))}: {values.name} is empty")
    return codes, pd.Index(uniques)


def _says_nan(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("nan", "+nan", "-nan")


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def compute_years(panel: Panel, threshold: float = 1.0) -> list[YearComplexity]:
    """``year_complexity`` of every year of the panel, in the order of ``panel.years``.

    BLAS runs on one thread: the matrices are small (hundreds × hundreds), and on a busy machine its threads wait
    for each other (measured: 1.2 s a year with two threads under load against 0.08 s with one).
    """
    with threadpool_limits(1, user_api="blas"):
        return [year_complexity(panel.employment[t], threshold) for t in range(len(panel.years))]


def assemble(panel: Panel, results: list[YearComplexity]) -> pd.DataFrame:
    """One row per region × category × year of each year's rectangle, sorted by year, region, category.

    A row whose region or category has no employment in the year has no value in any column (as in ecomplexity,
    which leaves such rows out of its computation and merges them back empty), its region's ECI included.
    """
    n_y, n_r, n_c = shape = panel.employment.shape
    keep = None if panel.present.all() else np.flatnonzero(panel.present.ravel())
    rca = np.stack([res.rca for res in results]).reshape(-1)
    inactive = np.isnan(rca)  # the region or the category has no employment in the year
    holes = bool(inactive.any())

    def pick(a: np.ndarray) -> np.ndarray:
        return a if keep is None else a[keep]

    def cube(name: str) -> np.ndarray:
        return np.stack([getattr(res, name) for res in results]).reshape(-1)

    def spread(a: np.ndarray, axis: int) -> np.ndarray:
        """A (Y, R) or (Y, C) array on every row of the long table (broadcasting copies faster than np.repeat)."""
        return np.broadcast_to(np.expand_dims(a, axis), shape).reshape(-1)

    def measure(name: str, axis: int) -> np.ndarray:
        out = spread(np.stack([getattr(res, name) for res in results]), axis)
        if holes:
            out[inactive] = np.nan
        return out

    def counts(a: np.ndarray) -> pd.arrays.IntegerArray:
        a = pick(a)
        with np.errstate(invalid="ignore"):  # NaN cast to int64 lies under the mask
            return pd.arrays.IntegerArray(a.astype("int64"), np.isnan(a))

    y = pick(spread(np.broadcast_to(np.arange(n_y, dtype=np.int32)[:, None], (n_y, n_r)), 2))
    r = pick(spread(np.broadcast_to(np.arange(n_r, dtype=np.int32)[None, :], (n_y, n_r)), 2))
    c = pick(spread(np.broadcast_to(np.arange(n_c, dtype=np.int32)[None, :], (n_y, n_c)), 1))
    columns: dict[str, Any] = {
        "region": panel.regions.array.take(r),
        "category": panel.categories.array.take(c),
        "year": panel.years.to_numpy().take(y),
        "rca": pick(rca),
        "mcp": counts(cube("mcp")),
        "density": pick(cube("density")),
        "eci": pick(measure("eci", 2)),
        "pci": pick(measure("pci", 1)),
        "diversity": counts(measure("diversity", 2)),
        "ubiquity": counts(measure("ubiquity", 1)),
        "coi": pick(measure("coi", 2)),
        "cog": pick(cube("cog")),
    }
    return pd.DataFrame(columns, copy=False)


def complexity_table(data: pd.DataFrame | Any, *, threshold: float = 1.0, source: str = "input") -> Any:
    """Every complexity measure of a ``region, category, year, employment`` table (pandas or Polars).

    Returns the same kind of frame, one row per region × category × year (each year: every region and category
    with a row in it) with the columns of ``COLUMNS``. ``mcp`` is RCA >= ``threshold``. See docs/complexity.md.
    """
    polars = _is_polars(data)
    df = data.to_pandas() if polars else data
    panel = read_panel(df, source=source)
    out = assemble(panel, compute_years(panel, threshold))
    if polars:
        import polars as pl

        return pl.from_pandas(out)
    return out


def proximity_frame(panel: Panel, results: list[YearComplexity]) -> pd.DataFrame:
    """``year, category_1, category_2, proximity`` for every ordered pair of the categories active in each year."""
    parts = []
    for t, res in enumerate(results):
        active = np.flatnonzero(~np.isnan(res.ubiquity))
        i, j = (a.ravel() for a in np.meshgrid(active, active, indexing="ij"))
        cats = panel.categories.array
        parts.append(pd.DataFrame({"year": np.full(len(i), panel.years[t]), "category_1": cats.take(i),
                                   "category_2": cats.take(j), "proximity": res.proximity[i, j]}))
    return pd.concat(parts, ignore_index=True)


def proximity_table(data: pd.DataFrame | Any, *, threshold: float = 1.0, source: str = "input") -> Any:
    """Proximity of every ordered pair of active categories per year: ``year, category_1, category_2, proximity``."""
    polars = _is_polars(data)
    panel = read_panel(data.to_pandas() if polars else data, source=source)
    out = proximity_frame(panel, compute_years(panel, threshold))
    if polars:
        import polars as pl

        return pl.from_pandas(out)
    return out


def _is_polars(data: Any) -> bool:
    return type(data).__module__.startswith("polars")
