"""Map classing is chosen in the URL: natural breaks (Fisher-Jenks) beside quantiles and equal intervals."""

from __future__ import annotations

import pandas as pd

from clusterobs.charts.classing import jenks_breaks
from clusterobs.web.mapping import selectors


def _figure(response) -> dict:
    from test_pages import figure

    return figure(response, "strength-map")


def test_map_with_natural_breaks_from_the_url(client):
    r = client.get("/map/?category=automotive&measure=focus&method=jenks&classes=5&scheme=eco2007&year=2015&level=2")
    assert r.status_code == 200
    page = r.content.decode()
    assert '<option value="jenks" selected>' in page
    fig = _figure(r)
    notes = " ".join(fig["layout"]["meta"]["notes"])
    assert "natural-breaks classes (Fisher-Jenks" in notes
    values = selectors.region_map_values(category="automotive", measure="focus")["value"]
    breaks = jenks_breaks(pd.to_numeric(values, errors="coerce").dropna(), 5)
    assert len(breaks) == 4
    # each class trace holds exactly the regions the breaks put in it (legend: "range (count)")
    classes = [t for t in fig["data"] if t["type"] == "choroplethmap" and not t["name"].startswith(("No data",
                                                                                                    "Outlined"))]
    assert len(classes) == 5
    counts = pd.cut(pd.to_numeric(values, errors="coerce").dropna(), [-float("inf"), *breaks, float("inf")],
                    right=False).value_counts(sort=False).tolist()
    assert [len(t["locations"]) for t in classes] == counts
    # the image export carries the classing too
    assert "method=jenks" in page and "classes=5" in page


def test_unknown_classing_method_is_a_400_naming_the_choices(client):
    r = client.get("/map/?category=automotive&measure=focus&method=fisher")
    assert r.status_code == 400
    assert "quantile, equal, jenks" in r.content.decode()
