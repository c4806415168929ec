"""Every tabular endpoint in every format: content types, file names that encode the view, missing values kept
missing (an empty CSV cell, never 0), the imputed flag column, the XLSX metadata and readme, Parquet."""

from __future__ import annotations

import contextlib
import csv
import io

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from store_views import latest_year_connection

TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "parquet": "application/vnd.apache.parquet"}

# (url without format, file name stem)
TABULAR = [
    ("/api/regions?level=2&country=DE", "regions_nuts2_DE"),
    ("/api/categories?kind=traded", "categories_traded"),
    ("/api/measures?region=DE11&scheme=eco2007&year=2015&level=2", "measures_eco2007_2015_nuts2_DE11"),
    ("/api/measures?category=automotive&min_stars=2", "measures_eco2007_2015_nuts2_automotive_min2stars"),
    ("/api/regions/DE11/portfolio?scheme=uscmp", "portfolio_DE11_uscmp_2015_nuts2"),
    ("/api/categories/automotive/regions?measure=lq", "regions_automotive_eco2007_2015_nuts2_lq"),
    ("/api/regions/DE11/clusters/automotive/tests", "tests_DE11_automotive_eco2007_2015_nuts2"),
    ("/api/geojson?category=automotive&measure=lq&level=1", "map_automotive_lq_eco2007_2015_nuts1"),
    ("/api/versions", "versions_{version}"),
    ("/api/sources", "sources_{version}"),
]


@pytest.fixture(scope="module")
def duck(web_store):
    with contextlib.closing(latest_year_connection(web_store)) as con:
        yield con


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
@pytest.mark.parametrize(("url", "stem"), TABULAR)
def test_every_tabular_endpoint_in_every_format(client, web_store, url, stem, fmt):
    r = client.get(f"{url}&format={fmt}" if "?" in url else f"{url}?format={fmt}")
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Type"] == TYPES[fmt]
    name = stem.format(version=web_store.current())
    assert r["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
    assert r["ETag"] and r["Cache-Control"] == "public, max-age=300"
    assert len(r.content) > 50


@pytest.mark.parametrize(("url", "stem"), [
    ("/api/geojson?category=automotive&level=2", "map_automotive_stars_eco2007_2015_nuts2"),
    ("/api/geojson?min_stars=3", "map_min3stars_eco2007_2015_nuts2"),
    ("/api/categories/automotive/regions?measure=employment&format=geojson",
     "map_automotive_employment_eco2007_2015_nuts2"),
])
def test_geojson_is_served_inline_with_a_name(client, url, stem):
    r = client.get(url)
    assert r["Content-Type"] == "application/geo+json"
    assert r["Content-Disposition"] == f'inline; filename="{stem}.geojson"'
    assert r.json()["type"] == "FeatureCollection"


def test_csv_matches_the_json_and_keeps_missing_empty(client, duck):
    region, category = duck.execute(
        "SELECT region, category FROM cluster_measures WHERE nuts_version = 2021 AND level = 2 AND employment IS NULL "
        "ORDER BY region, category LIMIT 1").fetchone()
    rows = _csv(client.get(f"/api/measures?region={region}&format=csv"))
    as_json = client.get(f"/api/measures?region={region}&limit=1000").json()["results"]
    assert len(rows) == len(as_json)
    assert list(rows[0]) == list(as_json[0])  # the same columns as the JSON keys
    missing = next(r for r in rows if r["category"] == category)
    assert missing["employment"] == "" and missing["lq"] == "" and missing["imputed"] == ""
    # a cell without employment cannot be ranked: no stars (an empty cell, never 0), the caveat in its own column
    assert (missing["stars"], missing["rankable"], missing["caveat"]) == ("", "False", "no data")
    zero_cat = duck.execute("SELECT category FROM cluster_stars WHERE scheme = 'eco2007' AND nuts_version = 2021 "
                            "AND level = 2 AND region = 'DE11' AND stars = 0 ORDER BY 1 LIMIT 1").fetchone()[0]
    zero = _csv(client.get(f"/api/measures?region=DE11&category={zero_cat}&format=csv"))[0]
    assert (zero["stars"], zero["rankable"], zero["caveat"]) == ("0", "True", "")  # a real zero stays 0
    for column in ("rankable", "coverage", "caveat", "imputed_share", "split_share", "region_no_data"):
        assert column in rows[0]


def test_csv_flags_imputed_values_in_their_own_column(client, duck):
    emp, share = duck.execute("SELECT employment, imputed_share FROM cluster_measures WHERE nuts_version = 2021 "
                              "AND level = 2 AND region = 'DE11' AND category = 'automotive'").fetchone()
    row = _csv(client.get("/api/measures?region=DE11&category=automotive&format=csv"))[0]
    assert float(row["employment"]) == pytest.approx(emp)
    assert float(row["imputed_share"]) == pytest.approx(share) and share > 0
    assert row["imputed"] == "True"
    assert row["stars"] == "3" and row["tests_passed"] == "size,specialisation,focus"
    clean = _csv(client.get("/api/measures?region=DE11&category=apparel&format=csv"))[0]
    assert (clean["imputed_share"], clean["imputed"]) == ("0.0", "False")


def test_files_hold_every_row_unless_limited(client):
    rows = _csv(client.get("/api/measures?category=automotive&format=csv"))
    assert len(rows) == 290
    assert len(_csv(client.get("/api/measures?category=automotive&format=csv&limit=10&offset=5"))) == 10


def test_xlsx_has_data_metadata_and_readme(client, duck, web_store):
    r = client.get("/api/measures?category=automotive&scheme=eco2007&format=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["data", "metadata", "readme"]
    data = list(wb["data"].iter_rows(values_only=True))
    header, body = data[0], data[1:]
    assert len(body) == 290
    assert header == tuple(_csv(client.get("/api/measures?category=automotive&format=csv"))[0])
    col = {name: i for i, name in enumerate(header)}
    de11 = next(row for row in body if row[col["region"]] == "DE11")
    emp = duck.execute("SELECT employment FROM cluster_measures WHERE nuts_version = 2021 AND level = 2 "
                       "AND region = 'DE11' AND category = 'automotive'").fetchone()[0]
    assert de11[col["stars"]] == 3 and de11[col["employment"]] == pytest.approx(emp)
    assert de11[col["imputed"]] is True and de11[col["rankable"]] is True and de11[col["coverage"]] == 1.0
    missing = [row for row in body if row[col["employment"]] is None]
    assert len(missing) == 4 and all(row[col["imputed"]] is None for row in missing)  # empty cells, not 0
    # a cell that cannot be ranked: listed, no stars (empty), its caveat in the file
    hu11 = next(row for row in body if row[col["region"]] == "HU11")
    assert hu11[col["stars"]] is None and hu11[col["rankable"]] is False and hu11[col["region_no_data"]] is True
    assert hu11[col["caveat"]].startswith("region split from an older NUTS region")

    meta = list(wb["metadata"].iter_rows(values_only=True))
    head = meta[:next(i for i, row in enumerate(meta) if not any(row))]  # the key/value block
    pairs = {row[0]: row[1] for row in head}
    assert pairs["dataset_version"] == web_store.current()
    assert pairs["scheme"] == "eco2007"
    assert "/api/measures?category=automotive&scheme=eco2007&format=xlsx" in pairs["query"]
    flat = [cell for row in meta for cell in row if cell is not None]
    assert "lq >= 2" in flat and "employment >= p90" in flat  # the scheme's conditions
    for (sha,) in duck.execute("SELECT sha256 FROM sources").fetchall():
        assert sha in flat  # every source with its checksum

    readme = [row[0] for row in wb["readme"].iter_rows(values_only=True) if row and row[0]]
    cite = readme.index("Cite as:")
    assert readme[cite + 1].startswith("Source: Eurostat")  # the original producer first
    assert any("2011/833/EU" in line for line in readme)
    assert any("never zero" in line for line in readme)


def test_parquet_round_trips_with_nulls_and_metadata(client, duck, web_store):
    r = client.get("/api/measures?category=automotive&format=parquet")
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == 290
    df = table.to_pandas()
    emp = dict(duck.execute("SELECT region, employment FROM cluster_measures WHERE nuts_version = 2021 AND level = 2 "
                            "AND category = 'automotive'").fetchall())
    got = dict(zip(df["region"], df["employment"], strict=True))
    assert got["DE11"] == pytest.approx(emp["DE11"])
    assert df["employment"].isna().sum() == sum(v is None for v in emp.values()) == 4
    assert df["stars"].isna().sum() == (~df["rankable"].astype(bool)).sum() == 17  # not rankable: null, not 0
    meta = table.schema.metadata
    assert meta[b"clusterobs.dataset_version"].decode() == web_store.current()
    assert meta[b"clusterobs.citation"].decode().startswith("Source: Eurostat")


def test_geojson_table_formats_hold_the_properties(client):
    rows = _csv(client.get("/api/geojson?category=automotive&format=csv"))
    assert len(rows) == 334
    de11 = next(r for r in rows if r["code"] == "DE11")
    assert (de11["measure"], de11["value"], de11["no_data"]) == ("stars", "3", "")
    assert all(r["no_data"] for r in rows if r["value"] == "")
