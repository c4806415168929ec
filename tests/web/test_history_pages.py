"""The history on the pages, on the multi-year store built in code (``tests/history_store.py``): the region ×
category timeline, the year control of every module, the fastest growing and declining clusters (hand-set growth,
only cells that can be ranked), a region's structural change (shares computed by hand), in English and French."""

from __future__ import annotations

import re
from html import unescape

import pytest

from clusterobs.web.mapping import selectors

MODULES = {
    "region overview": "/regions/DE11/?scheme=eco2007&year={year}",
    "portfolio": "/regions/DE11/portfolio/?scheme=eco2007&year={year}",
    "sector": "/sectors/automotive/?scheme=eco2007&year={year}&level=2",
    "compare": "/compare/?regions=DE11,FR10&scheme=eco2007&year={year}",
    "map": "/map/?category=automotive&measure=employment&scheme=eco2007&year={year}&level=2",
    "cluster": "/regions/DE11/clusters/automotive/?scheme=eco2007&year={year}",
}


def page(client, url: str, **headers) -> str:
    r = client.get(url, **headers)
    assert r.status_code == 200, f"{url}: {r.status_code}"
    return unescape(r.content.decode())


def text(html: str) -> str:
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, ident: str) -> str:
    """The top-level section ``ident`` (its nested sections included): up to the next ``<section`` of the page's
    own level or the end of the main content."""
    start = html.index(f'id="{ident}"')
    ends = [i for i in (html.find("\n<section", start), html.find("\n{% ", start), html.find("</main>", start))
            if i > 0]
    return html[start:min(ends)]


def list_items(html: str, name: str) -> list[str]:
    m = re.search(rf'data-list="{name}">(.*?)</ol>', html, re.S)
    return [text(li).strip() for li in re.findall(r"<li>(.*?)</li>", m.group(1), re.S)] if m else []


@pytest.mark.parametrize("module", list(MODULES))
def test_every_module_has_a_year_control_and_keeps_the_year_in_its_links(client, history, module):
    html = page(client, MODULES[module].format(year=2014))
    select = re.search(r'<select id="f-year" name="year">(.*?)</select>', html, re.S)
    assert select, f"{module}: no year select"
    assert re.findall(r'<option value="(\d+)"', select.group(1)) == ["2013", "2014", "2015"]
    assert re.search(r'<option value="2014" selected>', select.group(1))
    share = re.search(r'id="share-link"[^>]*value="([^"]+)"', html).group(1)
    assert "year=2014" in share, share


def test_the_map_has_a_year_slider_over_the_store_years(client, history):
    html = page(client, MODULES["map"].format(year=2014))
    slider = re.search(r'<input type="range" id="f-year-range"[^>]*>', html).group(0)
    assert 'min="2013"' in slider and 'max="2015"' in slider and 'value="2014"' in slider
    assert 'data-years="2013 2014 2015"' in slider and "name=" not in slider  # the select is the named control
    assert re.findall(r'<datalist id="f-year-ticks">(.*?)</datalist>', html, re.S)[0].count("<option") == 3


def test_the_real_store_has_a_slider_only_with_several_years(client):
    years = selectors.data().years
    html = page(client, MODULES["map"].format(year=years[-1]))
    if len(years) == 1:
        assert 'id="f-year-range"' not in html
    else:
        slider = re.search(r'<input type="range" id="f-year-range"[^>]*>', html).group(0)
        assert f'min="{years[0]}"' in slider and f'max="{years[-1]}"' in slider


def test_the_map_draws_the_year_asked(client, history):
    for year, value in ((2013, "100,000"), (2014, "110,000"), (2015, "121,000")):
        html = page(client, MODULES["map"].format(year=year))
        row = re.search(r"<tr><td>DE11</td><td>Stuttgart</td><td>([^<]*)</td>", html)
        assert row and row.group(1) == value, (year, row and row.group(1))


def test_the_cluster_page_shows_the_timeline(client, history):
    html = page(client, MODULES["cluster"].format(year=2014))
    table = html[html.index('id="timeline-table"'):]
    table = table[:table.index("</table>")]
    rows = dict(re.findall(r'<tr data-year="(\d+)"[^>]*>(.*?)</tr>', table, re.S))
    assert list(rows) == ["2013", "2014", "2015"]
    employment = {y: re.search(r'data-measure="employment">([^<]*)<', r).group(1) for y, r in rows.items()}
    assert employment == {"2013": "100,000", "2014": "110,000", "2015": "121,000"}
    assert re.search(r'data-measure="productivity">([^<]*)<', rows["2015"]).group(1) == "42,000 EUR"
    assert '<abbr title="b: break in series">b</abbr>' in rows["2014"]
    assert '<abbr title="p: provisional">p</abbr>' in rows["2015"]
    assert "+10.0% a year, 2013–2015" in text(rows["2015"])
    assert re.search(r'<tr data-year="2014" class="highlight">', table)  # the year of the page
    assert 'id="chart-cluster-timeline"' in html and "/api/figures/cluster-timeline.png?" in html
    assert "/api/timeline?region=DE11&amp;category=automotive&amp;scheme=eco2007&amp;format=csv" in \
        client.get(MODULES["cluster"].format(year=2014)).content.decode()
    assert "Stars in 2014 (ECO 2007)" in text(html)


def test_the_timeline_chart_marks_the_flagged_years(client, history):
    from clusterobs.web import chart_registry
    from clusterobs.web.query import Query

    out = chart_registry.build("cluster-timeline", Query(region="DE11", category="automotive", year=2015))
    traces = {t.name: t for t in out.fig.data if t.name}
    assert list(traces["Employment"].x) == [2013, 2014, 2015]
    assert list(traces["Employment"].y) == [100_000, 110_000, 121_000]
    assert list(traces["Stars, ECO 2007"].y[:2]) == [1, 2]
    assert list(traces["Wage per person employed"].y) == [40_000, 40_000, 42_000]
    flagged = [t for t in out.fig.data if t.name == "Flagged year (Eurostat flag)"]
    assert flagged and list(flagged[0].x) == [2014, 2015] and list(flagged[0].text) == ["b", "p"]
    assert any("2014: b: break in series" in n for n in out.notes)
    assert out.table[1][0] == "2013" and out.table[3][1] == "121,000"


def test_region_overview_lists_the_fastest_growing_and_declining(client, history):
    html = section(page(client, MODULES["region overview"].format(year=2015)), "growth")
    # growth 2013-2015 by hand: plastics (7,200 / 5,000)^(1/2) - 1 = +20%, automotive (121,000 / 100,000)^(1/2) - 1 =
    # +10%, metalworking (18,000 / 20,000)^(1/2) - 1 = -5.13%; upstream metal (+50%) cannot be ranked: left out
    assert list_items(html, "growing") == ["Plastics +20.0% a year, 2013–2015",
                                           "Automotive +10.0% a year, 2013–2015 b"]
    assert list_items(html, "declining") == ["Metalworking Technology −5.1% a year, 2013–2015"]
    assert "over 2013–2015" in text(html)
    assert "/regions/DE11/clusters/plastics/?" in html


def test_sector_page_lists_the_fastest_growing_and_declining_regions(client, history):
    html = section(page(client, MODULES["sector"].format(year=2015)), "growth")
    # Lombardia (16,900 / 10,000)^(1/2) - 1 = +30%; DE12 (+50%) cannot be ranked; DE21 did not change
    assert list_items(html, "growing") == ["Lombardia (ITC4) +30.0% a year, 2013–2015",
                                           "Stuttgart (DE11) +10.0% a year, 2013–2015 b"]
    assert list_items(html, "declining") == ["Ile-de-France (FR10) −10.0% a year, 2013–2015"]
    html14 = section(page(client, MODULES["sector"].format(year=2014)), "growth")
    assert list_items(html14, "growing")[0] == "Lombardia (ITC4) +25.0% a year, 2013–2014"


def test_region_structural_change_by_hand(client, history):
    html = section(page(client, MODULES["region overview"].format(year=2014)), "structural-change")
    # shares of the region's traded employment (1,000,000 in both years): automotive 100,000 → 121,000 is
    # 10.0% → 12.1%, +2.10 pp; plastics 0.50% → 0.72%, +0.22 pp; metalworking 2.0% → 1.8%, -0.20 pp
    gained = re.search(r'data-change="gained">(.*?)</table>', html, re.S).group(1)
    lost = re.search(r'data-change="lost">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'data-category="([a-z_]+)"', gained) == ["automotive", "plastics"]
    assert re.findall(r'data-category="([a-z_]+)"', lost) == ["metalworking_technology"]
    assert "Automotive 10.0% 12.1% +2.10 pp" in text(gained)
    assert "Plastics 0.50% 0.72% +0.22 pp" in text(gained)
    assert "Metalworking Technology 2.0% 1.8% −0.20 pp" in text(lost)
    assert "upstream_metal_manufacturing" not in html  # not rankable in 2015: left out
    assert "between 2013 and 2015" in text(html)


def test_the_real_store_growth_and_structural_change(client):
    """One year: the blocks say growth and structural change need two. Several (SBS 2008-2015): Stuttgart has
    growing or declining clusters with their window, and a structural change between its first and last years."""
    years = selectors.data().years
    html = page(client, MODULES["region overview"].format(year=years[-1]))
    if len(years) == 1:
        assert f"Growth needs two years of data; this dataset has one ({years[0]})." in text(html)
        assert "Structural change needs two years with data; this region has one." in text(html)
        return
    growth = section(html, "growth")
    items = list_items(growth, "growing") + list_items(growth, "declining")
    assert items and all(re.search(r"a year, \d{4}–" + str(years[-1]), i) for i in items), items
    change = section(html, "structural-change")
    assert re.search(r"between (\d{4}) and (\d{4}), the first and last years with data", text(change))
    assert 'data-change="gained"' in change or 'data-change="lost"' in change


def test_the_history_in_french(client, history):
    fr = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    region = text(page(client, MODULES["region overview"].format(year=2015), **fr))
    assert "Clusters à la plus forte croissance et en plus fort déclin" in region
    assert "Changement structurel" in region and "+2,10 pp" in region
    assert "+20,0 % par an, 2013–2015" in region
    cluster = text(page(client, MODULES["cluster"].format(year=2014), **fr))
    assert "Automobile à Stuttgart" in cluster and "Au fil des années" in cluster
    assert "rupture de série" in page(client, MODULES["cluster"].format(year=2014), **fr)
    sector = text(page(client, MODULES["sector"].format(year=2015), **fr))
    assert "Régions à la plus forte croissance et en plus fort déclin" in sector
    assert "Année sur le curseur" in page(client, MODULES["map"].format(year=2014), **fr)


def test_unknown_region_or_category_of_the_cluster_page(client, history):
    assert client.get("/regions/XX99/clusters/automotive/").status_code == 404
    assert client.get("/regions/DE11/clusters/nothing/").status_code == 404
    r = client.get("/regions/de11/clusters/automotive/?year=2014")
    assert r.status_code == 302 and r["Location"].startswith("/regions/DE11/clusters/automotive/?year=2014")
    assert client.get("/regions/DE11/clusters/automotive/?year=2012").status_code == 400
