"""Properties of ``complexity_table`` on random panels (hypothesis draws the seed and the shape)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterobs.complexity import complexity_table


def panel(seed: int, regions: int, categories: int, years: int, zeros: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    e = rng.lognormal(3, 1.5, (years, regions, categories)) * (rng.random((years, regions, categories)) >= zeros)
    y, r, c = np.meshgrid(np.arange(years), np.arange(regions), np.arange(categories), indexing="ij")
    return pd.DataFrame({"region": [f"R{i}" for i in r.ravel()], "category": [f"C{j}" for j in c.ravel()],
                         "year": 2000 + y.ravel(), "employment": np.floor(e.ravel())})


PANELS = st.builds(panel, st.integers(0, 2**32 - 1), st.integers(4, 30), st.integers(4, 25), st.integers(1, 3),
                   st.sampled_from([0.0, 0.3, 0.6]))


@settings(max_examples=40, deadline=None)
@given(PANELS)
def test_properties(df: pd.DataFrame):
    out = complexity_table(df)
    for _, year in out.groupby("year"):
        regions = year.groupby("region").first()
        eci = regions["eci"].dropna()
        if eci.empty:  # a degenerate year (the sign rule or the eigenvector is undefined): nothing to check
            continue
        # ECI is standardised over the regions (population sd) and correlates positively with diversity
        assert abs(eci.mean()) < 1e-9 and abs(eci.std(ddof=0) - 1) < 1e-9
        assert np.corrcoef(eci, regions.loc[eci.index, "diversity"].astype(float))[0, 1] > 0
        # ECI of a region = mean PCI of what it has (ecomplexity's normalisation keeps the Atlas identity)
        has = year[year["mcp"] == 1].groupby("region")["pci"].mean()
        np.testing.assert_allclose(has.loc[eci.index], eci, atol=1e-8)
        # COI is standardised over the regions too
        coi = regions["coi"].dropna()
        if coi.std(ddof=0) > 0:
            assert abs(coi.mean()) < 1e-9 and abs(coi.std(ddof=0) - 1) < 1e-9
    density = out["density"].dropna()
    assert ((density >= -1e-12) & (density <= 1 + 1e-12)).all()
    # an industry a region already has gains it nothing (in a year with an ECI: COG is scaled by its sd, as in
    # ecomplexity, and has no value when the year's ECI has none)
    has = out[(out["mcp"] == 1) & out["eci"].notna()]
    assert (has["cog"] == 0).all()
    # the density of an industry a region has counts the industry itself (proximity 1 to itself): never 0
    assert (out.loc[out["mcp"] == 1, "density"] > 0).all()


@settings(max_examples=15, deadline=None)
@given(PANELS, st.integers(0, 2**32 - 1), st.floats(0.5, 1000))
def test_row_order_and_unit_do_not_matter(df: pd.DataFrame, seed: int, scale: float):
    """Shuffling the input rows changes nothing; multiplying all employment by a constant changes nothing but RCA's
    last bits (RCA is a ratio of shares)."""
    base = complexity_table(df)
    shuffled = complexity_table(df.sample(frac=1, random_state=seed % 2**31))
    pd.testing.assert_frame_equal(base, shuffled)
    scaled = complexity_table(df.assign(employment=df["employment"] * scale))
    cols = ["rca", "density", "eci", "pci", "coi", "cog"]
    same_m = (base["mcp"] == scaled["mcp"]).fillna(True)
    if same_m.all():  # an RCA of exactly 1 may round either way once scaled
        np.testing.assert_allclose(scaled[cols].to_numpy(float), base[cols].to_numpy(float), atol=1e-7, rtol=1e-9)
