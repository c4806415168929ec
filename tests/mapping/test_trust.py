"""`clusterobs.mapping.trust` on a small store built here, every figure computed by hand.

Traded categories a and b (z is local and never counted), NUTS 2021 level 2, 2015:

    cell  employment  imputed_share  coverage  split_share  rankable
    R1 a     100         0.5           0.9        0          True
    R1 b     300         0             0.7        0          False
    R2 a       :         :             0.5        0.05       False
    R2 b     600         0.1           1.0        0.05       True
    R3 a     200         0             0.79       0.9        False
    R3 b       :         :             :          0.9        False

6 cells, 4 with employment known; imputed employment 100 × 0.5 + 600 × 0.1 = 110 of 1,200 = 9.1667%;
below coverage 0.8: R1 b, R2 a, R3 a = 3; split share > 0.5 (MAX_SPLIT_SHARE): R3 a, R3 b = 2 (4 with some);
rankable: 2.
Regions: R4 has no data (1 of 4 in region_data_quality); SBS/LFS: R1 high, R2 low, R3 no ratio → 2 of 2 compared.
Industry panel: 10 division cells, 2 imputed, 1 missing → 3. SBS rows: R1 converted → 1 of 3 regions.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.errors import StoreError
from clusterobs.mapping.trust import BEGIN, END, replace_block, to_markdown, trust_report
from clusterobs.store import Store

NAN = math.nan
CELLS = [  # region, category, employment, imputed_share, coverage, split_share, rankable
    ("R1", "a", 100, 0.5, 0.9, 0.0, True), ("R1", "b", 300, 0.0, 0.7, 0.0, False),
    ("R2", "a", NAN, NAN, 0.5, 0.05, False), ("R2", "b", 600, 0.1, 1.0, 0.05, True),
    ("R3", "a", 200, 0.0, 0.79, 0.9, False), ("R3", "b", NAN, NAN, NAN, 0.9, False),
    ("R1", "z", 1000, 1.0, 0.1, 0.9, False),
]


def _measures(engine: bool) -> pd.DataFrame:
    rows = [{"nuts_version": 2021, "level": 2, "region": r, "category": c, "year": 2015, "employment": e,
             "imputed_share": s, "coverage": cov, "split_share": sp, "rankable": rk}
            for r, c, e, s, cov, sp, rk in CELLS]
    rows.append({**rows[0], "year": 2014, "employment": 90.0})  # an older year: one cell
    rows.append({**rows[1], "nuts_version": 2013})  # another unit
    df = pd.DataFrame(rows)
    return df if engine else df.drop(columns=["coverage", "split_share", "rankable"])


def build(home, *, engine: bool) -> Store:
    unit = {"nuts_version": 2021, "level": 2, "year": 2015}
    tables = {
        "categories": pd.DataFrame({"category": ["a", "b", "z"], "kind": ["traded", "traded", "local"]}),
        "cluster_measures": _measures(engine),
        "region_caveats": pd.DataFrame([
            {**unit, "region": "R1", "sector": "B-E", "ratio": 3.0, "flag": "high", "caveat": "SBS counts 3.0×"},
            {**unit, "region": "R1", "sector": "F", "ratio": 1.0, "flag": None, "caveat": None},
            {**unit, "region": "R2", "sector": "F", "ratio": 0.2, "flag": "low", "caveat": "SBS counts only 20%"},
            {**unit, "region": "R3", "sector": "F", "ratio": None, "flag": None, "caveat": None},
        ]),
        "concordance_coverage": pd.DataFrame({"scope": ["traded", "traded+local", "traded"],
                                              "measure": ["employment_share", "employment_share", "employment_year"],
                                              "value": [0.5, 0.9, 2015.0]}),
        "category_coverage": pd.DataFrame({"category": ["a", "b", "z"], "kind": ["traded", "traded", "local"],
                                           "status": ["covered", "partly covered", "covered"]}),
        "industry_panel": pd.DataFrame({**unit, "region": "R1", "industry": [f"C{i}" for i in range(10, 20)],
                                        "employment": [1.0] * 9 + [None], "imputed": [True, True] + [False] * 8}),
        "sbs_employment": pd.DataFrame({**unit, "region": ["R1", "R2", "R3"], "nace": "C", "value": 1.0,
                                        "converted": [True, False, False]}),
        "regions": pd.DataFrame({"nuts_version": 2021, "code": ["R1", "R2", "R3"], "name": ["One", "Two", "Three"],
                                "name_latn": ["One", "Two", "Three"]}),
    }
    if engine:
        tables["region_data_quality"] = pd.DataFrame({**unit, "region": ["R1", "R2", "R3", "R4"],
                                                      "no_data": [False, False, False, True],
                                                      "no_data_reason": [None, None, None, "no SBS data"]})
    store = Store(home)
    with store.begin() as w:
        for name, df in tables.items():
            w.write(name, df, description=name)
        w.publish()
    return store


@pytest.fixture
def today(tmp_path):
    return build(tmp_path / "today", engine=False)


@pytest.fixture
def engine(tmp_path):
    return build(tmp_path / "engine", engine=True)


def test_figures_today(today):
    r = trust_report(today)
    assert (r.nuts_version, r.level, r.year) == (2021, 2, 2015)
    f = {x.key: x for x in r.figures}
    assert f["regions"].value == 3
    assert (f["traded_categories"].value, f["traded_categories"].total) == (2, 2)
    assert f["cells"].value == 6
    assert (f["employment_known"].value, f["employment_known"].total) == (4, 6)
    assert f["employment_known"].display == "4 of 6 (66.7%)"
    assert f["imputed_share"].value == pytest.approx(110 / 1200)
    assert f["imputed_share"].display == "9.2%"
    for key in ("cells_low_coverage", "cells_split", "cells_rankable", "regions_no_data"):
        assert f[key].value is None and f[key].display == "not available", key
    assert (f["regions_caveats"].value, f["regions_caveats"].total) == (2, 2)
    assert "1 regions too high, 1 too low" in f["regions_caveats"].note
    assert f["concordance_traded"].value == 0.5 and f["concordance_all"].value == 0.9
    assert (f["categories_in_sbs"].value, f["categories_in_sbs"].total) == (1, 2)
    assert f["categories_in_sbs"].note.startswith("1 partly covered")
    assert (f["panel_gaps"].value, f["panel_gaps"].total) == (3, 10)
    assert f["panel_gaps"].note == "2 imputed, 1 left missing (their section is missing too)"
    assert (f["regions_converted"].value, f["regions_converted"].total) == (1, 3)
    assert list(r.caveats["region"]) == ["R2", "R1"]  # |ln 0.2| > |ln 3|
    assert r.caveats["name"].tolist() == ["Two", "One"]
    assert len(r.limits) == 5 and "US employment structure" in r.limits[0]


def test_figures_with_the_engine_columns(engine):
    f = {x.key: x for x in trust_report(engine).figures}
    assert (f["cells_low_coverage"].value, f["cells_low_coverage"].total) == (3, 6)
    assert f["cells_split"].value == 2 and f["cells_split"].note.startswith("4 cells")
    assert f["cells_rankable"].value == 2
    assert (f["regions_no_data"].value, f["regions_no_data"].total) == (1, 4)
    assert f["regions_no_data"].note == "1: no SBS data"


def test_year_and_unit(today):
    assert trust_report(today, year=2014).figure("cells").value == 1
    assert trust_report(today, nuts_version=2013).figure("cells").value == 1
    with pytest.raises(StoreError, match="years: 2014, 2015"):
        trust_report(today, year=2000)
    with pytest.raises(StoreError, match="NUTS 2013 level 2, NUTS 2021 level 2"):
        trust_report(today, nuts_version=2016)


def test_markdown_and_block(today):
    text = to_markdown(trust_report(today), date="2026-12-06")
    assert text.startswith("Figures for NUTS 2021 level 2, 2015, dataset version `")
    assert "generated on 2026-12-06" in text
    assert "| Cells with employment known | 4 of 6 (66.7%) |" in text
    assert "| R2 | Two | F | 0.20 | SBS counts only 20% |" in text
    page = f"# Title\n\nBefore.\n\n{BEGIN}\nold figures\n{END}\n\nAfter.\n"
    new = replace_block(page, text)
    assert "old figures" not in new and new.startswith("# Title") and new.endswith(f"{END}\n\nAfter.\n")
    assert replace_block(new, text) == new
    with pytest.raises(ValueError, match="no block"):
        replace_block("# no markers", text)


def test_cli(today, tmp_path):
    out = CliRunner().invoke(app, ["trust", "--home", str(today.home), "--markdown"])
    assert out.exit_code == 0, out.output
    assert "| Region × traded-category cells | 6 |" in out.output
    page = tmp_path / "trust.md"
    page.write_text(f"# How far\n\n{BEGIN}\n{END}\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["trust", "--home", str(today.home), "--update", str(page)])
    assert out.exit_code == 0, out.output
    assert "| Region × traded-category cells | 6 |" in page.read_text(encoding="utf-8")
    out = CliRunner().invoke(app, ["trust", "--home", str(today.home)])
    assert out.exit_code == 0 and "How far to trust the numbers" in out.output
    out = CliRunner().invoke(app, ["trust", "--home", str(today.home), "--year", "1999"])
    assert out.exit_code == 1


def test_docs_page_has_the_generated_block():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "trust.md").read_text(encoding="utf-8")
    assert page.count(BEGIN) == 1 and page.count(END) == 1
    block = page[page.index(BEGIN):page.index(END)]
    assert "| Region × traded-category cells |" in block and "Known limits" in block


def test_history_figures_on_the_real_compute(computed):
    """The eight years of the mirror: the years, the growths and their breaks, wages, local units and the vintages
    of 2015 (61 of the 15,230 NUTS 2 cells in both differ: docs/methodology.md)."""
    store, summary = computed
    report = trust_report(store, version=summary.version)
    years = report.figure("years")
    assert (years.value, years.display) == (8, "2008–2015 (8 years)")
    cells, growth, breaks = (report.figure(k) for k in ("cells", "cells_growth", "growth_breaks"))
    assert 0.8 * cells.value < growth.value <= cells.value and breaks.total == growth.value
    assert 0 < breaks.value < growth.value
    assert 0 < report.figure("cells_wages").value < cells.value
    assert (report.figure("vintages").value, report.figure("vintages").total) == (61, 15_230)
    assert report.figure("regions_older_codes").value >= 30  # Italy alone has 21 NUTS 2 regions
    assert any(limit.startswith("**Eight years, two vintages") for limit in report.limits)
