"""Moving counts between NUTS versions with the JRC conversion weights.

A count of an old region is split across the new regions it intersects in proportion to a
weight (population 2021 by default, area as an option) and summed by new region. The direct
JRC matrix is used when there is one (2013→2021 at NUTS-2); otherwise the matrices are
chained (2013→2016→2021 at NUTS-1) by multiplying the shares along the way. Every output row
records how it was made.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: weight name → (share column, raw size column) of ``nuts_conversion``.
WEIGHTS = {"pop21": ("w_pop21", "pop21"), "area": ("w_area", "area_km2")}
_EPS = 1e-9
#: A part that carries less than this share of its old region is a *fraction* of that region: its industry
#: structure is the old region's, scaled by population, not data collected for the new one.
SPLIT_PART = 0.9


def path(conversion: pd.DataFrame, from_version: int, to_version: int, level: int) -> list[int]:
    """The NUTS versions to go through: the direct matrix if any, else the shortest forward chain."""
    pairs = conversion.loc[conversion["level"] == level, ["from_version", "to_version"]].drop_duplicates()
    steps: dict[int, list[int]] = {}
    for a, b in pairs.itertuples(index=False):
        steps.setdefault(int(a), []).append(int(b))
    queue, came = deque([from_version]), {from_version: from_version}
    while queue:
        v = queue.popleft()
        for w in sorted(steps.get(v, []), reverse=True):
            if w not in came and w <= to_version:
                came[w] = v
                queue.append(w)
    if to_version not in came or from_version == to_version:
        raise ValueError(f"no JRC weights lead from NUTS {from_version} to NUTS {to_version} at level {level}")
    out = [to_version]
    while out[-1] != from_version:
        out.append(came[out[-1]])
    return out[::-1]


def conversion_matrix(conversion: pd.DataFrame, *, from_version: int, to_version: int, level: int,
                      weight: str = "pop21") -> pd.DataFrame:
    """``code_from, code_to, share, mass``: the (chained) shares and the raw weight of each part.

    Parts with share 0 are left out. An old code whose chain ends in a code of an intermediate
    version that the next matrix lacks (such as ELZZ or LI00 in 2016) is left out whole, so
    the caller sees it as unmatched. A new region whose raw weight sums to 0 (NO0B: no
    population) gets its area as ``mass``.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"unknown weight {weight!r}: use one of {', '.join(WEIGHTS)}")
    share_col, raw_col = WEIGHTS[weight]
    versions = path(conversion, from_version, to_version, level)
    mat = None
    for a, b in itertools.pairwise(versions):
        step = conversion.loc[(conversion["level"] == level) & (conversion["from_version"] == a)
                              & (conversion["to_version"] == b)]
        step = pd.DataFrame({"code_from": step["code_from"], "code_to": step["code_to"], "share": step[share_col],
                             "mass": step[raw_col], "area": step["area_km2"], "w_area": step["w_area"]})
        if mat is None:
            mat = step
            continue
        nxt = step.rename(columns={"code_from": "via", "code_to": "to2", "share": "s2", "w_area": "wa2"})
        m = mat.merge(nxt[["via", "to2", "s2", "wa2"]], left_on="code_to", right_on="via", how="inner")
        mat = pd.DataFrame({"code_from": m["code_from"], "code_to": m["to2"], "share": m["share"] * m["s2"],
                            "mass": m["mass"] * m["s2"], "area": m["area"] * m["wa2"],
                            "w_area": m["w_area"] * m["wa2"]})
        mat = mat.groupby(["code_from", "code_to"], as_index=False).sum()
    assert mat is not None
    total = mat.groupby("code_from")["share"].transform("sum")
    mat = mat.loc[((total - 1).abs() < 1e-6) & (mat["share"] > 0)].copy()
    zero = mat.groupby("code_to")["mass"].transform("sum") <= 0
    mat.loc[zero, "mass"] = mat.loc[zero, "area"]
    return mat[["code_from", "code_to", "share", "mass"]].reset_index(drop=True)


def split_shares(matrix: pd.DataFrame) -> pd.Series:
    """Per new code: the share of its weight mass that comes from fractions (share < ``SPLIT_PART``) of old regions.

    1 for Budapest (HU11), two fifths of the old HU10 shared out by population; 0 for a region that is its old self
    or gained whole old regions; small for a border adjustment."""
    frac = matrix["mass"].where(matrix["share"] < SPLIT_PART, 0.0)
    total = matrix.groupby("code_to")["mass"].sum()
    share = frac.groupby(matrix["code_to"]).sum() / total.where(total > 0)
    return share.fillna(0.0).clip(0.0, 1.0).rename("split_share")


def describe(matrix: pd.DataFrame, versions: Sequence[int], weight: str) -> pd.DataFrame:
    """Per new code: ``conversion`` text listing the parts and shares, and ``converted``."""
    chain = "→".join(f"NUTS{v}" for v in versions)
    rows = []
    for code_to, g in matrix.sort_values(["code_to", "code_from"]).groupby("code_to", sort=False):
        parts = " + ".join(f"{a}×{_fmt(s)}" for a, s in zip(g["code_from"], g["share"], strict=True))
        same = len(g) == 1 and g["code_from"].iat[0] == code_to and abs(g["share"].iat[0] - 1) < _EPS
        rows.append((code_to, not same, f"{chain} {weight}: {parts}"))
    return pd.DataFrame(rows, columns=["code_to", "converted", "conversion"])


def convert(df: pd.DataFrame, *, conversion: pd.DataFrame, from_version: int, to_version: int, level: int,
            value_col: str = "value", keys: Sequence[str] = ("nace", "year"), code_col: str = "region",
            flag_col: str = "flag", weight: str = "pop21", max_missing_share: float = 0.005) -> pd.DataFrame:
    """Move ``value_col`` of ``df`` (one row per ``keys`` and region) to NUTS ``to_version``.

    ``conversion`` is the ``nuts_conversion`` table of ``clusterobs.sources.jrc_nuts``; ``weight``
    is ``"pop21"`` or ``"area"``. ``df`` holds NUTS ``from_version`` codes at ``level`` (1 or 2)
    and may hold level-0 rows, which pass through unchanged. For each new region R and each
    ``keys`` group:

    * value(R) = Σ value(old) × share(old→R) over the parts whose value is known;
    * missing_share(R) = the part of R's weight mass (the raw weight, e.g. pop21, summed over
      all intersections into R) that comes from old regions whose value is missing (NULL or
      no row in the group);
    * if missing_share(R) > ``max_missing_share``, value(R) is NULL: a sum of the known parts
      would understate R. Otherwise value(R) is the sum of the known parts.

    R is returned when at least one of its parts has a row. ``flag`` joins the distinct flag
    letters of the parts used (the known parts, or the missing ones when the value is NULL).
    ``converted`` is false when R is its own old code with share 1; ``conversion`` lists the
    parts and shares; ``split_share`` is the part of R's weight mass that comes from fractions of
    old regions (``split_shares``): R's structure there is a population-scaled copy, not data.
    Rows whose code has no weights are returned with ``unmatched`` true, in their old version and
    unchanged, for the caller to quarantine; nothing is dropped.
    Per country, converted totals equal the original ones when nothing is missing.
    """
    keys = list(keys)
    has_flag = flag_col in df.columns
    if df.duplicated([*keys, code_col]).any():
        raise ValueError(f"df has several rows for the same {', '.join([*keys, code_col])}")
    if "nuts_version" in df.columns and (df["nuts_version"] != from_version).any():
        raise ValueError(f"df holds codes of another NUTS version than {from_version}")
    lev = df[code_col].str.len() - 2
    if not lev.isin([0, level]).all():
        raise ValueError(f"df holds codes of levels other than 0 and {level}: convert each level apart")
    versions = path(conversion, from_version, to_version, level)
    mat = conversion_matrix(conversion, from_version=from_version, to_version=to_version, level=level,
                            weight=weight)
    carried = "split_share" in df.columns  # already a population-scaled copy in part (an earlier conversion)
    cols = [*keys, code_col, value_col, *([flag_col] if has_flag else []), *(["split_share"] if carried else [])]
    rows = df.loc[lev == level, cols]
    matched = rows[code_col].isin(set(mat["code_from"]))

    parts = rows.loc[matched].merge(mat, left_on=code_col, right_on="code_from")
    val = parts[value_col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(val)
    parts["part_value"] = np.where(known, val * parts["share"].to_numpy(), 0.0)
    parts["known_mass"] = np.where(known, parts["mass"].to_numpy(), 0.0)
    parts["known"] = known
    group = [*keys, "code_to"]
    aggs = {"value": ("part_value", "sum"), "known_mass": ("known_mass", "sum")}
    if carried:
        parts["split_mass"] = parts["known_mass"] * parts["split_share"].astype("float64").fillna(0.0)
        aggs["split_mass"] = ("split_mass", "sum")
    out = parts.groupby(group, as_index=False, dropna=False).agg(**aggs)
    total = mat.groupby("code_to")["mass"].sum()
    share_missing = 1 - out["known_mass"].astype(float) / out["code_to"].map(total).astype(float)
    out["missing_share"] = share_missing.clip(0, 1).where(share_missing > 1e-12, 0.0)
    out["value"] = out["value"].astype("Float64").mask(out["missing_share"] > max_missing_share)
    out = out.merge(describe(mat, versions, weight), on="code_to")
    out["split_share"] = out["code_to"].map(split_shares(mat)).fillna(0.0).astype("float64")
    if carried:  # the larger of this matrix's split and the parts' own (mass-weighted over the known parts)
        inherited = (out["split_mass"] / out["known_mass"].where(out["known_mass"] > 0)).fillna(0.0)
        out["split_share"] = np.maximum(out["split_share"].to_numpy(), inherited.to_numpy())
        out = out.drop(columns=["split_mass"])
    if has_flag:
        out[flag_col] = _flags(parts, out, group, flag_col)
    out = out.rename(columns={"code_to": code_col, "value": value_col})
    out["unmatched"] = False

    passthrough = df.loc[lev == 0, [c for c in cols if c != "split_share"]]
    passthrough = passthrough.assign(converted=False, missing_share=passthrough[value_col].isna().astype("float64"),
                                     unmatched=False, split_share=0.0,
                                                conversion=f"NUTS{from_version}→NUTS{to_version}: country "
                                                "code kept")
    unmatched = rows.loc[~matched].drop(columns=["split_share"], errors="ignore").assign(
        converted=False, missing_share=np.nan, unmatched=True, split_share=0.0,
        conversion=f"no NUTS{from_version}→NUTS{to_version} level-{level} weights for this code (unconverted)")
    result = pd.concat([passthrough.assign(nuts_version=to_version), out.assign(nuts_version=to_version),
                        unmatched.assign(nuts_version=from_version)], ignore_index=True)
    result["level"] = result[code_col].str.len() - 2
    result[value_col] = result[value_col].astype("Float64")
    order = [*keys, code_col, "nuts_version", "level", value_col, *([flag_col] if has_flag else []),
             "converted", "conversion", "missing_share", "split_share", "unmatched"]
    return result[order].sort_values([*keys, code_col], kind="stable").reset_index(drop=True)


def _flags(parts: pd.DataFrame, out: pd.DataFrame, group: list[str], flag_col: str) -> pd.Series:
    """Distinct flag letters of the parts used for each output row (None when none)."""
    is_null = out.set_index(group)["value"].isna().rename("is_null")
    p = parts.loc[parts[flag_col].notna() & (parts[flag_col] != ""), [*group, flag_col, "known"]]
    if p.empty:
        return pd.Series(None, index=out.index, dtype=object)
    p = p.join(is_null, on=group)
    p = p.loc[p["known"] != p["is_null"]]
    # per character that occurs in a flag, whether a part of the group has it; then those characters in order
    # (one vectorised pass per distinct character, not a Python function per group: 260,000 groups per ingest)
    flags = p[flag_col].astype(object)
    chars = sorted(set("".join(flags.unique())))
    has = pd.DataFrame({c: flags.str.contains(c, regex=False) for c in chars}, index=p.index)
    has = pd.concat([p[group], has], axis=1).groupby(group, dropna=False)[chars].any()
    letters = pd.Series("", index=has.index, dtype=object)
    for c in chars:
        letters = letters + np.where(has[c].to_numpy(dtype=bool), c, "")
    letters = letters.astype(p[flag_col].dtype)  # as the flags were: object, or pandas' string
    return out.join(letters.rename("_flag"), on=group)["_flag"].where(lambda s: s.notna(), None)


def _fmt(share: float) -> str:
    text = f"{share:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
