"""The scoreboard's charts, registered with the site's chart specs by the app's ``ready()`` (so each has its PNG/SVG
export at ``/api/figures/<name>.png|svg``): the map of a dimension, a region's profile, its rank intervals and its
indicator gaps."""

from __future__ import annotations

import math

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs.text import GISCO, source_line
from clusterobs.scoreboard.pipeline import OVERALL
from clusterobs.web import dataset
from clusterobs.web.chart_registry import ChartOut, EmptyChart, chart, filename, geojson
from clusterobs.web.labels import T
from clusterobs.web.query import Query
from clusterobs.web.scoreboard import selectors as sb

SOURCES = ["ris_2023", "rci_2022", "qog_eqi_2021", "i40_nuts2_indicators", "eurostat_nuts2_indicators",
           "eurostat_sbs_2015", "eurostat_lfs_nuts2_sectors", GISCO]


def _source() -> str:
    """The source line of every scoreboard chart (its indicators' sources and the boundaries)."""
    return source_line(T, dataset.data(), SOURCES)


#: the built-in dimensions' names, translated (a user registry's other dimensions keep their own names)
DIMENSION_LABELS = {
    "knowledge_skills": gettext_lazy("Knowledge & skills"), "access_finance": gettext_lazy("Access to finance"),
    "collaboration": gettext_lazy("Collaboration & internationalisation"),
    "demand": gettext_lazy("Demand conditions"), "entrepreneurship": gettext_lazy("Entrepreneurial conditions"),
    "governance": gettext_lazy("Quality of governance"), "industrial_change": gettext_lazy("Industrial change"),
    "cluster_strength": gettext_lazy("Cluster strength"),
}


def dimension_label(name: str) -> str:
    if name == OVERALL:
        return _("Overall index")
    return str(DIMENSION_LABELS.get(name) or sb.dimension_names().get(name, name))


def peers_of(q: Query) -> tuple[list[str], bool]:
    """(peers, chosen by the user)."""
    chosen = sb.check_peers(q.region or "", q.extra.get("peers"))
    return (chosen, True) if chosen is not None else (sb.default_peers(q.region or ""), False)


def fmt(x: float, digits: int = 1) -> str:
    return ":" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def region_link(code: str) -> str:
    return reverse("scoreboard:region", args=[code])


@chart("scoreboard-map", "dimension")
def scoreboard_map(q: Query) -> ChartOut:
    name = sb.check_dimension(q.extra.get("dimension"))
    s = sb.scores(name=name)
    if s.empty:
        raise EmptyChart(_("No region has a score on this dimension: its data are missing."))
    frame = pd.DataFrame({"code": s["region"], "name": s["region_name"].fillna(s["region"]), "value": s["score"]})
    frame["value_text"] = [_("Score %(score)s, rank %(rank)s") % {"score": fmt(v), "rank": r}
                           if not pd.isna(v) else _("No score") for v, r in zip(s["score"], s["rank"], strict=True)]
    frame["detail"] = [_("%(n)s indicators") % {"n": n} for n in s["indicators_used"]]
    frame["url"] = [region_link(c) for c in frame["code"]]
    label = dimension_label(name)
    title = _("Regional Ecosystem Scoreboard: %(dimension)s") % {"dimension": label}
    subtitle = " · ".join([_("Score 0-100 (min-max normalised, arithmetic mean)"), _("NUTS 2 regions, NUTS 2021")])
    n_missing = int(frame["value"].isna().sum())
    notes = [_("%(n)s of %(total)s regions without a score: too few indicators with data (grey).")
             % {"n": n_missing, "total": len(frame)}] if n_missing else []
    classing = charts.data_classes(frame["value"], k=5, name=_("score"))
    fig = charts.choropleth_map(frame, geojson(2), classing, Caption(title, subtitle, _source(), notes),
                                legend_title=_("Score"), no_data_label=_("No data"), no_data_detail=_("No score"))
    have = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    top = ", ".join(f"{r.name} ({fmt(r.value)})" for r in have.head(3).itertuples())
    summary = _("%(n)s regions scored on %(dimension)s; highest: %(top)s.") % {"n": len(have), "dimension": label,
                                                                              "top": top}
    table = [[_("Code"), _("Region"), _("Score"), _("Rank")]] + [
        [r.region, r.region_name or r.region, fmt(r.score), "" if pd.isna(r.rank) else str(int(r.rank))]
        for r in s.sort_values(["rank", "region"]).itertuples()]
    return ChartOut("scoreboard-map", fig, title, summary, table, filename("scoreboard-map", q, name), notes)


def _region(q: Query) -> dict:
    if not q.region:
        raise sb.BadParameter("region", "`region` is required for this chart.")
    return sb.region_get(q.region)


@chart("scoreboard-profile", "region", "peers")
def profile(q: Query) -> ChartOut:
    region = _region(q)
    code = region["code"]
    peers, chosen = peers_of(q)
    s = sb.scores(level="dimension")
    dims = [d for d in sb.dimension_ids() if d in set(s["name"])]
    rows = []
    for d in dims:
        ds = s[s["name"] == d].set_index("region")["score"]
        label = dimension_label(d)
        series = [(region["name"], ds.get(code, math.nan)), (_("Peers (mean)"), ds.reindex(peers).mean()),
                  (_("European average"), ds.mean())]
        for name, value in series:
            rows.append({"label": label, "series": name, "value": value, "imputed": False, "url": "",
                         "hover": f"{label}<br>{name}: {fmt(value)}"})
    frame = pd.DataFrame(rows)
    if frame["value"].isna().all():
        raise EmptyChart(_("This region has no dimension score: too few indicators with data."))
    title = _("%(region)s: framework conditions") % {"region": region["name"]}
    subtitle = " · ".join([_("Dimension scores 0-100"), _("peers: %(peers)s") % {"peers": ", ".join(peers)},
                           _("NUTS 2021")])
    notes = [_("Peers chosen by the user.") if chosen else
             _("Peers: the five regions nearest on GDP per head, density and employment structure.")]
    fig = charts.grouped_bars(frame, Caption(title, subtitle, _source(), notes), value_title=_("Score"),
                              series_order=[region["name"], _("Peers (mean)"), _("European average")])
    table = [[_("Dimension"), region["name"], _("Peers (mean)"), _("European average")]]
    for label, g in frame.groupby("label", sort=False):
        table.append([str(label), *[fmt(v) for v in g["value"]]])
    summary = _("Scores of %(region)s on %(n)s dimensions, beside its peers and the European average.") % {
        "region": region["name"], "n": len(dims)}
    return ChartOut("scoreboard-profile", fig, title, summary, table, filename("scoreboard-profile", q, code), notes)


@chart("scoreboard-ranks", "region")
def rank_chart(q: Query) -> ChartOut:
    region = _region(q)
    code = region["code"]
    r = sb.ranks(region=[code])
    if r["rank"].isna().all():
        raise EmptyChart(_("This region has no rank: too few indicators with data."))
    order = [OVERALL, *sb.dimension_ids()]
    r = r.set_index("name").reindex([n for n in order if n in set(r["name"])]).reset_index()
    frame = pd.DataFrame({"label": [dimension_label(n) for n in r["name"]], "rank": r["rank"].astype(float),
                          "p05": r["rank_p05"], "p95": r["rank_p95"]})
    frame["hover"] = [_("%(dim)s: rank %(rank)s (90%% interval %(lo)s-%(hi)s)") % {
        "dim": lab, "rank": fmt(rk, 0), "lo": fmt(lo, 0), "hi": fmt(hi, 0)}
        for lab, rk, lo, hi in frame[["label", "rank", "p05", "p95"]].itertuples(index=False)]
    ranked = int(sb.scores(name=OVERALL)["rank"].notna().sum())
    draws = int(r["draws"].dropna().iloc[0]) if r["draws"].notna().any() else 0
    title = _("%(region)s: ranks and their uncertainty") % {"region": region["name"]}
    subtitle = " · ".join([_("Rank among %(n)s regions (1 = best)") % {"n": ranked},
                           _("bars: 5th-95th percentile over %(draws)s draws of weights and normalisations")
                           % {"draws": draws}])
    fig = charts.rank_intervals(frame, Caption(title, subtitle, _source(), []), regions_ranked=ranked,
                                rank_title=_("Rank"), interval_label=_("90% interval"), rank_label=_("Rank"))
    table = [[_("Dimension"), _("Rank"), _("5th percentile"), _("95th percentile")]] + [
        [row.label, fmt(row.rank, 0), fmt(row.p05, 0), fmt(row.p95, 0)] for row in frame.itertuples()]
    summary = _("Ranks of %(region)s with the range they take under other weights and normalisations.") % {
        "region": region["name"]}
    return ChartOut("scoreboard-ranks", fig, title, summary, table, filename("scoreboard-ranks", q, code), [])


@chart("scoreboard-gaps", "region", "peers", "dimension")
def gaps(q: Query) -> ChartOut:
    region = _region(q)
    code = region["code"]
    peers, chosen = peers_of(q)
    st = sb.strengths(code, peers if chosen else None)
    dim = q.extra.get("dimension")
    if dim and dim != OVERALL:
        st = st[st["dimension"] == sb.check_dimension(dim)]
    st = st.dropna(subset=["value"])
    if st.empty:
        raise EmptyChart(_("No indicator value for this region."))
    frame = pd.DataFrame({"label": [short(n) for n in st["indicator_name"]], "value": st["vs_europe"],
                          "kind": st["kind"]})
    frame["hover"] = [_("%(name)s<br>score %(v)s, Europe %(e)s, peers %(p)s") % {
        "name": r.indicator_name, "v": fmt(r.value), "e": fmt(r.europe), "p": fmt(r.peers_mean)}
        for r in st.itertuples()]
    title = _("%(region)s: indicators against the European average") % {"region": region["name"]}
    subtitle = " · ".join([_("Gap in score points (0-100 scale)"),
                           _("blue +: strength, vermillion −: weakness (against Europe and peers)")])
    notes = [_("Strength: above Europe and the peers, and at least half a standard deviation above one of them.")]
    fig = charts.gap_bars(frame, Caption(title, subtitle, _source(), notes),
                          value_title=_("Score points above (+) or below (−) the European average"),
                          reference_label=_("European average"))
    table = [[_("Indicator"), _("Score"), _("European average"), _("Peers (mean)"), _("Assessment")]] + [
        [r.indicator_name, fmt(r.value), fmt(r.europe), fmt(r.peers_mean), kind_label(r.kind)]
        for r in st.itertuples()]
    summary = _("%(s)s strengths and %(w)s weaknesses of %(region)s among %(n)s indicators.") % {
        "s": int((st["kind"] == "strength").sum()), "w": int((st["kind"] == "weakness").sum()),
        "region": region["name"], "n": len(st)}
    return ChartOut("scoreboard-gaps", fig, title, summary, table, filename("scoreboard-gaps", q, code, dim), notes)


def short(name: str, width: int = 48) -> str:
    """An axis label that fits the chart's margin (the full name is in the hover and the table)."""
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def kind_label(kind: str) -> str:
    return {"strength": _("Strength"), "weakness": _("Weakness")}.get(kind, "")
