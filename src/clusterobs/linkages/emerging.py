"""Emerging industries as cross-sectoral views: what makes each one up, and its weight in each region.

An emerging industry (``emerging.yml``) is a list of NACE codes with weights; it overlaps the traded and local
categories, which are built from the same industries. Two views:

* composition: its NACE classes and divisions with their weights (the definition, and the division weights the
  regional data are mapped with), and the categories it shares employment with: for category c,
  ``weight = Σ_d w_e(d) · w_c(d) · E(d) / Σ_d w_e(d) · E(d)`` over the NACE divisions d of the data, with w the
  division-level concordance weights and E(d) Europe's employment in d (all regions of the unit, one year): the
  share of the emerging industry's European employment that the concordance also assigns to c;
* regional shares: its employment in each region as a share of the region's employment in every industry the data
  hold (the whole business economy of the SBS data), beside its LQ and share of Europe from ``cluster_measures``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COMPOSITION_COLUMNS = ["emerging", "component", "component_kind", "nace_level", "weight", "employment"]


def composition(concordance: pd.DataFrame, categories: pd.DataFrame, industry_panel: pd.DataFrame
                ) -> pd.DataFrame:
    """The ``emerging_composition`` rows from the store's ``concordance`` and ``categories`` and one year and unit
    of ``industry_panel`` (region, industry, employment)."""
    kinds = categories.set_index("category")["kind"]
    conc = concordance.assign(kind=concordance["category"].map(kinds))
    emerging = conc[conc["kind"] == "emerging"]
    europe = industry_panel.groupby("industry")["employment"].sum(min_count=1)
    rows = []
    # the definition: NACE classes (level 4) and the division weights the data are mapped with (level 2)
    for lvl in (4, 2):
        part = emerging[emerging["level"] == lvl]
        emp = part["industry"].map(europe) * part["weight"] if lvl == 2 else np.nan
        rows.append(pd.DataFrame({"emerging": part["category"], "component": part["industry"],
                                  "component_kind": "industry", "nace_level": lvl, "weight": part["weight"],
                                  "employment": emp}))
    # the categories it shares employment with (division level, employment-weighted)
    div = conc[conc["level"] == 2]
    e_w = div[div["kind"] == "emerging"][["industry", "category", "weight"]].rename(
        columns={"category": "emerging", "weight": "w_e"})
    c_w = div[div["kind"].isin(["traded", "local"])][["industry", "category", "weight"]].rename(
        columns={"category": "component", "weight": "w_c"})
    e_w = e_w.assign(E=e_w["industry"].map(europe))
    totals = (e_w["w_e"] * e_w["E"]).groupby(e_w["emerging"]).sum(min_count=1)
    both = e_w.merge(c_w, on="industry")
    both["employment"] = both["w_e"] * both["w_c"] * both["E"]
    shared = both.groupby(["emerging", "component"], as_index=False)["employment"].sum(min_count=1)
    shared = shared[shared["employment"] > 0]
    shared["weight"] = shared["employment"] / shared["emerging"].map(totals)
    rows.append(shared.assign(component_kind="category", nace_level=pd.NA))
    out = pd.concat([r[COMPOSITION_COLUMNS] for r in rows], ignore_index=True)
    out["nace_level"] = out["nace_level"].astype("Int64")
    out["weight"] = out["weight"].astype(float)
    out["employment"] = out["employment"].astype(float)
    return out.sort_values(["emerging", "component_kind", "weight", "component"],
                           ascending=[True, True, False, True]).reset_index(drop=True)


def regional_shares(measures: pd.DataFrame, industry_panel: pd.DataFrame, emerging: list[str]) -> pd.DataFrame:
    """Per region and year, each emerging industry's employment, the region's employment in all industries of the
    data (``economy_employment``; NULL when every industry is missing), their ratio ``share``, and
    ``lq``/``share_europe``/``imputed_share`` from ``cluster_measures``; ``rank`` 1 = the region where the
    industry holds the largest share."""
    economy = industry_panel.groupby(["region", "year"], as_index=False)["employment"].sum(min_count=1).rename(
        columns={"employment": "economy_employment"})
    m = measures[measures["category"].isin(emerging)][
        ["region", "year", "category", "employment", "imputed_share", "lq", "share_europe"]]
    out = m.rename(columns={"category": "emerging"}).merge(economy, on=["region", "year"], how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = out["employment"] / out["economy_employment"].where(out["economy_employment"] > 0)
    ranked = out[out["share"].notna()].sort_values(["emerging", "year", "share", "region"],
                                                   ascending=[True, True, False, True])
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ranked.index, "rank"] = ranked.groupby(["emerging", "year"]).cumcount().to_numpy() + 1
    cols = ["region", "year", "emerging", "employment", "economy_employment", "share", "lq", "share_europe",
            "imputed_share", "rank"]
    return out[cols].sort_values(["emerging", "year", "region"]).reset_index(drop=True)
