"""The NUTS codes of each version (2013, 2016, 2021, 2024) and the region list with names.

Where the codes come from:

* levels 1-2: the JRC matrices (``code_from`` and ``code_to`` of every matrix touching the
  version) and, for 2016 and 2021, the GISCO files (which also give 2016 level 3);
* level 0: the GISCO level-0 features of 2016 and 2021. NUTS 2013 takes the 2016 countries;
  NUTS 2024 takes the 2021 countries minus those the JRC weights drop between 2021 and 2024
  (the UK: present in the 2016→2021 matrices, absent from 2021→2024);
* extra-regio codes (``ELZ``, ``ELZZ``: the code after the country is all ``Z``) are left
  out: they have no territory on the map, and data coded with them are quarantined.

Country codes are Eurostat's, as in GISCO and the JRC matrices alike: ``EL`` for Greece and
``UK`` for the United Kingdom (not the ISO ``GR``/``GB``).

Names come from GISCO (the 60M file where both scales have the code). NUTS 2013 and 2024
have no GISCO file here: their codes borrow the name of the same code in 2016 (for 2013) or
2021 (for 2024) when it exists, else the name is NULL; ``name_version`` says which version's
name was used. Borrowed names belong to the same code, whose borders may have moved.
"""

from __future__ import annotations

import pandas as pd

VERSIONS = (2013, 2016, 2021, 2024)
#: Version without GISCO names → the version whose names (and countries) it borrows.
BORROWS = {2013: 2016, 2024: 2021}
TABLES = {
    "nuts_codes": "Every NUTS code known per version (2013, 2016, 2021, 2024): level and country; from the "
    "JRC matrices and GISCO, extra-regio codes excluded",
    "regions": "NUTS regions per version with GISCO name (borrowed from 2016/2021 for 2013/2024 codes, see "
    "name_version), parent code, country and whether a GISCO polygon exists",
}


def is_extra_regio(code: str) -> bool:
    """``ELZ``, ``ELZZ``, ``ESZZ``...: the statistical region for what has no territory."""
    return len(code) > 2 and set(code[2:]) == {"Z"}


def nuts_codes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``nuts_version, code, level, country``; needs ``nuts_conversion`` and ``gisco_regions``."""
    conv, gisco = tables["nuts_conversion"], tables["gisco_regions"]
    parts = [
        conv[["from_version", "code_from", "level"]].set_axis(["nuts_version", "code", "level"], axis=1),
        conv[["to_version", "code_to", "level"]].set_axis(["nuts_version", "code", "level"], axis=1),
        gisco[["nuts_version", "code", "level"]],
    ]
    countries = gisco.loc[gisco["level"] == 0, ["nuts_version", "code"]]
    left_2024 = set(conv.loc[conv["to_version"] == 2021, "code_to"].str[:2]) - set(
        conv.loc[conv["from_version"] == 2021, "code_from"].str[:2])
    for version, source in BORROWS.items():
        drop = left_2024 if version == 2024 else set()
        borrowed = countries.loc[(countries["nuts_version"] == source) & ~countries["code"].isin(drop)]
        parts.append(borrowed.assign(nuts_version=version, level=0))
    out = pd.concat(parts, ignore_index=True).drop_duplicates(["nuts_version", "code"])
    out = out.loc[out["nuts_version"].isin(VERSIONS) & ~out["code"].map(is_extra_regio)].copy()
    out["country"] = out["code"].str[:2]
    out = out.astype({"nuts_version": "int64", "level": "int64"})
    return out.sort_values(["nuts_version", "level", "code"]).reset_index(drop=True)


def regions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``nuts_version, code, name, name_latn, name_version, level, parent, country, has_geometry``.

    Needs ``gisco_regions`` and ``nuts_geometries``, and ``nuts_codes`` (or what it needs).
    """
    codes = tables["nuts_codes"] if "nuts_codes" in tables else nuts_codes(tables)
    names = tables["gisco_regions"][["nuts_version", "code", "name", "name_latn"]]
    out = codes.merge(names, on=["nuts_version", "code"], how="left")
    out["name_version"] = out["nuts_version"].where(out["name"].notna())
    for version, source in BORROWS.items():
        lend = names.loc[names["nuts_version"] == source].set_index("code")
        need = (out["nuts_version"] == version) & out["name"].isna() & out["code"].isin(lend.index)
        for col in ("name", "name_latn"):
            out.loc[need, col] = out.loc[need, "code"].map(lend[col])
        out.loc[need, "name_version"] = source
    out["name_version"] = out["name_version"].astype("Int64")
    out["parent"] = out["code"].str[:-1].where(out["level"] >= 1)
    geo = tables["nuts_geometries"]
    polygons = set(zip(*[geo.loc[geo["kind"] == "region", c] for c in ("nuts_version", "code")], strict=True))
    out["has_geometry"] = [(v, c) in polygons for v, c in zip(out["nuts_version"], out["code"], strict=True)]
    cols = ["nuts_version", "code", "name", "name_latn", "name_version", "level", "parent", "country",
            "has_geometry"]
    return out[cols].sort_values(["nuts_version", "level", "code"]).reset_index(drop=True)
