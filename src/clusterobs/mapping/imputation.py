"""Imputation of confidential and missing cells (METHODOLOGY.md, "Missing is not zero").

Within a region, the residual of the parent total (e.g. the NACE section) minus its known
children (the divisions) is shared among the missing children in proportion to the country's
values of those children; where the country lacks any of them, Europe's (the sum over the
countries) are used for all of them; with no usable weights the residual is shared equally.
The residual is never below zero, so no imputed value is negative and together they never
exceed it. A child whose parent is itself missing stays missing. Every imputed cell is flagged.
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
