"""Reports rendered from the real data: every chart drawn, correlations recomputed with scipy, optional sections."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape
from PIL import Image
from pypdf import PdfReader
from scipy import stats as sps

from clusterobs.charts.caption import caption_of, without_caption
from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.reports import ReportData, build_scorecard
from clusterobs.reports.html import column_widths
from clusterobs.reports.model import Table


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", "", " ".join(page.extract_text() or "" for page in reader.pages))


def squash(text: str) -> str:
    """Without whitespace: text extractors split words at kerned pairs ("T echnology")."""
    return re.sub(r"\s+", "", text)


def chart_figures(html: str) -> dict[str, tuple[str, bytes]]:
    """chart name → (the HTML of its <figure>, the bytes of its <img>)."""
    import base64

    found = re.findall(r'<figure class="chart" id="chart-[^"]+" data-chart="([^"]+)">(.*?)</figure>', html, re.S)
    out = {}
    for name, inner in found:
        image = re.search(r'<img class="chart" alt="[^"]*" src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)">', inner)
        assert image, f"chart {name!r} has no JPEG image"
        out[name] = (inner, base64.b64decode(image.group(1)))
    return out


@pytest.mark.parametrize("which", ["scorecard", "panorama"])
def test_every_chart_is_drawn_in_the_html_and_the_pdf(which, request):
    report, out = request.getfixturevalue(which)
    html = out.html.read_text(encoding="utf-8")
    figures = chart_figures(html)
    assert list(figures) == [c.name for c in report.charts]
    assert len(figures) >= 5
    text = pdf_text(out.pdf)
    for chart in report.charts:
        inner, image = figures[chart.name]
        picture = Image.open(io.BytesIO(image))
        # print resolution (scale 2) at the figure's size without its caption, which the HTML prints as text
        assert picture.format == "JPEG"
        assert picture.size == (2 * 1000, 2 * without_caption(chart.fig)["layout"]["height"])
        caption = caption_of(chart.fig)
        assert caption.title == chart.title
        for line in [caption.title, caption.subtitle, caption.source, *caption.notes, chart.summary]:
            assert str(escape(line)) in inner, (chart.name, line)
        assert squash(chart.title) in text, f"chart {chart.name!r} missing from the PDF"
        assert squash(caption.source[:60]) in text
    pdf = PdfReader(io.BytesIO(out.pdf.read_bytes()))
    assert pdf.metadata.title == report.title
    embedded = {}  # image XObjects by object number: pages share their resources
    for page in pdf.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                embedded[xobject.indirect_reference.idnum] = (xobject["/Filter"], xobject.get_data())
    assert {f for f, _ in embedded.values()} == {"/DCTDecode"}
    assert sorted(d for _, d in embedded.values()) == sorted(image for _, image in figures.values())  # as they are


def _strength(store) -> pd.Series:
    """Cluster strength recomputed from the raw tables: share of traded employment in 1-3 star clusters, over the
    rankable cells of the regions that are not no-data."""
    con = store.connect()
    try:
        df = con.execute("""
            SELECT m.region, m.employment, s.stars FROM cluster_measures m
            JOIN cluster_stars s USING (nuts_version, level, region, category, year)
            JOIN categories c USING (category)
            JOIN region_data_quality q USING (nuts_version, level, region, year)
            WHERE m.nuts_version = 2021 AND m.level = 2 AND m.year = 2015 AND s.scheme = 'eco2007'
              AND c.kind = 'traded' AND m.employment IS NOT NULL AND m.rankable AND NOT q.no_data""").df()
        gdp = con.execute("SELECT region, value FROM regional_indicators WHERE indicator = 'gdp_per_capita_eur' "
                          "AND year = 2015").df().set_index("region")["value"]
    finally:
        con.close()
    starred = df[df["stars"] > 0].groupby("region")["employment"].sum()
    total = df.groupby("region")["employment"].sum()
    return (100 * starred.reindex(total.index, fill_value=0) / total), gdp


def test_correlation_with_gdp_per_capita_equals_scipy(computed, panorama):
    store, _ = computed
    report, out = panorama
    strength, gdp = _strength(store)
    pair = pd.concat([strength, gdp], axis=1, join="inner").dropna()
    pair.columns = ["strength", "gdp"]
    n = len(pair)
    r = sps.pearsonr(pair["gdp"], pair["strength"])
    rho = sps.spearmanr(pair["gdp"], pair["strength"])
    got = report.facts["correlations"]["gdp_per_capita_eur"]
    assert got["n"] == n and n > 250
    assert not set(pair.index) & set(report.facts["excluded_regions"])  # no-data regions are not correlated
    assert got["pearson"] == pytest.approx(r.statistic, abs=1e-9)
    assert got["spearman"] == pytest.approx(rho.statistic, abs=1e-9)
    assert got["pearson_p"] == pytest.approx(r.pvalue, rel=1e-6)
    ci = r.confidence_interval(0.95)  # scipy's is the Fisher z interval
    assert (got["pearson_low"], got["pearson_high"]) == pytest.approx((ci.low, ci.high), abs=1e-9)
    se = math.sqrt((1 + rho.statistic**2 / 2) / (n - 3))
    z = np.arctanh(rho.statistic)
    assert (got["spearman_low"], got["spearman_high"]) == pytest.approx(
        (np.tanh(z - 1.959964 * se), np.tanh(z + 1.959964 * se)), abs=1e-6)
    # the printed table row
    row = (f"{got['pearson']:+.2f} [{got['pearson_low']:+.2f}, {got['pearson_high']:+.2f}]")
    assert squash(f"GDP per capita 2015 {n} {row}") in pdf_text(out.pdf)


def test_competitiveness_sources_are_correlated_when_ingested(panorama, report_data):
    report, out = panorama
    corr = report.facts["correlations"]
    if report_data.has("rci_scores"):
        assert {"rci_2010", "rci_2013", "rci_2016", "rci_2019"} <= set(corr)
        assert corr["rci_2019"]["n"] > 200
    if report_data.has("ris_indicators"):
        assert any(k.startswith("ris_0_") for k in corr)
    text = pdf_text(out.pdf)
    for c in corr.values():
        assert squash(c["label"]) in text


def test_panorama_headline_counts_every_rankable_traded_cell(panorama, report_data):
    """Every traded cell with employment is counted once: ranked (by stars), not rankable, or in a region left
    out; the cells without employment are no data, never zero stars."""
    report, _ = panorama
    m = report_data.measures(scheme="eco2007", year=2015)
    traded = m[m["kind"] == "traded"]
    quality = report_data.region_quality(year=2015, level=2)
    out = set(quality.loc[quality["no_data"], "region"])
    ranked = traded[traded["rankable"] & ~traded["region"].isin(out)]
    assert sum(report.facts["by_stars"].values()) == len(ranked) == report.facts["clusters"]
    assert report.facts["by_stars"][3] == int((ranked["stars"] == 3).sum())
    with_data = int(traded["employment"].notna().sum())
    assert report.facts["clusters"] + report.facts["not_rankable"] == with_data
    assert report.facts["no_data"] == len(traded) - with_data
    assert traded.loc[~traded["rankable"], "stars"].isna().all()  # not rankable: no stars, not 0


def test_scorecard_says_which_optional_sections_are_absent(scorecard, report_data):
    report, out = scorecard
    text = pdf_text(out.pdf)
    for section, table in (("linkages", "region_opportunities"), ("scoreboard", "scoreboard_strengths"),
                           ("peers", "scoreboard_peers")):
        sec = next(s for s in report.sections if s.id == section)
        if report_data.has(table):
            assert sec.absent is None
        else:
            assert sec.absent and f"table {table}" in sec.absent
            assert squash(f"table {table}") in text


def test_scorecard_lists_each_condition_behind_the_stars(scorecard, report_data):
    _report, out = scorecard
    tests = report_data.star_tests(region="DE21", scheme="eco2007", year=2015, level=2)
    auto = tests[(tests["category"] == "automotive") & (tests["test"] == "specialisation")].iloc[0]
    text = pdf_text(out.pdf)
    assert squash(f"specialisation: {auto['value']:,.2f} >= {auto['threshold']:,.2f}") in text


def test_scorecard_locator_highlights_the_store_geometry_without_maplibre(scorecard, report_data):
    report, _ = scorecard
    fig = next(c for c in report.charts if c.name == "locator").fig
    assert all(t.type == "scatter" for t in fig.data), "the report's locator should not need MapLibre"
    code = "DE21"  # the scorecard fixture's region
    region = report_data.regions.set_index("code").loc[code]
    feature = next(f for f in report_data.geojson(int(region["level"]))["features"] if f["id"] == code)
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    expected_x = [x for i, p in enumerate(polygons) for x in ([None] if i else []) + [pt[0] for pt in p[0]]]
    expected_y = [y for i, p in enumerate(polygons) for y in ([None] if i else []) + [pt[1] for pt in p[0]]]
    target = fig.data[-1]
    assert target.name == region["name"] and target.fillcolor != fig.data[0].fillcolor
    assert list(target.x) == expected_x and list(target.y) == expected_y
    # the neighbours are drawn too, and the frame holds the region
    assert len(fig.data) >= 2
    xs = [x for x in expected_x if x is not None]
    assert fig.layout.xaxis.range[0] < min(xs) and max(xs) < fig.layout.xaxis.range[1]


def test_unknown_region_is_a_clear_error(report_data):
    """The reports check through the read layer, with its typed errors (the web's too)."""
    with pytest.raises(NotFound, match="unknown region 'XX99'") as unknown:
        build_scorecard(report_data, "XX99")
    assert unknown.value.name == "region"
    with pytest.raises(BadParameter, match="`scheme` must be one of") as bad:
        build_scorecard(report_data, "DE21", scheme="nope")
    assert bad.value.name == "scheme"


def test_report_data_needs_a_computed_version(ingested):
    store, _ = ingested
    v = store.versions()[0].version  # the ingest's version, before compute
    with pytest.raises(NoDataset, match="run `clusterobs compute`"):
        ReportData.open(store, v)


def test_scorecard_opportunities_are_the_linkages_ranks(scorecard, report_data):
    report, _ = scorecard
    if not report_data.has("region_opportunities"):
        pytest.skip("the linkages stage is not part of this build")
    store_rows = report_data.df("SELECT c.name, o.density FROM region_opportunities o JOIN categories c "
                                "USING (category) WHERE region = 'DE21' AND nuts_version = 2021 AND level = 2 "
                                "AND year = 2015 AND rank <= 10 ORDER BY rank")
    table = next(s for s in report.sections if s.id == "linkages").tables[0]
    assert [r[1] for r in table.rows] == list(store_rows["name"])
    assert [r[2] for r in table.rows] == [f"{v:,.2f}" for v in store_rows["density"]]


def test_scorecard_peers_are_the_scoreboard_peers(scorecard, report_data):
    report, _ = scorecard
    if not report_data.has("scoreboard_peers"):
        pytest.skip("the scoreboard stage is not part of this build")
    peers = report_data.df("SELECT peer FROM scoreboard_peers WHERE region = 'DE21' ORDER BY rank")["peer"]
    table = next(s for s in report.sections if s.id == "peers").tables[0]
    assert [r[1].rsplit("(", 1)[1].rstrip(")") for r in table.rows] == list(peers)


def test_panorama_lists_every_source_file_with_its_checksum(panorama, report_data):
    report, out = panorama
    text = pdf_text(out.pdf)
    sources = report_data.sources()
    assert len(sources) > 20
    for r in sources.itertuples():
        assert squash(r.sha256) in text, r.file
    assert squash(f"Dataset version {report.version}") in text
    assert squash(f"code version clusterobs {report_data.meta['code_version']}") in text


def test_scorecard_portfolio_table_lists_the_top_categories_and_says_where_the_rest_are(scorecard, report_data):
    report, out = scorecard
    table = next(s for s in report.sections if s.id == "portfolio").tables[0]
    m = report_data.measures(scheme="eco2007", year=2015, region="DE21")
    traded = m[m["kind"] == "traded"].sort_values(["stars", "employment"], ascending=[False, False])
    assert len(traded) > 20
    # the name, then the cell's marks (‡ not rankable, † partly covered, * partly imputed: common.cell_marks)
    assert [r[0].rstrip(" *†‡") for r in table.rows] == list(traded["category_name"].head(20))
    assert [r[2] for r in table.rows] == [f"{round(v):,}" for v in traded["employment"].head(20)]
    assert table.note.startswith(f"The other {len(traded) - 20} traded categories")
    assert "/api/regions/DE21/portfolio?scheme=eco2007&year=2015&fmt=csv" in table.note
    assert squash(table.note) in pdf_text(out.pdf)


def test_column_widths_share_the_line_as_an_automatic_layout_would():
    fits = Table("t", ["A", "B"], [["xx", "yyyy"]])  # natural widths 2 and 4, plus 1.5 of padding each
    assert column_widths(fits) == pytest.approx([100 * 3.5 / 9, 100 * 5.5 / 9])
    # too long for a line (105 characters less the padding): each column gets its longest word (10 and 4), then
    # the 88 left in proportion to the rest of its longest cell (66 - 10 and 80 - 4: cells count 80 at most)
    crowded = Table("t", ["Name", "Why"], [["Automotive " * 6, "word " * 40]])
    share = (105 - 3 - 14) / (56 + 76)
    widths = [10 + 56 * share + 1.5, 4 + 76 * share + 1.5]
    assert column_widths(crowded) == pytest.approx([100 * w / sum(widths) for w in widths])


def test_scorecard_growth_opportunities_are_the_complexity_table(scorecard, report_data):
    report, _ = scorecard
    if not report_data.has("complexity"):
        pytest.skip("the complexity stage is not part of this build")
    where = "region = 'DE21' AND nuts_version = 2021 AND level = 2 AND year = 2015"
    rows = report_data.df(f"SELECT density, pci, cog FROM complexity WHERE {where} AND mcp = 0 AND density IS NOT NULL "
                          "ORDER BY density DESC, pci DESC, category LIMIT 10")
    eci = report_data.df(f"SELECT max(eci) AS eci FROM complexity WHERE {where}")["eci"].iloc[0]
    section = next(s for s in report.sections if s.id == "complexity")
    table = section.tables[0]
    assert [r[2] for r in table.rows] == [f"{v:,.2f}" for v in rows["density"]]
    assert [r[3] for r in table.rows] == [f"{v:,.2f}" for v in rows["pci"]]
    assert [r[4] for r in table.rows] == [f"{v:,.2f}" for v in rows["cog"]]
    assert f"{eci:,.2f}" in section.paragraphs[0]
