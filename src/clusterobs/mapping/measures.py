"""Cluster measures for every (region, category, year): size, share of Europe, focus, LQ,
productivity, enterprises, and growth over a window. Formulas: METHODOLOGY.md, "Measures".

All functions take and return Ibis table expressions and do no I/O; the caller picks the
backend (DuckDB by default, PySpark for data beyond one machine).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

SBS_WAGE_UNIT = 1_000_000.0
"""SBS wages are in million EUR (Eurostat's V13320): with this ``wage_unit`` productivity is in EUR per person."""


def cluster_measures(panel: ir.Table, *, reference: Sequence[str] | ir.Table | None = None,
                     totals: ir.Table | None = None, wage_unit: float = 1.0) -> ir.Table:
    """Add share_europe, focus, lq (and productivity, avg_size when wages, establishments exist).

    ``panel``: region, year, category, employment (NULL = missing), optional wages, establishments.
    The denominators e(r,·,t) are, in order of precedence: ``totals`` (region, year, total), or the
    sum over the ``reference`` categories (a list of codes or a one-column table ``category``), or
    the sum over every category of the panel. The universe U is every region of the panel that
    year; e(U,·,t) = Σ_r e(r,·,t) and e(U,c,t) = Σ_r e(r,c,t) over the regions where it is known.

    One query: a GROUP BY per denominator, each joined back to the panel once. Whatever does not
    depend on the region (e(U,c,t) / e(U,·,t), Europe's wage per person) is computed on the small
    (category, year) table before the join, not on every row; the same divisions in the same order,
    so the same numbers. (Three window functions over different partitions instead of the joins took
    about three times as long in DuckDB.)
    """
    p = panel
    if totals is None:
        ref = p
        if reference is not None:
            if isinstance(reference, ir.Table):
                ref = p.semi_join(reference, p.category == reference.category)
            else:
                ref = p.filter(p.category.isin(list(reference)))
        totals = ref.group_by(["region", "year"]).aggregate(total=ref.employment.sum())
    totals = totals.select("region", "year", "total")
    europe_total = totals.group_by("year").aggregate(europe_total=totals.total.sum())
    cat_aggs: dict[str, ir.Value] = {"europe_category": p.employment.sum()}
    # wage per person employed: over the industries with wages known (``to_categories``' wage_wages and
    # wage_employment), or the cell's wages over its employment (a user's table)
    split_wages = "wage_employment" in p.columns and "wage_wages" in p.columns
    if "wages" in p.columns:
        w_num = p.wage_wages if split_wages else p.wages
        w_den = p.wage_employment if split_wages else p.employment
        known = w_num.notnull() & w_den.notnull()
        cat_aggs["europe_wages"] = ibis.ifelse(known, w_num, 0.0).sum()
        cat_aggs["europe_wage_employment"] = ibis.ifelse(known, w_den, 0.0).sum()
    ec = p.group_by(["category", "year"]).aggregate(**cat_aggs)
    # e(U,·,t) joined to the small (category, year) table: two joins of the panel, not three
    ec = ec.left_join(europe_total, "year")
    cat_cols: dict[str, ir.Value] = {"europe_category": ec.europe_category,
                                     "europe_focus": _div(ec.europe_category, ec.europe_total)}
    if "wages" in p.columns:
        cat_cols["europe_productivity"] = _div(ec.europe_wages * wage_unit, ec.europe_wage_employment)
    ec = ec.select(ec.category, ec.year, **cat_cols)

    t = p.left_join(totals, ["region", "year"]).left_join(ec, ["category", "year"])
    e = t.employment.cast("float64")
    focus = _div(e, t.total)
    out: dict[str, ir.Value] = {
        "region_total": t.total,
        "share_europe": _div(e, t.europe_category),
        "focus": focus,
        "lq": _div(focus, t.europe_focus),
    }
    if "wages" in p.columns:
        if split_wages:
            prod = _div(t.wage_wages.cast("float64") * wage_unit, t.wage_employment)
        else:
            prod = _div(t.wages.cast("float64") * wage_unit, e)
        out["productivity"] = prod.round(6)
        out["relative_productivity"] = _div(prod, t.europe_productivity)
    if "establishments" in p.columns:
        out["avg_size"] = _div(e, t.establishments.cast("float64"))
    # Rounded to 12 significant-looking decimals: parallel floating-point sums may differ in their last
    # bits from run to run; rounding makes equal values equal, so thresholds and stars are reproducible.
    out = {k: v.round(12) if k in ("share_europe", "focus", "lq", "relative_productivity") else v
           for k, v in out.items()}
    keep = [t[c] for c in p.columns if c not in ("wage_wages", "wage_employment")]
    return t.select(*keep, **out)


def growth(panel: ir.Table, *, window: int = 5) -> ir.Table:
    """Compound annual growth of employment over the longest window ≤ ``window`` years, and year on year.

    Returns region, category, year, growth, growth_window (years used; NULL when no earlier year with positive
    employment exists), growth_base_year, growth_yoy (on the year before; NULL without it) and, when the panel has
    ``flags``, growth_break: true when a year after the base year up to this one carries Eurostat's break-in-series
    flag ``b`` (the series changed definition inside the window). When the panel has ``rankable``, only rankable
    cells are compared (a cell whose coverage or split makes it unrankable has no growth, and is no base year).

    One pass of window functions over (region, category) ordered by year: for each k in window..1, the comparable
    employment exactly k years earlier (a one-year RANGE frame, so a missing year is a gap, not the row before);
    the base year is the earliest of them. (A range self-join did the same in about twice the time.)
    """
    ok = panel.employment > 0
    if "rankable" in panel.columns:
        ok = ok & panel.rankable.fill_null(False)
    comparable = ibis.ifelse(ok, panel.employment.cast("float64"), ibis.null("float64"))

    def frame(lo: int, hi: int) -> ibis.expr.builders.LegacyWindowBuilder:
        return ibis.window(group_by=[panel.region, panel.category], order_by=panel.year, range=(lo, hi))

    back = {f"_e{k}": comparable.max().over(frame(-k, -k)) for k in range(window, 0, -1)}
    extra = {}
    if "flags" in panel.columns:  # the latest break-in-series year in [year - window, year]
        is_break = panel.flags.fill_null("").contains("b")
        extra["_last_break"] = ibis.ifelse(is_break, panel.year, ibis.null("int64")).max().over(frame(-window, 0))
    t = panel.select("region", "category", "year", "employment", _ok=ok, **back, **extra)
    earlier = [t[f"_e{k}"] for k in range(window, 0, -1)]
    years = ibis.cases(*[(e.notnull(), k) for e, k in zip(earlier, range(window, 0, -1), strict=True)],
                       else_=ibis.null("int64"))
    years = ibis.ifelse(t._ok, years, ibis.null("int64"))
    ratio = _div(t.employment.cast("float64"), ibis.coalesce(*earlier))
    g = ibis.ifelse(years > 0, ratio.pow(1.0 / years.cast("float64")) - 1.0, ibis.null("float64"))
    yoy = ibis.ifelse(t._ok, _div(t.employment.cast("float64"), t._e1) - 1.0, ibis.null("float64"))
    out = {"growth": g.round(12), "growth_window": years.cast("int64"),
           "growth_base_year": (t.year - years).cast("int64"), "growth_yoy": yoy.round(12)}
    if "flags" in panel.columns:
        out["growth_break"] = ibis.ifelse(years.isnull(), ibis.null("boolean"),
                                          (t._last_break > t.year - years).fill_null(False))
    return t.select("region", "category", "year", **out)


def _div(a: ir.NumericValue, b: ir.NumericValue) -> ir.FloatingValue:
    """a / b, NULL when b is NULL or 0 (never an infinity): ``a / NULLIF(b, 0)``, cheaper in DuckDB than the
    equivalent CASE (one function instead of two comparisons and a branch)."""
    return a.cast("float64") / b.cast("float64").nullif(0.0)
