"""Employment tables in every NUTS version the observatory maps: the original plus 2016 and 2021.

The SBS and LFS files use NUTS 2013 codes; maps, RIS and RCI use NUTS 2021 (RCI 2010-2019
and EQI NUTS 2016). Each employment table keeps its original rows (``nuts_version`` 2013,
``converted`` false) and gains the same data converted with the JRC weights (population
2021 by default), every converted row saying how it was made (``conversion``,
``missing_share``). Codes without weights stay in the original version only and are
reported in the quarantine, with their file and line, as absent from the converted version.
"""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from clusterobs.classifications.nuts_conversion import conversion_matrix, convert, split_shares
from clusterobs.sources import eurostat_lfs, eurostat_sbs, eurostat_sbs_history
from clusterobs.sources.ingestlog import IngestLog

TARGET_VERSIONS = (2016, 2021)
WEIGHT = "pop21"
TABLES: dict[str, str] = {  # the converted rows join sbs_employment and lfs_employment
    "nuts_split_shares": "Per target NUTS version and level 0-1: the split share of a region made of whole NUTS 2 "
    "regions of the target version, from the NUTS 2 conversion matrix (a parent whose children recover whole old "
    "regions is not split, whatever its own conversion says)",
}


def parent_split_shares(conversion: pd.DataFrame, *, weight: str = WEIGHT) -> pd.DataFrame:
    """``nuts_version, level, region, split_share`` for the NUTS 1 and 0 regions of each target version, from the
    NUTS 2 matrix with its new codes cut to the parent's length: PL9 (Mazowieckie) holds all of the old PL12, so
    it is not split although PL91 and PL92 each are."""
    rows = []
    for target in TARGET_VERSIONS:
        mat = conversion_matrix(conversion, from_version=2013, to_version=target, level=2, weight=weight)
        for level in (1, 0):
            up = mat.assign(code_to=mat["code_to"].str[:level + 2]).groupby(["code_from", "code_to"],
                                                                            as_index=False)[["share", "mass"]].sum()
            shares = split_shares(up)
            rows.append(pd.DataFrame({"nuts_version": target, "level": level, "region": shares.index,
                                      "split_share": shares.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def _with_vintage(res: pd.DataFrame, part: pd.DataFrame, conversion: pd.DataFrame, *, target: int, level: int,
                  keys: tuple[str, ...], weight: str) -> pd.DataFrame:
    """``res`` (converted rows) with ``vintage``: the distinct vintages of the NUTS 2013 rows it was made from,
    joined with "+" (one name unless a converted region mixes the 2015 vintages); country rows keep their own."""
    mat = conversion_matrix(conversion, from_version=2013, to_version=target, level=level, weight=weight)
    src = part.loc[part["level"] == level, ["region", *keys, "vintage"]].merge(
        mat[["code_from", "code_to"]], left_on="region", right_on="code_from")
    src = src[["code_to", *keys, "vintage"]].dropna().drop_duplicates().sort_values("vintage", kind="stable")
    group = src.groupby(["code_to", *keys], sort=False)["vintage"]
    names = group.first().astype(object)
    mixed = group.size() > 1  # rare: a 2015 region made of parts from both vintages
    if mixed.any():
        several = src.set_index(["code_to", *keys]).loc[mixed[mixed].index, "vintage"]
        names[mixed] = several.groupby(level=list(range(len(keys) + 1)), sort=False).agg("+".join)
    names = names.rename("vintage").reset_index().rename(columns={"code_to": "region"})
    own = part.loc[part["level"] == 0, ["region", *keys, "vintage"]]
    return res.merge(pd.concat([names, own], ignore_index=True), on=["region", *keys], how="left")


#: The employment tables converted, with the source each came from, the keys of a cell and the levels converted.
CONVERTED: dict[str, tuple[ModuleType, tuple[str, ...], tuple[int, ...]]] = {
    "sbs_employment": (eurostat_sbs, ("nace", "year"), (1, 2)),
    "sbs_local_units": (eurostat_sbs_history, ("nace", "year"), (1, 2)),
    "sbs_wages": (eurostat_sbs_history, ("nace", "year"), (1, 2)),
    "lfs_employment": (eurostat_lfs, ("sector", "year"), (2,)),
}


def convert_table(name: str, tables: dict[str, pd.DataFrame], log: IngestLog, *,
                  weight: str = WEIGHT) -> pd.DataFrame:
    """``tables[name]`` (one of ``CONVERTED``) with the same data converted to NUTS 2016 and 2021 appended. Rows
    already converted into NUTS 2013 from older codes (``sbs_series``) keep their ``conversion`` and
    ``split_share``; converted further, a region's split share is the larger of the matrix's and its parts'
    (mass-weighted)."""
    module, keys, levels = CONVERTED[name]
    conversion = tables["nuts_conversion"]
    original = tables[name]
    # missing_share: the part of a value's sources that is missing (1 for a missing original cell)
    converted = (original["code_version"] != 2013) if "code_version" in original.columns else False
    frames = [original.assign(converted=converted,
                              conversion=original["conversion"] if "conversion" in original.columns else pd.NA,
                              missing_share=original["value"].isna().astype("float64"),
                              split_share=original["split_share"] if "split_share" in original.columns else 0.0)]
    lost: dict[tuple, list[int]] = {}
    for target in TARGET_VERSIONS:
        for level in levels:
            part = original.loc[original["level"].isin([level] if level != levels[0] else [0, level])]
            res = convert(part.drop(columns=["line"]), conversion=conversion, from_version=2013,
                          to_version=target, level=level, keys=keys, weight=weight)
            for rec in res.loc[res["unmatched"], ["region", *keys]].itertuples(index=False):
                lost.setdefault(tuple(rec), []).append(target)
            res = res.loc[~res["unmatched"]].drop(columns=["unmatched"]).assign(line=pd.NA)
            if "vintage" in original.columns:
                res = _with_vintage(res, part, conversion, target=target, level=level, keys=keys, weight=weight)
            frames.append(res)
    if lost:
        lines = original.set_index(["region", *keys])["line"]
        for key, targets in lost.items():
            line = lines.loc[key]
            log.reject(source=module.META.id, file=module.FILE, line=None if pd.isna(line) else int(line),
                       value=key[0],
                       reason="no JRC weights from NUTS 2013 to NUTS " + "/".join(map(str, targets))
                       + " for this region: kept in NUTS 2013 only")
    df = pd.concat(frames, ignore_index=True)
    del frames
    df["line"] = df["line"].astype("Int64")
    df["value"] = df["value"].astype("Float64")
    df["converted"] = df["converted"].astype(bool)
    df["conversion"] = df["conversion"].astype("string")
    df["flag"] = df["flag"].astype("string")
    if "code_version" in df.columns:  # the NUTS version of the code as published (NULL on rows converted here)
        df["code_version"] = df["code_version"].astype("Int64")
    first = [c for c in original.columns if c not in ("line", "conversion", "split_share")]
    return df[[*first, "converted", "conversion", "missing_share", "split_share", "line"]]
