"""Cluster measures for every (region, category, year): size, share of Europe, focus, LQ,
productivity, enterprises, and growth over a window. Formulas: METHODOLOGY.md, "Measures".

All functions take and return Ibis table expressions and do no I/O; the caller picks the
backend (DuckDB by default, PySpark for data beyond one machine).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir


def cluster_measures(panel: ir.Table, *, reference: Sequence[str] | ir.Table | None = None,
                     totals: ir.Table | None = None) -> ir.Table:
    """Add share_europe, focus, lq (and productivity, avg_size when wages, establishments exist).

    ``panel``: region, year, category, employment (NULL = missing), optional wages, establishments.
    The denominators e(r,·,t) are, in order of precedence: ``totals`` (region, year, total), or the
    sum over the ``reference`` categories (a list of codes or a one-column table ``category``), or
    the sum over every category of the panel. The universe U is every region of the panel that
    year; e(U,·,t) = Σ_r e(r,·,t) and e(U,c,t) = Σ_r e(r,c,t) over the regions where it is known.
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
    europe_total = totals.group_by("year").aggregate(europe_total=totals.total.sum())
    cat_aggs: dict[str, ir.Value] = {"europe_category": p.employment.sum()}
    if "wages" in p.columns:
        known = p.wages.notnull() & p.employment.notnull()
        cat_aggs["europe_wages"] = ibis.ifelse(known, p.wages, 0.0).sum()
        cat_aggs["europe_wage_employment"] = ibis.ifelse(known, p.employment, 0.0).sum()
    europe_cat = p.group_by(["category", "year"]).aggregate(**cat_aggs)

    t = (p.left_join(totals, [p.region == totals.region, p.year == totals.year])
         .drop("region_right", "year_right"))
    t = t.left_join(europe_total, t.year == europe_total.year).drop("year_right")
    t = (t.left_join(europe_cat, [t.category == europe_cat.category, t.year == europe_cat.year])
         .drop("category_right", "year_right"))
    e = t.employment.cast("float64")
    focus = _div(e, t.total)
    europe_focus = _div(t.europe_category, t.europe_total)
    out: dict[str, ir.Value] = {
        "region_total": t.total,
        "share_europe": _div(e, t.europe_category),
        "focus": focus,
        "lq": _div(focus, europe_focus),
    }
    if "wages" in p.columns:
        prod = _div(t.wages.cast("float64"), e)
        out["productivity"] = prod
        out["relative_productivity"] = _div(prod, _div(t.europe_wages, t.europe_wage_employment))
    if "establishments" in p.columns:
        out["avg_size"] = _div(e, t.establishments.cast("float64"))
    drop = [c for c in ("total", "europe_total", "europe_category", "europe_wages", "europe_wage_employment")
            if c in t.columns]
    # Rounded to 12 significant-looking decimals: parallel floating-point sums may differ in their last
    # bits from run to run; rounding makes equal values equal, so thresholds and stars are reproducible.
    out = {k: v.round(12) if k in ("share_europe", "focus", "lq", "relative_productivity") else v
           for k, v in out.items()}
    return t.mutate(**out).drop(*drop)


def growth(panel: ir.Table, *, window: int = 5) -> ir.Table:
    """Compound annual growth of employment over the longest window ≤ ``window`` years.

    Returns region, category, year, growth, growth_window (years used; NULL when no earlier
    year with positive employment exists), growth_base_year.
    """
    cur = panel.select("region", "category", "year", "employment")
    base = panel.select(b_region=panel.region, b_category=panel.category, b_year=panel.year,
                        b_employment=panel.employment).view()
    j = cur.join(base, [cur.region == base.b_region, cur.category == base.b_category,
                        base.b_year < cur.year, base.b_year >= cur.year - window,
                        base.b_employment > 0])
    first = j.group_by(["region", "category", "year"]).aggregate(growth_base_year=j.b_year.min())
    b2 = base.select(k_region=base.b_region, k_category=base.b_category, k_year=base.b_year,
                     k_employment=base.b_employment).view()
    f = first.join(b2, [first.region == b2.k_region, first.category == b2.k_category,
                        first.growth_base_year == b2.k_year])
    cur2 = cur.left_join(f.select("region", "category", "year", "growth_base_year", "k_employment"),
                         ["region", "category", "year"]).drop("region_right", "category_right", "year_right")
    years = (cur2.year - cur2.growth_base_year).cast("float64")
    ratio = _div(cur2.employment.cast("float64"), cur2.k_employment.cast("float64"))
    g = ibis.ifelse(years > 0, ratio.pow(1.0 / years) - 1.0, ibis.null("float64"))
    return cur2.select("region", "category", "year", growth=g,
                       growth_window=(cur2.year - cur2.growth_base_year).cast("int64"),
                       growth_base_year=cur2.growth_base_year)


def _div(a: ir.NumericValue, b: ir.NumericValue) -> ir.FloatingValue:
    """a / b, NULL when b is NULL or 0 (never an infinity)."""
    return ibis.ifelse(b.isnull() | (b == 0), ibis.null("float64"), a.cast("float64") / b.cast("float64"))
