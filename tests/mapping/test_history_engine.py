"""The engine over several years, computed by hand: wages and wage per person employed, establishments, growth over
the window and year on year, the break-in-series flag, rankability, and optional star conditions per cell."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from clusterobs.mapping.categories import rankability, to_categories
from clusterobs.mapping.measures import SBS_WAGE_UNIT
from clusterobs.mapping.pipeline import measure_panel
from clusterobs.mapping.schemes import get_scheme
from clusterobs.mapping.stars import apply_scheme

# region, year, industry, employment, wages (million EUR), local units, Eurostat flag of the employment cell
ROWS = [
    ("R1", 2010, "A", 100, 3.0, 10, None), ("R1", 2010, "B", 200, None, 20, None),
    ("R1", 2011, "A", 110, 3.3, 11, "b"), ("R1", 2011, "B", 220, 8.8, 22, None),
    ("R1", 2012, "A", 121, 3.63, 12, None), ("R1", 2012, "B", 242, 9.68, 24, "p"),
    ("R2", 2010, "A", 50, 1.0, 5, None), ("R2", 2010, "B", 100, 3.0, 10, None),
    ("R2", 2011, "A", 50, 1.0, 5, None), ("R2", 2011, "B", None, None, None, "c"),
    ("R2", 2012, "A", 60, 1.2, 6, None), ("R2", 2012, "B", 100, 3.0, None, None),
]
# A is all of cat1; B is half cat1, half cat2
CONCORDANCE = [("A", "cat1", 1.0), ("B", "cat1", 0.5), ("B", "cat2", 0.5)]


@pytest.fixture(scope="module")
def measured() -> pd.DataFrame:
    con = ibis.duckdb.connect()
    panel = pd.DataFrame(ROWS, columns=["region", "year", "industry", "employment", "wages", "establishments",
                                        "flag"])
    panel = panel.astype({"employment": "Float64", "wages": "Float64", "establishments": "Float64",
                          "flag": "string"})
    p = con.create_table("panel", panel)
    conc = con.create_table("conc", pd.DataFrame(CONCORDANCE, columns=["industry", "category", "weight"]))
    cells = rankability(to_categories(p, conc))
    out = measure_panel(cells, wage_unit=SBS_WAGE_UNIT).execute()
    return out.set_index(["region", "category", "year"]).sort_index()


def test_wages_and_wage_per_person_employed(measured):
    r1 = measured.loc[("R1", "cat1")]
    # 2010: B's wages are confidential while its employment is known: the cell's wages are not a total (NULL), and
    # the wage per person is taken over A alone: 3.0 million EUR / 100 persons
    assert pd.isna(r1.at[2010, "wages"])
    assert r1.at[2010, "productivity"] == pytest.approx(30_000)
    # 2011: 3.3 + 0.5 × 8.8 = 7.7 million EUR over 110 + 0.5 × 220 = 220 persons
    assert r1.at[2011, "wages"] == pytest.approx(7.7)
    assert r1.at[2011, "employment"] == pytest.approx(220)
    assert r1.at[2011, "productivity"] == pytest.approx(35_000)
    # Europe's wage per person in cat1, 2011: R1 7.7/220 and R2 A only (B missing) 1.0/50 → 8.7e6 / 270
    assert r1.at[2011, "relative_productivity"] == pytest.approx(35_000 / (8.7e6 / 270))


def test_establishments_and_average_size(measured):
    r1 = measured.loc[("R1", "cat1")]
    assert r1.at[2010, "establishments"] == pytest.approx(10 + 0.5 * 20)
    assert r1.at[2010, "avg_size"] == pytest.approx(200 / 20)
    # R2 2012: B's local units are missing, so the cell has none (never a partial count)
    assert pd.isna(measured.at[("R2", "cat1", 2012), "establishments"])


def test_growth_over_the_window_and_year_on_year(measured):
    r1 = measured.loc[("R1", "cat1")]
    assert pd.isna(r1.at[2010, "growth"]) and pd.isna(r1.at[2010, "growth_yoy"])
    assert r1.at[2012, "growth"] == pytest.approx((242 / 200) ** 0.5 - 1)  # 10% a year over two years
    assert r1.at[2012, "growth_window"] == 2 and r1.at[2012, "growth_base_year"] == 2010
    assert r1.at[2012, "growth_yoy"] == pytest.approx(242 / 220 - 1)
    assert r1.at[2011, "growth_yoy"] == pytest.approx(220 / 200 - 1)


def test_break_in_series_inside_the_window(measured):
    # A's 2011 employment is flagged b: every growth whose window contains 2011 says so
    r1 = measured.loc[("R1", "cat1")]
    assert r1.at[2011, "flags"] == "b" and r1.at[2012, "flags"] == "p"
    assert bool(r1.at[2011, "growth_break"]) and bool(r1.at[2012, "growth_break"])
    assert pd.isna(r1.at[2010, "growth_break"])  # no growth, nothing to qualify
    # cat2 is B alone: no break flagged on its inputs
    assert not bool(measured.at[("R1", "cat2", 2012), "growth_break"])


def test_growth_only_between_rankable_cells(measured):
    r2 = measured.loc[("R2", "cat1")]
    # 2011: B (a third of cat1's weight) is missing: coverage 1 - 0.5/1.5 below 80%, not rankable, no growth
    assert r2.at[2011, "coverage"] == pytest.approx(1 - 0.5 / 1.5)
    assert not r2.at[2011, "rankable"] and pd.isna(r2.at[2011, "growth"])
    assert r2.at[2011, "flags"] == "c"
    # 2012 grows from 2010 (2011 is no base year), and has no year-on-year growth
    assert r2.at[2012, "growth"] == pytest.approx((110 / 100) ** 0.5 - 1)
    assert r2.at[2012, "growth_base_year"] == 2010
    assert pd.isna(r2.at[2012, "growth_yoy"])


def test_an_optional_condition_is_skipped_for_a_cell_without_the_measure(measured):
    """uscmp's establishments condition is optional: R2 cat1 2012 has no local units, so the condition is skipped
    (passed NULL) and the test is decided by the other three; a cell with local units below the threshold fails."""
    cells = measured.reset_index()
    cells = cells[cells["year"] == 2012]
    con = ibis.duckdb.connect()
    wide = apply_scheme(con.create_table("m", cells), get_scheme("uscmp")).execute()
    wide = wide.set_index(["region", "category"])
    est = "strong_establishments_p25_pass"
    assert est in wide.columns
    assert pd.isna(wide.at[("R2", "cat1"), est])
    assert wide.at[("R1", "cat1"), est] in (True, False)
    lq_ok = wide.at[("R2", "cat1"), "lq"] >= max(1, wide.at[("R2", "cat1"), "strong_lq_p75_threshold"])
    emp_ok = wide.at[("R2", "cat1"), "employment"] > wide.at[("R2", "cat1"), "strong_employment_p25_threshold"]
    assert bool(wide.at[("R2", "cat1"), "star_strong"]) == bool(lq_ok and emp_ok)
