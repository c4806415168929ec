"""Scorecard sections that need tables of optional engine stages: linkages (``region_opportunities``,
``related_pairs``), economic complexity (``complexity``) and the Regional Ecosystem Scoreboard
(``scoreboard_strengths``, ``scoreboard_scores``, ``scoreboard_peers``). Each says plainly when its table is not in
the dataset."""

from __future__ import annotations

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.palette import ACCENT
from clusterobs.charts.specs.text import SBS_SOURCES, source_line
from clusterobs.classifications.category_labels import label
from clusterobs.reports import formatting as fmt
from clusterobs.reports import i18n
from clusterobs.reports.data import NUTS_VERSION, ReportData
from clusterobs.reports.formatting import T
from clusterobs.reports.i18n import _
from clusterobs.reports.model import Chart, Section, Table

OPPORTUNITIES = 10
#: strengths, and weaknesses, listed (those furthest from the European average; the web lists every one)
STRENGTHS = 10
RELATED_METHOD = "colocation_share"


def _absent(table: str, what: str) -> str:
    return _("Not in this dataset: {what} (table {table}) has not been computed for this dataset version. Run "
             "`clusterobs compute` with a version of clusterobs that includes it.").format(what=what, table=table)


def linkages_section(data: ReportData, code: str, name: str, *, year: int, level: int,
                     starred: pd.DataFrame) -> Section:
    section = Section("linkages", _("Linkages and opportunities"))
    if not data.has("region_opportunities"):
        section.absent = _absent("region_opportunities", _("the cross-sectoral linkages and opportunities"))
        return section
    opp = data.top_opportunities(code, year=year, level=level, limit=OPPORTUNITIES)
    opp["category_name"] = [label(k, i18n.current(), n) for k, n in zip(opp["category"], opp["category_name"],
                                                                         strict=True)]
    section.paragraphs.append(
        _("Opportunities are the traded categories the region is not specialised in (LQ < 1) that are most related "
          "to those it is specialised in: density is the relatedness-weighted share of a category's related "
          "categories (co-location of employment shares across regions) in which the region has LQ ≥ 1, from 0 "
          "to 1."))
    if opp.empty:
        section.absent = _("No opportunity is computed for {name} in {year} at this level.").format(name=name,
                                                                                                    year=year)
        return section
    frame = opp.assign(label=opp["category_name"], value=opp["density"],
                       value_text=[fmt.number(v) for v in opp["density"]], imputed=False, url="",
                       hover=[_("{name}: density {density}, LQ {lq}").format(name=n, density=fmt.number(d),
                                                                             lq=fmt.number(q)) for n, d, q in
                              zip(opp["category_name"], opp["density"], opp["lq"], strict=True)])
    title = _("Cluster opportunities of {name}").format(name=name)
    fig = charts.ranked_bars(frame, Caption(title, _("Density of related specialisations (0-1), {year}, NUTS {nuts}")
                                            .format(year=year, nuts=NUTS_VERSION),
                                            source_line(T, data, SBS_SOURCES),
                                            [_("The {n} categories with the highest density among those where the "
                                               "region's LQ is below 1.").format(n=fmt.integer(len(opp)))]),
                             value_title=_("Density"), colour=ACCENT)
    section.charts.append(Chart("opportunities", title, _("Closest opportunities: {top}.").format(top=", ".join(
        f"{r.category_name} ({fmt.number(r.density)})" for r in opp.head(3).itertuples())), fig))
    section.tables.append(Table(_("Opportunities of {name}").format(name=name),
                                [_("Rank"), _("Category"), _("Density"), _("LQ")],
                                [[str(int(r.rank)), r.category_name, fmt.number(r.density), fmt.number(r.lq)]
                                 for r in opp.itertuples()], numeric=(0, 2, 3)))
    if data.has("related_pairs") and len(starred):
        top = starred[starred["kind"] == "traded"].head(5)
        pairs = data.related_pairs(RELATED_METHOD, year=year, level=2)
        names = {k: label(k, i18n.current(), n) for k, n in zip(data.categories["category"], data.categories["name"],
                                                                 strict=True)}
        rows = []
        for r in top.itertuples():
            mine = pairs[(pairs["category_i"] == r.category) | (pairs["category_j"] == r.category)]
            other = [(b if a == r.category else a, v) for a, b, v in zip(mine["category_i"], mine["category_j"],
                                                                        mine["value"], strict=True)]
            other.sort(key=lambda t: -t[1])
            rows.append([r.category_name, "; ".join(f"{names.get(c, c)} ({fmt.number(v)})" for c, v in other[:4])
                         or "—"])
        section.tables.append(Table(
            _("Linkages: the categories most related to the region's leading starred traded clusters (co-location "
              "relatedness, related pairs at the 90th percentile)"), [_("Starred cluster"), _("Related categories")],
            rows))
    return section


def scoreboard_section(data: ReportData, code: str, name: str) -> Section:
    section = Section("scoreboard", _("Scoreboard strengths and weaknesses"))
    if not data.has("scoreboard_strengths"):
        section.absent = _absent("scoreboard_strengths", _("the Regional Ecosystem Scoreboard"))
        return section
    sw = data.scoreboard_outliers(code)
    if data.has("scoreboard_scores"):
        overall = data.scoreboard_overall(code)
        if len(overall) and not fmt.missing(overall["score"].iloc[0]):
            o = overall.iloc[0]
            section.paragraphs.append(_("Overall scoreboard score {score} (0-100), rank {rank} of {n} regions.")
                                      .format(score=fmt.number(o["score"], 1), rank=int(o["rank"]), n=int(o["n"])))
    section.paragraphs.append(_("Strengths and weaknesses are the indicators where the region's normalised score "
                                "(0-100) is well above or below the European average (see the scoreboard method)."))
    if sw.empty:
        section.paragraphs.append(_("No indicator of {name} stands out from the European average.").format(name=name))
        return section
    kinds = (("strength", _("Strengths of {name}"), _("Strengths of {name}: the {n} furthest from the European "
                                                      "average"),
              _("{n} more strengths: every indicator of {code} is on the observatory's scoreboard page "
                "(/scoreboard/{code}/) and as CSV: /api/scoreboard/strengths?region={code}&fmt=csv.")),
             ("weakness", _("Weaknesses of {name}"), _("Weaknesses of {name}: the {n} furthest from the European "
                                                       "average"),
              _("{n} more weaknesses: every indicator of {code} is on the observatory's scoreboard page "
                "(/scoreboard/{code}/) and as CSV: /api/scoreboard/strengths?region={code}&fmt=csv.")))
    for kind, title, title_top, more in kinds:
        rows = sw[sw["kind"] == kind]
        if rows.empty:
            continue
        shown = rows.head(STRENGTHS)
        note = (more.format(n=fmt.integer(len(rows) - len(shown)), code=code) if len(rows) > len(shown) else "")
        section.tables.append(Table(
            (title_top if note else title).format(name=name, n=fmt.integer(len(shown))),
            [_("Indicator"), _("Dimension"), _("Score"), _("Europe"), _("Peers")],
            [[r.name, r.dimension or "", fmt.number(r.value, 1), fmt.number(r.europe, 1), fmt.number(r.peers_mean, 1)]
             for r in shown.itertuples()], numeric=(2, 3, 4), note=note))
    return section


def peers_section(data: ReportData, code: str, name: str) -> Section:
    section = Section("peers", _("Peer regions"))
    if not data.has("scoreboard_peers"):
        section.absent = _absent("scoreboard_peers", _("the scoreboard's peer regions"))
        return section
    peers = data.scoreboard_peers(code)
    section.paragraphs.append(_("The regions nearest to this one on structural characteristics (the scoreboard's "
                                "peer rule), with their overall scoreboard score."))
    if peers.empty:
        section.absent = _("No peers are computed for {name}.").format(name=name)
        return section
    section.tables.append(Table(_("Peers of {name}").format(name=name),
                                [_("Rank"), _("Region"), _("Distance"), _("Score"), _("Score rank")],
                                [[str(int(r.rank)), f"{r.name} ({r.peer})", fmt.number(r.distance),
                                  fmt.number(r.score, 1), fmt.integer(r.score_rank)] for r in peers.itertuples()],
                                numeric=(0, 2, 3, 4)))
    return section


def complexity_section(data: ReportData, code: str, name: str, *, year: int, level: int) -> Section:
    """The region's ECI and its most feasible growth opportunities (``complexity``: M = 0, densest first)."""
    section = Section("complexity", _("Economic complexity and growth opportunities"))
    if not data.has("complexity"):
        section.absent = _absent("complexity", _("the economic complexity of regions and categories"))
        return section
    rows = data.region_complexity_named(code, level=level, year=year)
    eci = rows["eci"].dropna()
    if eci.empty:
        section.absent = _("No economic complexity is computed for {name} in {year} at this level.").format(
            name=name, year=year)
        return section
    section.paragraphs.append(
        _("Economic Complexity Index (ECI) of {name}: {eci} (mean 0, standard deviation 1 over the year's regions), "
          "with {n} traded categories of revealed comparative advantage at least 1. Growth opportunities are the "
          "traded categories the region does not have, by feasibility: density, the proximity-weighted share of a "
          "category's neighbours the region has (0-1); PCI is the category's complexity and COG how much adding it "
          "would open the way to other complex categories.").format(
            name=name, eci=fmt.number(eci.iloc[0]), n=fmt.integer(int(rows["diversity"].dropna().iloc[0]))))
    opp = rows[(rows["mcp"] == 0) & rows["density"].notna()].sort_values(
        ["density", "pci", "category"], ascending=[False, False, True]).head(OPPORTUNITIES)
    names = [label(k, i18n.current(), n) for k, n in zip(opp["category"], opp["category_name"], strict=True)]
    section.tables.append(Table(_("Growth opportunities of {name}").format(name=name),
                                [_("Rank"), _("Category"), _("Density"), "PCI", "COG"],
                                [[str(i), n, fmt.number(r.density), fmt.number(r.pci), fmt.number(r.cog)]
                                 for i, (n, r) in enumerate(zip(names, opp.itertuples(), strict=True), start=1)],
                                numeric=(0, 2, 3, 4)))
    return section
