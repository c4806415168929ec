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
    raw = values.pivot(index="region", columns="indicator", values="raw")
    europe = wide.mean()
    sd = wide.std()
    regions = regions if regions is not None else list(wide.index)
    frames = []
    for region in regions:
        if region not in wide.index:
            continue
        own = wide.loc[region]
        group = [p for p in peers.get(region, []) if p in wide.index]
        pm = wide.loc[group].mean() if group else pd.Series(np.nan, index=wide.columns)
        pn = wide.loc[group].notna().sum() if group else pd.Series(0, index=wide.columns)
        frames.append(pd.DataFrame({"region": region, "indicator": wide.columns, "raw": raw.loc[region].to_numpy(),
                                    "value": own.to_numpy(), "europe": europe.to_numpy(),
                                    "peers_mean": pm.to_numpy(), "peers_used": pn.to_numpy()}))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["sd"] = out["indicator"].map(sd)
    out["vs_europe"] = out["value"] - out["europe"]
    out["vs_peers"] = (out["value"] - out["peers_mean"]).where(out["peers_used"] > 0)
    out["peers_mean"] = out["peers_mean"].where(out["peers_used"] > 0)
    kind = classify(out["vs_europe"].to_numpy(float), out["vs_peers"].to_numpy(float), out["sd"].to_numpy(float),
                    threshold)
    out["kind"] = np.where(out["value"].isna(), "", kind)
    out["peers_used"] = out["peers_used"].astype("int64")
    return out[COLUMNS]
