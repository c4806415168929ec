"""The shortcuts of the microdata pipeline's fixed costs give what the long way gave: ``collect`` is ``execute``'s
frame, the mapped frames come sorted by the engine, the finest level's cells are not summed again, the store's
lookups are read through one connection, and the CLI leaves the garbage collector as it found it."""

from __future__ import annotations

import gc

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
from microdata_cases import CONCORDANCE, hand_lookups, write_csv

from clusterobs.mapping import map_table
from clusterobs.mapping.backends import collect, duckdb_backend
from clusterobs.microdata import map_firms, store_lookups


def test_collect_is_executes_frame_with_nulls_in_every_kind_of_column():
    con = duckdb_backend()
    t = con.create_table("t", pd.DataFrame({
        "k": [1, 2, 3], "i": pd.array([4, None, 6], dtype="Int64"), "f": [0.5, np.nan, 2.25],
        "b": pd.array([True, None, False], dtype="boolean"), "s": ["a", None, "c"],
        "n": pd.Series([None, None, None], dtype="string")}))
    expr = t.mutate(j=t.k * 2, g=ibis.ifelse(t.k == 2, ibis.null("float64"), t.f)).order_by("k")
    got = collect(expr)
    pd.testing.assert_frame_equal(got, expr.execute(), check_exact=True)
    assert got["k"].tolist() == [1, 2, 3] and got["j"].dtype == np.int64
    assert got["i"].dtype == np.float64 and got["i"].isna().tolist() == [False, True, False]  # NULL: NaN, as execute
    assert got["b"].tolist() == [True, None, False]
    assert got["s"].isna().tolist() == [False, True, False] and got["n"].isna().all()


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    path = write_csv(tmp_path_factory.mktemp("hand") / "firms.csv")
    return map_firms(duckdb_backend(), path, hand_lookups(), levels=(0, 3, 2), schemes=("eco2007", "uscmp"),
                     panels=True)


@pytest.mark.parametrize("scheme", ["eco2007", "uscmp"])
def test_mapped_frames_come_sorted_by_level_year_category_region(mapped, scheme):
    df = mapped.mapped[scheme]
    keys = ["level", "year", "category", "region"]
    resorted = df.sort_values(keys, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(df, resorted, check_exact=True)
    assert isinstance(df.index, pd.RangeIndex) and df["level"].unique().tolist() == [0, 2, 3]
    assert not df.duplicated(keys).any()


def test_the_finest_level_maps_the_checked_cells_as_they_are(mapped):
    """NUTS-3, the finest level, is mapped from firm_cells' accepted cells without summing them again: the
    engine's mapping of the same region × class × year panel, as at the coarser levels."""
    for level in (3, 2):
        panel = mapped.panels[level].rename(columns={"employees": "employment"})
        panel["establishments"] = panel["firms"].astype(float)
        panel = panel[["region", "industry", "year", "employment", "wages", "establishments"]]
        theirs = map_table(panel, scheme="eco2007", concordance=CONCORDANCE)
        ours = mapped.mapped["eco2007"]
        ours = ours[ours["level"] == level].drop(columns=["nuts_version", "level"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
        assert len(panel) == mapped.cells[level]
    assert mapped.cells == {3: 9, 2: 7, 0: 7}  # as before the finest level skipped its sum (the same counts)


def test_store_lookups_read_every_table_through_one_connection():
    frames = {
        "nace": pd.DataFrame({"code": ["C1012", "C10", "C1013"], "level": [4, 2, 4]}),
        "nuts_codes": pd.DataFrame({"code": ["FR10", "DE21", "XX"], "nuts_version": [2016, 2016, 2013]}),
        "concordance": pd.DataFrame({"industry": ["C1012", "C10"], "category": ["food", "food"], "weight": [1.0, 1.0],
                                     "level": [4, 2]}),
        "categories": pd.DataFrame({"category": ["food", "local"], "kind": ["traded", "local"]}),
    }

    class Store:
        connections = 0

        def current(self):
            return "v1"

        def connect(self, version=None):
            assert version == "v1"
            Store.connections += 1
            con = duckdb.connect()
            for name, df in frames.items():
                con.register(name, df)
            return con

    lk = store_lookups(Store())
    assert Store.connections == 1
    assert lk.classes == ["C1012", "C1013"] and lk.regions == ["DE21", "FR10"] and lk.traded == ["food"]
    assert lk.concordance.to_dict("list") == {"industry": ["C1012"], "category": ["food"], "weight": [1.0]}
    assert lk.source == "store v1 (NUTS 2016)"


def test_the_cli_leaves_the_garbage_collector_unfrozen(tmp_path):
    from typer.testing import CliRunner

    from clusterobs.cli import app

    conc = tmp_path / "conc.csv"
    CONCORDANCE.to_csv(conc, index=False)
    path = write_csv(tmp_path / "firms.csv")
    before = gc.get_freeze_count()
    r = CliRunner().invoke(app, ["microdata", "check", str(path), "--concordance", str(conc),
                                 "--home", str(tmp_path / "empty"), "--json"])
    assert r.exit_code == 0, r.output
    assert gc.isenabled() and gc.get_freeze_count() == before
