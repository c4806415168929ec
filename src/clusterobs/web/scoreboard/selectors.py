"""Reads of the scoreboard tables of the published version (``scoreboard_*``), for pages, charts and the API.

Errors use the site's selectors' kinds: ``BadParameter`` (400), ``NotFound`` (404), ``NoDataset`` (503).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.scoreboard.peers import MAX_CHOSEN, check_chosen
from clusterobs.scoreboard.pipeline import OVERALL
from clusterobs.scoreboard.strengths import strengths_weaknesses
from clusterobs.store.reads import SCOREBOARD_TABLES
from clusterobs.web import dataset

TABLES = SCOREBOARD_TABLES
LEVELS = ("subdimension", "dimension", "overall")

__all__ = ["MAX_CHOSEN", "BadParameter", "NoDataset", "NotFound"]


def board() -> dataset.Observatory:
    """The published version, if it holds the scoreboard (else ``NoDataset``: run ``clusterobs compute``)."""
    obs = dataset.dataset()
    if not set(TABLES) <= obs.tables:
        raise NoDataset(f"dataset {obs.version} has no scoreboard: run `clusterobs compute`")
    return obs


def _cached(name: str) -> pd.DataFrame:
    """A whole scoreboard table of the published version (``VersionReads.scoreboard``), read once per version."""
    return board().scoreboard(name)


def indicators() -> pd.DataFrame:
    return _cached("indicators")


def dimension_status() -> pd.DataFrame:
    return _cached("dimensions")


def dimensions() -> list[tuple[str, str]]:
    """(id, name) of every dimension in registry order."""
    d = dimension_status().drop_duplicates("dimension")
    return list(zip(d["dimension"], d["dimension_name"], strict=True))


def dimension_ids() -> list[str]:
    return [d for d, _name in dimensions()]


def dimension_names() -> dict[str, str]:
    return dict(dimensions())


def check_dimension(name: str | None) -> str:
    """``overall`` or a dimension id (400 otherwise)."""
    name = name or OVERALL
    known = [OVERALL, *dimension_ids()]
    if name not in known:
        raise BadParameter("dimension", f"`dimension` must be one of {', '.join(known)}; got {name!r}.")
    return name


def regions() -> pd.DataFrame:
    """The scored universe (NUTS 2021 level 2) with names and countries."""
    obs = board()
    codes = _cached("codes")["region"]
    r = obs.regions
    return r[r["code"].isin(set(codes))][["code", "name", "country"]].reset_index(drop=True)


def region_get(code: str) -> dict[str, Any]:
    code = code.upper()
    r = regions()
    row = r[r["code"] == code]
    if row.empty:
        raise NotFound(f"unknown region {code!r}: the scoreboard covers the NUTS 2021 level-2 regions", name="region")
    return row.iloc[0].to_dict()


def scores(*, name: str | None = None, level: str | None = None, region: list[str] | None = None) -> pd.DataFrame:
    if level is not None and level not in LEVELS:
        raise BadParameter("level", f"`level` must be one of {', '.join(LEVELS)}; got {level!r}.")
    df = _cached("scores")
    if name:
        check_name(name)
        df = df[df["name"] == name]
    if level:
        df = df[df["level"] == level]
    if region:
        df = df[df["region"].isin({c.upper() for c in region})]
    names = regions().set_index("code")["name"]
    out = df.assign(region_name=df["region"].map(names))
    return out[["region", "region_name", *[c for c in df.columns if c != "region"]]].reset_index(drop=True)


def check_name(name: str) -> str:
    """``overall``, a dimension id or ``dimension/subdimension`` (400 otherwise)."""
    known = set(_cached("scores")["name"])
    if name not in known:
        raise BadParameter("name", f"`name` must be overall, a dimension id or dimension/subdimension with a score; "
                           f"got {name!r}.")
    return name


def intervals(*, name: str | None = None, region: list[str] | None = None) -> pd.DataFrame:
    df = _cached("intervals")
    if name:
        check_name(name)
        df = df[df["name"] == name]
    if region:
        df = df[df["region"].isin({c.upper() for c in region})]
    return df.reset_index(drop=True)


def ranks(*, name: str | None = None, region: list[str] | None = None) -> pd.DataFrame:
    """Scores with their rank and rank interval (dimensions and overall)."""
    s = scores(name=name, region=region)
    s = s[s["level"] != "subdimension"]
    iv = intervals(name=name, region=region)
    out = s.merge(iv[["region", "name", "rank_p05", "rank_median", "rank_p95", "draws"]], on=["region", "name"],
                  how="left")
    return out[["region", "region_name", "level", "name", "score", "rank", "rank_p05", "rank_median", "rank_p95",
                "draws"]]


def values(*, region: list[str] | None = None, indicator: list[str] | None = None,
           dimension: str | None = None) -> pd.DataFrame:
    df = _cached("values")
    if region:
        df = df[df["region"].isin({c.upper() for c in region})]
    if indicator:
        known = set(indicators()["id"])
        bad = [i for i in indicator if i not in known]
        if bad:
            raise BadParameter("indicator", f"`indicator` must be scoreboard indicator ids; unknown: {', '.join(bad)}.")
        df = df[df["indicator"].isin(indicator)]
    if dimension:
        df = df[df["dimension"] == check_dimension(dimension)]
    ind = indicators().set_index("id")
    return df.assign(indicator_name=df["indicator"].map(ind["name"]), unit=df["indicator"].map(ind["unit"])
                     ).reset_index(drop=True)


def default_peers(code: str) -> list[str]:
    p = _cached("peers")
    return list(p.loc[p["region"] == code, "peer"])


def check_peers(code: str, raw: str | None) -> list[str] | None:
    """A user's peers (``AT12,AT13``) or None for the default nearest regions; 400 for a bad list."""
    if not raw:
        return None
    try:
        return check_chosen(code, raw.split(","), set(regions()["code"]))
    except ValueError as exc:
        raise BadParameter("peers", f"{exc}.") from None


def strengths(code: str, peers: list[str] | None = None) -> pd.DataFrame:
    """The region's indicators against Europe and its peers (the stored default peers, or ``peers``)."""
    if peers is None:
        st = _cached("strengths")
        st = st[st["region"] == code]
    else:
        v = _cached("values")
        st = strengths_weaknesses(v, {code: peers}, regions=[code])
    ind = indicators().set_index("id")
    st = st.assign(indicator_name=st["indicator"].map(ind["name"]), dimension=st["indicator"].map(ind["dimension"]),
                   unit=st["indicator"].map(ind["unit"]))
    order = {d: i for i, d in enumerate(dimension_ids())}
    return st.sort_values(["dimension", "indicator"], key=lambda s: s.map(order) if s.name == "dimension" else s
                          ).reset_index(drop=True)
