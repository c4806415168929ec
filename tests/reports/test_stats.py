"""Correlations and their intervals, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from clusterobs.reports import stats


def test_pearson_and_spearman_by_hand():
    x = pd.Series([1.0, 2, 3, 4, 5])
    y = pd.Series([2.0, 1, 4, 3, 5])
    c = stats.correlate(x, y)
    # r: sum of cross-deviations 8 over sqrt(10 * 10); ranks equal the values, so rho = r
    assert c.n == 5
    assert c.pearson == pytest.approx(0.8)
    assert c.spearman == pytest.approx(0.8)
    z, q = math.atanh(0.8), 1.959963984540054
    assert (c.pearson_low, c.pearson_high) == pytest.approx((math.tanh(z - q / math.sqrt(2)),
                                                             math.tanh(z + q / math.sqrt(2))))
    se = math.sqrt((1 + 0.8**2 / 2) / 2)  # Bonett-Wright
    assert (c.spearman_low, c.spearman_high) == pytest.approx((math.tanh(z - q * se), math.tanh(z + q * se)))
    assert c.spearman_low < c.pearson_low  # the Bonett-Wright interval is wider


def test_pairs_with_a_missing_value_are_left_out_and_counted():
    x = pd.Series([1.0, 2, 3, 4, 5, None], index=list("abcdef"))
    y = pd.Series([2.0, 1, 4, 3, 5, 9], index=list("abcdef"))
    assert stats.correlate(x, y).n == 5


def test_too_few_regions_give_no_interval():
    c = stats.correlate(pd.Series([1.0, 2, 3]), pd.Series([3.0, 1, 2]))
    assert c.n == 3 and math.isnan(c.pearson) and math.isnan(c.spearman_low)
