"""Report pages and API on the real computed store: the PDF's figures equal the API's, states, errors."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from clusterobs.web.mapping import selectors
from clusterobs.web.reports import services


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data: bytes) -> str:
    """The PDF's text without whitespace: extractors split words at kerned pairs ("T echnology")."""
    reader = PdfReader(io.BytesIO(data))
    return squash(" ".join(page.extract_text() or "" for page in reader.pages))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def patient(settings):
    settings.CLUSTEROBS_REPORT_WAIT = 600


def test_region_pdf_shows_the_api_figures(client, patient):
    api = client.get("/api/regions/DE21", {"scheme": "eco2007"}).json()
    response = client.get("/api/reports/region/DE21.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Dataset-Version"] == api["version"]
    text = pdf_text(body(response))
    assert squash(f"Region scorecard: {api['name']} (DE21)") in text
    starred = [c for c in api["starred_clusters"] if c["employment"] is not None]
    traded = [c for c in starred if c["kind"] == "traded"]  # the headline counts traded clusters
    assert len(traded) > 10 and len(starred) > len(traded)
    assert squash(f"Starred traded clusters {len(traded)}") in text
    three = sum(1 for c in traded if c["stars"] == 3)
    assert squash(f"3-star traded clusters {three}") in text
    for c in starred:  # each starred cluster with its employment (the size test's value) in the reasons table
        assert squash(c["category_name"]) in text, c["category_name"]
        assert squash(f"size: {round(c['employment']):,}") in text, c["category_name"]
    gdp = next(i for i in api["context"] if i["indicator"] == "gdp_per_capita_eur")
    assert squash(f"GDP per capita {gdp['year']} {round(gdp['value']):,} EUR") in text


def test_region_html_references_every_chart(client, patient):
    html = body(client.get("/api/reports/region/DE21.html")).decode()
    names = re.findall(r'<figure class="chart" id="chart-[^"]+" data-chart="([^"]+)">', html)
    expected = ["locator", "portfolio", "region-stars", "trend-employment", "trend-gdp"]
    if len(selectors.data().years) >= 2:  # the timeline of the top starred clusters comes first in the trends
        expected.insert(3, "timeline")
    if "region_opportunities" in selectors.data().tables:  # the linkages stage has run
        expected.append("opportunities")
    assert names == expected
    assert html.count('<img class="chart" alt="') == html.count('src="data:image/jpeg;base64,') == len(names)


def test_country_report_is_the_panorama_of_its_regions(client, patient):
    name = client.get("/api/regions/LU").json()["name"]
    html = body(client.get("/api/reports/country/LU.html")).decode()
    assert f"Cluster Panorama: {name}" in html
    assert "LU00" in html
    assert client.get("/api/reports/country/XX.pdf").status_code == 404


def test_report_pages(client, patient):
    index = client.get("/reports/")
    assert index.status_code == 200
    page = index.content.decode()
    for url in ("/reports/europe/", "/reports/country/DE/", "/reports/region/DE21/", "/reports/region/DE21.pdf"):
        assert url in page
    region = client.get("/reports/region/DE21/")
    assert region.status_code == 200
    assert b'src="/reports/region/DE21.html?scheme=eco2007&amp;year=2015"' in region.content
    pdf = client.get("/reports/region/DE21.pdf")
    assert pdf.status_code == 200 and body(pdf).startswith(b"%PDF")
    assert "/reports/region/DE21/" in client.get("/regions/DE21/").content.decode()  # the region page links here


def test_trends_reports_are_listed_and_served(client, patient):
    page = client.get("/reports/").content.decode()
    for url in ("/reports/trends/?scheme=eco2007", "/reports/trends.pdf", "/reports/trends/LU/",
                "/reports/trends/LU.pdf"):
        assert url in page, url
    name = client.get("/api/regions/LU").json()["name"]
    response = client.get("/api/reports/trends/LU.html")
    assert response.status_code == 200
    html = body(response).decode()
    assert f"Cluster Trends: {name}" in html
    years = selectors.data().years
    if len(years) < 2:  # one year: the report builds and says that growth needs two
        assert "growth, stars gained or lost and structural change need two years" in html
    assert client.get("/reports/trends/LU/").status_code == 200
    assert client.get("/api/reports/trends/XX.pdf").status_code == 404


def test_being_generated_state_then_ready(client, settings):
    settings.CLUSTEROBS_REPORT_WAIT = 0
    key = services.report_key("region", "FR10")
    for path in (services.cache_dir(key.version) / f"{key.slug}.{f}" for f in ("html", "pdf")):
        path.unlink(missing_ok=True)
    page = client.get("/reports/region/FR10/")
    assert page.status_code == 202
    assert b"being generated" in page.content
    # the page asks again in the background (site.js pollReport), never by a <meta> refresh (axe: meta-refresh)
    assert b'data-poll-seconds="5"' in page.content and b"http-equiv" not in page.content
    assert client.head("/reports/region/FR10/").status_code == 202  # what the poll asks
    api = client.get("/api/reports/region/FR10.pdf")
    assert api.status_code == 202 and api["Retry-After"] == "5" and api.json()["status"] == "generating"
    services._jobs[key].done.wait(600)
    assert client.get("/api/reports/region/FR10.pdf").status_code == 200


def test_errors(client):
    assert client.get("/api/reports/region/XX99.pdf").json()["error"]["status"] == 404
    assert client.get("/api/reports/region/DE21.pdf", {"scheme": "nope"}).status_code == 400
    assert client.get("/api/reports/region/DE21.doc").status_code == 404
    assert client.get("/reports/region/XX99/").status_code == 404
    assert client.get("/reports/region/DE21/", {"year": "soon"}).status_code == 400


def test_french_session_gets_the_french_scorecard(client, patient):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/reports/"})
    page = client.get("/reports/region/LU00/")
    assert page.status_code == 200
    assert b"/reports/region/LU00.html" in page.content
    html = body(client.get("/reports/region/LU00.html")).decode()
    assert '<html lang="fr">' in html and "Fiche régionale" in html and "Étoiles et leurs raisons" in html
    key = services.report_key("region", "LU00", lang="fr")
    assert key.slug.endswith("_fr") and services.cache_dir(key.version).joinpath(f"{key.slug}.pdf").exists()
    api = client.get("/api/reports/region/LU00.html", {"lang": "fr"})
    assert api.status_code == 200 and api["Content-Language"] == "fr"
    english = body(client.get("/api/reports/region/LU00.html")).decode()  # the API's default stays English
    assert '<html lang="en">' in english and "Region scorecard: " in english
    bad = client.get("/api/reports/region/LU00.pdf", {"lang": "de"})
    assert bad.status_code == 400 and "`lang` must be one of en, fr" in bad.json()["error"]["message"]


def test_the_report_document_may_be_framed_by_the_site_only(client, patient):
    """The report page shows the HTML in an iframe: Django's default ``X-Frame-Options: DENY`` left it blank."""
    page = client.get("/reports/region/DE21/")
    assert page.status_code == 200 and page["X-Frame-Options"] == "DENY"  # the page itself: no framing
    for url in ("/reports/region/DE21.html", "/reports/region/DE21.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response["X-Frame-Options"] == "SAMEORIGIN", url
    assert client.get("/reports/region/XX99.html")["X-Frame-Options"] == "SAMEORIGIN"  # every document URL
