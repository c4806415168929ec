"""The store publishes whole versions atomically and keeps the old one on failure."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.errors import StoreError
from clusterobs.store import Store, frame_checksum


def _publish(store: Store, df: pd.DataFrame) -> str:
    with store.begin() as w:
        w.write("t", df, description="test table")
        return w.publish()


def test_no_version_before_first_publish(tmp_path):
    store = Store(tmp_path)
    assert store.current() is None
    with pytest.raises(StoreError, match="run `clusterobs ingest` first"):
        store.table("t")


def test_publish_then_read(tmp_path):
    store = Store(tmp_path)
    v = _publish(store, pd.DataFrame({"a": [1, 2, 3]}))
    assert store.current() == v
    assert store.table("t")["a"].tolist() == [1, 2, 3]
    cat = store.tables().set_index("name")
    assert cat.loc["t", "rows"] == 3
    assert cat.loc["t", "checksum"] == frame_checksum(pd.DataFrame({"a": [3, 1, 2]}))


def test_failure_while_writing_keeps_previous_version(tmp_path):
    store = Store(tmp_path)
    v1 = _publish(store, pd.DataFrame({"a": [1]}))
    with pytest.raises(OSError, match="disk full"), store.begin() as w:
        w.write("t", pd.DataFrame({"a": [2]}), description="")
        raise OSError("disk full")
    assert store.current() == v1
    assert store.table("t")["a"].tolist() == [1]
    assert not list((tmp_path / "versions").glob("*.building"))
    assert [i.version for i in store.versions()] == [v1]


def test_unpublished_writer_is_discarded(tmp_path):
    store = Store(tmp_path)
    with store.begin() as w:
        w.write("t", pd.DataFrame({"a": [1]}), description="")
    assert store.current() is None
    assert not list((tmp_path / "versions").iterdir())


def test_two_versions_in_the_same_second_get_distinct_ids(tmp_path):
    store = Store(tmp_path)
    v1 = _publish(store, pd.DataFrame({"a": [1]}))
    v2 = _publish(store, pd.DataFrame({"a": [2]}))
    assert v1 != v2
    assert store.current() == v2
    assert store.table("t", version=v1)["a"].tolist() == [1]


def test_checksum_ignores_row_order_but_not_values():
    a = pd.DataFrame({"x": ["p", "q"], "v": [1.0, None]})
    b = a.iloc[::-1].reset_index(drop=True)
    c = pd.DataFrame({"x": ["p", "q"], "v": [1.0, 0.0]})
    assert frame_checksum(a) == frame_checksum(b)
    assert frame_checksum(a) != frame_checksum(c), "missing must not checksum like zero"


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), 1e308 * 10])
@pytest.mark.parametrize("dtype", ["float64", "Float64"])
def test_a_non_finite_number_is_never_published(tmp_path, bad, dtype):
    """``compute`` once published ``region_total=inf`` from a source cell ``1e400``: the writer refuses it, in a new
    version as in one derived from the published one (as ``compute`` writes), and the old version keeps serving."""
    store = Store(tmp_path)
    v1 = _publish(store, pd.DataFrame({"region": ["AT11"], "region_total": [5.0]}))
    df = pd.DataFrame({"region": ["AT11", "AT12", "AT13"], "year": [2021, 2021, 2021],
                       "region_total": pd.array([5.0, bad, bad], dtype=dtype)})
    for begin in (store.begin, store.derive):
        with pytest.raises(StoreError) as err, begin() as w:
            w.write("cluster_measures", df, description="")
            w.publish()
        message = str(err.value)
        assert "table 'cluster_measures', column 'region_total': 2 value(s) not finite" in message
        assert f"the first {bad} at row 2 (region=AT12, year=2021)" in message
        assert store.current() == v1 and store.table("t")["region_total"].tolist() == [5.0]
    assert not list((tmp_path / "versions").glob("*.building"))


def test_a_nan_is_stored_as_a_missing_value(tmp_path):
    store = Store(tmp_path)
    _publish(store, pd.DataFrame({"a": [1.0, float("nan")]}))
    assert store.table("t")["a"].isna().tolist() == [False, True]
