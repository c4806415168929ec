"""``clusterobs compute --workers N``: the mapping's NUTS versions in parallel processes, the same tables as one
process maps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.mapping import compute as mapping
from clusterobs.mapping.schemes import load_schemes


def test_unit_chains_group_a_versions_levels_in_order():
    assert mapping.unit_chains(mapping.DEFAULT_UNITS) == [((2021, 2), (2021, 1), (2021, 0)), ((2016, 2),),
                                                          ((2013, 2),)]
    assert mapping.unit_chains(((2013, 2), (2021, 0), (2013, 1))) == [((2013, 2), (2013, 1)), ((2021, 0),)]
    assert mapping.unit_chains(((2021, 2),)) == [((2021, 2),)]


def _same(a: pd.DataFrame, b: pd.DataFrame, name: str) -> None:
    assert list(a.columns) == list(b.columns), name
    assert len(a) == len(b), name
    # DuckDB returns rows in no set order: compare in the order of every column that is not a float
    keys = [c for c in a.columns if not pd.api.types.is_float_dtype(a[c])]
    a = a.sort_values(keys, ignore_index=True, kind="stable")
    b = b.sort_values(keys, ignore_index=True, kind="stable")
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_float_dtype(x):
            # different DuckDB thread counts add in a different order: the last bits of a sum may differ
            np.testing.assert_allclose(x.to_numpy(dtype=float, na_value=np.nan),
                                       y.to_numpy(dtype=float, na_value=np.nan), rtol=1e-9, err_msg=f"{name}.{col}")
        else:
            pd.testing.assert_series_equal(x, y, check_names=False, obj=f"{name}.{col}")


def test_workers_map_the_same_tables_as_one_process(ingested):
    store, _ = ingested
    units = ((2021, 0), (2013, 2))  # two chains (NUTS versions), one small and one of 270 regions
    schemes = {k: v for k, v in load_schemes().items() if k == "eco2007"}
    steps: list[tuple[str, int, int]] = []
    one = mapping.compute_stage(store, {}, units=units, schemes=schemes, workers=1)
    two = mapping.compute_stage(store, {}, lambda *step: steps.append(step), units=units, schemes=schemes,
                                workers=2)
    assert set(one) == set(two) == set(mapping.TABLES)
    for name in mapping.TABLES:
        _same(one[name], two[name], name)
    # units in the order of ``units``, whichever process finished first
    m = two["cluster_measures"]
    assert list(m[["nuts_version", "level"]].drop_duplicates().itertuples(index=False, name=None)) == list(units)
    assert sorted(done for _, done, _ in steps) == [1, 2] and {total for *_, total in steps} == {2}
    assert {label for label, *_ in steps} == {"mapped NUTS 2021 level 0", "mapped NUTS 2013 level 2"}
    assert (two["cluster_stars"]["stars"] > 0).sum() > 1000  # a real mapping, not two empty ones
