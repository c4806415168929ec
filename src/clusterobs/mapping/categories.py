"""From industries to cluster categories through the concordance (weights), and coverage.

``industry_panel`` columns: region, year, industry, employment (NULL = missing), optional
``imputed`` (bool), ``wages``, ``establishments``. ``concordance``: industry, category, weight.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

KEYS = ("region", "year", "category")


def to_categories(industry_panel: ir.Table, concordance: ir.Table) -> ir.Table:
    """e(r,c,t) = Σ_i weight(i,c) × e(r,i,t); NULL when any industry of the category is missing.

    ``imputed_share`` is the part of the category's employment that comes from imputed cells.
    Wages and establishments, when present, go through the same weights.
    """
    p = industry_panel
    cols = set(p.columns)
    conc = concordance.select("industry", "category", "weight").filter(lambda t: t.weight > 0)
    j = p.join(conc, p.industry == conc.industry)
    imputed = j.imputed if "imputed" in cols else ibis.literal(False)
    weighted = j.employment.cast("float64") * j.weight
    aggs: dict[str, ir.Value] = {
        "employment_known": weighted.sum(),
        "missing_parts": j.employment.isnull().cast("int64").sum(),
        "employment_imputed": ibis.ifelse(imputed, weighted, 0.0).sum(),
    }
    for extra in ("wages", "establishments"):
        if extra in cols:
            aggs[f"{extra}_known"] = (j[extra].cast("float64") * j.weight).sum()
            aggs[f"{extra}_missing"] = j[extra].isnull().cast("int64").sum()
    g = j.group_by(["region", "year", "category"]).aggregate(**aggs)
    complete = g.missing_parts == 0
    out: dict[str, ir.Value] = {
        # rounded to a millionth of a person: parallel sums then give the same value on every run
        "employment": ibis.ifelse(complete, g.employment_known.round(6), ibis.null("float64")),
        "imputed_share": ibis.ifelse(complete & (g.employment_known > 0),
                                     g.employment_imputed / g.employment_known, ibis.null("float64")),
    }
    for extra in ("wages", "establishments"):
        if extra in cols:
            # rounded like employment, so ties at percentile thresholds do not depend on the backend
            out[extra] = ibis.ifelse(g[f"{extra}_missing"] == 0, g[f"{extra}_known"].round(6), ibis.null("float64"))
    return g.select("region", "year", "category", **out)


MIN_COVERAGE = 0.5
"""Below this share of its concordance weight inside the data, a category is not mapped."""


def coverage(industry_panel: ir.Table, concordance: ir.Table, *, min_coverage: float = MIN_COVERAGE) -> ir.Table:
    """Per category: the share of its concordance weight on industries the data set holds.

    Below ``min_coverage`` a category is *not covered* by the data: it is reported with its
    share, never mapped (and never shown as zero employment). From ``min_coverage`` to 1 it is
    *partly covered*: mapped, with its employment a lower bound, and flagged.
    """
    present = industry_panel.select("industry").distinct().mutate(present=ibis.literal(1))
    conc = concordance.select("industry", "category", "weight")
    j = conc.left_join(present, conc.industry == present.industry)
    g = j.group_by("category").aggregate(
        weight_total=j.weight.sum(),
        weight_covered=ibis.ifelse(j.present.notnull(), j.weight, 0.0).sum(),
        industries=j.count(),
        industries_covered=j.present.notnull().cast("int64").sum(),
    )
    share = g.weight_covered / g.weight_total
    status = ibis.cases((share >= 1 - 1e-9, "covered"), (share >= min_coverage, "partly covered"),
                        else_="not covered")
    return g.mutate(coverage_share=share, status=status)
