"""The industry panel the engine maps: SBS employment by region, NACE division and year.

Built from the store's ``sbs_employment`` for one NUTS version and level (METHODOLOGY.md, "Missing is not
zero"):

1. missing division cells are imputed (switchable) from their section's residual, shared by the
   country's structure (``imputation.impute_children``);
2. the imputed cells of a country never exceed what the national figure leaves after the regions that
   report the division (``imputation.cap_to_national``);
3. levels reconcile upward: below NUTS 2, a cell that is imputed or missing is raised to the sum of its
   children's known values (or filled with the sum of all its children when every child has a value), so
   a parent is never below its known children (``reconcile_with_children``).

Every row carries ``split_share``: the part of the region that comes from fractions of older regions
shared out by population (``classifications.nuts_conversion.split_shares``).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from clusterobs.mapping.imputation import cap_to_national, impute_children, reconcile_with_children

#: NACE sections of the SBS business economy (B-N without K) whose reported totals make a region's total.
BUSINESS_SECTIONS = ("B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N")
COLUMNS = ("region", "year", "industry", "employment", "imputed", "imputation_basis", "split_share")
#: Indicators joined to the panel as they are (never imputed): store table → panel column.
EXTRA_INDICATORS = {"sbs_wages": "wages", "sbs_local_units": "establishments"}


def sbs_industry_panel(con: Any, *, nuts_version: int = 2021, level: int = 2, impute: bool = True,
                       below: ir.Table | None = None) -> ir.Table:
    """region, year, industry (NACE division), employment, imputed, imputation_basis, split_share.

    ``con`` is an Ibis backend over a dataset version (``Store.ibis()``); ``below``, the panel of the level
    below of the same NUTS version when the caller already has it (it is built here otherwise).
    Use ``with_indicators`` for the panel with wages, establishments and the Eurostat flags.
    """
    sbs = con.table("sbs_employment")
    nace = con.table("nace")
    rows = sbs.filter(sbs.nuts_version == nuts_version)
    divisions = nace.filter(nace.level == 2).select(code=nace.code, section=nace.section)
    here = rows.filter(rows.level == level)
    split = "split_share" in rows.columns
    children = here.join(divisions, here.nace == divisions.code).select(
        region=here.region, year=here.year, industry=here.nace, parent=divisions.section,
        employment=here.value.cast("float64"), country=here.region.substr(0, 2),
        split_share=here.split_share.cast("float64") if split else ibis.literal(0.0))
    if not impute:
        return children.select("region", "year", "industry", "employment", imputed=ibis.literal(False),
                               imputation_basis=ibis.null("string"), split_share=children.split_share)
    sections = nace.filter(nace.level == 1).select(scode=nace.code)
    parents = here.join(sections, here.nace == sections.scode).select(
        region=here.region, year=here.year, parent=here.nace, parent_employment=here.value.cast("float64"))
    countries = rows.filter(rows.level == 0)
    reference = countries.join(divisions, countries.nace == divisions.code).select(
        country=countries.region, year=countries.year, industry=countries.nace,
        reference_employment=countries.value.cast("float64"))
    filled = impute_children(children.view(), parents.view(), reference.view()).select(*COLUMNS, "country")
    if level < 2 and (below is not None or _has_level(rows, level + 1)):
        if below is None:
            below = sbs_industry_panel(con, nuts_version=nuts_version, level=level + 1, impute=True)
        sp = _optional_table(con, "nuts_split_shares")
        if sp is not None:
            # the children's split as a whole: the sum of PL91 and PL92 is all of the old PL12, not a share of it
            sp = sp.filter((sp.nuts_version == nuts_version) & (sp.level == level)).select(
                p_region="region", p_split="split_share")
            below = below.mutate(split_share=below.split_share.cast("float64"))
            filled = filled.left_join(sp, filled.region == sp.p_region).mutate(
                children_split=lambda t: t.p_split.fill_null(0.0)).drop("p_region", "p_split")
        # the children's data first (they beat shares), then the national cap on what is still shared out, then
        # once more the children (a capped share may have fallen below them)
        filled = reconcile_with_children(filled, below, level=level)
        if level > 0:
            # twice: a cell raised to its children's data leaves a smaller residual for the shared cells (FR B09
            # 2013 at NUTS 1: the second cap takes the last 0.4 persons shared out beyond the national figure)
            for _ in range(2):
                filled = reconcile_with_children(cap_to_national(filled, reference.view()), below, level=level)
    elif level > 0:
        filled = cap_to_national(filled, reference.view())
    return filled.select(*COLUMNS)


def with_indicators(con: Any, panel: ir.Table, *, nuts_version: int, level: int) -> ir.Table:
    """The industry panel with ``flag`` (Eurostat's letters on the employment cell), and ``wages`` (million EUR) and
    ``establishments`` (local units) where the store has them: reported values only, NULL where missing or
    confidential (wages and local units are never imputed)."""
    sbs = con.table("sbs_employment")
    f = sbs.filter((sbs.nuts_version == nuts_version) & (sbs.level == level)).select(
        f_region="region", f_year="year", f_industry="nace", flag="flag")
    t = panel.left_join(f, [panel.region == f.f_region, panel.year == f.f_year, panel.industry == f.f_industry])
    t = t.drop("f_region", "f_year", "f_industry")
    for table, column in EXTRA_INDICATORS.items():
        src = _optional_table(con, table)
        if src is None:
            continue
        x = src.filter((src.nuts_version == nuts_version) & (src.level == level)).select(
            x_region="region", x_year="year", x_industry="nace", **{column: src.value.cast("float64")})
        t = t.left_join(x, [t.region == x.x_region, t.year == x.x_year, t.industry == x.x_industry])
        t = t.drop("x_region", "x_year", "x_industry")
    return t


def _optional_table(con: Any, name: str) -> ir.Table | None:
    """A table of the backend, or None when it lacks it (a store ingested before the table existed)."""
    try:
        return con.table(name)
    except Exception:  # each backend raises its own "table not found"
        return None


def _has_level(rows: ir.Table, level: int) -> bool:
    return bool(rows.filter(rows.level == level).count().execute())


def region_totals(con: Any, panel: ir.Table, concordance: ir.Table, traded: ir.Table, *, nuts_version: int,
                  level: int) -> ir.Table:
    """region, year, business_total, traded_total, total_basis: the LQ and focus denominators.

    ``business_total`` is the region's reported business-economy employment: the sum of its reported
    section totals (B-N without K); a section without a reported total counts as the sum of its divisions
    in ``panel`` (known and imputed), as does S (its one division S95), and ``total_basis`` says how many
    sections were taken that way. A section with neither (D in many regions: D35 is all of D) stays out.
    ``traded_total`` is ``business_total`` times the traded share of the divisions with a value
    (Σ_d w_traded(d)·e(d) / Σ_d e(d), w_traded(d) the division's concordance weight in traded categories,
    at most 1). Neither shrinks when a division is missing: they never are the sum of whatever happens
    to be present.
    """
    sbs = con.table("sbs_employment")
    here = sbs.filter((sbs.nuts_version == nuts_version) & (sbs.level == level)
                      & sbs.nace.isin(list(BUSINESS_SECTIONS)))
    reported = here.select(region=here.region, year=here.year, section=here.nace,
                           reported=here.value.cast("float64"))
    nace = con.table("nace")
    divisions = nace.filter(nace.level == 2).select(code=nace.code, section=nace.section)
    p = panel.join(divisions, panel.industry == divisions.code)
    by_section = p.group_by(["region", "year", "section"]).aggregate(from_divisions=p.employment.sum())
    s = reported.outer_join(by_section, ["region", "year", "section"])
    s = s.select(region=ibis.coalesce(s.region, s.region_right), year=ibis.coalesce(s.year, s.year_right),
                 reported=s.reported, from_divisions=s.from_divisions)
    totals = s.group_by(["region", "year"]).aggregate(
        business_total=ibis.coalesce(s.reported, s.from_divisions).sum(),
        sections_from_divisions=(s.reported.isnull() & s.from_divisions.notnull()).cast("int64").sum())
    w = concordance.semi_join(traded, concordance.category == traded.category)
    wt = w.group_by("industry").aggregate(w_traded=w.weight.sum())
    q = panel.filter(panel.employment.notnull()).left_join(wt, "industry")
    share = q.group_by(["region", "year"]).aggregate(
        traded_part=(q.employment * ibis.least(q.w_traded.fill_null(0.0), 1.0)).sum(), all_part=q.employment.sum())
    t = totals.left_join(share, ["region", "year"]).drop("region_right", "year_right")
    ratio = ibis.ifelse(t.all_part > 0, t.traded_part / t.all_part, ibis.null("float64"))
    basis = ibis.cases((t.business_total.isnull(), "no section or division reported"),
                       (t.sections_from_divisions == 0, "reported sections"),
                       else_=t.sections_from_divisions.cast("string") + " section(s) from divisions")
    return t.select("region", "year", business_total=t.business_total.round(6),
                    traded_total=(t.business_total * ratio).round(6), total_basis=basis)


def division_concordance(con: Any) -> ir.Table:
    """The store's concordance at NACE division level: industry, category, weight."""
    conc = con.table("concordance")
    return conc.filter(conc.level == 2).select("industry", "category", "weight")
