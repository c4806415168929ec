"""``clusterobs compute --nuts-version V --level L``: the mapping restricted to some of its units, and the engine's
input for them (``engine_frames``: what ``--engine spark`` ships to the executors)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.mapping.compute import DEFAULT_UNITS, ENGINE_COLUMNS, engine_frames, select_units, unit_levels
from clusterobs.store import Store


def test_select_units_keeps_the_units_asked_for_in_order():
    assert select_units() == DEFAULT_UNITS
    assert select_units([2021], [2]) == ((2021, 2),)
    assert select_units([2021]) == ((2021, 2), (2021, 1), (2021, 0))
    assert select_units(levels=[2]) == ((2021, 2), (2016, 2), (2013, 2))
    assert select_units([2013, 2021], [0, 2]) == ((2021, 2), (2021, 0), (2013, 2))


@pytest.mark.parametrize(("versions", "levels", "named"), [
    ([2010], None, "NUTS version 2010"),
    (None, [3], "level 3"),
    ([2016], [0], "NUTS version 2016 or level 0"),
    ([2021, 2016], [1], "NUTS version 2016"),
])
def test_select_units_names_what_selects_nothing(versions, levels, named):
    with pytest.raises(ValueError, match=re.escape(f"got no unit of {named}.")) as exc:
        select_units(versions, levels)
    assert "NUTS 2021 level 2, NUTS 2021 level 1, NUTS 2021 level 0, NUTS 2016 level 2, NUTS 2013 level 2" in str(
        exc.value)


@pytest.fixture
def fake_compute(monkeypatch, tmp_path):
    """``run_compute`` replaced by one that records its options and stops (exit 1: "Compute failed")."""
    seen: list[dict] = []

    def fake_run_compute(store, **kw):
        seen.append(kw)
        raise ValueError("stop here")

    monkeypatch.setattr("clusterobs.compute.run_compute", fake_run_compute)
    monkeypatch.setattr(Store, "current", lambda self: "v1")

    def invoke(*args: str):
        return CliRunner().invoke(app, ["compute", "--home", str(tmp_path), *args]), seen

    return invoke


@pytest.mark.parametrize(("args", "units"), [
    ([], DEFAULT_UNITS),
    (["--nuts-version", "2021", "--level", "2"], ((2021, 2),)),
    (["--level", "2"], ((2021, 2), (2016, 2), (2013, 2))),
    (["--nuts-version", "2013", "--nuts-version", "2021", "--level", "0", "--level", "2"],
     ((2021, 2), (2021, 0), (2013, 2))),
])
def test_compute_maps_the_units_asked_for(fake_compute, args, units):
    res, seen = fake_compute(*args)
    assert res.exit_code == 1, res.output
    assert [kw["units"] for kw in seen] == [units]


@pytest.mark.parametrize(("args", "named"), [
    (["--nuts-version", "2010"], "NUTS version 2010"),
    (["--nuts-version", "2016", "--level", "0"], "NUTS version 2016 or level 0"),
    (["--level", "3", "--engine", "spark"], "level 3"),
])
def test_compute_refuses_units_it_does_not_map(fake_compute, args, named):
    res, seen = fake_compute(*args)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.replace("│", " ").split())  # the message, out of its box
    assert "--nuts-version" in text and f"got no unit of {named}." in text
    assert seen == []  # refused before anything ran


def test_unit_levels():
    assert unit_levels(2) == {"sbs_employment": {0, 2}, "sbs_wages": {2}, "sbs_local_units": {2},
                              "nuts_split_shares": set()}
    assert unit_levels(1) == {"sbs_employment": {0, 1, 2}, "sbs_wages": {1}, "sbs_local_units": {1},
                              "nuts_split_shares": {1}}
    assert unit_levels(0)["sbs_employment"] == {0, 1, 2} and unit_levels(0)["nuts_split_shares"] == {0, 1}
    assert unit_levels(1, impute=False) == {"sbs_employment": {1}, "sbs_wages": {1}, "sbs_local_units": {1},
                                            "nuts_split_shares": set()}


def _units(df) -> set[tuple[int, int]]:
    return set(df[["nuts_version", "level"]].drop_duplicates().itertuples(index=False, name=None))


def test_engine_frames_hold_only_what_the_units_read(ingested):
    store, _ = ingested
    frames = engine_frames(store, ((2021, 2), (2013, 2)))
    assert set(frames) == set(ENGINE_COLUMNS)
    for name, df in frames.items():
        assert list(df.columns) == list(ENGINE_COLUMNS[name]), name
    sbs = store.table("sbs_employment")
    assert _units(frames["sbs_employment"]) == {(2021, 2), (2021, 0), (2013, 2), (2013, 0)}
    assert len(frames["sbs_employment"]) == int((sbs["nuts_version"].isin([2021, 2013])
                                                 & sbs["level"].isin([0, 2])).sum())
    assert _units(frames["sbs_wages"]) == _units(frames["sbs_local_units"]) == {(2021, 2), (2013, 2)}
    assert set(frames["nace"]["level"]) == {1, 2} and set(frames["concordance"]["level"]) == {2}
    assert frames["nuts_split_shares"].empty  # the split shares of levels 1 and 0: read only when mapping those
    nuts1 = engine_frames(store, ((2021, 1),))
    assert _units(nuts1["sbs_employment"]) == {(2021, 0), (2021, 1), (2021, 2)}
    assert _units(nuts1["nuts_split_shares"]) == {(2021, 1)}
