"""The history of the cluster measures as the reports print it: growth over one comparable window, stars gained and
lost, structural change and the co-growth of related categories (the Cluster Trends report, and the growth columns,
timeline and "new stars since" of the Panorama and the scorecards).

The rules, the same for every figure (METHODOLOGY.md, "growth"; docs/reports.md, "Cluster Trends"):

* **one window** for every cell compared: from the earliest year with data at most ``SPAN`` (5) years before the last
  year, to the last year (2010–2015 when the store holds 2008–2015); with one year there is no window, and the reports
  say so instead of a figure;
* **comparable cells only**: a cell counts when it can be ranked in *both* years (employment known, coverage at least
  80%, not from a region split by population, its region not no-data: ``ReportData.history``'s ``counts``) and, for
  growth, has positive employment in the first year;
* **breaks in series**: a cell whose inputs carry Eurostat's flag ``b`` in a year after the first and up to the last
  (``flags``; or the engine's ``growth_break`` over the same window) is shown with its growth marked, and left out of
  every sum, share and correlation, which count it as left out;
* sums before rates: a category's or a country's growth is the compound annual growth of the summed employment of
  its comparable cells, never a mean of cell rates.

No Django and no engine import (the scorecard stays quick): plain pandas on the frame ``ReportData.history`` reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: the longest growth window, in years (the engine's default, METHODOLOGY.md)
SPAN = 5
#: a pair of categories needs this many regions with the growth of both to get a co-growth correlation
MIN_PAIR_REGIONS = 10
#: the mark of a growth figure whose inputs break series (Eurostat flag ``b``)
MARK_BREAK = "b"


@dataclass(frozen=True)
class Window:
    first: int
    last: int

    @property
    def years(self) -> int:
        return self.last - self.first

    def label(self) -> str:
        return f"{self.first}–{self.last}"


def window(years: list[int], last: int | None = None, *, span: int = SPAN) -> Window | None:
    """The growth window ending in ``last`` (default: the latest year): from the earliest year of ``years`` at most
    ``span`` years before it; None when no earlier year is within reach (a store with one year)."""
    if not years:
        return None
    last = max(years) if last is None else last
    earlier = [y for y in years if last - span <= y < last]
    return Window(min(earlier), last) if earlier else None


def past(data: object, *, scheme: str, year: int, level: int, country: str | None = None,
         region: str | None = None) -> tuple[Window | None, pd.DataFrame]:
    """The growth window ending in ``year`` and the cells compared over it, read from ``data`` (a ``ReportData``),
    with the reports' category labels: (None, empty) when the dataset has no earlier year within ``SPAN`` years."""
    from clusterobs.reports.common import label_categories

    w = window(data.years, last=year)  # type: ignore[attr-defined]
    if w is None:
        return None, pd.DataFrame()
    years = [y for y in data.years if w.first <= y <= w.last]  # type: ignore[attr-defined]
    h = data.history(years=years, level=level, scheme=scheme, country=country, region=region)  # type: ignore[attr-defined]
    return w, compare(label_categories(h, data.categories), w)  # type: ignore[attr-defined]


def compare(h: pd.DataFrame, w: Window) -> pd.DataFrame:
    """One row per region × category present in both years of ``w`` (``h``: ``ReportData.history`` of at least
    those years; the years between are read for their break flags): employment, stars and imputed share in each
    year (``_0`` first, ``_1`` last), ``comparable`` (counts in both years), ``growth`` (compound annual, NaN unless
    comparable with positive first-year employment) and ``break`` (a break in series within the window)."""
    keys = ["region", "category"]
    first = h[h["year"] == w.first]
    last = h[h["year"] == w.last]
    cols = ["employment", "stars", "counts", "imputed_share"]
    out = last[[*keys, "region_name", "country", "category_name", "kind", *cols]].merge(
        first[[*keys, *cols]], on=keys, suffixes=("_1", "_0"), how="inner")
    between = h[(h["year"] > w.first) & (h["year"] <= w.last)]
    flagged = between[between["flags"].astype(str).str.contains(MARK_BREAK, regex=False)]
    engine = last[last["growth_break"].astype(bool)]
    if "growth_window" in last.columns:  # the engine's flag covers its own window: used when it is this one
        engine = engine[pd.to_numeric(engine["growth_window"], errors="coerce") == w.years]
    broken = set(zip(flagged["region"], flagged["category"], strict=True)) | set(
        zip(engine["region"], engine["category"], strict=True))
    out["break"] = [(r, c) in broken for r, c in zip(out["region"], out["category"], strict=True)]
    out["comparable"] = out["counts_1"].astype(bool) & out["counts_0"].astype(bool)
    ok = out["comparable"] & (out["employment_0"] > 0)
    out["growth"] = cagr(out["employment_0"], out["employment_1"], w.years).where(ok)
    return out.drop(columns=["counts_0", "counts_1"]).reset_index(drop=True)


def cagr(first: pd.Series | float, last: pd.Series | float, years: int) -> pd.Series | float:
    """Compound annual growth rate from ``first`` to ``last`` over ``years`` (NaN where ``first`` is not positive)."""
    f = np.asarray(first, dtype=float)
    ratio = np.divide(np.asarray(last, dtype=float), f, out=np.full(f.shape, np.nan), where=f > 0)
    rate = np.power(ratio, 1.0 / years) - 1.0
    return pd.Series(rate, index=first.index) if isinstance(first, pd.Series) else float(rate)


def counted(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells every sum counts: comparable, positive first-year employment, no break in series."""
    return cells[cells["comparable"] & (cells["employment_0"] > 0) & ~cells["break"]]


def grouped_growth(cells: pd.DataFrame, by: str | list[str], w: Window) -> pd.DataFrame:
    """Per group: regions (cells) counted, employment in each year, compound annual growth of the sum, and the cells
    left out for a break in series."""
    keep = counted(cells)
    g = keep.groupby(by).agg(cells=("region", "count"), employment_0=("employment_0", "sum"),
                             employment_1=("employment_1", "sum"))
    breaks = cells[cells["comparable"] & cells["break"]].groupby(by)["region"].count()
    g["breaks"] = breaks.reindex(g.index, fill_value=0).astype(int)
    g["growth"] = cagr(g["employment_0"], g["employment_1"], w.years)
    return g.reset_index()


def category_growth(cells: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Europe's (or a country's) categories by employment growth over ``w``: one row per category, fastest first."""
    g = grouped_growth(cells, ["category", "category_name", "kind"], w)
    return g.sort_values(["growth", "category"], ascending=[False, True], na_position="last").reset_index(drop=True)


def star_changes(cells: pd.DataFrame, *, kind: str = "traded") -> pd.DataFrame:
    """Per region with comparable cells of ``kind``: three-star and starred (at least one star) clusters in the first
    and the last year, over the cells that can be ranked in both years, and the changes; gainers first."""
    c = cells[cells["comparable"] & (cells["kind"] == kind)]
    c = c.assign(three_0=c["stars_0"] == 3, three_1=c["stars_1"] == 3, starred_0=c["stars_0"] > 0,
                 starred_1=c["stars_1"] > 0, gained=c["stars_1"] > c["stars_0"], lost=c["stars_1"] < c["stars_0"])
    g = c.groupby(["region", "region_name", "country"]).agg(
        three_0=("three_0", "sum"), three_1=("three_1", "sum"), starred_0=("starred_0", "sum"),
        starred_1=("starred_1", "sum"), gained=("gained", "sum"), lost=("lost", "sum")).reset_index()
    for col in ("three_0", "three_1", "starred_0", "starred_1", "gained", "lost"):
        g[col] = g[col].astype(int)
    g["three_change"] = g["three_1"] - g["three_0"]
    g["starred_change"] = g["starred_1"] - g["starred_0"]
    return g.sort_values(["three_change", "starred_change", "region"], ascending=[False, False, True]).reset_index(
        drop=True)


def new_stars(cells: pd.DataFrame, *, kind: str | None = "traded") -> pd.DataFrame:
    """The cells that gained stars: comparable, more stars in the last year than in the first; most stars first."""
    c = cells[cells["comparable"] & (cells["stars_1"] > cells["stars_0"])]
    if kind is not None:
        c = c[c["kind"] == kind]
    return c.sort_values(["stars_1", "employment_1", "region", "category"],
                         ascending=[False, False, True, True]).reset_index(drop=True)


def structural_change(cells: pd.DataFrame, by: str = "country", *, kind: str = "traded") -> pd.DataFrame:
    """Each category's share of its ``by`` unit's employment of ``kind`` in the first and the last year, over the
    counted cells (comparable, no break), and the change in percentage points (``change``, as a fraction)."""
    c = counted(cells[cells["kind"] == kind])
    g = c.groupby([by, "category", "category_name"], as_index=False)[["employment_0", "employment_1"]].sum()
    totals = g.groupby(by)[["employment_0", "employment_1"]].transform("sum")
    g["share_0"] = (g["employment_0"] / totals["employment_0"]).where(totals["employment_0"] > 0)
    g["share_1"] = (g["employment_1"] / totals["employment_1"]).where(totals["employment_1"] > 0)
    g["change"] = g["share_1"] - g["share_0"]
    return g.sort_values([by, "change", "category"], ascending=[True, False, True]).reset_index(drop=True)


def structural_summary(change: pd.DataFrame, by: str = "country") -> pd.DataFrame:
    """Per unit: the category that gained the most share and the one that lost the most, and the structural change
    index (half the sum of the absolute share changes: the share of employment that would have to move between
    categories to turn the first year's structure into the last year's)."""
    rows = []
    for unit, g in change.dropna(subset=["change"]).groupby(by, sort=True):
        up, down = g.loc[g["change"].idxmax()], g.loc[g["change"].idxmin()]
        rows.append({by: unit, "categories": len(g), "gainer": up["category_name"], "gain": float(up["change"]),
                     "loser": down["category_name"], "loss": float(down["change"]),
                     "index": float(g["change"].abs().sum() / 2)})
    return pd.DataFrame(rows, columns=[by, "categories", "gainer", "gain", "loser", "loss", "index"])


@dataclass(frozen=True)
class CoGrowth:
    """Do related categories grow together? Per unordered pair of traded categories, the Pearson correlation across
    regions of the two categories' growth (``pairs``: category_i, category_j, value (relatedness), related, regions,
    r); the mean r of the related pairs and of the others, and Spearman's ρ of relatedness against r over the
    pairs. Pairs of categories that share a NACE division are left out (``co_growth(exclude=...)``)."""

    method: str
    pairs: pd.DataFrame
    related_mean: float
    other_mean: float
    related_n: int
    other_n: int
    rho: float
    rho_n: int
    #: pairs of the relatedness left out because the two categories share a NACE division (``shared_pairs``)
    shared_n: int = 0

    def as_dict(self) -> dict:
        return {"method": self.method, "related_mean": self.related_mean, "other_mean": self.other_mean,
                "related_n": self.related_n, "other_n": self.other_n, "rho": self.rho, "rho_n": self.rho_n,
                "shared_division_pairs_left_out": self.shared_n}


def shared_pairs(divisions: pd.DataFrame) -> set[tuple[str, str]]:
    """From (industry, category) rows, one per NACE division a category has a weight above 0 on: the unordered pairs
    of categories (category_i < category_j) that share a division."""
    div = divisions[["industry", "category"]].drop_duplicates()
    both = div.merge(div, on="industry", suffixes=("_i", "_j"))
    both = both[both["category_i"] < both["category_j"]]
    return set(zip(both["category_i"], both["category_j"], strict=True))


def co_growth(cells: pd.DataFrame, relatedness: pd.DataFrame, *, method: str,
              min_regions: int = MIN_PAIR_REGIONS, exclude: set[tuple[str, str]] | None = None) -> CoGrowth:
    """Co-growth of the pairs of ``relatedness`` (category_i, category_j, value, related) over the counted traded
    cells of ``cells``: a pair gets its r when at least ``min_regions`` regions have the growth of both. The pairs of
    ``exclude`` (unordered, either order; ``shared_pairs``: categories sharing a NACE division, which move together by
    construction) are left out; ``shared_n`` counts them."""
    exclude = {tuple(sorted(p)) for p in exclude or ()}
    if exclude:
        key = [tuple(sorted(p)) for p in zip(relatedness["category_i"], relatedness["category_j"], strict=True)]
        shared = pd.Series([k in exclude for k in key], index=relatedness.index, dtype=bool)
        relatedness = relatedness[~shared]
        shared_n = int(shared.sum())
    else:
        shared_n = 0
    c = counted(cells[cells["kind"] == "traded"]).dropna(subset=["growth"])
    matrix = c.pivot_table(index="region", columns="category", values="growth", aggfunc="first")
    present = matrix.notna().astype(float)
    both = present.T @ present  # regions with both growths, per pair
    r = matrix.corr(method="pearson", min_periods=max(min_regions, 3))
    pairs = relatedness[relatedness["category_i"].isin(matrix.columns)
                        & relatedness["category_j"].isin(matrix.columns)].copy()
    pairs["regions"] = [int(both.at[i, j]) for i, j in zip(pairs["category_i"], pairs["category_j"], strict=True)]
    pairs["r"] = [float(r.at[i, j]) for i, j in zip(pairs["category_i"], pairs["category_j"], strict=True)]
    pairs.loc[pairs["regions"] < min_regions, "r"] = np.nan
    have = pairs.dropna(subset=["r", "value"])
    rel, other = have[have["related"]], have[~have["related"]]
    rho = float(have["value"].rank().corr(have["r"].rank())) if len(have) >= 3 else float("nan")
    return CoGrowth(method, pairs.reset_index(drop=True), float(rel["r"].mean()) if len(rel) else float("nan"),
                    float(other["r"].mean()) if len(other) else float("nan"), len(rel), len(other), rho, len(have),
                    shared_n)


def caveat_counts(cells: pd.DataFrame, h: pd.DataFrame, w: Window) -> dict:
    """What the growth figures leave out, and why, for the text: cells with data in both years, comparable, with a
    break; not comparable (not rankable or in a no-data region in one of the years); the imputed share of the
    counted employment in each year; no-data regions and regions split by population in either year."""
    both = cells[cells["employment_0"].notna() & cells["employment_1"].notna()]
    keep = counted(cells)
    ends = h[h["year"].isin([w.first, w.last])]
    split = ends[ends["split_share"].fillna(0) > 0]
    out = {"with_data": len(both), "comparable": int(both["comparable"].sum()),
           "not_comparable": int((~both["comparable"]).sum()),
           "breaks": int((cells["comparable"] & cells["break"]).sum()), "counted": len(keep),
           "no_data_regions": sorted(set(ends.loc[ends["no_data"], "region"])),
           "split_regions": sorted(set(split["region"]))}
    for suffix in ("0", "1"):
        emp = keep[f"employment_{suffix}"]
        imputed = (keep[f"imputed_share_{suffix}"].fillna(0) * emp).sum()
        out[f"imputed_{suffix}"] = float(imputed / emp.sum()) if emp.sum() > 0 else float("nan")
    return out
