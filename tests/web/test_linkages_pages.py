"""The linkages pages and API over the real computed store: what they show is what the tables hold."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.utils import translation

from clusterobs.web.linkages.charts import related_network
from clusterobs.web.query import Query

YEAR = 2015


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def tables(computed):
    store, summary = computed
    out = {n: store.table(n, summary.version) for n in ("relatedness", "region_opportunities", "emerging_shares",
                                                        "emerging_composition")}
    # the pages show one year (YEAR, the latest): opportunities and emerging shares are computed for every year
    for n in ("region_opportunities", "emerging_shares"):
        if "year" in out[n].columns:
            out[n] = out[n][out[n]["year"] == YEAR]
    return out


def _pairs(tables, method="colocation_share"):
    rel = tables["relatedness"]
    one = rel[(rel["method"] == method) & (rel["category_i"] < rel["category_j"]) & rel["value"].notna()]
    return one if method == "uscmp" else one[one["year"] == YEAR]


# ---- pages ------------------------------------------------------------------------------------------------------


def test_index_lists_traded_categories_with_their_closest(client, tables):
    r = client.get("/linkages/")
    assert r.status_code == 200
    html = r.content.decode()
    pairs = _pairs(tables)
    auto = pairs[(pairs["category_i"] == "automotive") | (pairs["category_j"] == "automotive")]
    assert "/linkages/related/automotive/?method=colocation_share" in html
    assert f"{auto['value'].max():.2f}" in html
    assert "/api/linkages/relatedness?" in html and "format=csv" in html


def test_related_page_draws_the_network_of_the_top_decile(client, tables):
    r = client.get(f"/linkages/related/automotive/?method=colocation_share&year={YEAR}&threshold=90")
    assert r.status_code == 200
    html = r.content.decode()
    pairs = _pairs(tables)
    cutoff = pairs["value"].quantile(0.9)
    mine = pairs[((pairs["category_i"] == "automotive") | (pairs["category_j"] == "automotive"))
                 & (pairs["value"] >= cutoff)]
    assert 'id="chart-related-network"' in html
    assert f"{len(mine)} categories are related to Automotive" in html
    assert "/api/figures/related-network.png?year=2015&amp;category=automotive&amp;method=colocation_share" in html
    for other in ("trailers_motor_homes_and_appliances", "metalworking_technology"):
        assert f"/linkages/related/{other}/" in html
    assert 'name="threshold"' in html and '<option value="90" selected' in html


def test_related_page_with_the_us_cmp_matrix_and_another_threshold(client, tables):
    loose = client.get("/linkages/related/automotive/?method=uscmp&threshold=75").content.decode()
    strict = client.get("/linkages/related/automotive/?method=uscmp&threshold=95").content.decode()
    assert "US Cluster Mapping" in loose and loose.count("<tr>") > strict.count("<tr>")


@pytest.mark.parametrize(("path", "words"), [
    ("/linkages/related/emerging_digital/", "is an emerging industry"),
    ("/linkages/related/local_health_services/", "is a local category"),
])
def test_categories_outside_the_matrix_say_why(client, path, words):
    r = client.get(path)
    assert r.status_code == 200 and words in r.content.decode()


@pytest.mark.parametrize(("path", "status"), [
    ("/linkages/related/nope/", 404), ("/linkages/related/automotive/?threshold=5", 400),
    ("/linkages/related/automotive/?method=pagerank", 400), ("/linkages/opportunities/XX99/", 404),
    ("/emerging/automotive/", 404), ("/emerging/?year=1999", 400),
])
def test_bad_links_answer_with_the_right_status(client, path, status):
    assert client.get(path).status_code == status


def test_opportunities_page_ranks_the_densest_unspecialised(client, tables):
    r = client.get(f"/linkages/opportunities/DE11/?year={YEAR}")
    assert r.status_code == 200
    html = r.content.decode()
    opp = tables["region_opportunities"]
    first = opp[(opp["region"] == "DE11") & (opp["rank"] == 1)].iloc[0]
    assert "Closest opportunities of Stuttgart" in html
    assert f"/linkages/related/{first['category']}/" in html and f"{first['density']:.2f}" in html
    assert "/api/linkages/opportunities/DE11?year=2015&amp;format=xlsx" in html
    assert "/api/figures/opportunities.svg?year=2015&amp;region=DE11" in html


def test_opportunities_of_a_larger_region_point_to_its_nuts2_regions(client):
    html = client.get("/linkages/opportunities/DE1/").content.decode()
    assert "/linkages/opportunities/DE11/" in html


def test_emerging_pages(client, tables):
    index = client.get("/emerging/").content.decode()
    assert index.count("/emerging/emerging_") >= 10
    html = client.get(f"/emerging/emerging_digital/?year={YEAR}").content.decode()
    shares = tables["emerging_shares"]
    top = shares[(shares["emerging"] == "emerging_digital") & (shares["rank"] == 1)].iloc[0]
    assert 'id="chart-emerging-map"' in html and 'id="chart-emerging-composition"' in html
    assert f"/regions/{top['region']}/" in html
    assert "J6201" in html and "Business Services" in html
    assert "part=composition" in html and "part=regions" in html


def test_french_page(client):
    html = client.get("/linkages/related/automotive/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Clusters liés" in html


# ---- chart ------------------------------------------------------------------------------------------------------


def test_network_chart_is_deterministic_and_sized_by_employment():
    q = Query(year=YEAR, category="automotive", method="colocation_share", extra={"threshold": "90"})
    a, b = related_network(q), related_network(q)
    assert a.fig.to_json() == b.fig.to_json()
    nodes = [t for t in a.fig.data if t.mode == "markers+text"]
    assert nodes[0].x == (0.0,) and nodes[0].y == (0.0,)  # the focus at the centre
    related = nodes[1]
    assert len(related.x) == len(a.table) - 1
    radii = sorted(zip(related.marker.size, related.text, strict=True))
    assert radii[-1][1] == "Production Technology and Heavy Machinery"  # the largest employer of the eight


# ---- API --------------------------------------------------------------------------------------------------------


def test_api_relatedness_filters(client, tables):
    body = client.get(f"/api/linkages/relatedness?category=automotive&year={YEAR}&threshold=90").json()
    pairs = _pairs(tables)
    assert body["cutoff"] == pytest.approx(pairs["value"].quantile(0.9))
    assert all("automotive" in (r["category_i"], r["category_j"]) and r["value"] >= body["cutoff"]
               for r in body["results"])
    everything = client.get("/api/linkages/relatedness").json()
    assert everything["count"] == len(pairs) and everything["results"][0]["rank"] == 1
    us = client.get("/api/linkages/relatedness?method=uscmp").json()
    assert us["year"] is None and us["count"] == len(_pairs(tables, "uscmp"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
@pytest.mark.parametrize("url", ["/api/linkages/relatedness?method=colocation_loglq",
                                 "/api/linkages/opportunities/DE11", "/api/emerging",
                                 "/api/emerging/emerging_blue_growth?part=regions",
                                 "/api/emerging/emerging_blue_growth?part=composition"])
def test_api_files(client, url, fmt):
    r = client.get(f"{url}{'&' if '?' in url else '?'}format={fmt}")
    assert r.status_code == 200 and f".{fmt}\"" in r["Content-Disposition"]
    json_count = client.get(url).json()["count"]
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(r.content.decode())))) == json_count
    elif fmt == "parquet":
        assert pq.read_table(io.BytesIO(r.content)).num_rows == json_count
    else:
        assert r.content[:2] == b"PK"


def test_api_opportunities_match_the_table(client, tables):
    body = client.get("/api/linkages/opportunities/DE11").json()
    opp = tables["region_opportunities"]
    de11 = opp[opp["region"] == "DE11"]
    assert body["count"] == len(de11) and body["name"] == "Stuttgart"
    assert body["results"][0]["rank"] == 1
    assert body["results"][0]["category"] == de11.loc[de11["rank"] == 1, "category"].iloc[0]
    missing = [r for r in body["results"] if r["lq"] is None]
    assert all(r["specialised"] is None for r in missing)


def test_api_emerging(client, tables):
    body = client.get("/api/emerging").json()
    assert body["count"] == 10
    comp = client.get("/api/emerging/emerging_digital").json()
    assert {r["component_kind"] for r in comp["results"]} == {"industry", "category"}


@pytest.mark.parametrize(("url", "status", "parameter"), [
    ("/api/linkages/relatedness?method=x", 400, "method"),
    ("/api/linkages/relatedness?threshold=10", 400, "threshold"),
    ("/api/linkages/relatedness?category=nope", 404, "category"),
    ("/api/linkages/opportunities/XX99", 404, "code"),
    ("/api/linkages/opportunities/DE1", 400, "region"),
    ("/api/emerging/automotive", 404, "category"),
    ("/api/emerging/emerging_digital?part=x", 400, "part"),
])
def test_api_errors_in_the_envelope(client, url, status, parameter):
    r = client.get(url)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["status"] == status and err["parameter"] == parameter and err["message"]


# ---- image export ---------------------------------------------------------------------------------------------


def test_network_export_error_is_json(client):
    r = client.get("/api/figures/related-network.svg?category=automotive&threshold=5")
    assert r.status_code == 400 and "`threshold`" in r.json()["error"]["message"]


def test_us_cmp_network_cites_the_us_cluster_mapping():
    out = related_network(Query(year=YEAR, category="automotive", method="uscmp", extra={"threshold": "90"}))
    footer = next(a for a in out.fig.layout.annotations if a.name == "caption-footer")
    assert "Cluster Mapping" in footer.text and "published once" in out.fig.layout.meta["subtitle"]


@pytest.mark.browser
@pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(), reason="no Chromium for kaleido")
def test_network_svg_export_carries_title_and_caption(client):
    r = client.get("/api/figures/related-network.svg?category=automotive&method=colocation_loglq&year=2015"
                   "&threshold=95")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert 'filename="related-network_automotive_colocation_loglq_p95_nuts2_2015.svg"' in r["Content-Disposition"]
    svg = r.content.decode()
    assert "Clusters related to Automotive" in svg and "log location quotients" in svg
