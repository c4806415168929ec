"""Properties of the measures and stars, on random panels (Hypothesis)."""

from __future__ import annotations

import dataclasses

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterobs.mapping import get_scheme, map_table
from clusterobs.mapping.schemes import Condition

REGIONS = [f"R{i}" for i in range(6)]
CATEGORIES = ["a", "b", "c", "d"]

panels = st.lists(st.integers(min_value=1, max_value=10_000), min_size=len(REGIONS) * len(CATEGORIES),
                  max_size=len(REGIONS) * len(CATEGORIES)).map(
    lambda values: pd.DataFrame(
        [{"region": r, "category": c, "year": 2020, "employment": float(values[i * len(CATEGORIES) + j])}
         for i, r in enumerate(REGIONS) for j, c in enumerate(CATEGORIES)]))

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(panels)
def test_weighted_mean_lq_is_one_and_focus_sums_to_one(df):
    out = map_table(df, scheme="eco2007")
    for _, g in out.groupby("category"):
        assert abs((g["lq"] * g["region_total"]).sum() / g["region_total"].sum() - 1) < 1e-9
    assert (out.groupby("region")["focus"].sum() - 1).abs().max() < 1e-9
    assert abs(out.groupby("category")["share_europe"].sum() - 1).max() < 1e-9


def _raised(scheme_name: str, factor: float):
    scheme = get_scheme(scheme_name)
    tests = []
    for t in scheme.tests:
        conds = []
        for c in t.conditions:
            if c.percentile is not None:
                conds.append(dataclasses.replace(c, percentile=min(100.0, c.percentile * factor)))
            else:
                conds.append(dataclasses.replace(c, value=c.value * factor))
        tests.append(dataclasses.replace(t, conditions=tuple(conds)))
    return dataclasses.replace(scheme, tests=tuple(tests))


@SETTINGS
@given(panels, st.floats(min_value=1.0, max_value=1.5), st.sampled_from(["eco2007", "uscmp"]))
def test_raising_a_threshold_never_adds_stars(df, factor, scheme):
    base = map_table(df, scheme=scheme).set_index(["region", "category"])["stars"]
    raised = map_table(df, scheme=_raised(scheme, factor)).set_index(["region", "category"])["stars"]
    assert (raised <= base.loc[raised.index]).all()


@SETTINGS
@given(panels, st.integers(min_value=0, max_value=len(REGIONS) * len(CATEGORIES) - 1))
def test_a_missing_cell_is_excluded_and_a_zero_counts(df, k):
    missing = df.copy()
    missing.loc[k, "employment"] = None
    out = map_table(missing, scheme="eco2007").set_index(["region", "category"])
    r, c = df.loc[k, "region"], df.loc[k, "category"]
    assert pd.isna(out.loc[(r, c), "lq"]) and out.loc[(r, c), "stars"] == 0
    # the category's threshold is the percentile over the other regions only
    others = df[(df["category"] == c) & (df["region"] != r)]["employment"]
    assert abs(out.loc[(r, c), "size_employment_p90_threshold"] - others.quantile(0.9)) < 1e-6
    zero = df.copy()
    zero.loc[k, "employment"] = 0.0
    z = map_table(zero, scheme="eco2007").set_index(["region", "category"])
    assert z.loc[(r, c), "lq"] == 0
    # a zero is a value: the region's total still includes its other categories, and the zero has no star
    assert z.loc[(r, c), "stars"] == 0
    assert z.loc[(r, c), "region_total"] == zero[zero["region"] == r]["employment"].sum()


def test_condition_names_are_readable():
    assert Condition(measure="lq", op=">=", value=2.0).name == "lq >= 2"
    assert Condition(measure="employment", op=">", percentile=25.0).name == "employment > p25"
