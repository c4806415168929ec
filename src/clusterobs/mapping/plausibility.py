"""The SBS/LFS plausibility check, a stage of ``clusterobs compute`` (``STAGES`` in ``clusterobs.compute``).

The SBS counts persons employed where an enterprise's local unit is registered; in some countries and sectors the
regional figures follow the enterprise, so a region hosting head offices gets the employment of the whole firm.
The Labour Force Survey, a household survey, counts employed persons in the region where they live. Per NUTS
version, level, region and year, and per LFS activity aggregate that the SBS business economy fully covers, the
table ``region_caveats`` puts the two side by side: the SBS employment summed over the NACE sections of the
aggregate, the LFS figure of the same year, their ratio, and a flag with a plain-language caveat when the ratio is
outside the plausibility band (``LOWER``–``UPPER``). The band, and why, is in docs/mapping.md.

Inputs (the published store): ``sbs_employment`` (persons, NUTS 2013 as read plus the 2016 and 2021 conversions,
levels 0-2), ``lfs_employment`` (persons, NUTS-2 only, summed here to levels 1 and 0 when every NUTS-2 region of
the parent has a value), ``lfs_sectors``, ``nace`` (divisions of a section, for a missing section's lower bound) and
``nuts_codes`` (the NUTS-2 regions of each parent).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from clusterobs.store import Store

#: LFS activity aggregate → the NACE sections of the SBS business economy (B-N without K) it is made of. Only the
#: aggregates the SBS covers entirely: A, K, O-Q and R-U lie (wholly or mostly) outside it.
GROUPS: dict[str, tuple[str, ...]] = {
    "B-E": ("B", "C", "D", "E"),
    "F": ("F",),
    "G-I": ("G", "H", "I"),
    "J": ("J",),
    "L": ("L",),
    "M_N": ("M", "N"),
}
#: the business economy as both sources can measure it: the sum of the six aggregates (S95 left out: the LFS has
#: it inside R-U)
BUSINESS_ECONOMY = "B-N_X_K"
BUSINESS_ECONOMY_NAME = "Business economy: sections B to N without K"
#: ratio SBS / LFS above which the SBS figure is implausibly high (a factor of 2; docs/mapping.md says why)
UPPER = 2.0
#: ratio below which it is implausibly low
LOWER = 0.5
#: LFS figures below this many persons are small survey estimates: the ratio is given but not flagged
MIN_LFS = 5_000.0
#: how the caveat names each aggregate
LABELS = {
    "B-E": "industry (B–E)",
    "F": "construction (F)",
    "G-I": "trade, transport, accommodation and food services (G–I)",
    "J": "information and communication (J)",
    "L": "real estate (L)",
    "M_N": "professional, scientific, technical and support services (M–N)",
    BUSINESS_ECONOMY: "the business economy (B–N without K)",
}
SECTOR_ORDER = [*GROUPS, BUSINESS_ECONOMY]
KEYS = ["nuts_version", "level", "region", "year", "sector"]
COLUMNS = [*KEYS, "sector_name", "sections", "sbs_employment", "sbs_missing", "lfs_employment", "ratio", "flag",
           "caveat"]

TABLES = {
    "region_caveats": "SBS/LFS plausibility check per NUTS version, level, region, year and LFS activity aggregate "
    "the SBS fully covers (B-E, F, G-I, J, L, M_N and the business economy): SBS persons employed summed over the "
    "aggregate's NACE sections, LFS employment of the same year, their ratio, and a flag (high / low) with a caveat "
    "when the ratio lies outside 0.5-2 (head offices registered in the region, commuting)",
}

Progress = Callable[[str, int, int], None]


def sbs_by_group(sbs: pd.DataFrame, nace: pd.DataFrame | None = None) -> pd.DataFrame:
    """SBS persons employed per unit, region, year and aggregate of ``GROUPS`` (and the business economy).

    A section without a value counts with the sum of its known divisions (``nace`` gives them; 0 without), so the
    sum is then a lower bound, and ``sbs_missing`` names the section. ``sbs_employment`` is NULL when no part of the
    aggregate is known. Columns: ``KEYS``, ``sbs_employment``, ``sbs_missing``.
    """
    sections = [s for group in GROUPS.values() for s in group]
    unit = ["nuts_version", "level", "region", "year"]
    rows = sbs[[*unit, "nace", "value"]]
    regions = rows[unit].drop_duplicates()
    grid = regions.merge(pd.DataFrame({"nace": sections}), how="cross")
    known = rows[rows["nace"].isin(sections)].groupby([*unit, "nace"])["value"].sum(min_count=1)
    grid = grid.join(known.rename("value"), on=[*unit, "nace"])
    grid["complete"] = grid["value"].notna()
    if nace is not None:
        divisions = nace.loc[nace["level"] == 2, ["code", "section"]].rename(columns={"code": "division"})
        parts = rows.merge(divisions, left_on="nace", right_on="division")
        lower = parts.groupby([*unit, "section"])["value"].sum(min_count=1).rename("divisions")
        grid = grid.join(lower, on=[*unit, "nace"])
        grid["value"] = grid["value"].fillna(grid["divisions"])
    out = []
    for sector, members in {**GROUPS, BUSINESS_ECONOMY: tuple(sections)}.items():
        part = grid[grid["nace"].isin(members)]
        grouped = part.groupby(unit)
        agg = pd.DataFrame({"sbs_employment": grouped["value"].sum(min_count=1),
                            "complete": grouped["complete"].all()})
        missing = part[~part["complete"]].groupby(unit)["nace"].agg(", ".join)
        agg["sbs_missing"] = missing.reindex(agg.index)
        out.append(agg.reset_index().assign(sector=sector))
    return pd.concat(out, ignore_index=True)[[*KEYS, "sbs_employment", "sbs_missing"]]


def lfs_by_group(lfs: pd.DataFrame, nuts_codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """LFS persons employed per unit, region, year and aggregate of ``GROUPS`` (and the business economy: the sum
    of the six, NULL unless all are known), at NUTS level 2 as read and, with ``nuts_codes``, at levels 1 and 0:
    the sum over every NUTS-2 region of the parent in that NUTS version, NULL unless each has a value."""
    unit = ["nuts_version", "level", "region", "year"]
    rows = lfs[lfs["sector"].isin(GROUPS) & (lfs["level"] == 2)][[*unit, "sector", "value"]]
    wide = rows.set_index([*unit, "sector"])["value"].unstack("sector").reindex(columns=list(GROUPS))
    wide[BUSINESS_ECONOMY] = wide[list(GROUPS)].sum(axis=1, min_count=len(GROUPS))
    long = wide.rename_axis(columns="sector").stack().rename("lfs_employment").reset_index()
    parts = [long]
    if nuts_codes is not None:
        parts += _parents(long, nuts_codes)
    return pd.concat(parts, ignore_index=True)[[*KEYS, "lfs_employment"]]


def _parents(long: pd.DataFrame, nuts_codes: pd.DataFrame) -> list[pd.DataFrame]:
    """Level-1 and level-0 sums of level-2 LFS figures, complete parents only."""
    out = []
    for version, one in long.groupby("nuts_version"):
        codes = nuts_codes[nuts_codes["nuts_version"] == version]
        nuts2 = codes.loc[codes["level"] == 2, "code"]
        for level in (1, 0):
            members = pd.DataFrame([(parent, child) for parent in codes.loc[codes["level"] == level, "code"]
                                    for child in nuts2 if child.startswith(parent)], columns=["parent", "region"])
            if members.empty:
                continue
            size = members.groupby("parent").size().rename("children")
            m = members.merge(one, on="region")
            agg = m.groupby(["parent", "year", "sector"]).agg(lfs_employment=("lfs_employment", "sum"),
                                                               known=("lfs_employment", "count"))
            agg = agg.join(size, on="parent")
            agg["lfs_employment"] = agg["lfs_employment"].where(agg["known"] == agg["children"])
            out.append(agg.reset_index().rename(columns={"parent": "region"}).assign(
                nuts_version=version, level=level))
    return out


def caveat_text(sector: str, ratio: float, flag: str, *, lower_bound: bool = False) -> str:
    """The plain-language caveat of a flagged comparison."""
    label = LABELS.get(sector, sector)
    if flag == "high":
        at_least = "at least " if lower_bound else ""
        return (f"SBS counts {at_least}{ratio:.1f}× the LFS employment in {label}: head offices registered here, "
                f"or workers commuting in?")
    return (f"SBS counts only {ratio:.0%} of the LFS employment in {label}: employment registered in another "
            f"region (head offices elsewhere), or residents working outside the region?")


def region_caveats(sbs: pd.DataFrame, lfs: pd.DataFrame, *, nace: pd.DataFrame | None = None,
                   nuts_codes: pd.DataFrame | None = None, sector_names: dict[str, str] | None = None,
                   lower: float = LOWER, upper: float = UPPER, min_lfs: float = MIN_LFS) -> pd.DataFrame:
    """The ``region_caveats`` table: one row per region of ``sbs`` (per NUTS version, level and year) and
    aggregate, with the LFS figure of the same unit and year (NULL when the LFS has none); a row with neither
    figure is left out.

    ``flag`` is ``high`` when ``ratio`` > ``upper``, ``low`` when ``ratio`` < ``lower``, NULL otherwise; never
    when the LFS figure is below ``min_lfs`` persons; never ``low`` when a section is missing from the SBS (the sum
    is then a lower bound).
    """
    df = sbs_by_group(sbs, nace).merge(lfs_by_group(lfs, nuts_codes), on=KEYS, how="left")
    df = df[df["sbs_employment"].notna() | df["lfs_employment"].notna()].copy()
    lfs_ok = df["lfs_employment"] > 0
    df["ratio"] = (df["sbs_employment"] / df["lfs_employment"].where(lfs_ok)).astype(float)
    partial = df["sbs_missing"].notna()
    judged = df["ratio"].notna() & (df["lfs_employment"] >= min_lfs)
    high = judged & (df["ratio"] > upper)
    low = judged & ~partial & (df["ratio"] < lower)
    df["flag"] = pd.Series(pd.NA, index=df.index, dtype="string").mask(high, "high").mask(low, "low")
    df["caveat"] = [caveat_text(s, r, f, lower_bound=p) if isinstance(f, str) else None
                    for s, r, f, p in zip(df["sector"], df["ratio"], df["flag"], partial, strict=True)]
    names = {**(sector_names or {}), BUSINESS_ECONOMY: BUSINESS_ECONOMY_NAME}
    df["sector_name"] = df["sector"].map(names)
    sections = {**{g: ", ".join(s) for g, s in GROUPS.items()},
                BUSINESS_ECONOMY: ", ".join(s for group in GROUPS.values() for s in group)}
    df["sections"] = df["sector"].map(sections)
    df["order"] = df["sector"].map({s: i for i, s in enumerate(SECTOR_ORDER)})
    df = df.sort_values(["nuts_version", "level", "region", "year", "order"], kind="stable")
    return _typed(df[COLUMNS].reset_index(drop=True))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("nuts_version", "level", "year"):
        df[col] = df[col].astype("int64")
    for col in ("sbs_employment", "lfs_employment", "ratio"):
        df[col] = df[col].astype("float64")
    for col in ("region", "sector", "sector_name", "sections", "sbs_missing", "flag", "caveat"):
        df[col] = df[col].astype("string")
    return df


def compute_stage(store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None,
                  *, lower: float = LOWER, upper: float = UPPER, min_lfs: float = MIN_LFS) -> dict[str, pd.DataFrame]:
    """``region_caveats`` from the published store's SBS and LFS employment."""
    sectors = store.table("lfs_sectors")
    out = region_caveats(store.table("sbs_employment"), store.table("lfs_employment"), nace=store.table("nace"),
                         nuts_codes=store.table("nuts_codes"),
                         sector_names=dict(zip(sectors["sector"], sectors["name"], strict=True)),
                         lower=lower, upper=upper, min_lfs=min_lfs)
    if progress:
        progress("SBS/LFS plausibility", 1, 1)
    return {"region_caveats": out}
