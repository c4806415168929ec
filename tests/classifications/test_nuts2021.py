"""Placing values on NUTS 2021 level 2 (clusterobs.classifications.nuts2021), on a small hand-made conversion table."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.classifications import nuts2021


def _conversion() -> pd.DataFrame:
    """2016→2021 at level 2: XX01 unchanged; XX02 split into XX03 (pop 300) and XX04 (pop 100, plus 100 from XX05)."""
    rows = [("XX01", "XX01", 1000.0), ("XX02", "XX03", 300.0), ("XX02", "XX04", 100.0), ("XX05", "XX04", 100.0)]
    df = pd.DataFrame(rows, columns=["code_from", "code_to", "pop21"])
    df["from_version"], df["to_version"], df["level"] = 2016, 2021, 2
    df["area_km2"] = 1.0
    df["w_pop21"] = df["pop21"] / df.groupby("code_from")["pop21"].transform("sum")
    df["w_area"] = 1 / df.groupby("code_from")["pop21"].transform("size")
    return df


def _tables() -> dict[str, pd.DataFrame]:
    codes = pd.DataFrame({"nuts_version": [2021] * 3, "code": ["XX01", "XX03", "XX04"], "level": [2] * 3})
    return {"nuts_conversion": _conversion(), "nuts_codes": codes}


def test_rates_are_population_weighted_means_and_counts_are_split():
    df = pd.DataFrame({"region_source_code": ["XX01", "XX02", "XX05", "XX01", "XX02", "XX05"],
                       "indicator": ["rate"] * 3 + ["count"] * 3, "year": 2020,
                       "value": [10.0, 20.0, 40.0, 1000.0, 400.0, 100.0], "line": [2, 3, 4, 5, 6, 7]})
    out = nuts2021.from_2016(df, _tables(), extensive={"count"}).set_index(["indicator", "region"]).sort_index()
    # XX04 = (20 x 100 + 40 x 100) / 200 = 30; XX03 is all XX02: 20; XX01 unchanged
    assert out.loc[("rate", "XX04"), "value"] == pytest.approx(30.0)
    assert out.loc[("rate", "XX03"), "value"] == pytest.approx(20.0)
    assert out.loc[("rate", "XX01"), "method"] == nuts2021.SAME
    assert out.loc[("rate", "XX04"), "region_source_code"] == "XX02+XX05"
    # counts: XX02's 400 split 300:100 → XX03 300, XX04 100 + XX05's 100 = 200; totals kept
    assert out.loc[("count", "XX03"), "value"] == pytest.approx(300.0)
    assert out.loc[("count", "XX04"), "value"] == pytest.approx(200.0)
    assert out.xs("count")["value"].sum() == pytest.approx(1500.0)


def test_a_missing_part_leaves_the_new_region_without_value():
    df = pd.DataFrame({"region_source_code": ["XX02"], "indicator": ["rate"], "year": 2020, "value": [20.0],
                       "line": [2]})
    out = nuts2021.from_2016(df, _tables())
    # XX05 (half of XX04's population) is missing: no value for XX04, XX03 still has one
    assert list(out["region"]) == ["XX03"]


def test_expand_copies_to_members():
    df = pd.DataFrame({"region_source_code": ["AB_C", "XX01"], "indicator": "x", "year": 2022, "value": [1.5, 2.0],
                       "line": [2, 3]})
    out = nuts2021.expand(df, {"AB_C": ["XX03", "XX04"]}, "merged")
    assert list(out["region"]) == ["XX03", "XX04"] and set(out["value"]) == {1.5} and set(out["method"]) == {"merged"}
