"""The default concordance NACE Rev. 2 → cluster categories, derived at ingest, with its coverage.

Method (docs: METHODOLOGY.md, "From industries to categories: the concordance"):

* NACE class k, category c: ``w(k, c) = #{NAICS 2017 codes linked to k whose CMP cluster is c}
  / #{distinct NAICS 2017 codes linked to k}``. A linked NAICS code without a CMP cluster counts
  in the denominator and in no category, so a class's weights sum to at most 1.
* Group, division, section: the unweighted mean of ``w`` over **all** their classes; a class
  with no NAICS link, or with links to no cluster, counts as weight 0 (our choice: a division
  is covered only in proportion to how many of its classes are).
* Emerging industries (``emerging.yml``): a listed class keeps its weight, a listed division gives
  its weight to each of its classes; higher levels are then aggregated the same way.

Which crosswalk rows define a cluster: the CMP's own rows, plus the 16 rows Emsi flags as
specific that are NAICS codes created in 2017 (their placement is that of the NAICS 2012 codes
they replace). Emsi's additions outside the CMP definitions (postal service, funds) are left
out unless ``emsi_additions=True``; they are listed as unmatched.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.classifications.categories import EMERGING_FILE, categories, emerging_concordance

TABLES = {
    "concordance": "NACE code (any level, Eurostat form) → category with weight in (0,1]; n_naics = NAICS codes "
    "behind a derived weight; source 'derived' (NAICS route) or 'emerging.yml'",
    "concordance_unmatched": "Codes the derivation could not use, by kind, with title and detail",
    "concordance_coverage": "Coverage of the concordance by scope (traded, local, traded+local, emerging) and measure",
    "category_coverage": "Per category: share of its class weights inside the SBS business economy "
    "(B-N without K, plus S95) and status covered / partly covered / not covered",
}
#: Six-digit codes created in NAICS 2017 (US Census Bureau, 2012-2017 concordance).
NEW_IN_NAICS_2017 = frozenset({
    "211120", "211130", "212230", "333914", "335220", "452210", "452311", "452319", "454110", "512250",
    "517311", "517312", "532281", "532282", "532283", "532284", "532289", "541713", "541714", "541715",
})
SBS_SECTIONS = frozenset("BCDEFGHIJLMN")
SBS_DIVISIONS = frozenset({"S95"})
_LEVEL_COLUMN = {4: "code", 3: "parent", 2: "division", 1: "section"}
_SCOPES = {"traded": ("traded",), "local": ("local",), "traded+local": ("traded", "local"), "emerging": ("emerging",)}


def derive(tables: dict[str, pd.DataFrame], *, emerging_file: Path = EMERGING_FILE,
           emsi_additions: bool = False) -> dict[str, pd.DataFrame]:
    """Derive the concordance and its reports from ``nace``, ``naics_nace``, ``cluster_naics``
    (and ``sbs_employment`` for the employment share, if present)."""
    nace, links, crosswalk = tables["nace"], tables["naics_nace"], tables["cluster_naics"]
    cats = categories(crosswalk, path=emerging_file)
    classes = nace.loc[nace["level"] == 4, ["code", "parent", "division", "section", "name"]]
    links = links[["naics2017", "nace", "naics_title"]].drop_duplicates(["naics2017", "nace"])
    slug_of = cats.dropna(subset=["cmp_code"]).set_index("cmp_code")["category"]
    used = crosswalk if emsi_additions else crosswalk[~crosswalk["emsi_specific"]
                                                      | crosswalk["naics"].isin(NEW_IN_NAICS_2017)]
    category_of = used.set_index("naics")["cluster_code"].map(slug_of)
    matched = links.assign(category=links["naics2017"].map(category_of)).dropna(subset=["category"])
    denominator = links.groupby("nace")["naics2017"].nunique()
    # links are distinct (naics, class) pairs, so the size of a group is its number of distinct NAICS codes
    derived = matched.groupby(["nace", "category"]).size().rename("n").reset_index()
    derived["weight"] = derived["n"].astype("float64") / derived["nace"].map(denominator).astype("float64")

    emerging = _expand_emerging(emerging_concordance(nace, path=emerging_file), classes)
    concordance = pd.concat([_aggregate(derived, classes, matched, "derived"),
                             _aggregate(emerging, classes, None, "emerging.yml")], ignore_index=True)
    return {
        "categories": cats,
        "concordance": concordance,
        "concordance_unmatched": _unmatched(classes, links, crosswalk, used, concordance, cats),
        "concordance_coverage": _coverage(concordance, cats, classes, links, matched, tables.get("sbs_employment"),
                                          nace),
        "category_coverage": _category_coverage(concordance, cats, classes),
    }


def in_sbs_business_economy(section: str, division: str | None) -> bool:
    """True for codes the SBS business economy covers: sections B-N without K, plus division S95."""
    return section in SBS_SECTIONS or division in SBS_DIVISIONS


def _expand_emerging(entries: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """Emerging entries at class level: a division's weight goes to each of its classes."""
    by_class = entries.merge(classes[["code"]], left_on="industry", right_on="code")
    by_division = entries.merge(classes[["code", "division"]], left_on="industry", right_on="division")
    out = pd.concat([by_class, by_division], ignore_index=True)
    return out.rename(columns={"code": "nace"})[["nace", "category", "weight"]]


def _aggregate(class_weights: pd.DataFrame, classes: pd.DataFrame, matched: pd.DataFrame | None,
               source: str) -> pd.DataFrame:
    """Class weights → rows for classes, groups, divisions and sections (mean over all classes)."""
    cw = class_weights.merge(classes, left_on="nace", right_on="code")
    nm = None if matched is None else matched.merge(classes, left_on="nace", right_on="code")
    parts = []
    for level, col in _LEVEL_COLUMN.items():
        size = classes.groupby(col).size()
        part = cw.groupby([col, "category"], as_index=False)["weight"].sum()
        part["weight"] = part["weight"].astype("float64") / part[col].map(size).astype("float64")
        if nm is not None:
            counts = nm.groupby([col, "category"])["naics2017"].nunique().rename("n_naics").reset_index()
            part = part.merge(counts, on=[col, "category"], how="left")
        else:
            part["n_naics"] = pd.NA
        parts.append(part.rename(columns={col: "industry"}).assign(level=level))
    df = pd.concat(parts, ignore_index=True)
    df = df.loc[df["weight"] > 0, ["industry", "level", "category", "weight", "n_naics"]].assign(source=source)
    df = df.astype({"level": "int64", "weight": "float64", "n_naics": "Int64"})
    return df.sort_values(["industry", "category"]).reset_index(drop=True)


def _unmatched(classes: pd.DataFrame, links: pd.DataFrame, crosswalk: pd.DataFrame, used: pd.DataFrame,
               concordance: pd.DataFrame, cats: pd.DataFrame) -> pd.DataFrame:
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
              matched: pd.DataFrame, sbs: pd.DataFrame | None, nace: pd.DataFrame) -> pd.DataFrame:
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
