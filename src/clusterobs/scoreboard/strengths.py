"""Strengths and weaknesses of a region: its indicators compared with the European average and its peers.

For each indicator the comparison is made on the normalised values (higher = better after ``direction``).
``europe`` is the mean over all regions with a value, ``peers_mean`` the mean over the region's peers with a
value; ``vs_europe`` and ``vs_peers`` are the differences, and the gap is judged in standard deviations of the
indicator across regions. An indicator is a **strength** when the region is above both references and at least
``threshold`` (0.5) standard deviations above one of them, a **weakness** when it is below both and at least
``threshold`` below one of them; otherwise neither (kind ""). Without peers with a value, the European
comparison alone decides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["region", "indicator", "raw", "value", "europe", "peers_mean", "peers_used", "vs_europe", "vs_peers",
           "sd", "kind"]


def classify(vs_europe: np.ndarray, vs_peers: np.ndarray, sd: np.ndarray, threshold: float) -> np.ndarray:
    gap = threshold * sd
    peers_known = ~np.isnan(vs_peers)
    above = (vs_europe > 0) & (~peers_known | (vs_peers > 0))
    below = (vs_europe < 0) & (~peers_known | (vs_peers < 0))
    well_above = (vs_europe >= gap) | (peers_known & (vs_peers >= gap))
    well_below = (vs_europe <= -gap) | (peers_known & (vs_peers <= -gap))
    return np.where(above & well_above, "strength", np.where(below & well_below, "weakness", ""))


def strengths_weaknesses(values: pd.DataFrame, peers: dict[str, list[str]], *, threshold: float = 0.5,
                         regions: list[str] | None = None) -> pd.DataFrame:
    """``values``: the pipeline's long values (``region``, ``indicator``, ``raw``, ``normalised``).
    ``peers``: region → its peer regions. Rows for ``regions`` (default: every region with peers or values)."""
    wide = values.pivot(index="region", columns="indicator", values="normalised")
    raw = values.pivot(index="region", columns="indicator", values="raw").reindex(index=wide.index,
                                                                                 columns=wide.columns)
    regions = [r for r in (regions if regions is not None else list(wide.index)) if r in wide.index]
    if not regions:
        return pd.DataFrame(columns=COLUMNS)
    pos = {r: i for i, r in enumerate(wide.index)}
    member = np.zeros((len(regions), len(wide.index)))          # region × candidate peer
    for i, region in enumerate(regions):
        for p in peers.get(region, []):
            if p in pos:
                member[i, pos[p]] = 1.0
    x = wide.to_numpy(dtype=float)
    present = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        pn = member @ present
        pm = (member @ np.where(present, x, 0.0)) / pn
    own = wide.loc[regions].to_numpy(dtype=float)
    n_ind = len(wide.columns)
    out = pd.DataFrame({"region": np.repeat(regions, n_ind), "indicator": np.tile(wide.columns, len(regions)),
                        "raw": raw.loc[regions].to_numpy(dtype=float).ravel(), "value": own.ravel(),
                        "europe": np.tile(wide.mean().to_numpy(), len(regions)),
                        "peers_mean": pm.ravel(), "peers_used": pn.ravel()})
    sd = wide.std()
    out["sd"] = out["indicator"].map(sd)
    out["vs_europe"] = out["value"] - out["europe"]
    out["vs_peers"] = (out["value"] - out["peers_mean"]).where(out["peers_used"] > 0)
    out["peers_mean"] = out["peers_mean"].where(out["peers_used"] > 0)
    kind = classify(out["vs_europe"].to_numpy(float), out["vs_peers"].to_numpy(float), out["sd"].to_numpy(float),
                    threshold)
    out["kind"] = np.where(out["value"].isna(), "", kind)
    out["peers_used"] = out["peers_used"].astype("int64")
    return out[COLUMNS]
