"""One SBS regional panel 2008-2015 on NUTS 2013 codes: persons employed, local units, wages.

Two steps, both before anything else reads the data:

1. **Codes to NUTS 2013.** The bulk file gives early years under the NUTS codes in force then (NUTS 2006 in
   2008-2010, NUTS 2010 up to 2012). For every indicator, level (1, 2) and year, a NUTS 2013 region keeps its own
   value when it has one; otherwise, when the regions of an older version (2010 first, then 2006) cover it, its value
   is converted from them with the JRC matrices (``nuts_conversion.convert``: recodes exactly, merges summed, splits
   shared by population 2021, with ``split_share`` saying how much of the region is a population-scaled fraction
   of an older one, and NULL when a part is missing). Each row says where it came from: ``code_version`` and
   ``conversion``. Older-code values not needed (the NUTS 2013 region reports its own value that year) are counted
   as a quirk, never silently dropped.
2. **Vintages of 2015.** Persons employed 2015 exists twice: in the bulk file (about August 2017, partial) and in
   the later, fuller extract (``eurostat_sbs_2015``). The later vintage wins for every (region, NACE code) it has a
   row for, value or missing (a revision may make a cell confidential); the bulk vintage fills only pairs the later
   file lacks. ``vintage`` on every row names the source; ``sbs_vintage_comparison`` counts the cells that differ and
   by how much, ``sbs_vintage_differences`` lists them.
"""

from __future__ import annotations

import pandas as pd

from clusterobs.classifications.nuts_conversion import convert
from clusterobs.sources import eurostat_sbs, eurostat_sbs_history
from clusterobs.sources.ingestlog import IngestLog

OLDER_VERSIONS = (2010, 2006)
HISTORY = eurostat_sbs_history.META.id
LATER = eurostat_sbs.META.id
COLUMNS = ["region", "nuts_version", "level", "nace", "year", "value", "flag", "vintage", "code_version",
           "conversion", "split_share", "line"]
TABLES = {
    "sbs_employment": "SBS persons employed by region (levels 0-2) and NACE code, 2008-2015: NUTS 2013 rows "
    "(nuts_version 2013; code_version and conversion say when a year was published under NUTS 2006/2010 codes and "
    "converted) and the same data converted to NUTS 2016 and 2021; vintage = the source file of the value; "
    "value NULL = missing or confidential, flag = Eurostat flag letters",
    "sbs_local_units": "SBS number of local units by region and NACE code, 2008-2015, in the layout of "
    "sbs_employment",
    "sbs_wages": "SBS wages and salaries (million EUR) by region and NACE code, 2008-2015, in the layout of "
    "sbs_employment",
    "sbs_vintage_comparison": "Persons employed 2015 in the two vintages (bulk 2017 and the later extract): cells "
    "with a value in both, identical and differing, the largest differences, cells only one vintage has, and the rule "
    "applied",
    "sbs_vintage_differences": "Persons employed 2015: every cell whose value differs between the two vintages",
}
TABLE_OF = {"persons_employed": "sbs_employment", "local_units": "sbs_local_units", "wages": "sbs_wages"}


def build(tables: dict[str, pd.DataFrame], log: IngestLog) -> dict[str, pd.DataFrame]:
    """``sbs_employment`` (replacing the 2015-only table), ``sbs_local_units``, ``sbs_wages`` and the vintage report.

    Needs ``sbs_history`` (``eurostat_sbs_history``), ``sbs_employment`` (the 2015 extract) and ``nuts_conversion``.
    """
    series = to_nuts2013(tables["sbs_history"], tables["nuts_conversion"], log)
    out: dict[str, pd.DataFrame] = {}
    for indicator, name in TABLE_OF.items():
        part = series.loc[series["indicator"] == indicator].drop(columns=["indicator"])
        part["vintage"] = HISTORY
        out[name] = part
    del series, part
    merged, comparison, differences = merge_vintages(out["sbs_employment"], tables["sbs_employment"], year=2015)
    out["sbs_employment"] = merged
    out["sbs_vintage_comparison"] = comparison
    out["sbs_vintage_differences"] = differences
    for name in TABLE_OF.values():
        out[name] = _typed(out[name])
    return out


def to_nuts2013(history: pd.DataFrame, conversion: pd.DataFrame, log: IngestLog) -> pd.DataFrame:
    """``history`` rows (codes as published) → one row per NUTS 2013 code, indicator, NACE code and year."""
    keys = ["indicator", "nace", "year"]
    direct = history.loc[history["code_version"] == 2013].assign(conversion=pd.NA, split_share=0.0)
    older = history.loc[history["code_version"] != 2013]
    frames = [direct]
    filled_keys: set[tuple] = set()
    flagged_null: list[pd.DataFrame] = []
    path = eurostat_sbs_history.FILE
    if older.empty:
        return _finish(direct)
    have = direct.loc[direct["value"].notna()].set_index(["region", *keys]).index
    for version in OLDER_VERSIONS:
        for level in (1, 2):
            codes = set(conversion.loc[(conversion["from_version"] == version) & (conversion["level"] == level),
                                       "code_from"])
            old_here = older.loc[(older["level"] == level) & older["region"].isin(codes) & older["value"].notna()]
            if old_here.empty:
                continue
            # only the countries and years where this version's own codes carry values are converted
            scope = old_here.assign(country=old_here["region"].str[:2])[["country", "year"]].drop_duplicates()
            rows = history.loc[(history["level"] == level) & history["region"].isin(codes)]
            rows = rows.assign(country=rows["region"].str[:2]).merge(scope, on=["country", "year"])
            res = convert(rows.drop(columns=["country", "line", "code_version", "level"]), conversion=conversion,
                          from_version=version, to_version=2013, level=level, keys=keys, code_col="region")
            res = res.loc[~res["unmatched"] & res["converted"]]
            flagged_null.append(res.loc[res["value"].isna() & res["flag"].notna()].assign(code_version=version,
                                                                                          level=level))
            res = res.loc[res["value"].notna()]
            idx = res.set_index(["region", *keys]).index
            new = ~idx.isin(have) & ~idx.isin(list(filled_keys))
            res = res.loc[new]
            if res.empty:
                continue
            filled_keys.update(res.set_index(["region", *keys]).index)
            log.quirk(source=HISTORY, file=path, line=None, value=f"{res['region'].iat[0]} {res['year'].iat[0]}",
                      kind=f"NUTS 2013 value converted from NUTS {version} codes (level {level})", count=len(res))
            frames.append(pd.DataFrame({
                "region": res["region"], "code_version": version, "level": level, "nace": res["nace"],
                "indicator": res["indicator"], "year": res["year"], "value": res["value"], "flag": res["flag"],
                "line": pd.NA, "conversion": res["conversion"], "split_share": res["split_share"]}))
    # a cell missing in every version keeps the flags of its older parts (DED1 and DED3 2008 are ': ci'): where the
    # NUTS 2013 row is missing without a flag of its own, or absent
    cand = pd.concat(flagged_null, ignore_index=True) if flagged_null else pd.DataFrame()
    if not cand.empty:
        cand = cand.drop_duplicates(["region", *keys], keep="first")  # 2010 before 2006
        idx = cand.set_index(["region", *keys]).index
        unflagged_missing = direct.loc[direct["value"].isna() & direct["flag"].isna()].set_index(
            ["region", *keys]).index
        all_direct = direct.set_index(["region", *keys]).index
        take = ~idx.isin(list(filled_keys)) & (idx.isin(unflagged_missing) | ~idx.isin(all_direct))
        cand = cand.loc[take]
        if not cand.empty:
            filled_keys.update(cand.set_index(["region", *keys]).index)
            log.quirk(source=HISTORY, file=path, line=None, value=f"{cand['region'].iat[0]} {cand['year'].iat[0]}",
                      kind="NUTS 2013 cell missing: the flags of its missing NUTS 2006/2010 parts kept",
                      count=len(cand))
            frames.append(pd.DataFrame({
                "region": cand["region"], "code_version": cand["code_version"], "level": cand["level"],
                "nace": cand["nace"], "indicator": cand["indicator"], "year": cand["year"], "value": cand["value"],
                "flag": cand["flag"], "line": pd.NA, "conversion": cand["conversion"],
                "split_share": cand["split_share"]}))
    # older-code values that no NUTS 2013 row needed: every NUTS 2013 region they map to reports its own value (or
    # took one from a newer version) that year
    unused = older.loc[older["value"].notna()]
    if not unused.empty:
        pairs = conversion.loc[conversion["to_version"] == 2013, ["from_version", "code_from", "code_to"]]
        u = unused.reset_index().merge(pairs, left_on=["region", "code_version"],
                                       right_on=["code_from", "from_version"])
        made = pd.concat(frames[1:], ignore_index=True) if len(frames) > 1 else None
        if made is not None:
            made = made.loc[made["value"].notna(), ["region", "code_version", *keys]].rename(
                columns={"region": "code_to", "code_version": "from_version"}).assign(_used=True)
            u = u.merge(made, on=["code_to", "from_version", *keys], how="left")
        else:
            u = u.assign(_used=False)
        used_rows = set(u.loc[u["_used"].fillna(False).astype(bool), "index"])
        unused = unused.loc[~unused.index.isin(used_rows)]
    if not unused.empty:
        first = unused.iloc[0]
        log.quirk(source=HISTORY, file=path, line=int(first["line"]), value=f"{first['region']} {first['year']}",
                  kind="value under a NUTS 2006/2010 code not used: the NUTS 2013 regions it maps to have their "
                  "values from their own codes or from their own NUTS 2 regions that year", count=len(unused))
    # a NUTS 2013 row that stays missing while a conversion filled it is replaced by the converted row
    direct_idx = direct.set_index(["region", *keys]).index
    frames[0] = direct.loc[~direct_idx.isin(list(filled_keys))]
    del direct, direct_idx, older, have  # the panel is about 1 M rows: one copy at a time (the ingest's peak memory)
    series = pd.concat(frames, ignore_index=True)
    del frames
    series = _parents_from_children(series, conversion)
    return _finish(series)


def _parents_from_children(df: pd.DataFrame, conversion: pd.DataFrame) -> pd.DataFrame:
    """A converted NUTS 1 value is replaced by the sum of its NUTS 2013 regions when every one of them has a value.

    NUTS 1 groupings changed more than the regions below them (Greece regrouped its NUTS 2 regions into new NUTS 1
    regions in 2013: EL14 moved from EL1 to EL6): shared out by population, EL1 would make EL5 a mix of two old
    regions, while EL51+...+EL54 is exact. ``split_share`` is then the children's (employment-weighted). ``df`` is
    changed in place (it is about 1 M rows: no copy of it at the ingest's peak) and returned."""
    children = conversion.loc[(conversion["from_version"] == 2013) & (conversion["level"] == 2), "code_from"]
    children = sorted({c for c in children if not c.endswith("Z")})
    kids_of: dict[str, list[str]] = {}
    for c in children:
        kids_of.setdefault(c[:3], []).append(c)
    keys = ["indicator", "nace", "year"]
    parents = df.loc[(df["level"] == 1) & (df["code_version"] != 2013)]
    if parents.empty:
        return df
    lv2 = df.loc[df["level"] == 2].assign(parent=lambda t: t["region"].str[:3])
    lv2 = lv2.loc[lv2["parent"].isin(set(parents["region"]))]
    lv2 = lv2.assign(known=lv2["value"].notna(), split_emp=lv2["value"].astype("float64") * lv2["split_share"])
    g = lv2.groupby(["parent", *keys]).agg(total=("value", "sum"), known=("known", "sum"),
                                           split_emp=("split_emp", "sum"))
    g = g.reset_index()
    g = g.loc[g["known"] == g["parent"].map(lambda p: len(kids_of.get(p, [])))]
    g = g.set_index(["parent", *keys])
    idx = parents.set_index(["region", *keys]).index
    hit = idx.isin(g.index)
    if not hit.any():
        return df
    rows = parents.loc[hit].copy()
    sums = g.loc[idx[hit]]
    rows["value"] = sums["total"].to_numpy()
    rows["split_share"] = (sums["split_emp"] / sums["total"].where(sums["total"] > 0)).fillna(0.0).to_numpy()
    rows["conversion"] = "sum of its NUTS 2013 regions (" + rows["region"].map(
        lambda p: "+".join(kids_of.get(p, []))) + "), each converted from NUTS " + rows["code_version"].astype(str)
    df.loc[rows.index, ["value", "split_share", "conversion"]] = rows[["value", "split_share", "conversion"]]
    return df


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """The panel on NUTS 2013, in no particular order: ``build`` sorts each table it makes from it (one row per
    region, NACE code and year), and not sorting the whole panel first saves a copy of it at the ingest's peak."""
    df["nuts_version"] = 2013
    return df


def merge_vintages(history: pd.DataFrame, later: pd.DataFrame, *, year: int
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Persons employed: ``history`` (all years, bulk vintage) with ``later`` (one year, later vintage) taking that
    year wherever it has a row. Returns the merged rows, the comparison summary and the differing cells."""
    later = later.assign(vintage=LATER, code_version=2013, conversion=pd.NA, split_share=0.0)
    key = ["region", "nace"]
    bulk_year = history.loc[history["year"] == year]
    both = bulk_year.merge(later[[*key, "value", "flag"]], on=key, how="outer", suffixes=("_bulk", "_later"),
                           indicator=True)
    vb, vl = both["value_bulk"].astype("Float64"), both["value_later"].astype("Float64")
    in_both = vb.notna() & vl.notna()
    diff = (vl - vb).where(in_both)
    differs = in_both & (diff.abs() > 0)
    rel = (diff / vb.where(vb != 0)).where(differs)
    differences = both.loc[differs, key].assign(
        year=year, value_bulk=vb[differs], value_later=vl[differs], difference=diff[differs],
        relative_difference=rel[differs].astype("Float64"),
        flag_bulk=both.loc[differs, "flag_bulk"], flag_later=both.loc[differs, "flag_later"]).reset_index(drop=True)
    levels = both["region"].str.len() - 2
    rows = []
    for label, mask in (("all levels", pd.Series(True, index=both.index)), ("NUTS 2", levels == 2)):
        rows.append({
            "year": year, "scope": label, "rule": f"{LATER} (later vintage) wins wherever it has a row; {HISTORY} "
            "(bulk, about August 2017) fills the (region, NACE) pairs the later file lacks",
            "cells_both": int((in_both & mask).sum()), "cells_identical": int((in_both & ~differs & mask).sum()),
            "cells_different": int((differs & mask).sum()),
            "max_abs_difference": float(diff.abs().where(differs & mask).max()) if (differs & mask).any() else 0.0,
            "max_relative_difference": float(rel.abs().where(differs & mask).max()) if (differs & mask).any() else 0.0,
            "cells_only_later": int((vl.notna() & vb.isna() & mask).sum()),
            "cells_only_bulk": int((vb.notna() & vl.isna() & mask).sum()),
            "cells_bulk_value_later_missing": int((vb.notna() & vl.isna() & (both["_merge"] == "both") & mask).sum()),
            "cells_filled_from_bulk": int(((both["_merge"] == "left_only") & vb.notna() & mask).sum()),
        })
    comparison = pd.DataFrame(rows)
    later_keys = later.set_index(key).index
    bulk_fill = bulk_year.loc[~bulk_year.set_index(key).index.isin(later_keys)]
    merged = pd.concat([history.loc[history["year"] != year], bulk_fill, later], ignore_index=True)
    return merged, comparison, differences


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reindex(columns=COLUMNS).copy()
    df["value"] = df["value"].astype("Float64")
    df["flag"] = df["flag"].astype("string")
    df["vintage"] = df["vintage"].astype("string")
    df["conversion"] = df["conversion"].astype("string")
    df["split_share"] = df["split_share"].astype("float64").fillna(0.0)
    df["line"] = df["line"].astype("Int64")
    for col in ("nuts_version", "level", "year", "code_version"):
        df[col] = df[col].astype("int64")
    return df.sort_values(["region", "nace", "year"], kind="stable").reset_index(drop=True)
