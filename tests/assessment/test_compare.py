"""The comparison appears from five peers on, with hand-checked statistics."""

from __future__ import annotations

import pytest

from clusterobs.assessment import compare


def peers(values):
    return [{"overall": v, "dimensions": {"a": v, "b": 100 - v}} for v in values]


def test_below_five_peers_there_is_no_comparison():
    assert compare({"overall": 30, "dimensions": {"a": 30}}, peers([10, 20, 30, 40])) is None


def test_five_peers_give_quartiles_and_rank():
    """Peers 10..50: median 30, quartiles 20 and 40 (linear); 30 beats two and ties one: rank (2 + 0.5)/5 = 50."""
    c = compare({"overall": 30, "dimensions": {"a": 30, "b": 95}}, peers([10, 20, 30, 40, 50]))
    assert c is not None and c.n == 5
    assert (c.overall.median, c.overall.q1, c.overall.q3, c.overall.mean) == (30, 20, 40, 30)
    assert c.overall.rank == pytest.approx(50)
    assert c.dimensions["b"].rank == pytest.approx(100)  # 95 above 90, 80, 70, 60, 50
