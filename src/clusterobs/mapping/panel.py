"""The industry panel the engine maps: SBS employment by region, NACE division and year.

Built from the store's ``sbs_employment`` for one NUTS version and level, with the missing
division cells imputed (switchable) from their section's residual.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from clusterobs.mapping.imputation import impute_children


def sbs_industry_panel(con: Any, *, nuts_version: int = 2021, level: int = 2, impute: bool = True) -> ir.Table:
    """region, year, industry (NACE division), employment, imputed, imputation_basis.

    ``con`` is an Ibis backend over a dataset version (``Store.ibis()``).
    """
    sbs = con.table("sbs_employment")
    nace = con.table("nace")
    rows = sbs.filter(sbs.nuts_version == nuts_version)
    divisions = nace.filter(nace.level == 2).select(code=nace.code, section=nace.section)
    sections = nace.filter(nace.level == 1).select(scode=nace.code)
    here = rows.filter(rows.level == level)
    children = here.join(divisions, here.nace == divisions.code).select(
        region=here.region, year=here.year, industry=here.nace, parent=divisions.section,
        employment=here.value.cast("float64"), country=here.region.substr(0, 2))
    if not impute:
        return children.select("region", "year", "industry", "employment", imputed=ibis.literal(False),
                               imputation_basis=ibis.null("string"))
    parents = here.join(sections, here.nace == sections.scode).select(
        region=here.region, year=here.year, parent=here.nace, parent_employment=here.value.cast("float64"))
    countries = rows.filter(rows.level == 0)
    reference = countries.join(divisions, countries.nace == divisions.code).select(
        country=countries.region, year=countries.year, industry=countries.nace,
        reference_employment=countries.value.cast("float64"))
    filled = impute_children(children.view(), parents.view(), reference.view())
    return filled.select("region", "year", "industry", "employment", "imputed", "imputation_basis")


def division_concordance(con: Any) -> ir.Table:
    """The store's concordance at NACE division level: industry, category, weight."""
    conc = con.table("concordance")
    return conc.filter(conc.level == 2).select("industry", "category", "weight")
