"""The synthetic generator: seeded, heavy-tailed firm sizes, uneven regions, chunked Parquet, planted errors."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clusterobs.mapping.backends import duckdb_backend
from clusterobs.microdata import file_lookups, map_firms
from clusterobs.microdata import synthetic as syn


def _table(rows: int, seed: int = 7, **kw) -> pa.Table:
    return pa.concat_tables(syn.firm_chunks(rows, seed=seed, **kw))


def test_same_seed_same_firms_other_seed_other_firms():
    a, b, c = _table(20_000), _table(20_000), _table(20_000, seed=8)
    assert a.equals(b)
    assert not a.equals(c)


def test_firm_sizes_are_heavy_tailed_like_business_registers():
    t = _table(400_000, years=(2020,)).to_pandas()
    e = t["employees"].to_numpy()
    assert 0.85 < (e < 10).mean() < 0.97        # micro enterprises (Eurostat: about 93 %)
    assert 0.0005 < (e >= 250).mean() < 0.005   # large ones (Eurostat: about 0.2 %)
    assert e.max() > 2_000
    assert 3 < e.mean() < 10
    # a few regions hold many firms, most few
    per_region = np.sort(t["region"].value_counts().to_numpy())[::-1]
    assert per_region[: len(per_region) // 10].sum() / per_region.sum() > 0.25
    # a region's firms lean to its specialised classes
    top_share = t.groupby("region", observed=True)["nace"].agg(lambda s: s.value_counts(normalize=True).iloc[0])
    assert top_share.median() > 0.05


def test_regions_and_classes_given_are_used_and_codes_look_like_nuts3():
    regions = [f"DE{k:03d}" for k in range(100)]
    t = _table(10_000, regions=regions, classes=["C1011", "C1012"], years=(2020, 2021))
    assert set(t["region"].to_pylist()) <= set(regions)
    assert set(t["nace"].to_pylist()) == {"C1011", "C1012"}
    made_up = syn.synthetic_regions()
    assert len(set(made_up)) == len(made_up) == 1_500
    assert all(len(c) == 5 and c[:2].isalpha() for c in made_up)
    assert len(syn.synthetic_classes()) == 615


def test_balanced_panel_and_exact_row_count(tmp_path, monkeypatch):
    monkeypatch.setattr(syn, "FIRMS_PER_CHUNK", 1_000)
    g = syn.write_firms(tmp_path / "f.parquet", 10_003, years=(2019, 2020, 2021))
    f = pq.ParquetFile(g.path)
    assert f.metadata.num_rows == 10_003 and g.firms == 3_335
    assert f.num_row_groups == 4                 # written chunk by chunk
    assert b"SYNTHETIC" in f.schema_arrow.metadata[b"clusterobs"]
    t = f.read().to_pandas()
    assert (t.groupby("firm_id").size() == 3).sum() == 3_334   # the last firm is cut after its first year
    assert t.duplicated(["firm_id", "year"]).sum() == 0


def test_planted_errors_are_quarantined_as_announced(tmp_path):
    g = syn.write_firms(tmp_path / "f.parquet", 50_000, bad_fraction=0.004)
    assert not g.real_regions and "unknown region code" not in g.expected_quarantine
    assert sum(g.expected_quarantine.values()) > 200
    classes = syn.synthetic_classes()
    conc = pd.DataFrame({"industry": classes, "category": [c[:3] for c in classes], "weight": 1.0})
    r = map_firms(duckdb_backend(), g.path, file_lookups(conc), levels=(3,), schemes=())
    assert r.quarantined == g.expected_quarantine
    assert r.accepted == g.expected_accepted


@pytest.mark.parametrize("rows", [1, 7])
def test_tiny_outputs(tmp_path, rows):
    g = syn.write_firms(tmp_path / "f.parquet", rows)
    assert pq.read_metadata(g.path).num_rows == rows
    assert Counter(g.expected_quarantine) == Counter()
