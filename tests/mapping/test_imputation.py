"""Imputation by hand: the residual of the section shared by the country's (or Europe's) structure."""

from __future__ import annotations

import pandas as pd
import pytest
from sbs_store import sbs_backend

from clusterobs.mapping.panel import sbs_industry_panel

# Section C of country AA is C10 500, C11 100, C12 200; country AB has C10 30 and C11 missing.
# Region AA11: C = 110, C10 = 50 known, C11 and C12 missing -> residual 60 shared 100:200 -> 20, 40.
# Region AB11: C = 20, C10 and C11 missing; AB lacks C11 -> Europe's C10 530, C11 100 -> 20*530/630, 20*100/630.
# Region AA12: C = 5 but its known C10 = 9 exceeds it -> residual 0 -> C11 = C12 = 0 (never negative).
# Region AA13: the section itself is missing -> its missing divisions stay missing.
SBS = [
    ("AA", 0, "C", 800), ("AA", 0, "C10", 500), ("AA", 0, "C11", 100), ("AA", 0, "C12", 200),
    ("AB", 0, "C", 50), ("AB", 0, "C10", 30), ("AB", 0, "C11", None),
    ("AA11", 2, "C", 110), ("AA11", 2, "C10", 50), ("AA11", 2, "C11", None), ("AA11", 2, "C12", None),
    ("AB11", 2, "C", 20), ("AB11", 2, "C10", None), ("AB11", 2, "C11", None),
    ("AA12", 2, "C", 5), ("AA12", 2, "C10", 9), ("AA12", 2, "C11", None), ("AA12", 2, "C12", None),
    ("AA13", 2, "C", None), ("AA13", 2, "C10", 7), ("AA13", 2, "C11", None),
]
NACE = [("C", 1, "C"), ("C10", 2, "C"), ("C11", 2, "C"), ("C12", 2, "C")]


@pytest.fixture(scope="module")
def con():
    return sbs_backend(SBS, NACE)


def panel(con, impute: bool) -> dict[str, tuple[float | None, bool]]:
    df = sbs_industry_panel(con, nuts_version=2021, level=2, impute=impute).execute()
    return {f"{r.region}:{r.industry}": (None if pd.isna(r.employment) else r.employment, bool(r.imputed))
            for r in df.itertuples()}


def test_imputed_cells_equal_hand_computed_shares(con):
    p = panel(con, impute=True)
    assert p["AA11:C10"] == (50, False)
    assert p["AA11:C11"] == (pytest.approx(20), True)
    assert p["AA11:C12"] == (pytest.approx(40), True)
    assert p["AB11:C10"][0] == pytest.approx(20 * 530 / 630)
    assert p["AB11:C11"][0] == pytest.approx(20 * 100 / 630)
    assert p["AB11:C10"][0] + p["AB11:C11"][0] == pytest.approx(20)  # they sum to the residual
    assert p["AA12:C11"] == (0, True) and p["AA12:C12"] == (0, True)
    assert p["AA13:C11"] == (None, False)


def test_imputation_off_leaves_the_same_cells_missing(con):
    on, off = panel(con, impute=True), panel(con, impute=False)
    imputed = {k for k, (_, flag) in on.items() if flag}
    assert imputed == {k for k, (v, _) in off.items() if v is None} - {"AA13:C11"}
    assert all(not flag for _, flag in off.values())
    assert {k: v for k, (v, _) in off.items() if k not in imputed} == {
        k: v for k, (v, _) in on.items() if k not in imputed}


def test_basis_is_reported(con):
    df = sbs_industry_panel(con, nuts_version=2021, level=2).execute().set_index(["region", "industry"])
    assert df.loc[("AA11", "C11"), "imputation_basis"] == "country"
    assert df.loc[("AB11", "C11"), "imputation_basis"] == "europe"
    assert pd.isna(df.loc[("AA11", "C10"), "imputation_basis"])
