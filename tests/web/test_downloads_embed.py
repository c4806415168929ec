"""Download links say how many rows they hold (the count of the file they give); every module page offers an
embed snippet, and only ``?embed=1`` pages may be framed by another site."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

MODULE_PAGES = ["/", "/regions/DE11/", "/regions/DE11/portfolio/", "/sectors/automotive/",
                "/map/?category=automotive&measure=stars", "/compare/?regions=DE11,FR10,DE1"]


def csv_links(page: str) -> list[tuple[str, int]]:
    """(URL, rows announced) of every CSV link of a page: ``<a href="…format=csv">CSV (1,234 rows)</a>``."""
    return [(unescape(href), int(n.replace(",", "")))
            for href, n in re.findall(r'<a href="([^"]*format=csv[^"]*)">CSV \(([\d,]+) rows?\)</a>', page)]


@pytest.mark.parametrize("path", MODULE_PAGES)
def test_csv_links_announce_the_rows_of_the_file(client, path):
    page = client.get(path).content.decode()
    links = csv_links(page)
    assert links, f"no CSV link with a row count on {path}"
    for href, rows in links:
        body = client.get(href).content.decode()
        assert len(list(csv.DictReader(io.StringIO(body)))) == rows, href
        xlsx_label = re.escape(href.replace("format=csv", "format=xlsx").replace("&", "&amp;"))
        assert re.search(xlsx_label + rf'">XLSX \({rows:,} rows?\)', page), "XLSX link lacks the same count"


def test_map_download_counts_by_hand(client):
    # 334 NUTS-2 polygons (GISCO 2021, 1:60M) in the map layer; 290 regions with automotive measures
    page = client.get("/map/?category=automotive&measure=stars&scheme=eco2007&year=2015&level=2").content.decode()
    assert [n for _, n in csv_links(page)] == [334, 290]


@pytest.mark.parametrize("path", MODULE_PAGES)
def test_module_pages_offer_an_embed_snippet_of_the_view(client, path):
    r = client.get(path)
    m = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', r.content.decode(), re.S)
    assert m, f"no embed snippet on {path}"
    snippet = unescape(m.group(1))
    src = unescape(re.search(r'<iframe src="([^"]+)"', snippet).group(1))
    assert src.startswith("http://testserver/") and src.endswith("&embed=1") and "release=" in src
    assert 'title="' in snippet  # an iframe needs an accessible name
    framed = client.get(src.removeprefix("http://testserver"))
    assert framed.status_code == 200 and b'class="embed"' in framed.content
    assert b'<header class="site">' not in framed.content
    assert "X-Frame-Options" not in framed
    assert r["X-Frame-Options"] == "DENY"  # the normal page keeps its clickjacking protection
