"""The charts of the years (registered in ``chart_registry.CHARTS`` by the mapping app's ``ready()``): a cluster's
timeline, drawn by its spec below Django (``clusterobs.charts.specs.timeline``)."""

from __future__ import annotations

from clusterobs.charts.specs import timeline
from clusterobs.web.chart_registry import ChartOut, chart, filename
from clusterobs.web.labels import T
from clusterobs.web.mapping import history, selectors
from clusterobs.web.query import Query


@chart("cluster-timeline", "region", "category")
def cluster_timeline(q: Query) -> ChartOut:
    """Region × category: employment, LQ, stars under every scheme and wage per person over the years."""
    if not q.region or not q.category:
        raise selectors.BadParameter("region", "`region` and `category` are required for the cluster timeline.")
    region, cat = selectors.region_get(q.region), selectors.category_get(q.category)
    rows = history.cluster_timeline(q.region, q.category, scheme=q.scheme)
    stars = history.timeline_stars(q.region, q.category)
    return timeline.cluster_timeline(T, selectors.data(), region=region, category=cat, rows=rows, stars=stars,
                                     filename=filename("cluster-timeline", q, q.region, q.category))
