"""Putting the scoreboard sources' regional values on NUTS 2021 level-2 codes.

Every indicator table of the scoreboard sources has one row per NUTS 2021 level-2 region
(``region``), keeps the code the source wrote (``region_source_code``) and says how the
value got there (``method``):

* ``same code``: the source's code is a NUTS 2021 level-2 code, or an unchanged NUTS 2016 one;
* ``NUTS2016→NUTS2021 ...``: converted with the JRC weights (``nuts_conversion``). Scores,
  rates and shares are *intensive*: a new region gets the pop21-weighted mean of the old
  regions it intersects (a split region's parts all get its value). Counts are *extensive*:
  they are split with the JRC shares by ``nuts_conversion.convert``. A new region whose known
  parts cover less than 99.5 % of its population gets no value (as ``convert`` does);
* ``NUTS-1 value applied to each NUTS-2 region``, ``merged region value applied to each
  member``, ``single-region country``: a value published for a larger unit, copied to each
  NUTS-2 region it covers (intensive values only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from clusterobs.classifications.nuts_conversion import conversion_matrix, convert

TARGET = 2021
SAME = "same code"
MAX_MISSING_SHARE = 0.005
#: columns every indicator table starts with, in order
COLUMNS = ["region", "nuts_version", "level", "region_source_code", "source_nuts_version", "indicator", "year",
           "value", "method", "line"]


def codes(tables: Mapping[str, pd.DataFrame], version: int, level: int) -> set[str]:
    """The NUTS codes of one version and level (``nuts_codes``)."""
    n = tables["nuts_codes"]
    return set(n.loc[(n["nuts_version"] == version) & (n["level"] == level), "code"])


def children_2021(tables: Mapping[str, pd.DataFrame], parent: str) -> list[str]:
    """The NUTS 2021 level-2 codes under a level-0 or level-1 code."""
    return sorted(c for c in codes(tables, TARGET, 2) if c.startswith(parent))


def from_2016(df: pd.DataFrame, tables: Mapping[str, pd.DataFrame], *, extensive: Iterable[str] = (),
              from_version: int = 2016) -> pd.DataFrame:
    """Move rows with NUTS 2016 (or ``from_version``) level-2 codes (``region_source_code``) to NUTS 2021 level 2.

    ``df`` has ``region_source_code, indicator, year, value, line``; ``extensive`` names the
    indicators that are counts. Returns ``region, region_source_code, indicator, year, value,
    method, line``. Codes without JRC weights are returned with ``region`` NULL when they are
    not NUTS 2021 codes too (the caller quarantines them); codes without weights that are the
    same in NUTS 2016 and 2021 (candidate countries) keep their code.
    """
    conv = tables["nuts_conversion"]
    mat = conversion_matrix(conv, from_version=from_version, to_version=TARGET, level=2)
    has_weights = df["region_source_code"].isin(set(mat["code_from"]))
    extensive = set(extensive)
    is_count = df["indicator"].isin(extensive)
    frames = [_mean(df.loc[has_weights & ~is_count], mat, from_version)]
    if (has_weights & is_count).any():
        frames.append(_sum(df.loc[has_weights & is_count], conv, from_version))
    rest = df.loc[~has_weights].copy()
    same = rest["region_source_code"].isin(codes(tables, TARGET, 2))
    rest["region"] = rest["region_source_code"].where(same)
    rest["method"] = np.where(same, SAME, None)
    frames.append(rest)
    cols = ["region", "region_source_code", "indicator", "year", "value", "method", "line"]
    return pd.concat([f[cols] for f in frames if len(f)], ignore_index=True)


def _mean(df: pd.DataFrame, mat: pd.DataFrame, from_version: int) -> pd.DataFrame:
    """Population-weighted mean of the old regions' values for each new region."""
    # a part without population (FRY*, NO0B) weighs by a tiny multiple of its share, so a single part still counts
    mat = mat.assign(w=mat["mass"].fillna(0).clip(lower=0) + 1e-9 * mat["share"])
    by_new = mat.groupby("code_to")
    total = by_new["w"].sum()
    sources = by_new["code_from"].agg(lambda s: "+".join(sorted(set(s))))
    identical = by_new.apply(lambda g: len(g) == 1 and g["code_from"].iat[0] == g.name
                             and abs(g["share"].iat[0] - 1) < 1e-9, include_groups=False)
    parts = df.merge(mat[["code_from", "code_to", "w"]], left_on="region_source_code", right_on="code_from")
    parts["wv"] = parts["w"] * parts["value"]
    out = parts.groupby(["code_to", "indicator", "year"], as_index=False).agg(
        wv=("wv", "sum"), w=("w", "sum"), line=("line", "min"))
    missing = 1 - out["w"] / out["code_to"].map(total)
    out = out.loc[missing <= MAX_MISSING_SHARE].copy()
    out["value"] = out["wv"] / out["w"]
    out["region_source_code"] = out["code_to"].map(sources)
    out["method"] = np.where(out["code_to"].map(identical).astype(bool), SAME,
                             f"NUTS{from_version}→NUTS2021 pop21-weighted mean of " + out["region_source_code"])
    return out.rename(columns={"code_to": "region"})


def _sum(df: pd.DataFrame, conv: pd.DataFrame, from_version: int) -> pd.DataFrame:
    """Counts split with the JRC shares (``nuts_conversion.convert``)."""
    res = convert(df.rename(columns={"region_source_code": "region"})[["region", "indicator", "year", "value"]],
                  conversion=conv, from_version=from_version, to_version=TARGET, level=2, keys=("indicator", "year"),
                  max_missing_share=MAX_MISSING_SHARE)
    res = res.loc[~res["unmatched"] & res["value"].notna()].copy()
    res["value"] = res["value"].astype(float)
    lines = df.groupby(["region_source_code", "indicator", "year"])["line"].min().to_dict()
    names = {text: "+".join(sorted(set(re.findall(r"([A-Z0-9]+)×", text)))) for text in res["conversion"].unique()}
    res["region_source_code"] = res["conversion"].map(names)
    res["line"] = [min(lines.get((c, i, y), 0) for c in codes.split("+"))
                   for codes, i, y in zip(res["region_source_code"], res["indicator"], res["year"], strict=True)]
    res["method"] = np.where(res["converted"], res["conversion"].str.replace(": ", " JRC share split: ", n=1), SAME)
    return res


def expand(df: pd.DataFrame, members: Mapping[str, list[str]], method: str) -> pd.DataFrame:
    """Rows of ``df`` whose ``region_source_code`` is a key of ``members``, copied to each member."""
    rows = df.loc[df["region_source_code"].isin(set(members))].copy()
    rows["region"] = rows["region_source_code"].map(members)
    rows = rows.explode("region")
    rows["method"] = method
    return rows


def finish(df: pd.DataFrame, source_nuts_version: int | pd.Series, extra: list[str] | None = None) -> pd.DataFrame:
    """Common column order and types; sorted by indicator, year, region."""
    out = df.copy()
    out["nuts_version"] = TARGET
    out["level"] = np.where(out["region"].str.len() == 4, 2, 0)
    out["source_nuts_version"] = source_nuts_version
    cols = [*COLUMNS, *(extra or [])]
    out = out[cols].astype({"nuts_version": "int64", "level": "int64", "source_nuts_version": "int64",
                            "year": "int64", "value": "float64", "line": "int64"})
    return out.sort_values(["indicator", "year", "region", "region_source_code"], kind="stable").reset_index(drop=True)
