"""The Regional Ecosystem Scoreboard's charts: a dimension's scores on the map, a region's profile beside its peers
and Europe, its ranks with their uncertainty and its indicators against the European average (the web's
scoreboard pages and their image export)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import GISCO, N_, Translator, source_line

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

#: the overall index's name among the dimensions (``clusterobs.scoreboard.pipeline.OVERALL``; a test checks they are
#: the same: the engine is above the charts and cannot be imported here)
OVERALL = "overall"
#: every scoreboard chart's sources: its indicators' and the boundaries
SOURCES = ["ris_2023", "rci_2022", "qog_eqi_2021", "i40_nuts2_indicators", "eurostat_nuts2_indicators",
           "eurostat_sbs_2015", "eurostat_lfs_nuts2_sectors", GISCO]
#: the built-in dimensions' names (a user registry's other dimensions keep their own names)
DIMENSION_NAMES = {
    "knowledge_skills": N_("Knowledge & skills"), "access_finance": N_("Access to finance"),
    "collaboration": N_("Collaboration & internationalisation"), "demand": N_("Demand conditions"),
    "entrepreneurship": N_("Entrepreneurial conditions"), "governance": N_("Quality of governance"),
    "industrial_change": N_("Industrial change"), "cluster_strength": N_("Cluster strength"),
}


def dimension_label(t: Translator, name: str, names: Mapping[str, str] | None = None) -> str:
    """A dimension's name in ``t``'s language (``names``: the version's names of the others, by id)."""
    if name == OVERALL:
        return t.gettext("Overall index")
    if name in DIMENSION_NAMES:
        return t.gettext(DIMENSION_NAMES[name])
    return str((names or {}).get(name, name))


def fmt(x: float | None, digits: int = 1) -> str:
    """A score or a rank as the scoreboard writes it (":" when missing)."""
    return ":" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def short(name: str, width: int = 48) -> str:
    """An axis label that fits the chart's margin (the full name is in the hover and the table)."""
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def kind_label(t: Translator, kind: str) -> str:
    """"Strength", "Weakness" ("" for neither)."""
    return {"strength": t.gettext("Strength"), "weakness": t.gettext("Weakness")}.get(kind, "")


def scoreboard_map(t: Translator, reads: VersionReads, *, dimension: str, scores: pd.DataFrame,
                   names: Mapping[str, str] | None = None, url: Callable[[str], str] | None = None,
                   filename: str = "scoreboard-map") -> ChartOut:
    """The regions' scores on ``dimension`` (``scores``: ``region``, ``region_name``, ``score``, ``rank``,
    ``indicators_used``); ``url``: a region's scoreboard page."""
    s = scores
    if s.empty:
        raise EmptyChart(t.gettext("No region has a score on this dimension: its data are missing."))
    frame = pd.DataFrame({"code": s["region"], "name": s["region_name"].fillna(s["region"]), "value": s["score"]})
    frame["value_text"] = [t.gettext("Score %(score)s, rank %(rank)s") % {"score": fmt(v), "rank": r}
                           if not pd.isna(v) else t.gettext("No score")
                           for v, r in zip(s["score"], s["rank"], strict=True)]
    frame["detail"] = [t.gettext("%(n)s indicators") % {"n": n} for n in s["indicators_used"]]
    frame["url"] = [url(c) for c in frame["code"]] if url else ""
    label = dimension_label(t, dimension, names)
    title = t.gettext("Regional Ecosystem Scoreboard: %(dimension)s") % {"dimension": label}
    subtitle = " · ".join([t.gettext("Score 0-100 (min-max normalised, arithmetic mean)"),
                           t.gettext("NUTS 2 regions, NUTS 2021")])
    n_missing = int(frame["value"].isna().sum())
    notes = [t.gettext("%(n)s of %(total)s regions without a score: too few indicators with data (grey).")
             % {"n": n_missing, "total": len(frame)}] if n_missing else []
    classing = charts.data_classes(frame["value"], k=5, name=t.gettext("score"))
    fig = charts.choropleth_map(frame, reads.geojson(2), classing,
                                Caption(title, subtitle, source_line(t, reads, SOURCES), notes),
                                legend_title=t.gettext("Score"), no_data_label=t.gettext("No data"),
                                no_data_detail=t.gettext("No score"))
    have = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    top = ", ".join(f"{r.name} ({fmt(r.value)})" for r in have.head(3).itertuples())
    summary = t.gettext("%(n)s regions scored on %(dimension)s; highest: %(top)s.") % {
        "n": len(have), "dimension": label, "top": top}
    table = [[t.gettext("Code"), t.gettext("Region"), t.gettext("Score"), t.gettext("Rank")]] + [
        [r.region, r.region_name or r.region, fmt(r.score), "" if pd.isna(r.rank) else str(int(r.rank))]
        for r in s.sort_values(["rank", "region"]).itertuples()]
    return ChartOut("scoreboard-map", fig, title, summary, table, filename, notes)


def profile(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], scores: pd.DataFrame,
            dimensions: Sequence[str], peers: Sequence[str], chosen: bool, names: Mapping[str, str] | None = None,
            filename: str = "scoreboard-profile") -> ChartOut:
    """The region's (``code``, ``name``) dimension scores beside its ``peers``' mean (``chosen`` by the user, or the
    scoreboard's) and Europe's (``scores``: every region's dimension scores; ``dimensions``: their order)."""
    code = region["code"]
    s = scores
    dims = [d for d in dimensions if d in set(s["name"])]
    peers_mean, europe = t.gettext("Peers (mean)"), t.gettext("European average")
    rows = []
    for d in dims:
        ds = s[s["name"] == d].set_index("region")["score"]
        label = dimension_label(t, d, names)
        series = [(region["name"], ds.get(code, math.nan)), (peers_mean, ds.reindex(list(peers)).mean()),
                  (europe, ds.mean())]
        for name, value in series:
            rows.append({"label": label, "series": name, "value": value, "imputed": False, "url": "",
                         "hover": f"{label}<br>{name}: {fmt(value)}"})
    frame = pd.DataFrame(rows)
    if frame["value"].isna().all():
        raise EmptyChart(t.gettext("This region has no dimension score: too few indicators with data."))
    title = t.gettext("%(region)s: framework conditions") % {"region": region["name"]}
    subtitle = " · ".join([t.gettext("Dimension scores 0-100"),
                           t.gettext("peers: %(peers)s") % {"peers": ", ".join(peers)}, t.gettext("NUTS 2021")])
    notes = [t.gettext("Peers chosen by the user.") if chosen else
             t.gettext("Peers: the five regions nearest on GDP per head, density and employment structure.")]
    fig = charts.grouped_bars(frame, Caption(title, subtitle, source_line(t, reads, SOURCES), notes),
                              value_title=t.gettext("Score"), series_order=[region["name"], peers_mean, europe])
    table = [[t.gettext("Dimension"), region["name"], peers_mean, europe]]
    for label, g in frame.groupby("label", sort=False):
        table.append([str(label), *[fmt(v) for v in g["value"]]])
    summary = t.gettext("Scores of %(region)s on %(n)s dimensions, beside its peers and the European average.") % {
        "region": region["name"], "n": len(dims)}
    return ChartOut("scoreboard-profile", fig, title, summary, table, filename, notes)


def rank_chart(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], ranks: pd.DataFrame,
               dimensions: Sequence[str], ranked: int, names: Mapping[str, str] | None = None,
               filename: str = "scoreboard-ranks") -> ChartOut:
    """The region's (``name``) rank on the overall index and each dimension with its 5th-95th percentile over the
    draws (``ranks``: the region's ``name``, ``rank``, ``rank_p05``, ``rank_p95``, ``draws``; ``ranked``: how many
    regions have an overall rank)."""
    r = ranks
    if r["rank"].isna().all():
        raise EmptyChart(t.gettext("This region has no rank: too few indicators with data."))
    order = [OVERALL, *dimensions]
    r = r.set_index("name").reindex([n for n in order if n in set(r["name"])]).reset_index()
    frame = pd.DataFrame({"label": [dimension_label(t, n, names) for n in r["name"]], "rank": r["rank"].astype(float),
                          "p05": r["rank_p05"], "p95": r["rank_p95"]})
    frame["hover"] = [t.gettext("%(dim)s: rank %(rank)s (90%% interval %(lo)s-%(hi)s)") % {
        "dim": lab, "rank": fmt(rk, 0), "lo": fmt(lo, 0), "hi": fmt(hi, 0)}
        for lab, rk, lo, hi in frame[["label", "rank", "p05", "p95"]].itertuples(index=False)]
    draws = int(r["draws"].dropna().iloc[0]) if r["draws"].notna().any() else 0
    title = t.gettext("%(region)s: ranks and their uncertainty") % {"region": region["name"]}
    subtitle = " · ".join([t.gettext("Rank among %(n)s regions (1 = best)") % {"n": ranked},
                           t.gettext("bars: 5th-95th percentile over %(draws)s draws of weights and normalisations")
                           % {"draws": draws}])
    fig = charts.rank_intervals(frame, Caption(title, subtitle, source_line(t, reads, SOURCES), []),
                                regions_ranked=ranked, rank_title=t.gettext("Rank"),
                                interval_label=t.gettext("90% interval"), rank_label=t.gettext("Rank"))
    table = [[t.gettext("Dimension"), t.gettext("Rank"), t.gettext("5th percentile"), t.gettext("95th percentile")]] + [
        [row.label, fmt(row.rank, 0), fmt(row.p05, 0), fmt(row.p95, 0)] for row in frame.itertuples()]
    summary = t.gettext("Ranks of %(region)s with the range they take under other weights and normalisations.") % {
        "region": region["name"]}
    return ChartOut("scoreboard-ranks", fig, title, summary, table, filename, [])


def gaps(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], strengths: pd.DataFrame,
         filename: str = "scoreboard-gaps") -> ChartOut:
    """The region's (``name``) indicators against the European average, strengths and weaknesses marked
    (``strengths``: one row per indicator with a value: ``indicator_name``, ``value``, ``vs_europe``, ``europe``,
    ``peers_mean``, ``kind``)."""
    st = strengths.dropna(subset=["value"])
    if st.empty:
        raise EmptyChart(t.gettext("No indicator value for this region."))
    frame = pd.DataFrame({"label": [short(n) for n in st["indicator_name"]], "value": st["vs_europe"],
                          "kind": st["kind"]})
    frame["hover"] = [t.gettext("%(name)s<br>score %(v)s, Europe %(e)s, peers %(p)s") % {
        "name": r.indicator_name, "v": fmt(r.value), "e": fmt(r.europe), "p": fmt(r.peers_mean)}
        for r in st.itertuples()]
    title = t.gettext("%(region)s: indicators against the European average") % {"region": region["name"]}
    subtitle = " · ".join([t.gettext("Gap in score points (0-100 scale)"),
                           t.gettext("blue +: strength, vermillion −: weakness (against Europe and peers)")])
    notes = [t.gettext("Strength: above Europe and the peers, and at least half a standard deviation above one of "
                       "them.")]
    europe = t.gettext("European average")
    fig = charts.gap_bars(frame, Caption(title, subtitle, source_line(t, reads, SOURCES), notes),
                          value_title=t.gettext("Score points above (+) or below (−) the European average"),
                          reference_label=europe)
    table = [[t.gettext("Indicator"), t.gettext("Score"), europe, t.gettext("Peers (mean)"),
              t.gettext("Assessment")]] + [
        [r.indicator_name, fmt(r.value), fmt(r.europe), fmt(r.peers_mean), kind_label(t, r.kind)]
        for r in st.itertuples()]
    summary = t.gettext("%(s)s strengths and %(w)s weaknesses of %(region)s among %(n)s indicators.") % {
        "s": int((st["kind"] == "strength").sum()), "w": int((st["kind"] == "weakness").sum()),
        "region": region["name"], "n": len(st)}
    return ChartOut("scoreboard-gaps", fig, title, summary, table, filename, notes)
