"""The frames the web's region charts and the scorecard both draw, built from hand-made cluster measures."""

from __future__ import annotations

import math

import pandas as pd

from clusterobs import charts


def measures(rows: list[tuple]) -> pd.DataFrame:
    cols = ["scheme", "category", "category_name", "kind", "stars", "employment", "lq", "growth", "imputed_share"]
    return pd.DataFrame(rows, columns=cols)


def test_region_star_cells_rank_categories_by_stars_over_the_schemes():
    m = measures([
        ("b", "x", "X", "traded", 3, 10.0, 2.0, None, 0.0), ("a", "x", "X", "traded", 1, 10.0, 2.0, None, 0.0),
        ("a", "y", "Y", "traded", 2, 10.0, 1.0, None, 0.0), ("b", "y", "Y", "traded", 0, 10.0, 1.0, None, 0.0),
        ("a", "z", "Z", "traded", 3, None, 1.0, None, 0.0), ("b", "z", "Z", "traded", 0, None, 1.0, None, 0.0),
        ("a", "w", "W", "traded", 1, 5.0, 1.0, None, 0.0), ("b", "w", "W", "traded", 0, 5.0, 1.0, None, 0.0),
    ])
    cells, rows, more = charts.region_star_cells(m, ["a", "b"], rows=2)
    assert rows == ["X", "Y"] and more == 1  # Z's stars without employment are no data; W is left out
    assert cells["scheme"].tolist() == ["a", "a", "b", "b"]  # in the schemes' order
    assert cells["row"].tolist() == ["X", "Y", "X", "Y"] and cells["stars"].tolist() == [1.0, 2.0, 3.0, 0.0]
    cells, rows, more = charts.region_star_cells(m, ["a", "b"], rows=20)
    assert rows == ["X", "Y", "W"] and more == 0
    cells, rows, more = charts.region_star_cells(m[m["category"] == "z"], ["a", "b"], rows=20)
    assert rows == [] and cells.empty and more == 0


def test_region_star_cells_keep_every_two_and_three_star_category():
    """A category with two stars under one scheme is drawn even when categories with more stars summed over the
    schemes fill the rows: the strongest clusters are never cut (Stuttgart has more than 20 starred categories)."""
    m = measures([
        ("a", "x", "X", "traded", 1, 10.0, 2.0, None, 0.0), ("b", "x", "X", "traded", 1, 10.0, 2.0, None, 0.0),
        ("c", "x", "X", "traded", 1, 10.0, 2.0, None, 0.0),
        ("a", "y", "Y", "traded", 2, 10.0, 1.0, None, 0.0), ("b", "y", "Y", "traded", 0, 10.0, 1.0, None, 0.0),
        ("c", "y", "Y", "traded", 0, 10.0, 1.0, None, 0.0),
        ("a", "w", "W", "traded", 1, 5.0, 1.0, None, 0.0), ("b", "w", "W", "traded", 1, 5.0, 1.0, None, 0.0),
        ("c", "w", "W", "traded", 0, 5.0, 1.0, None, 0.0),
    ])
    # summed: X 3, W 2, Y 2; the one row goes to Y (two stars under a), then nothing else fits
    _, rows, more = charts.region_star_cells(m, ["a", "b", "c"], rows=1)
    assert rows == ["Y"] and more == 2
    _, rows, more = charts.region_star_cells(m, ["a", "b", "c"], rows=2)
    assert rows == ["Y", "X"] and more == 1


def test_region_star_cells_without_employment_are_no_data():
    m = measures([("a", "x", "X", "traded", 2, 10.0, 2.0, None, 0.0),
                  ("b", "x", "X", "traded", 1, None, 2.0, None, 0.0)])
    cells, rows, _ = charts.region_star_cells(m, ["a", "b"], rows=20)
    assert rows == ["X"] and cells["stars"].iloc[0] == 2.0 and math.isnan(cells["stars"].iloc[1])


def test_portfolio_rows_draw_employment_without_growth():
    m = measures([
        ("a", "x", "X", "traded", 2, 100.0, 2.0, None, 0.2), ("a", "y", "Y", "traded", 0, 0.0, 0.5, None, 0.0),
        ("a", "z", "Z", "traded", 0, None, None, None, None), ("a", "v", "V", "traded", 1, 50.0, 0.0, None, 0.05),
        ("a", "l", "L", "local", 1, 50.0, 1.0, None, 0.0),
    ])
    rows, growth = charts.portfolio_rows(m, imputed_outline=0.1)
    assert growth is False and rows["category"].tolist() == ["x", "y", "z", "v"]
    assert rows["x"].tolist()[:2] == [100.0, 0.0] and rows["name"].tolist() == ["X", "Y", "Z", "V"]
    assert rows["drawn"].tolist() == [True, False, False, False]  # zero employment, no LQ, LQ 0: not drawn
    assert rows["imputed"].tolist() == [True, False, False, False]


def test_portfolio_rows_draw_growth_when_any_category_has_it():
    m = measures([("a", "x", "X", "traded", 2, 100.0, 2.0, -0.02, 0.0),
                  ("a", "y", "Y", "traded", 0, 10.0, 1.0, None, 0.0)])
    rows, growth = charts.portfolio_rows(m, imputed_outline=0.1)
    assert growth is True and rows["x"].tolist()[0] == -0.02 and rows["drawn"].tolist() == [True, False]
