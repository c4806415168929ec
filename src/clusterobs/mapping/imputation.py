"""Imputation of confidential and missing cells (METHODOLOGY.md, "Missing is not zero").

Within a region, the residual of the parent total (e.g. the NACE section) minus its known
children (the divisions) is shared among the missing children in proportion to the country's
values of those children; where the country lacks any of them, Europe's (the sum over the
countries) are used for all of them; with no usable weights the residual is shared equally.
The residual is never below zero, so no imputed value is negative and together they never
exceed it. A child whose parent is itself missing stays missing. Every imputed cell is flagged.
Across a country's regions the imputed cells are then capped by the national residual
(``cap_to_national``), and levels reconcile upward (``reconcile_with_children``).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def impute_children(children: ir.Table, parents: ir.Table, reference: ir.Table) -> ir.Table:
    """Fill the missing ``employment`` of ``children`` and flag them ``imputed``.

    * ``children``: region, year, industry, parent, employment (NULL = missing), and ``country``;
    * ``parents``: region, year, parent, parent_employment;
    * ``reference``: country, year, industry, reference_employment (the country's values).

    Returns the children with ``employment`` filled where possible, ``imputed`` (bool) and
    ``imputation_basis`` ('country', 'europe', 'equal' or NULL).
    """
    europe = reference.group_by(["year", "industry"]).aggregate(europe_employment=reference.reference_employment.sum())
    c = children
    c = c.left_join(reference, ["country", "year", "industry"]).drop("country_right", "year_right", "industry_right")
    c = c.left_join(europe, ["year", "industry"]).drop("year_right", "industry_right")
    c = c.left_join(parents, ["region", "year", "parent"]).drop("region_right", "year_right", "parent_right")
    w = ibis.window(group_by=[c.region, c.year, c.parent])
    missing = c.employment.isnull()
    c = c.mutate(
        _known=c.employment.cast("float64").sum().over(w).fill_null(0.0),
        _n_missing=missing.cast("int64").sum().over(w),
        _country_gaps=(missing & c.reference_employment.isnull()).cast("int64").sum().over(w),
    )
    missing = c.employment.isnull()
    use_country = c._country_gaps == 0
    raw = ibis.ifelse(use_country, c.reference_employment, c.europe_employment).cast("float64").fill_null(0.0)
    c = c.mutate(_w=ibis.ifelse(missing, raw, 0.0))
    c = c.mutate(_wsum=c._w.sum().over(w))
    residual = ibis.greatest(c.parent_employment.cast("float64") - c._known, 0.0)
    share = ibis.ifelse(c._wsum > 0, c._w / c._wsum, 1.0 / c._n_missing.cast("float64"))
    can = missing & c.parent_employment.notnull()
    basis = ibis.ifelse(can, ibis.ifelse(c._wsum > 0, ibis.ifelse(use_country, "country", "europe"), "equal"),
                        ibis.null("string"))
    out = c.mutate(
        employment=ibis.ifelse(can, residual * share, c.employment.cast("float64")),
        imputed=can,
        imputation_basis=basis,
    )
    return out.drop("_known", "_n_missing", "_country_gaps", "_w", "_wsum", "reference_employment",
                    "europe_employment", "parent_employment")


def cap_to_national(filled: ir.Table, reference: ir.Table) -> ir.Table:
    """Scale a country's imputed cells down so that they never exceed its national residual.

    ``filled``: the output of ``impute_children`` (region, year, industry, employment, imputed, country, …);
    ``reference``: country, year, industry, reference_employment (the national figures). For each country,
    year and industry: residual = max(national − Σ reported regional values, 0); when the imputed cells
    sum to more than the residual, each is multiplied by residual / Σ imputed and its basis gets
    ``+national cap``. Without a national figure nothing changes.
    """
    f = filled
    w = ibis.window(group_by=[f.country, f.year, f.industry])
    # cells taken from a region's own children (basis "children") are data here, not shares
    shared = f.imputed & (f.imputation_basis.fill_null("") != "children")
    f = f.mutate(_reported=ibis.ifelse(shared, 0.0, f.employment.cast("float64")).fill_null(0.0).sum().over(w),
                 _imputed=ibis.ifelse(shared, f.employment.cast("float64"), 0.0).fill_null(0.0).sum().over(w),
                 _shared=shared)
    f = f.left_join(reference, ["country", "year", "industry"]).drop("country_right", "year_right",
                                                                     "industry_right")
    residual = ibis.greatest(f.reference_employment.cast("float64") - f._reported, 0.0)
    over = f._shared & f.reference_employment.notnull() & (f._imputed > residual + 1e-6)
    factor = ibis.ifelse(f._imputed > 0, residual / f._imputed, 0.0)
    return f.mutate(
        employment=ibis.ifelse(over, f.employment * factor, f.employment),
        imputation_basis=ibis.ifelse(over, f.imputation_basis.concat("+national cap"), f.imputation_basis),
    ).drop("_reported", "_imputed", "_shared", "reference_employment")


def reconcile_with_children(parents: ir.Table, children: ir.Table, *, level: int,
                            max_split: float = 0.5) -> ir.Table:
    """A parent region's cell is never below the sum of its children's known values.

    ``parents`` and ``children``: region, year, industry, employment, imputed, imputation_basis, split_share
    (children one NUTS level below ``level``; a child's parent is its code cut to ``level``).

    * A parent cell that is missing, imputed, or a population-split copy of an older region (split_share above
      ``max_split``: the French NUTS 1 regions of 2016 made from the ZEATs of 2013) becomes the sum of its
      children when every child has a value: the regions' own data beat a population share.
    * Any other parent below the sum of its children's reported values is raised to that sum (a reported
      figure below its parts is an inconsistency of the source; the cell is then flagged).

    Changed cells are imputed, basis ``children``; a filled cell takes ``children_split`` (a column of ``parents``:
    the split share of the parent as a union of its children, ``harmonise.parent_split_shares``; 0 without it).
    """
    c = children.mutate(parent=children.region.substr(0, level + 2))
    sums = c.group_by(["parent", "year", "industry"]).aggregate(
        known_children=ibis.ifelse(c.imputed, 0.0, c.employment.cast("float64")).fill_null(0.0).sum(),
        all_children=c.employment.cast("float64").sum(),
        children_missing=c.employment.isnull().cast("int64").sum())
    p = parents.left_join(sums, [parents.region == sums.parent, parents.year == sums.year,
                                 parents.industry == sums.industry]).drop("parent", "year_right", "industry_right")
    if "children_split" not in p.columns:
        p = p.mutate(children_split=ibis.literal(0.0))
    missing = p.employment.isnull()
    weak = missing | p.imputed | (p.split_share.fill_null(0.0) > max_split)
    fill = weak & p.all_children.notnull() & (p.children_missing == 0)
    raise_ = ~fill & ~missing & p.known_children.notnull() & (p.employment < p.known_children - 1e-6)
    return p.mutate(
        employment=ibis.cases((fill, p.all_children), (raise_, p.known_children), else_=p.employment),
        imputed=p.imputed | fill | raise_,
        imputation_basis=ibis.ifelse(fill | raise_, "children", p.imputation_basis),
        # a cell made of its children's data is as split as they are, not as its own conversion
        split_share=ibis.ifelse(fill, p.children_split, p.split_share),
    ).drop("known_children", "all_children", "children_missing")
