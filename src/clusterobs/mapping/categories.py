"""From industries to cluster categories through the concordance (weights), and coverage.

``industry_panel`` columns: region, year, industry, employment (NULL = missing), optional
``imputed`` (bool), ``wages``, ``establishments``. ``concordance``: industry, category, weight.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

KEYS = ("region", "year", "category")
#: Eurostat flag letters carried from industries to a category cell (``flags``), in this order.
FLAG_LETTERS = "bcdeipru"


def to_categories(industry_panel: ir.Table, concordance: ir.Table) -> ir.Table:
    """e(r,c,t) = Σ_i weight(i,c) × e(r,i,t) over the industries with a value, and the cell's coverage.

    ``coverage`` is 1 minus the share of the category's concordance weight (over the industries of the
    data set: those with a row anywhere in the panel) on industries whose value is missing (NULL) in this
    region and year: a missing division lowers the cell's coverage instead of removing the cell; an
    industry without a row there counts as none (no employment), not as missing. ``employment`` is NULL only when
    no industry of the category has a value. ``imputed_share`` is the part of the category's
    employment that comes from imputed cells; ``split_share`` (when the panel has it) the part that comes
    from cells copied from an older region split by population (employment-weighted).
    Establishments, when present, go through the same weights (NULL when any part is missing). Wages, when present,
    go through the same weights over the industries whose wages and employment are both known, and
    ``wage_employment`` is the employment of those same industries (wage per person employed is their ratio);
    ``wages`` itself is NULL unless every industry with employment has its wages. ``flags`` (when the panel has a
    ``flag`` column) joins the distinct Eurostat flag letters of the cell's industries that year.
    """
    p = industry_panel
    cols = set(p.columns)
    conc = concordance.select("industry", "category", "weight").filter(lambda t: t.weight > 0)
    scope = p.select("industry").distinct()
    conc = conc.semi_join(scope, conc.industry == scope.industry)
    in_scope = conc.group_by("category").aggregate(weight_scope=conc.weight.sum())
    j = p.join(conc, p.industry == conc.industry)
    imputed = j.imputed if "imputed" in cols else ibis.literal(False)
    known = j.employment.notnull()
    weighted = j.employment.cast("float64") * j.weight
    aggs: dict[str, ir.Value] = {
        "employment_known": weighted.sum(),
        "weight_known": ibis.ifelse(known, j.weight, 0.0).sum(),
        "weight_missing": ibis.ifelse(known, 0.0, j.weight).sum(),
        "employment_imputed": ibis.ifelse(imputed, weighted, 0.0).sum(),
    }
    if "split_share" in cols:  # employment-weighted: the part of the cell copied from a split older region
        aggs["_split_emp"] = (weighted * j.split_share.cast("float64")).sum()
    if "establishments" in cols:
        aggs["establishments_known"] = (j.establishments.cast("float64") * j.weight).sum()
        aggs["establishments_missing"] = j.establishments.isnull().cast("int64").sum()
    if "wages" in cols:
        both = j.wages.notnull() & known
        aggs["wages_known"] = ibis.ifelse(both, j.wages.cast("float64") * j.weight, 0.0).sum()
        aggs["wage_employment"] = ibis.ifelse(both, weighted, 0.0).sum()
        aggs["wages_missing"] = (known & j.wages.isnull()).cast("int64").sum()
    if "flag" in cols:
        for letter in FLAG_LETTERS:
            aggs[f"_flag_{letter}"] = j.flag.fill_null("").contains(letter).any()
    g = j.group_by(["region", "year", "category"]).aggregate(**aggs)
    g = g.join(in_scope, "category")
    has = g.weight_known > 0
    out: dict[str, ir.Value] = {
        # rounded to a millionth of a person: parallel sums then give the same value on every run
        "employment": ibis.ifelse(has, g.employment_known.round(6), ibis.null("float64")),
        "imputed_share": ibis.ifelse(has & (g.employment_known > 0),
                                     g.employment_imputed / g.employment_known, ibis.null("float64")),
        # an industry the region has no row for has no employment there (firm data, a user's table); only an
        # explicit NULL (confidential, missing) takes weight away from the cell's coverage
        "coverage": ibis.greatest(1.0 - g.weight_missing / g.weight_scope, 0.0).round(9),
    }
    if "split_share" in cols:
        out["split_share"] = ibis.ifelse(g.employment_known > 0, (g._split_emp / g.employment_known).round(9),
                                         ibis.null("float64"))
    # rounded like employment, so ties at percentile thresholds do not depend on the backend
    if "establishments" in cols:
        out["establishments"] = ibis.ifelse(g.establishments_missing == 0, g.establishments_known.round(6),
                                            ibis.null("float64"))
    if "wages" in cols:
        out["wages"] = ibis.ifelse(has & (g.wages_missing == 0), g.wages_known.round(6), ibis.null("float64"))
        out["wage_wages"] = ibis.ifelse(g.wage_employment > 0, g.wages_known.round(6), ibis.null("float64"))
        out["wage_employment"] = ibis.ifelse(g.wage_employment > 0, g.wage_employment.round(6), ibis.null("float64"))
    if "flag" in cols:
        text = ibis.literal("")
        for letter in FLAG_LETTERS:
            text = text.concat(ibis.ifelse(g[f"_flag_{letter}"], letter, ""))
        out["flags"] = ibis.ifelse(text == "", ibis.null("string"), text)
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


MIN_CELL_COVERAGE = 0.8
"""Below this share of its category's concordance weight with data, a cell is shown but never starred or ranked."""
MAX_SPLIT_SHARE = 0.5
"""Above this share of its weight mass from fractions of older regions, a region's cells are a population-scaled
copy of another region's structure: shown, never starred or ranked on their own."""


def rankability(cells: ir.Table, *, min_coverage: float = MIN_CELL_COVERAGE,
                max_split: float = MAX_SPLIT_SHARE) -> ir.Table:
    """Add ``rankable`` (bool) and ``caveat`` (why not, NULL when rankable) to a category panel.

    A cell is rankable when its employment is known, its ``coverage`` (if the panel has one) is at least
    ``min_coverage`` and its ``split_share`` (if any) at most ``max_split``."""
    t = cells
    known = t.employment.notnull()
    low = t.coverage < min_coverage if "coverage" in t.columns else ibis.literal(False)
    split = t.split_share > max_split if "split_share" in t.columns else ibis.literal(False)
    pct = (t.coverage * 100).floor().cast("int64").cast("string") if "coverage" in t.columns else ibis.literal("")
    reasons = [
        ibis.ifelse(~known, "no data", ibis.null("string")),
        ibis.ifelse(known & low.fill_null(False),
                    ibis.literal("coverage ").concat(pct, f"% of the category's industries (below {min_coverage:.0%})"),
                    ibis.null("string")),
        ibis.ifelse(known & split.fill_null(False),
                    ibis.literal("region split from an older NUTS region by population: its structure is the "
                                 "older region's"), ibis.null("string")),
    ]
    caveat = ibis.coalesce(*reasons)
    return t.mutate(rankable=(known & ~low.fill_null(False) & ~split.fill_null(False)), caveat=caveat)


def apply_anchors(cells: ir.Table, panel: ir.Table, totals: ir.Table, anchors: pd.DataFrame) -> ir.Table:
    """Cells of an industry with anchor divisions (``emerging.yml``: blue growth needs water transport or offshore
    extraction) are not rankable in a region whose LQ in every anchor division is below the anchor's ``min_lq``.

    ``cells``: the output of ``rankability``; ``panel``: region, year, industry, employment; ``totals``: region,
    year, business_total; ``anchors``: category, industry, min_lq. The division LQ is the division's share of the
    region's business total over Europe's share (the regions of the panel)."""
    if anchors.empty:
        return cells
    # no memtables: the anchors are few, written as literals (a memtable under a cached Spark table is not found)
    p = panel.join(totals, ["region", "year"]).filter(lambda t: t.employment.notnull() & (t.business_total > 0))
    eu = p.group_by(["year", "industry"]).aggregate(eu_emp=p.employment.sum(), eu_total=p.business_total.sum())
    p = p.join(eu, ["year", "industry"])
    p = p.select("region", "year", "industry", lq=(p.employment / p.business_total) / (p.eu_emp / p.eu_total))
    parts, text = [], {}
    for category, g in anchors.groupby("category", sort=True):
        cond = ibis.or_(*[(p.industry == d) & (p.lq >= float(m)) for d, m in zip(g["industry"], g["min_lq"],
                                                                                 strict=True)])
        parts.append(p.filter(cond).select("region", "year", a_category=ibis.literal(category)).distinct())
        text[category] = ", ".join(g["industry"])
    ok = ibis.union(*parts) if len(parts) > 1 else parts[0]
    ok = ok.mutate(anchored=ibis.literal(1))
    anchor_text = ibis.cases(*[(cells.category == c, t) for c, t in text.items()], else_=ibis.null("string"))
    t = cells.mutate(anchor_text=anchor_text)
    t = t.left_join(ok, [t.region == ok.region, t.year == ok.year, t.category == ok.a_category]).drop(
        "region_right", "year_right", "a_category")
    unanchored = t.anchor_text.notnull() & t.anchored.isnull() & t.employment.notnull()
    reason = (ibis.literal("no anchor activity: the region's LQ is below the threshold in each of ")
              .concat(t.anchor_text, ", so the industry is only the US structure of mixed divisions here"))
    return t.mutate(rankable=t.rankable & ~unanchored,
                    caveat=ibis.ifelse(unanchored & t.caveat.isnull(), reason, t.caveat)).drop("anchor_text",
                                                                                               "anchored")
