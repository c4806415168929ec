"""Agreement with Harvard Growth Lab's ``ecomplexity`` 0.5.3 through the ``clusterobs complexity`` contract.

The reference outputs in fixtures/ were made by fixtures/make_reference.py, run in a throwaway virtualenv with
ecomplexity 0.5.3 (see its docstring). Every column must agree to 1e-6, a missing value with a missing value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.complexity import COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = sorted(p.name.split("_ecomplexity.")[0] for p in FIXTURES.glob("*_ecomplexity.*"))
KEYS = ["region", "category", "year"]


def test_the_fixtures_are_there():
    assert {"hand", "synthetic", "sbs"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_matches_ecomplexity(name: str, suffix: str, tmp_path: Path):
    out = tmp_path / f"out{suffix}"
    source = next(FIXTURES.glob(f"{name}_input.*"))
    run = CliRunner().invoke(app, ["complexity", str(source), "-o", str(out)])
    assert run.exit_code == 0, run.output
    ours = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out, dtype={"region": str, "category": str})
    reference = next(FIXTURES.glob(f"{name}_ecomplexity.*"))
    ref = (pd.read_parquet(reference) if reference.suffix == ".parquet"
           else pd.read_csv(reference, dtype={"region": str, "category": str}))
    assert list(ours.columns) == list(COLUMNS)
    assert not ours.duplicated(KEYS).any() and not ref.duplicated(KEYS).any()
    m = ours.merge(ref, on=KEYS, how="left", suffixes=("", "_ref"), indicator=True)
    # ours has every row of ecomplexity's; the only others are rows absent from the input whose region or category
    # has no employment that year (ecomplexity returns those regions' and categories' input rows only): empty
    extra = m[m["_merge"] == "left_only"]
    assert len(m) - len(extra) == len(ref)
    assert extra[list(COLUMNS[3:])].isna().all().all()
    both = m[m["_merge"] == "both"]
    assert len(both) > 0
    for col in COLUMNS[3:]:
        a, b = both[col].to_numpy(dtype=float), both[f"{col}_ref"].to_numpy(dtype=float)
        assert (np.isnan(a) == np.isnan(b)).all(), f"{name} {col}: missing values differ"
        ok = ~np.isnan(a)
        assert ok.any()
        np.testing.assert_allclose(a[ok], b[ok], rtol=0, atol=1e-6, err_msg=f"{name} {col}")
