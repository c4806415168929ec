"""The scoreboard's charts, registered with the site's chart specs by the app's ``ready()`` (so each has its PNG/SVG
export at ``/api/figures/<name>.png|svg``): the map of a dimension, a region's profile, its rank intervals and its
indicator gaps.

Each is an adapter: the page's query (the dimension, the peers), the app's reads (``selectors``) and links, and the
chart's spec below Django (``clusterobs.charts.specs.scoreboard``) with the web's translator."""

from __future__ import annotations

from django.urls import reverse

from clusterobs.charts.specs import scoreboard as spec
from clusterobs.charts.specs.scoreboard import fmt  # noqa: F401 (the pages import it from here)
from clusterobs.scoreboard.pipeline import OVERALL
from clusterobs.web import dataset
from clusterobs.web.chart_registry import ChartOut, chart, filename
from clusterobs.web.labels import T
from clusterobs.web.query import Query
from clusterobs.web.scoreboard import selectors as sb


def dimension_label(name: str) -> str:
    """A dimension's name in the page's language (``charts.specs.scoreboard.dimension_label``)."""
    if name == OVERALL or name in spec.DIMENSION_NAMES:
        return spec.dimension_label(T, name)
    return spec.dimension_label(T, name, sb.dimension_names())


def kind_label(kind: str) -> str:
    return spec.kind_label(T, kind)


def peers_of(q: Query) -> tuple[list[str], bool]:
    """(peers, chosen by the user)."""
    chosen = sb.check_peers(q.region or "", q.extra.get("peers"))
    return (chosen, True) if chosen is not None else (sb.default_peers(q.region or ""), False)


def region_link(code: str) -> str:
    return reverse("scoreboard:region", args=[code])


@chart("scoreboard-map", "dimension")
def scoreboard_map(q: Query) -> ChartOut:
    name = sb.check_dimension(q.extra.get("dimension"))
    return spec.scoreboard_map(T, dataset.data(), dimension=name, scores=sb.scores(name=name),
                               names=sb.dimension_names(), url=region_link,
                               filename=filename("scoreboard-map", q, name))


def _region(q: Query) -> dict:
    if not q.region:
        raise sb.BadParameter("region", "`region` is required for this chart.")
    return sb.region_get(q.region)


@chart("scoreboard-profile", "region", "peers")
def profile(q: Query) -> ChartOut:
    region = _region(q)
    peers, chosen = peers_of(q)
    return spec.profile(T, dataset.data(), region=region, scores=sb.scores(level="dimension"),
                        dimensions=sb.dimension_ids(), peers=peers, chosen=chosen, names=sb.dimension_names(),
                        filename=filename("scoreboard-profile", q, region["code"]))


@chart("scoreboard-ranks", "region")
def rank_chart(q: Query) -> ChartOut:
    region = _region(q)
    code = region["code"]
    ranks = sb.ranks(region=[code])
    ranked = int(sb.scores(name=OVERALL)["rank"].notna().sum())
    return spec.rank_chart(T, dataset.data(), region=region, ranks=ranks, dimensions=sb.dimension_ids(),
                           ranked=ranked, names=sb.dimension_names(), filename=filename("scoreboard-ranks", q, code))


@chart("scoreboard-gaps", "region", "peers", "dimension")
def gaps(q: Query) -> ChartOut:
    region = _region(q)
    code = region["code"]
    peers, chosen = peers_of(q)
    st = sb.strengths(code, peers if chosen else None)
    dim = q.extra.get("dimension")
    if dim and dim != OVERALL:
        st = st[st["dimension"] == sb.check_dimension(dim)]
    return spec.gaps(T, dataset.data(), region=region, strengths=st, filename=filename("scoreboard-gaps", q, code, dim))
