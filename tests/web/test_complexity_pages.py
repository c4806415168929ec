"""The complexity pages and API on a small store built in code: the session's published version with its
``complexity`` table replaced by ``complexity_table`` of a hand-set panel of 5 NUTS 2 regions × 5 traded categories
in two years. Densities, M and the similarity are also computed here by hand from the formulas."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from clusterobs.complexity import complexity_table
from clusterobs.store import Store

REGIONS = ["DE11", "DE12", "FR10", "ITC4", "DE21"]
CATS = ["automotive", "metalworking_technology", "plastics", "upstream_metal_manufacturing",
        "aerospace_vehicles_and_defense"]
#: employment of the latest year (rows: REGIONS, columns: CATS); the year before is this with one cell changed
EMP = np.array([[100, 50, 10, 0, 5],
                [80, 10, 40, 20, 0],
                [5, 10, 30, 60, 50],
                [60, 70, 5, 5, 10],
                [10, 5, 50, 10, 80]], dtype=float)


def panel(year: int) -> pd.DataFrame:
    rows = []
    for y in (year - 1, year):
        emp = EMP.copy()
        if y < year:
            emp[0, 3] = 40.0  # DE11 had upstream metal the year before: a different ECI
        rows += [{"region": r, "category": c, "year": y, "employment": emp[i, j]}
                 for i, r in enumerate(REGIONS) for j, c in enumerate(CATS)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def small_store(computed, tmp_path_factory):
    source, _ = computed
    version = source.current()
    home = tmp_path_factory.mktemp("complexity")
    (home / "versions").mkdir(parents=True)
    shutil.copyfile(source.path(version), home / "versions" / f"{version}.duckdb")
    store = Store(home)
    store.publish(version)
    year = int(source.table("cluster_measures", version)["year"].max())
    table = complexity_table(panel(year)).assign(nuts_version=2021, level=2)
    with store.derive(label="complexity") as writer:
        writer.write("complexity", table, description="hand-set panel")
        writer.publish()
    with contextlib.suppress(OSError):
        (home / "versions" / f"{version}.duckdb").unlink()
    return store, year, table


@pytest.fixture(autouse=True)
def _serve(settings, small_store):
    settings.CLUSTEROBS_HOME = small_store[0].home
    with translation.override("en"):
        yield


def by_hand(year_table: pd.DataFrame) -> dict[str, np.ndarray]:
    """RCA, M, proximity and density of the latest year straight from the formulas (docs/complexity.md)."""
    x = EMP
    rca = (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0) / x.sum())
    m = (rca >= 1).astype(float)
    k = m.sum(axis=0)
    phi = (m.T @ m) / np.maximum.outer(k, k)
    density = (m @ phi) / phi.sum(axis=0)
    return {"rca": rca, "m": m, "phi": phi, "density": density}


def test_the_opportunities_api_answers_the_stores_values_hand_checked(client, small_store):
    _store, year, table = small_store
    r = client.get(f"/api/regions/DE11/opportunities?year={year}")
    assert r.status_code == 200, r.content
    body = r.json()
    hand = by_hand(table)
    i = REGIONS.index("DE11")
    lacking = [CATS[j] for j in range(len(CATS)) if hand["m"][i, j] == 0]
    assert sorted(row["category"] for row in body["results"]) == sorted(lacking)
    # ranked by density, the highest first
    densities = [row["density"] for row in body["results"]]
    assert densities == sorted(densities, reverse=True) and body["results"][0]["rank"] == 1
    mine = table[(table["region"] == "DE11") & (table["year"] == year)].set_index("category")
    for row in body["results"]:
        j = CATS.index(row["category"])
        assert row["density"] == pytest.approx(hand["density"][i, j], abs=1e-12)
        assert row["density"] == pytest.approx(mine.loc[row["category"], "density"], abs=1e-12)
        assert row["pci"] == pytest.approx(mine.loc[row["category"], "pci"], abs=1e-12)
        assert row["cog"] == pytest.approx(mine.loc[row["category"], "cog"], abs=1e-12)
        assert row["rca"] == pytest.approx(hand["rca"][i, j], rel=1e-12)
        assert row["distance"] == pytest.approx(1 - hand["density"][i, j], abs=1e-12)
    assert body["eci"] == pytest.approx(mine["eci"].iloc[0], abs=1e-12)
    # the reasons: the region's strengths (M = 1) by proximity to the opportunity, the closest first
    from clusterobs.web.mapping.selectors import display_names

    top = body["results"][0]
    j = CATS.index(top["category"])
    near = sorted(((hand["phi"][q, j], CATS[q]) for q in range(len(CATS)) if hand["m"][i, q] == 1
                   and hand["phi"][q, j] > 0), reverse=True)
    assert top["related_strengths"] == "; ".join(f"{display_names()[c]} ({v:.2f})" for v, c in near[:3])


def test_the_opportunities_csv_and_xlsx(client, small_store):
    _store, year, _table = small_store
    r = client.get(f"/api/regions/DE11/opportunities?year={year}&format=csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    js = client.get(f"/api/regions/DE11/opportunities?year={year}").json()["results"]
    assert [row["category"] for row in rows] == [row["category"] for row in js]
    assert float(rows[0]["density"]) == pytest.approx(js[0]["density"])
    x = client.get(f"/api/regions/DE11/opportunities?year={year}&format=xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_the_eci_api_lists_every_region_as_stored(client, small_store):
    _store, year, table = small_store
    body = client.get(f"/api/complexity/eci?year={year}&level=2").json()
    stored = table[table["year"] == year].groupby("region")["eci"].max()
    assert {r["region"]: r["eci"] for r in body["results"]} == pytest.approx(stored.to_dict(), abs=1e-12)
    assert [r["eci"] for r in body["results"]] == sorted(stored, reverse=True)
    # standardised over the regions
    assert np.mean(list(stored)) == pytest.approx(0, abs=1e-9) and np.std(list(stored)) == pytest.approx(1)
    assert client.get(f"/api/complexity/eci?year={year}&level=1").json()["count"] == 0
    assert client.get("/api/complexity/eci?level=7").status_code == 400


def test_the_growth_page_draws_the_chart_the_table_the_space_and_similar_regions(client, small_store):
    _store, year, table = small_store
    r = client.get(f"/regions/DE11/opportunities/?year={year}")
    assert r.status_code == 200, r.content[:2000]
    html = r.content.decode()
    for chart in ("growth-opportunities", "industry-space", "eci-years"):
        assert f'id="chart-{chart}"' in html
    assert "/api/regions/DE11/opportunities?year=" in html and "format=csv" in html and "format=xlsx" in html
    assert "Regions with a similar portfolio" in html and "cosine" in html
    assert "This chart could not be drawn (reference" not in html
    # similarity by hand: cosine of the M vectors
    m = by_hand(table)["m"]
    i = REGIONS.index("DE11")
    sims = {REGIONS[k]: (m[k] @ m[i]) / np.sqrt(m[k].sum() * m[i].sum()) for k in range(len(REGIONS)) if k != i}
    top1 = max(sims.items(), key=lambda kv: (kv[1], -REGIONS.index(kv[0])))
    similar = html.split('id="similar-title"')[1]
    first_row = similar.split("<tbody>")[1].split("</tr>")[0]
    assert f"/regions/{top1[0]}/opportunities/" in first_row and f"{top1[1]:.2f}" in first_row
    # the region page links to it
    assert "/regions/DE11/opportunities/" in client.get("/regions/DE11/").content.decode()


def test_the_growth_chart_with_cog_and_its_summary(small_store):
    from django.http import QueryDict

    from clusterobs.web.complexity.charts import growth_opportunities, industry_space
    from clusterobs.web.complexity.query import parse_complexity_query

    _store, year, table = small_store
    q = parse_complexity_query(QueryDict(f"year={year}&y=cog"), region="DE11")
    out = growth_opportunities(q)
    mine = table[(table["region"] == "DE11") & (table["year"] == year) & (table["mcp"] == 0)]
    ys = sorted(float(v) for t in out.fig.data if t.mode == "markers+text" for v in t.y)
    assert ys == pytest.approx(sorted(mine["cog"]))
    assert out.summary.startswith("The most feasible opportunities of") and "COG" in out.summary
    assert all(c[0].startswith("/sectors/") for t in out.fig.data if t.customdata is not None for c in t.customdata)
    space = industry_space(parse_complexity_query(QueryDict(f"year={year}"), region="DE11"))
    highlighted = [c for t in space.fig.data if (t.name or "").endswith("has it") for c in t.ids]
    has = table[(table["region"] == "DE11") & (table["year"] == year) & (table["mcp"] == 1)]["category"]
    assert sorted(highlighted) == sorted(has)


def test_the_eci_over_the_years_and_the_map(client, small_store):
    _store, year, table = small_store
    html = client.get(f"/complexity/eci/?year={year}&level=2").content.decode()
    assert 'id="chart-eci-map"' in html and "/api/complexity/eci?" in html
    from django.http import QueryDict

    from clusterobs.web.complexity.charts import eci_years
    from clusterobs.web.complexity.query import parse_complexity_query
    out = eci_years(parse_complexity_query(QueryDict(""), region="DE11"))
    de11 = table[table["region"] == "DE11"].groupby("year")["eci"].max()
    assert list(out.fig.data[0].y) == pytest.approx(list(de11))
    assert out.table[1][0] == str(year - 1)


def test_a_bad_axis_is_a_400(client, small_store):
    assert client.get("/regions/DE11/opportunities/?y=rca").status_code == 400
    assert client.get("/api/regions/XX99/opportunities").status_code == 404


def test_the_growth_page_in_french(client, small_store):
    _store, year, _table = small_store
    with translation.override("fr"):
        html = client.get(f"/regions/DE11/opportunities/?year={year}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Opportunités de croissance de" in html and "Régions au portefeuille semblable" in html


def test_the_schema_of_growth_opportunities_is_not_the_linkages_one(client):
    """Two API schemas of one name share one component: the linkages answer was once validated against ours."""
    spec = client.get("/api/openapi.json").json()

    def ref(path):
        return spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]

    assert ref("/api/regions/{code}/opportunities") != ref("/api/linkages/opportunities/{code}")
    assert "employment_europe" in spec["components"]["schemas"]["GrowthOpportunityRow"]["properties"]


def test_a_region_of_a_level_without_complexity_rows_says_so(client, small_store):
    """The hand-set store has level 2 only: a NUTS 1 region's page renders, every part saying it has nothing."""
    _store, year, _table = small_store
    r = client.get(f"/regions/DE1/opportunities/?year={year}")
    assert r.status_code == 200
    html = r.content.decode()
    assert "No opportunity" in html and "No region to compare with this year." in html
    assert "This chart could not be drawn (reference" not in html
    assert client.get(f"/api/regions/DE1/opportunities?year={year}").json()["count"] == 0
