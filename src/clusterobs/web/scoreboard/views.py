"""Scoreboard pages: the overview with a map of any dimension, and a page per region with three views
(overall, detailed by indicator, scorecard of strengths and weaknesses) and a peer chooser. State in the URL."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from clusterobs.scoreboard.pipeline import OVERALL
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import base_context, chart_slot, downloads, page
from clusterobs.web.query import parse_query
from clusterobs.web.scoreboard import selectors as sb
from clusterobs.web.scoreboard.charts import dimension_label, fmt, kind_label

VIEWS = {"overall": gettext_lazy("Overall"), "detail": gettext_lazy("By indicator"),
         "scorecard": gettext_lazy("Strengths and weaknesses")}
STATUS = {"filled": gettext_lazy("filled"), "partly filled": gettext_lazy("partly filled"),
          "no data": gettext_lazy("no data")}


def _dimension_choices() -> list[tuple[str, str]]:
    return [(d, dimension_label(d)) for d in (OVERALL, *sb.dimension_ids())]


@cached_page
@page
def index(request: HttpRequest) -> HttpResponse:
    q = parse_query(request.GET)
    dim = sb.check_dimension(q.extra.get("dimension"))
    s = sb.scores(name=dim).sort_values(["rank", "region"])
    iv = sb.intervals(name=dim).set_index("region")
    rows = [{"code": r.region, "name": r.region_name or r.region, "score": fmt(r.score),
             "rank": "" if pd.isna(r.rank) else int(r.rank), "indicators": r.indicators_used,
             "interval": (f"{fmt(iv.at[r.region, 'rank_p05'], 0)}–{fmt(iv.at[r.region, 'rank_p95'], 0)}"
                          if r.region in iv.index else ""),
             "url": reverse("scoreboard:region", args=[r.region])} for r in s.itertuples() if not pd.isna(r.score)]
    status = sb.dimension_status()
    status_rows = [{"dimension": dimension_label(r.dimension), "subdimension": r.subdimension_name,
                    "indicators": f"{r.indicators_with_data} / {r.indicators_configured}",
                    "regions": r.regions_scored, "status": STATUS.get(r.status, r.status),
                    "empty": r.status == "no data"} for r in status.itertuples()]
    ctx = {
        **base_context(request, q, reverse("scoreboard:index"), "dimension"),
        "dimension": dim, "dimension_label": dimension_label(dim), "dimension_choices": _dimension_choices(),
        "map": chart_slot("scoreboard-map", q), "rows": rows, "unscored": int(s["score"].isna().sum()),
        "status_rows": status_rows,
        "downloads": downloads("scoreboard/scores", {"name": dim}),
        "indicator_downloads": downloads("scoreboard/indicators", {}),
    }
    return render(request, "scoreboard/index.html", ctx)


def _dimension_rows(code: str) -> list[dict[str, Any]]:
    r = sb.ranks(region=[code]).set_index("name")
    out = []
    for name in [OVERALL, *sb.dimension_ids()]:
        if name not in r.index:
            out.append({"name": dimension_label(name), "score": ":", "rank": "", "interval": "",
                        "empty": True, "url": ""})
            continue
        row = r.loc[name]
        out.append({"name": dimension_label(name), "score": fmt(row["score"]),
                    "rank": "" if pd.isna(row["rank"]) else int(row["rank"]),
                    "interval": "" if pd.isna(row["rank_p05"]) else
                    f"{fmt(row['rank_p05'], 0)}–{fmt(row['rank_p95'], 0)}",
                    "empty": pd.isna(row["score"]),
                    "url": reverse("scoreboard:index") + f"?dimension={name}"})
    return out


def _indicator_rows(code: str, peers: list[str] | None) -> list[dict[str, Any]]:
    st = sb.strengths(code, peers).set_index("indicator")
    v = sb.values(region=[code]).set_index("indicator")
    rows = []
    for ind in sb.indicators().itertuples():
        if ind.id not in v.index:
            continue
        val, s = v.loc[ind.id], st.loc[ind.id] if ind.id in st.index else None
        raw = val["raw"]
        rows.append({
            "dimension": dimension_label(ind.dimension), "name": ind.name, "id": ind.id,
            "raw": ":" if pd.isna(raw) else f"{raw:,.4g}", "unit": ind.unit,
            "year": "" if pd.isna(val["year"]) else int(val["year"]), "imputed": bool(val["imputed"]),
            "treated": bool(val["outlier_treated"]), "score": fmt(val["normalised"]),
            "europe": fmt(s["europe"]) if s is not None else ":",
            "peers": fmt(s["peers_mean"]) if s is not None else ":",
            "kind": kind_label(s["kind"]) if s is not None else "", "kind_key": s["kind"] if s is not None else "",
            "prenormalised": bool(ind.prenormalised), "excluded": ind.excluded,
        })
    return rows


def _children(request: HttpRequest, code: str) -> HttpResponse | None:
    """A country or NUTS 1 code: the scoreboard works at NUTS 2, so list the region's NUTS 2 regions."""
    regions = sb.regions()
    kids = regions[regions["code"].str.startswith(code.upper()) & (regions["code"] != code.upper())]
    if kids.empty:
        return None
    s = sb.scores(name=OVERALL).set_index("region")
    rows = [{"code": r.code, "name": r.name, "url": reverse("scoreboard:region", args=[r.code]),
             "score": fmt(s["score"].get(r.code, float("nan"))),
             "rank": "" if pd.isna(s["rank"].get(r.code)) else int(s["rank"].get(r.code))}
            for r in kids.itertuples()]
    return render(request, "scoreboard/children.html", {"code": code.upper(), "rows": rows})


@cached_page
@page
def region(request: HttpRequest, code: str) -> HttpResponse:
    try:
        info = sb.region_get(code)
    except sb.NotFound:
        listing = _children(request, code)
        if listing is None:
            raise
        return listing
    code = info["code"]
    q = parse_query(request.GET, region=code)
    view = q.extra.get("view") or "overall"
    if view not in VIEWS:
        raise sb.BadParameter("view", f"`view` must be one of {', '.join(VIEWS)}; got {view!r}.")
    chosen = sb.check_peers(code, q.extra.get("peers"))
    peers = chosen if chosen is not None else sb.default_peers(code)
    names = sb.regions().set_index("code")["name"]
    path = reverse("scoreboard:region", args=[code])
    keep = {"peers": ",".join(chosen)} if chosen else {}
    tabs = [{"key": k, "label": label, "current": k == view,
             "url": path + "?" + q.qs(**{"view": k, **keep})} for k, label in VIEWS.items()]
    ctx: dict[str, Any] = {
        **base_context(request, q, path, "view", "peers"),
        "region": info, "view": view, "tabs": tabs, "chosen": chosen is not None,
        "peers": [{"code": p, "name": names.get(p, p), "url": reverse("scoreboard:region", args=[p])}
                  for p in peers],
        "peers_text": ",".join(chosen or []), "max_peers": sb.MAX_CHOSEN,
        "default_peers_url": path + "?" + q.qs(view=view),
        "values_downloads": downloads("scoreboard/values", {"region": code}),
        "strengths_downloads": downloads("scoreboard/strengths", {"region": code, **keep}),
        "ranks_downloads": downloads("scoreboard/ranks", {"region": code}),
        "mapping_url": reverse("region", args=[code]),
    }
    if view == "overall":
        ctx.update(dimension_rows=_dimension_rows(code), profile=chart_slot("scoreboard-profile", q),
                   ranks=chart_slot("scoreboard-ranks", q))
    else:
        rows = _indicator_rows(code, chosen)
        if view == "detail":
            ctx.update(indicator_rows=rows, gaps=chart_slot("scoreboard-gaps", q))
        else:
            ctx.update(strengths=[r for r in rows if r["kind_key"] == "strength"],
                       weaknesses=[r for r in rows if r["kind_key"] == "weakness"],
                       gaps=chart_slot("scoreboard-gaps", q))
    return render(request, "scoreboard/region.html", ctx)
