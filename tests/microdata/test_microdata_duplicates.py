"""The duplicate check: a hash of (firm id, year) only selects candidate rows; the exact count decides.

Both ways of finding the hashes seen twice (``sort``, DuckDB's default, and ``group``, PySpark's)
run here on DuckDB; a forced hash collision (every key hashing alike, or keys of other firms and
years hashing alike) must change nothing: the same rows quarantined, with the same file and line,
and the same cells.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pytest
from microdata_cases import ROWS, expected_counts, hand_lookups

from clusterobs.mapping.backends import duckdb_backend
from clusterobs.microdata import REASONS, file_lookups, map_firms, validate
from clusterobs.microdata import synthetic as syn


@pytest.fixture(params=["sort", "group"])
def strategy(request, monkeypatch):
    """Make ``map_firms`` (which picks the way by engine) take ``sort`` or ``group`` on DuckDB."""
    monkeypatch.setattr(validate, "_on_spark", lambda _t: request.param == "group")
    return request.param


def _result(path, lookups=None, **kw):
    kw = {"levels": (3,), "schemes": (), "panels": True, "sample": 100, **kw}
    return map_firms(duckdb_backend(), path, lookups or hand_lookups(), **kw)


def _dup_lines(result) -> list[int]:
    s = result.sample
    return sorted(int(x) for x in s.loc[s["reason"] == REASONS.duplicate, "line"])


def _count_exact_steps(monkeypatch) -> list[int]:
    """A list that gets one item per ``_apply_checks`` call (the main pass, plus one when there are candidates)."""
    calls: list[int] = []
    real = validate._apply_checks

    def spy(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(validate, "_apply_checks", spy)
    return calls


def test_duplicates_are_found_by_both_ways(hand_csv, strategy):
    r = _result(hand_csv)
    assert r.quarantined == expected_counts()
    assert _dup_lines(r) == [line for line, _t, reason in ROWS if reason == REASONS.duplicate] == [21, 22]


def test_triples_padded_ids_and_an_invalid_copy(tmp_path, strategy):
    csv = tmp_path / "f.csv"
    csv.write_text("firm_id,region,nace,year,employees,wages\n"
                   "A1,DE111,C1011,2020,1,10\n"      # line 2: A1 three times in 2020
                   "A1,DE112,C1011,2020,2,20\n"
                   " A1 ,DE111,C1012,2020,3,30\n"    # the same id once trimmed
                   "A1,DE111,C1011,2021,4,40\n"      # line 5: another year, accepted
                   "B2,DE111,C1011,2020,5,50\n"      # line 6: its copy is invalid, accepted
                   "B2,DE111,X9999,2020,6,60\n"
                   "C3,DE111,C1011,2020,7,70\n", encoding="utf-8")  # line 8
    r = _result(csv)
    assert r.quarantined == {REASONS.unknown_nace: 1, REASONS.duplicate: 3}
    assert _dup_lines(r) == [2, 3, 4]
    assert r.accepted == 3 and r.totals["employees"] == (4 + 5 + 7) * 100


@pytest.mark.parametrize("fake_hash", ["constant", "year only"])
def test_a_hash_collision_never_makes_a_duplicate(hand_csv, strategy, monkeypatch, fake_hash):
    want = _result(hand_csv)
    # every key alike, or the keys of a year alike: all rows (or all of a year) become candidates
    fake = ((lambda fid, year: ibis.literal(7, type="int64")) if fake_hash == "constant"
            else (lambda fid, year: year.cast("int64")))
    monkeypatch.setattr(validate, "key_hash", fake)
    calls = _count_exact_steps(monkeypatch)
    got = _result(hand_csv)
    assert len(calls) == 2                      # the candidates went through the exact step
    assert got.quarantined == want.quarantined == expected_counts()
    pd.testing.assert_frame_equal(got.sample, want.sample)
    assert got.totals == want.totals
    pd.testing.assert_frame_equal(got.panels[3], want.panels[3])


def test_colliding_keys_without_duplicates_quarantine_nothing(tmp_path, strategy, monkeypatch):
    csv = tmp_path / "f.csv"
    csv.write_text("firm_id,region,nace,year,employees\n"
                   "1,DE111,C1011,2020,1\n2,DE111,C1011,2020,2\n1,DE111,C1011,2021,3\n", encoding="utf-8")
    monkeypatch.setattr(validate, "key_hash", lambda fid, year: ibis.literal(0, type="int64"))
    calls = _count_exact_steps(monkeypatch)
    r = _result(csv)
    assert len(calls) == 2                      # three rows of one hash: all candidates
    assert r.quarantined == {} and r.accepted == 3 and r.totals["employees"] == 600


def test_no_candidate_no_exact_step(tmp_path, strategy, monkeypatch):
    csv = tmp_path / "f.csv"
    csv.write_text("firm_id,region,nace,year,employees\n1,DE111,C1011,2020,1\n1,DE111,C1011,2021,2\n",
                   encoding="utf-8")
    calls = _count_exact_steps(monkeypatch)
    r = _result(csv)
    assert len(calls) == 1 and r.quarantined == {} and r.accepted == 2


def test_synthetic_planted_duplicates_both_ways_alike(tmp_path, monkeypatch):
    g = syn.write_firms(tmp_path / "f.parquet", 40_000, bad_fraction=0.004, seed=5)
    assert g.expected_quarantine[REASONS.duplicate] > 0
    classes = syn.synthetic_classes()
    lookups = file_lookups(pd.DataFrame({"industry": classes, "category": [c[:3] for c in classes], "weight": 1.0}))
    out = {}
    for how in ("sort", "group"):
        monkeypatch.setattr(validate, "_on_spark", lambda _t, how=how: how == "group")
        out[how] = _result(g.path, lookups, quarantine_path=tmp_path / f"q-{how}.csv")
        assert out[how].quarantined == g.expected_quarantine
        assert out[how].accepted == g.expected_accepted
    a, b = out["sort"], out["group"]
    assert a.totals == b.totals
    pd.testing.assert_frame_equal(a.panels[3], b.panels[3])
    qa, qb = pd.read_csv(tmp_path / "q-sort.csv"), pd.read_csv(tmp_path / "q-group.csv")
    assert len(qa) == sum(g.expected_quarantine.values())
    pd.testing.assert_frame_equal(qa, qb)


def test_unknown_way_is_an_error():
    t = ibis.memtable({"firm_id": ["1"], "nace": ["C1011"], "year": ["2020"], "employees": ["1"],
                       "region": ["DE111"], "_file": ["f"], "_line": [2]})
    with pytest.raises(ValueError, match="duplicates"):
        validate.check_firms(t, classes=ibis.memtable({"alias": ["C1011"], "code": ["C1011"]}), duplicates="hash")
