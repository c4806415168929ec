"""Reports rendered from the real data: every chart drawn, correlations recomputed with scipy, optional sections."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader
from scipy import stats as sps

from clusterobs.reports import ReportData, ReportError, build_scorecard


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", "", " ".join(page.extract_text() or "" for page in reader.pages))


def squash(text: str) -> str:
    """Without whitespace: text extractors split words at kerned pairs ("T echnology")."""
    return re.sub(r"\s+", "", text)


def chart_images(html: str) -> dict[str, str]:
    """chart name → the SVG of its <img> in the HTML."""
    import base64

    found = re.findall(r'data-chart="([^"]+)"><img class="chart" alt="[^"]*" src="data:image/svg\+xml;base64,'
                       r'([A-Za-z0-9+/=]+)"', html)
    return {name: base64.b64decode(data).decode("utf-8") for name, data in found}


@pytest.mark.parametrize("which", ["scorecard", "panorama"])
def test_every_chart_is_drawn_in_the_html_and_the_pdf(which, request):
    report, out = request.getfixturevalue(which)
    html = out.html.read_text(encoding="utf-8")
    images = chart_images(html)
    assert list(images) == [c.name for c in report.charts]
    assert len(images) >= 5
    text = pdf_text(out.pdf)
    for chart in report.charts:
        svg = images[chart.name]
        assert svg.startswith("<svg") and "</svg>" in svg
        assert chart.title.replace("&", "&amp;") in svg or chart.title in svg  # the caption is in the image
        assert squash(chart.title) in text, f"chart {chart.name!r} missing from the PDF"
    assert PdfReader(io.BytesIO(out.pdf.read_bytes())).metadata.title == report.title


def _strength(store) -> pd.Series:
    """Cluster strength recomputed from the raw tables: share of traded employment in 1-3 star clusters."""
    con = store.connect()
    try:
        df = con.execute("""
            SELECT m.region, m.employment, s.stars FROM cluster_measures m
            JOIN cluster_stars s USING (nuts_version, level, region, category, year)
            JOIN categories c USING (category)
            WHERE m.nuts_version = 2021 AND m.level = 2 AND m.year = 2015 AND s.scheme = 'eco2007'
              AND c.kind = 'traded' AND m.employment IS NOT NULL""").df()
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


def test_panorama_headline_counts_every_traded_cell(panorama, report_data):
    report, _ = panorama
    m = report_data.measures(scheme="eco2007", year=2015)
    traded = m[m["kind"] == "traded"]
    assert sum(report.facts["by_stars"].values()) == len(traded)
    assert report.facts["by_stars"][3] == int((traded["stars"] == 3).sum())


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


def test_unknown_region_is_a_clear_error(report_data):
    with pytest.raises(ReportError, match="unknown region 'XX99'"):
        build_scorecard(report_data, "XX99")
    with pytest.raises(ReportError, match="`scheme` must be one of"):
        build_scorecard(report_data, "DE21", scheme="nope")


def test_report_data_needs_a_computed_version(ingested):
    store, _ = ingested
    v = store.versions()[0].version  # the ingest's version, before compute
    with pytest.raises(ReportError, match="run `clusterobs compute`"):
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
