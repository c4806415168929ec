"""The default concordance NACE Rev. 2 → cluster categories, derived at ingest, with its coverage.

Method (docs/methodology.md, "The concordance"; METHODOLOGY.md, "From industries to categories"):

* US employment per NAICS 2017 code, ``E(n)``: County Business Patterns 2012 (``naics_employment``:
  same code, or for a code created in 2017 the 2012 codes it replaced). A NAICS code linked to
  several NACE classes shares its employment equally among them (no public key says better).
* NACE class k, category c (``weighting="employment"``, the default): ``w(k, c) = Σ E(n linked to
  k, in c) / Σ E(n linked to k)``. A linked code in no CMP cluster counts in the denominator only,
  so a class's weights sum to at most 1. A class whose linked codes all lack US employment (CBP
  leaves out crop and animal production, rail, households, government) falls back to the count rule
  below and is reported (``concordance_unmatched``, kind ``nace_class_count_fallback``).
* Group, division, section: ``w(d, c) = Σ_k E(k) w(k, c) / Σ_k E(k)`` over its classes, with
  ``E(k)`` the US employment attributed to class k (the ``us_employment`` of the class row). A class
  CBP leaves out (linked NAICS codes, none with US employment) stands in with the mean E of its
  division's other classes (``_stand_in_employment``: H53 is not all couriers); a class without any
  NAICS link weighs nothing. Where no class of the code has US employment, the plain
  mean over all its classes is used instead (reported, kind ``nace_aggregate_count_fallback``).
* ``weighting="count"`` is the rule of clusterobs up to 2026-11, kept to reproduce those versions
  and to measure what the employment weights change (the before/after figures of the methodology):
  ``w(k, c) = #{linked NAICS codes in c} / #{linked NAICS codes}``, and the unweighted mean over all
  classes for groups, divisions and sections.
* Emerging industries (``emerging.yml``): a listed class keeps its weight, a listed division gives
  its weight to each of its classes; groups, divisions and sections are then aggregated with the
  same class employment ``E(k)`` (plain mean under ``weighting="count"``).

Which crosswalk rows define a cluster: the CMP's own rows, plus the 16 rows Emsi flags as
specific that are NAICS codes created in 2017 (their placement is that of the NAICS 2012 codes
they replace). Emsi's additions outside the CMP definitions (postal service, funds) are left
out unless ``emsi_additions=True``; they are listed as unmatched.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.classifications.categories import EMERGING_FILE, categories, emerging_concordance
from clusterobs.classifications.naics_employment import NEW_IN_NAICS_2017, naics_employment

TABLES = {
    "concordance": "NACE code (any level, Eurostat form) → category with weight in (0,1]; n_naics = NAICS codes "
    "behind a derived weight; source 'derived' (NAICS route) or 'emerging.yml'; us_employment = US employment "
    "(CBP 2012) attributed to the industry, the E behind its weight",
    "concordance_naics": "Every NAICS 2017 code linked to NACE: its category, the NACE classes it links to, its US "
    "employment (CBP 2012), how that was obtained, and the share each linked class gets",
    "concordance_unmatched": "Codes the derivation could not use, by kind, with title and detail",
    "concordance_coverage": "Coverage of the concordance by scope (traded, local, traded+local, emerging) and measure",
    "category_coverage": "Per category: share of its class weights inside the SBS business economy "
    "(B-N without K, plus S95) and status covered / partly covered / not covered",
    "category_divisions": "Per category, every NACE division feeding it: the division's weight, its US employment "
    "and the share of the category's US employment it carries",
}
WEIGHTINGS = ("employment", "count")
SBS_SECTIONS = frozenset("BCDEFGHIJLMN")
SBS_DIVISIONS = frozenset({"S95"})
_LEVEL_COLUMN = {4: "code", 3: "parent", 2: "division", 1: "section"}
_SCOPES = {"traded": ("traded",), "local": ("local",), "traded+local": ("traded", "local"), "emerging": ("emerging",)}
_E = "us_employment_per_class"
__all__ = ["NEW_IN_NAICS_2017", "TABLES", "WEIGHTINGS", "derive", "in_sbs_business_economy"]


def derive(tables: dict[str, pd.DataFrame], *, emerging_file: Path = EMERGING_FILE, emsi_additions: bool = False,
           weighting: str = "employment") -> dict[str, pd.DataFrame]:
    """Derive the concordance and its reports.

    Reads ``nace``, ``naics_nace``, ``cluster_naics`` and ``us_cbp_employment`` (which
    ``weighting="count"`` does without), and if present ``naics`` (the NAICS 2017 code list, to tell
    which NAICS 2012 codes were retired; the linked codes stand in for it) and ``sbs_employment``
    (for the share of European employment covered).
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"`weighting` of `derive` must be one of {', '.join(WEIGHTINGS)}; got {weighting!r}.")
    cbp = tables.get("us_cbp_employment")
    if weighting == "employment" and cbp is None:
        raise ValueError("`weighting` of `derive` is 'employment' but there is no us_cbp_employment table "
                         "(source us_cbp): read it first, or pass weighting='count'.")
    nace, crosswalk = tables["nace"], tables["cluster_naics"]
    cats = categories(crosswalk, path=emerging_file)
    classes = nace.loc[nace["level"] == 4, ["code", "parent", "division", "section", "name"]]
    links = tables["naics_nace"][["naics2017", "nace", "naics_title"]].drop_duplicates(["naics2017", "nace"])
    slug_of = cats.dropna(subset=["cmp_code"]).set_index("cmp_code")["category"]
    used = crosswalk if emsi_additions else crosswalk[~crosswalk["emsi_specific"]
                                                      | crosswalk["naics"].isin(NEW_IN_NAICS_2017)]
    category_of = used.set_index("naics")["cluster_code"].map(slug_of)
    per_naics = _naics_table(links, category_of, cbp, tables.get("naics"))
    links = links.merge(per_naics[["naics2017", "category", _E]], on="naics2017", how="left")
    matched = links.dropna(subset=["category"])
    # E(k): the US employment attributed to class k (0 for a class without links or without employment)
    class_emp = None if cbp is None else links.groupby("nace")[_E].sum().reindex(classes["code"], fill_value=0.0)
    counted = _count_weights(links, matched)
    by = class_emp if weighting == "employment" else None
    derived = counted if by is None else _employment_weights(matched, counted, by)
    agg_by = None if by is None else _stand_in_employment(by, classes, set(links["nace"]))

    emerging = _expand_emerging(emerging_concordance(nace, path=emerging_file), classes)
    concordance = pd.concat([_aggregate(derived, classes, matched, "derived", agg_by, class_emp),
                             _aggregate(emerging, classes, None, "emerging.yml", agg_by, class_emp)],
                            ignore_index=True)
    fallback = [] if by is None else sorted(set(links["nace"]) - set(by.index[by > 0]))
    return {
        "categories": cats,
        "concordance": concordance,
        "concordance_naics": per_naics,
        "concordance_unmatched": _unmatched(classes, links, crosswalk, used, concordance, cats, nace, per_naics,
                                            fallback, by is not None),
        "concordance_coverage": _coverage(concordance, cats, classes, links, matched, tables.get("sbs_employment"),
                                          nace, class_emp),
        "category_coverage": _category_coverage(concordance, cats, classes),
        "category_divisions": _category_divisions(concordance, cats, classes, nace),
    }


def in_sbs_business_economy(section: str, division: str | None) -> bool:
    """True for codes the SBS business economy covers: sections B-N without K, plus division S95."""
    return section in SBS_SECTIONS or division in SBS_DIVISIONS


def _naics_table(links: pd.DataFrame, category_of: pd.Series, cbp: pd.DataFrame | None,
                 naics: pd.DataFrame | None) -> pd.DataFrame:
    """One row per linked NAICS 2017 code: title, category, classes linked, US employment and its basis."""
    per = links.groupby("naics2017", as_index=False).agg(naics_title=("naics_title", "first"),
                                                         nace_classes=("nace", "nunique"))
    per["category"] = per["naics2017"].map(category_of)
    if cbp is None:
        per = per.assign(us_employment=float("nan"), basis=None, detail=None)
    else:
        known = set(per["naics2017"]) if naics is None else set(naics.loc[naics["level"] == 6, "code"])
        per = per.merge(naics_employment(per["naics2017"], cbp, known), on="naics2017", how="left")
    # a code linked to several classes shares its employment equally among them
    per[_E] = per["us_employment"] / per["nace_classes"].astype("float64")
    per = per[["naics2017", "naics_title", "category", "nace_classes", "us_employment", _E, "basis", "detail"]]
    return per.astype({"nace_classes": "int64", "us_employment": "float64", _E: "float64"})


def _count_weights(links: pd.DataFrame, matched: pd.DataFrame) -> pd.DataFrame:
    """w(k, c) = #{NAICS codes linked to k in c} / #{NAICS codes linked to k} (links are distinct pairs)."""
    denominator = links.groupby("nace")["naics2017"].nunique()
    out = matched.groupby(["nace", "category"]).size().rename("n").reset_index()
    out["weight"] = out["n"].astype("float64") / out["nace"].map(denominator).astype("float64")
    return out[["nace", "category", "weight"]]


def _employment_weights(matched: pd.DataFrame, counted: pd.DataFrame, class_emp: pd.Series) -> pd.DataFrame:
    """w(k, c) = Σ E(n linked to k, in c) / E(k); the count rule for classes with E(k) = 0."""
    out = matched.groupby(["nace", "category"], as_index=False)[_E].sum()
    with_emp = set(class_emp.index[class_emp > 0])
    out = out[out["nace"].isin(with_emp)]
    out = out.assign(weight=out[_E].astype("float64") / out["nace"].map(class_emp).astype("float64"))
    return pd.concat([out[["nace", "category", "weight"]], counted[~counted["nace"].isin(with_emp)]],
                     ignore_index=True)


def _expand_emerging(entries: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """Emerging entries at class level: a division's weight goes to each of its classes."""
    by_class = entries.merge(classes[["code"]], left_on="industry", right_on="code")
    by_division = entries.merge(classes[["code", "division"]], left_on="industry", right_on="division")
    out = pd.concat([by_class, by_division], ignore_index=True)
    return out.rename(columns={"code": "nace"})[["nace", "category", "weight"]]


def _stand_in_employment(class_emp: pd.Series, classes: pd.DataFrame, linked: set[str]) -> pd.Series:
    """E(k) for aggregating classes: a class CBP leaves out (linked to NAICS codes, none with US employment: farms,
    the postal service, rail, government) stands in with the mean E of its division's classes that have one, so
    that a division is not given wholly to the part of it CBP happens to cover (H53 postal and courier activities:
    the couriers' local logistics would otherwise get all of it). Without such a class in the division it weighs
    nothing."""
    e = class_emp.astype("float64")
    division = classes.set_index("code")["division"].reindex(e.index)
    mean = e.where(e > 0).groupby(division).mean()
    out_of_cbp = (e <= 0) & e.index.isin(list(linked))
    return e.mask(out_of_cbp, division.map(mean)).fillna(0.0)


def _aggregate(class_weights: pd.DataFrame, classes: pd.DataFrame, matched: pd.DataFrame | None, source: str,
               by: pd.Series | None, employment: pd.Series | None) -> pd.DataFrame:
    """Class weights → rows for classes, groups, divisions and sections.

    ``by`` (E(k) per class): the employment-weighted mean, or the plain mean over all classes where
    no class has employment; ``by`` None: the plain mean. ``employment`` fills ``us_employment``.
    """
    columns = ["industry", "level", "category", "weight", "n_naics", "source", "us_employment"]
    types = {"industry": "str", "level": "int64", "category": "str", "weight": "float64", "n_naics": "Int64",
             "source": "str", "us_employment": "float64"}
    if class_weights.empty:
        return pd.DataFrame(columns=columns).astype(types)
    cw = class_weights.astype({"weight": "float64"}).merge(classes, left_on="nace", right_on="code")
    cw = cw.assign(we=cw["weight"] * (cw["nace"].map(by).astype("float64") if by is not None else 0.0))
    nm = None if matched is None else matched.merge(classes, left_on="nace", right_on="code")
    parts = []
    for level, col in _LEVEL_COLUMN.items():
        size = classes.groupby(col).size()
        part = cw.groupby([col, "category"], as_index=False)[["weight", "we"]].sum()
        mean = part["weight"].astype("float64") / part[col].map(size).astype("float64")
        if by is None:
            part["weight"] = mean
        else:
            total = part[col].map(classes["code"].map(by).groupby(classes[col]).sum())
            # clipped: Σ E(k) w(k, c) / Σ E(k) can exceed 1 by a rounding error when every w(k, c) is 1
            part["weight"] = (part["we"] / total.where(total > 0)).where(total > 0, mean).clip(upper=1.0)
        if nm is not None:
            counts = nm.groupby([col, "category"])["naics2017"].nunique().rename("n_naics").reset_index()
            part = part.merge(counts, on=[col, "category"], how="left")
        else:
            part["n_naics"] = pd.NA
        part["us_employment"] = (float("nan") if employment is None else
                                 part[col].map(classes["code"].map(employment).groupby(classes[col]).sum()))
        parts.append(part.rename(columns={col: "industry"}).assign(level=level))
    df = pd.concat(parts, ignore_index=True)
    df = df.loc[df["weight"] > 0, ["industry", "level", "category", "weight", "n_naics", "us_employment"]]
    df = df.assign(source=source)[columns].astype(types)
    return df.sort_values(["industry", "category"]).reset_index(drop=True)


def _unmatched(classes: pd.DataFrame, links: pd.DataFrame, crosswalk: pd.DataFrame, used: pd.DataFrame,
               concordance: pd.DataFrame, cats: pd.DataFrame, nace: pd.DataFrame, per_naics: pd.DataFrame,
               fallback: list[str], weighted: bool) -> pd.DataFrame:
    rows: list[tuple[str, str, str, str]] = []
    linked = set(links["nace"])
    for code, name in zip(classes["code"], classes["name"], strict=True):
        if code not in linked:
            rows.append(("nace_class_without_naics", code, name, "no NAICS 2017 code links to this class"))
    derived = concordance[concordance["source"] == "derived"]
    with_category = set(derived.loc[derived["level"] == 4, "industry"])
    n_links = links.groupby("nace")["naics2017"].nunique()
    for code, name in zip(classes["code"], classes["name"], strict=True):
        if code in linked and code not in with_category:
            rows.append(("nace_class_without_category", code, name,
                         f"its {n_links[code]} linked NAICS codes are in no traded or local cluster"))
    name_of = nace.set_index("code")["name"]
    for code in fallback:
        rule = ("weights by the count rule" if code in with_category else
                "in no cluster either (no weight)")
        rows.append(("nace_class_count_fallback", code, name_of[code],
                     f"its {n_links[code]} linked NAICS codes have no US employment in CBP 2012: {rule}; "
                     "in its group, division and section it counts with the mean US employment of its division's "
                     "classes that have one"))
    if weighted:
        empty = concordance[(concordance["level"] < 4) & (concordance["us_employment"] <= 0)]
        for code, grp in empty.groupby("industry", sort=True):
            n = int((classes[_LEVEL_COLUMN[int(grp["level"].iloc[0])]] == code).sum())
            sources = ", ".join(sorted(grp["source"].unique()))
            rows.append(("nace_aggregate_count_fallback", code, name_of[code],
                         f"none of its {n} classes has US employment: its weights ({sources}) are the plain mean "
                         "over its classes"))
    emsi, used_codes = crosswalk.set_index("naics"), set(used["naics"])
    for code, title in links.drop_duplicates("naics2017")[["naics2017", "naics_title"]].itertuples(index=False):
        if code in used_codes:
            continue
        detail = ("outside the US Cluster Mapping definitions" if code not in emsi.index else
                  f"Emsi places it in cluster {emsi.at[code, 'cluster_code']} {emsi.at[code, 'cluster_name']}, "
                  "not a CMP definition (not used)")
        rows.append(("naics2017_not_in_crosswalk", code, title, detail))
    for code, title in used.loc[~used["naics"].isin(set(links["naics2017"])), ["naics", "naics_title"]].itertuples(
            index=False):
        rows.append(("crosswalk_naics_not_linked", code, title, "no NACE class links to this NAICS code"))
    absent = per_naics[per_naics["basis"] == "absent"]
    for code, title, detail in absent[["naics2017", "naics_title", "detail"]].itertuples(index=False):
        rows.append(("naics2017_without_us_employment", code, title, detail))
    reached = set(concordance["category"])
    for cat, name in cats.loc[~cats["category"].isin(reached), ["category", "name"]].itertuples(index=False):
        rows.append(("category_without_industry", cat, name, "no NACE class gets a weight in this category"))
    return pd.DataFrame(rows, columns=["kind", "code", "title", "detail"])


def _scope_weight(concordance: pd.DataFrame, cats: pd.DataFrame, scope: str, level: int) -> pd.Series:
    """Σ_c w(n, c) per industry of ``level`` over the scope's categories (capped at 1 for overlaps)."""
    keep = set(cats.loc[cats["kind"].isin(_SCOPES[scope]), "category"])
    rows = concordance[(concordance["level"] == level) & concordance["category"].isin(keep)]
    return rows.groupby("industry")["weight"].sum().clip(upper=1.0)


def _coverage(concordance: pd.DataFrame, cats: pd.DataFrame, classes: pd.DataFrame, links: pd.DataFrame,
              matched: pd.DataFrame, sbs: pd.DataFrame | None, nace: pd.DataFrame,
              class_emp: pd.Series | None) -> pd.DataFrame:
    rows: list[tuple[str, str, float]] = []
    n_naics = links["naics2017"].nunique()
    for scope, kinds in _SCOPES.items():
        keep = set(cats.loc[cats["kind"].isin(kinds), "category"])
        w = _scope_weight(concordance, cats, scope, 4).reindex(classes["code"], fill_value=0.0)
        reached = concordance.loc[concordance["category"].isin(keep), "category"].nunique()
        rows += [(scope, "categories", float(len(keep))), (scope, "categories_reached", float(reached)),
                 (scope, "nace_classes_with_weight", float((w > 0).sum())),
                 (scope, "nace_classes_with_weight_share", float((w > 0).mean())),
                 (scope, "mean_class_weight", float(w.mean()))]
        if scope != "emerging":
            n = matched.loc[matched["category"].isin(keep), "naics2017"].nunique()
            rows += [(scope, "naics_codes_matched", float(n)), (scope, "naics_codes_matched_share", n / n_naics)]
        if class_emp is not None:
            e = class_emp.reindex(w.index).astype("float64")
            total = float(e.sum())
            rows += [(scope, "nace_classes_without_us_employment", float(((w > 0) & (e <= 0)).sum())),
                     (scope, "us_employment_share", float((e * w).sum()) / total if total else float("nan")),
                     (scope, "us_employment_total", total)]
        if sbs is not None:
            rows += _employment_share(sbs, nace, _scope_weight(concordance, cats, scope, 2), scope)
    return pd.DataFrame(rows, columns=["scope", "measure", "value"])


def _employment_share(sbs: pd.DataFrame, nace: pd.DataFrame, weight: pd.Series, scope: str,
                      ) -> list[tuple[str, str, float]]:
    """Σ_d e(d)·Σ_c w(d, c) / Σ_d e(d) over country-level (NUTS 0) division rows of the latest year."""
    divisions = set(nace.loc[nace["level"] == 2, "code"])
    rows = sbs[(sbs["level"] == 0) & sbs["nace"].isin(divisions) & sbs["value"].notna()]
    if rows.empty:
        return []
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year]
    e = rows["value"].astype("float64")
    total = float(e.sum())
    share = float((e * rows["nace"].map(weight).fillna(0.0).astype("float64")).sum()) / total if total else float("nan")
    return [(scope, "employment_share", share), (scope, "employment_year", float(year)),
            (scope, "employment_total", total)]


def _category_coverage(concordance: pd.DataFrame, cats: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """Per category: how much of its class weight lies inside the SBS business economy."""
    inside = {code for code, sec, div in classes[["code", "section", "division"]].itertuples(index=False)
              if in_sbs_business_economy(sec, div)}
    rows = concordance[concordance["level"] == 4]
    rows = rows.assign(in_sbs=rows["weight"].where(rows["industry"].isin(inside), 0.0))
    agg = rows.groupby("category").agg(classes=("weight", "size"), weight_total=("weight", "sum"),
                                       weight_in_sbs=("in_sbs", "sum"))
    df = cats[["category", "kind"]].join(agg, on="category")
    df = df.fillna({"classes": 0, "weight_total": 0.0, "weight_in_sbs": 0.0}).astype({"classes": "int64"})
    total = df["weight_total"].where(df["weight_total"] > 0)
    df["share_in_sbs"] = (df["weight_in_sbs"] / total).fillna(0.0)
    df["status"] = "partly covered"
    df.loc[df["share_in_sbs"] >= 1 - 1e-12, "status"] = "covered"
    df.loc[df["share_in_sbs"] <= 0, "status"] = "not covered"
    return df.reset_index(drop=True)


def _category_divisions(concordance: pd.DataFrame, cats: pd.DataFrame, classes: pd.DataFrame,
                        nace: pd.DataFrame) -> pd.DataFrame:
    """Per category and division with a weight: w(d, c), E(d), E(d)·w(d, c) and its share of the category's total.

    ``E(d)·w(d, c) = Σ_k E(k) w(k, c)`` over the division's classes: the US employment the category
    draws from the division (0 where the division's weight is a plain-mean fallback).
    """
    d = concordance[concordance["level"] == 2]
    k = concordance[concordance["level"] == 4].merge(classes[["code", "division"]], left_on="industry",
                                                     right_on="code")
    n_classes = k.groupby(["division", "category"]).size().rename("classes").reset_index()
    out = d.rename(columns={"industry": "division", "us_employment": "division_us_employment"}).merge(
        n_classes, on=["division", "category"], how="left")
    out["name"] = out["division"].map(nace.set_index("code")["name"])
    out["kind"] = out["category"].map(cats.set_index("category")["kind"])
    out["us_employment"] = out["weight"] * out["division_us_employment"]
    total = out.groupby("category")["us_employment"].transform("sum")
    out["us_employment_share"] = out["us_employment"] / total.where(total > 0)
    out = out.astype({"classes": "int64"}).sort_values(["category", "us_employment", "division"],
                                                        ascending=[True, False, True])
    return out[["category", "kind", "division", "name", "weight", "classes", "division_us_employment",
                "us_employment", "us_employment_share"]].reset_index(drop=True)
