"""The complexity stage of ``clusterobs compute`` on a small made-up ``cluster_measures``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.complexity import complexity_table, stage
from clusterobs.complexity.stage import TABLES, compute_stage
from clusterobs.compute import STAGES


class FakeStore:
    def table(self, name: str) -> pd.DataFrame:
        assert name == "categories"
        return pd.DataFrame({"category": ["p1", "p2", "p3", "p4", "local_x"],
                             "kind": ["traded"] * 4 + ["local"]})


def test_stage_computes_each_unit_on_traded_categories():
    hand = pd.read_csv(Path(__file__).parent / "fixtures" / "hand_input.csv")
    hand = hand[hand["category"] != "p5"]
    two = pd.concat([hand.assign(nuts_version=2021, level=2), hand.assign(nuts_version=2016, level=2)])
    local = pd.DataFrame({"region": ["A", "B"], "category": "local_x", "year": 2020, "employment": [5.0, np.nan],
                          "nuts_version": 2021, "level": 2})
    measures = pd.concat([two, local], ignore_index=True)
    measures.loc[0, "employment"] = np.nan  # A/p1 in NUTS 2021: a missing employment counts as 0
    panel = hand.rename(columns={"category": "industry"}).assign(nuts_version=2021, level=1)
    panel["industry"] = panel["industry"].map({"p1": "C10", "p2": "C29", "p3": "J62", "p4": "M71"})
    out = compute_stage(FakeStore(), {"cluster_measures": measures, "industry_panel": panel})
    assert set(out) == set(TABLES) == {"complexity", "complexity_nace"}
    got = out["complexity"]
    assert list(got.columns[:2]) == ["nuts_version", "level"] and "local_x" not in set(got["category"])
    assert got.groupby(["nuts_version", "level"]).size().to_dict() == {(2016, 2): 16, (2021, 2): 16}
    want = complexity_table(hand.assign(employment=hand["employment"].where(hand.index != 0, 0.0)))
    mine = got[got["nuts_version"] == 2021].drop(columns=["nuts_version", "level"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, want, check_dtype=False)
    assert stage in STAGES
    # the NACE divisions of the industry panel: the same measures, keyed by industry, for the panel's own unit
    nace = out["complexity_nace"]
    assert list(nace.columns[:4]) == ["nuts_version", "level", "region", "industry"]
    assert nace.groupby(["nuts_version", "level"]).size().to_dict() == {(2021, 1): 16}
    want_nace = complexity_table(panel[["region", "industry", "year", "employment"]].rename(
        columns={"industry": "category"})).rename(columns={"category": "industry"})
    pd.testing.assert_frame_equal(nace.drop(columns=["nuts_version", "level"]).reset_index(drop=True), want_nace,
                                  check_dtype=False)
    assert (nace.loc[nace["mcp"] == 1, "cog"] == 0).all()


def test_stage_without_an_industry_panel_gives_an_empty_nace_table():
    hand = pd.read_csv(Path(__file__).parent / "fixtures" / "hand_input.csv")
    out = compute_stage(FakeStore(), {"cluster_measures": hand.assign(nuts_version=2021, level=2)})
    assert out["complexity_nace"].empty and "industry" in out["complexity_nace"].columns
