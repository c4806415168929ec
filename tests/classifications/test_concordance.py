"""The derived NACE → category concordance, checked against figures computed by hand and independently."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterobs.classifications import concordance as conc
from clusterobs.classifications.categories import EMERGING_FILE
from clusterobs.sources import nace_classification, naics_nace, us_cluster_crosswalk
from clusterobs.sources.ingestlog import IngestLog

AEROSPACE = "aerospace_vehicles_and_defense"
# NAICS 2017 codes linked to NACE 30.30 in NAICS2017_NACE.csv (lines 810-818) and their cluster in
# naics_to_cmp_cluster.csv: six are in cluster 1, Aerospace Vehicles and Defense.
C3030_LINKS = {"333318": 40, "334220": 8, "336360": 4, "336411": 1, "336412": 1, "336413": 1, "336414": 1,
               "336415": 1, "336419": 1}
# NACE 10.81 (sugar) links 111998 (a farm, in no cluster), 311313 and 311314 (cluster 18, Food Processing);
# every other class of division C10 (25 classes) has all its NAICS codes in a traded or local cluster.
C10_CLASSES, C1081_WEIGHT = 25, 2 / 3
# NAICS codes created in 2017 (US Census Bureau): Emsi's rows for them stand for the NAICS 2012 codes they replace.
NEW_2017 = {"211120", "211130", "212230", "333914", "335220", "452210", "452311", "452319", "454110", "512250",
            "517311", "517312", "532281", "532282", "532283", "532284", "532289", "541713", "541714", "541715"}


@pytest.fixture(scope="module")
def tables(mirror: Path) -> dict[str, pd.DataFrame]:
    log = IngestLog()
    t = nace_classification.read(mirror, log, {})
    t |= naics_nace.read(mirror, log, t)
    t |= us_cluster_crosswalk.read(mirror, log, t)
    return t


@pytest.fixture(scope="module")
def out(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return conc.derive(tables)


@pytest.fixture(scope="module")
def raw(mirror: Path) -> dict[str, object]:
    """An independent computation from the raw CSV files with the csv module: class → cluster code → weight."""
    folder = mirror / "eurostat-classifications"
    with (folder / "Nace2_long.csv").open(encoding="utf-8") as fh:
        classes = [r["nace2"] for r in csv.DictReader(fh) if r["Level"] == "4"]
    links: dict[str, set[str]] = defaultdict(set)
    with (folder / "NAICS2017_NACE.csv").open(encoding="utf-8-sig") as fh:
        for naics, nace, *_ in list(csv.reader(fh))[1:]:
            if re.fullmatch(r"\d{6}", naics) and re.fullmatch(r"\d\d\.\d\d", nace):
                links[nace].add(naics)
    cluster: dict[str, int] = {}
    with (mirror / "us-cluster-naics-crosswalk" / "naics_to_cmp_cluster.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["cluster_code"] not in ("", "NA") and (r["emsi_specific_code"] == "0" or r["naics"] in NEW_2017):
                cluster[r["naics"]] = int(r["cluster_code"])
    weights: dict[str, dict[int, float]] = {k: defaultdict(float) for k in classes}
    for nace, codes in links.items():
        for code in codes:
            if code in cluster:
                weights[nace][cluster[code]] += 1 / len(codes)
    linked = set().union(*links.values())
    return {"classes": classes, "weights": weights, "linked": linked, "cluster": cluster}


def _rows(out: dict[str, pd.DataFrame], source: str = "derived") -> pd.DataFrame:
    c = out["concordance"]
    return c[c["source"] == source]


def test_aircraft_weight_by_hand(out: dict[str, pd.DataFrame]) -> None:
    expected = sum(1 for c in C3030_LINKS.values() if c == 1) / len(C3030_LINKS)
    assert expected == pytest.approx(6 / 9)
    w = _rows(out).set_index(["industry", "category"])
    assert w.at[("C3030", AEROSPACE), "weight"] == pytest.approx(expected, abs=1e-12)
    assert w.at[("C3030", AEROSPACE), "n_naics"] == 6
    assert w.at[("C3030", "automotive"), "weight"] == pytest.approx(1 / 9, abs=1e-12)
    assert w.at[("C303", AEROSPACE), "weight"] == pytest.approx(expected, abs=1e-12)  # group of one class
    # Division C30 has 8 classes; only C3030 has aerospace weight: the mean is (6/9) / 8.
    assert w.at[("C30", AEROSPACE), "weight"] == pytest.approx(expected / 8, abs=1e-12)
    assert w.at[("C30", AEROSPACE), "level"] == 2


def test_division_mean_by_hand(out: dict[str, pd.DataFrame]) -> None:
    d = _rows(out)
    c10 = d[(d["industry"] == "C10")]["weight"].sum()
    assert c10 == pytest.approx((C10_CLASSES - 1 + C1081_WEIGHT) / C10_CLASSES, abs=1e-12)  # 74/75
    assert d[d["industry"] == "C1081"].set_index("category").at["food_processing_and_manufacturing",
                                                                   "weight"] == pytest.approx(C1081_WEIGHT)


def test_class_weights_match_the_independent_computation(out: dict[str, pd.DataFrame],
                                                        tables: dict[str, pd.DataFrame], raw: dict) -> None:
    nace = tables["nace"].set_index("code")["dotted"]
    slug_code = out["categories"].dropna(subset=["cmp_code"]).set_index("category")["cmp_code"]
    mine = {(nace[i], int(slug_code[c])): w for i, c, w in
            _rows(out).loc[lambda d: d["level"] == 4, ["industry", "category", "weight"]].itertuples(index=False)}
    theirs = {(k, c): w for k, ws in raw["weights"].items() for c, w in ws.items()}
    assert mine.keys() == theirs.keys()
    assert all(abs(mine[k] - theirs[k]) < 1e-12 for k in mine)


def test_weights_within_bounds_for_every_industry(out: dict[str, pd.DataFrame]) -> None:
    c = out["concordance"]
    assert c["weight"].gt(0).all() and c["weight"].le(1).all()
    assert not c.duplicated(["industry", "category"]).any()
    sums = _rows(out).groupby("industry")["weight"].sum()
    assert (sums <= 1 + 1e-12).all()
    assert set(c["level"]) == {1, 2, 3, 4}
    assert set(c["source"]) == {"derived", "emerging.yml"}


def test_coverage_figures(out: dict[str, pd.DataFrame], raw: dict) -> None:
    cov = out["concordance_coverage"].set_index(["scope", "measure"])["value"]
    classes, weights = raw["classes"], raw["weights"]
    linked, cluster = raw["linked"], raw["cluster"]
    matched = {c for c in linked if c in cluster}
    class_sums = [sum(weights[k].values()) for k in classes]
    # independent values first, then the figures measured once and written down
    assert cov[("traded+local", "naics_codes_matched")] == len(matched) == 970
    assert cov[("traded+local", "naics_codes_matched_share")] == pytest.approx(len(matched) / len(linked), abs=1e-6)
    assert len(linked) == 1056
    assert cov[("traded+local", "naics_codes_matched_share")] == pytest.approx(0.9185606, abs=1e-6)
    assert cov[("traded+local", "nace_classes_with_weight")] == sum(s > 0 for s in class_sums) == 575
    assert cov[("traded+local", "mean_class_weight")] == pytest.approx(sum(class_sums) / len(classes), abs=1e-6)
    assert cov[("traded+local", "mean_class_weight")] == pytest.approx(0.9254117, abs=1e-6)
    traded = [sum(w for c, w in weights[k].items() if c <= 51) for k in classes]
    assert cov[("traded", "mean_class_weight")] == pytest.approx(sum(traded) / len(classes), abs=1e-6)
    assert cov[("traded", "mean_class_weight")] == pytest.approx(0.6682901, abs=1e-6)
    assert cov[("traded", "naics_codes_matched")] == sum(cluster[c] <= 51 for c in matched) == 668
    assert cov[("local", "naics_codes_matched")] == 302
    assert cov[("local", "mean_class_weight")] == pytest.approx(0.2571216, abs=1e-6)
    assert cov[("traded+local", "categories_reached")] == 67
    assert ("traded+local", "employment_share") not in cov.index  # no sbs_employment given


def test_emerging_coverage(out: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame]) -> None:
    entries = yaml.safe_load(EMERGING_FILE.read_text(encoding="utf-8"))["industries"]
    classes = tables["nace"].loc[tables["nace"]["level"] == 4, "code"].tolist()
    total: dict[str, float] = defaultdict(float)
    for entry in entries:
        for code, w in entry["nace"].items():
            for k in classes:
                if k == code or (len(code) == 3 and k.startswith(code)):
                    total[k] += w
    capped = [min(1.0, total[k]) for k in classes]
    cov = out["concordance_coverage"].set_index(["scope", "measure"])["value"]
    assert cov[("emerging", "nace_classes_with_weight")] == sum(v > 0 for v in capped) == 148
    assert cov[("emerging", "mean_class_weight")] == pytest.approx(sum(capped) / len(classes), abs=1e-6)
    assert cov[("emerging", "mean_class_weight")] == pytest.approx(0.2111382, abs=1e-6)
    e = _rows(out, "emerging.yml").set_index(["industry", "category"])["weight"]
    assert e[("C3030", "emerging_mobility_technologies")] == 1.0
    assert e[("J6201", "emerging_digital")] == 1.0  # division J62 listed: each class gets its weight
    # C30: C3011 0.5, C3020 1, C3030 1, C3040 0.5, C3091 1, C3092 1 of 8 classes
    assert e[("C30", "emerging_mobility_technologies")] == pytest.approx(5 / 8, abs=1e-12)


def test_employment_share_from_a_hand_made_frame(tables: dict[str, pd.DataFrame]) -> None:
    sbs = pd.DataFrame(
        [("AT", 0, "C30", 2015, 100.0), ("AT", 0, "C10", 2015, 300.0), ("DE", 0, "U99", 2015, 50.0),
         ("AT", 0, "C", 2015, 999.0), ("AT", 0, "G451", 2015, 999.0), ("AT1", 1, "C30", 2015, 999.0),
         ("AT", 0, "C11", 2015, None), ("AT", 0, "C30", 2014, 999.0)],
        columns=["region", "level", "nace", "year", "value"]).assign(nuts_version=2013, flag=None)
    sbs["value"] = sbs["value"].astype("Float64")
    cov = conc.derive(tables | {"sbs_employment": sbs})["concordance_coverage"].set_index(["scope", "measure"])
    # Σc w(C30) = 1 (every class of C30 fully matched), Σc w(C10) = 74/75, U99 has no category:
    expected = (100 * 1 + 300 * 74 / 75 + 50 * 0) / 450
    assert expected == pytest.approx(0.88)
    assert cov.at[("traded+local", "employment_share"), "value"] == pytest.approx(expected, abs=1e-6)
    assert cov.at[("traded+local", "employment_total"), "value"] == 450
    assert cov.at[("traded+local", "employment_year"), "value"] == 2015
    traded = cov.at[("traded", "employment_share"), "value"]
    local = cov.at[("local", "employment_share"), "value"]
    assert traded + local == pytest.approx(expected, abs=1e-12)


def test_unmatched(out: dict[str, pd.DataFrame]) -> None:
    u = out["concordance_unmatched"]
    assert u["kind"].value_counts().to_dict() == {"naics2017_not_in_crosswalk": 86,
                                                  "nace_class_without_category": 38,
                                                  "nace_class_without_naics": 2}
    by_code = u.set_index("code")
    assert set(u.loc[u["kind"] == "nace_class_without_naics", "code"]) == {"T9810", "T9820"}
    assert "Emsi places it in cluster 45" in by_code.at["491110", "detail"]
    assert by_code.at["H4920", "kind"] == "nace_class_without_category"  # rail: left out of the CMP


def test_category_coverage(out: dict[str, pd.DataFrame]) -> None:
    cc = out["category_coverage"].set_index("category")
    assert len(cc) == 77
    assert cc.at[AEROSPACE, "status"] == "covered"
    assert cc.at["insurance_services", "status"] == "not covered"  # section K
    assert cc.at["local_education_and_training", "status"] == "not covered"  # section P
    # financial services: 9.7 of class weight, of which 0.7 outside section K
    assert cc.at["financial_services", "share_in_sbs"] == pytest.approx(0.7 / 9.7, abs=1e-6)
    assert cc.at["financial_services", "status"] == "partly covered"


def test_emsi_additions_option(tables: dict[str, pd.DataFrame]) -> None:
    w = conc.derive(tables, emsi_additions=True)["concordance"].set_index(["industry", "category"])["weight"]
    assert w[("H5310", "transportation_and_logistics")] == 1.0  # 491110 Postal Service, Emsi's placement


def _synthetic(links: list[tuple[int, int]], clusters: dict[int, int | None], tmp: Path) -> dict[str, pd.DataFrame]:
    nace = pd.DataFrame(
        [("C", "C", 1, None, "C", None, "S"), ("C10", "10", 2, "C", "C", "C10", "D"),
         ("C101", "10.1", 3, "C10", "C", "C10", "G1"), ("C102", "10.2", 3, "C10", "C", "C10", "G2"),
         ("C1011", "10.11", 4, "C101", "C", "C10", "K1"), ("C1012", "10.12", 4, "C101", "C", "C10", "K2"),
         ("C1020", "10.20", 4, "C102", "C", "C10", "K3")],
        columns=["code", "dotted", "level", "parent", "section", "division", "name"])
    classes = ["C1011", "C1012", "C1020"]
    nn = pd.DataFrame([(f"{100000 + n}", classes[k], "t", f"n{n}", None) for n, k in sorted(set(links))],
                      columns=["naics2017", "nace", "nace_title", "naics_title", "notes"])
    names = {1: ("Aerospace Vehicles and Defense", "traded"), 2: ("Apparel", "traded"), 101: ("Local A", "local")}
    cw = pd.DataFrame([(f"{100000 + n}", "t", names[c][1], c, names[c][0], "s", False)
                       for n, c in clusters.items() if c is not None],
                      columns=["naics", "naics_title", "traded_local", "cluster_code", "cluster_name",
                               "subcluster_name", "emsi_specific"])
    if cw.empty:
        cw = pd.DataFrame([("999999", "t", "traded", 1, names[1][0], "s", False)], columns=cw.columns)
    (tmp / "e.yml").write_text("industries:\n  - {category: emerging_x, name: X, rationale: Y, nace: {C10: 0.5}}\n",
                               encoding="utf-8")
    return {"nace": nace, "naics_nace": nn, "cluster_naics": cw}


@settings(max_examples=40, deadline=None)
@given(links=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2)), min_size=1, max_size=20),
       clusters=st.dictionaries(st.integers(0, 7), st.sampled_from([1, 2, 101, None])))
def test_property_weights_sum_to_at_most_one(links: list[tuple[int, int]], clusters: dict[int, int | None],
                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("syn")
    t = _synthetic(links, clusters, tmp)
    c = conc.derive(t, emerging_file=tmp / "e.yml")["concordance"]
    d = c[c["source"] == "derived"]
    assert d["weight"].gt(0).all()
    assert (d.groupby("industry")["weight"].sum() <= 1 + 1e-12).all()
    for k in ("C1011", "C1012", "C1020"):  # class weight = matched share of its distinct NAICS codes
        codes = {n for n, kk in links if ["C1011", "C1012", "C1020"][kk] == k}
        expected = sum(clusters.get(n) is not None for n in codes) / len(codes) if codes else 0.0
        assert d.loc[d["industry"] == k, "weight"].sum() == pytest.approx(expected, abs=1e-12)
    e = c[c["source"] == "emerging.yml"].set_index("industry")["weight"]
    assert e.to_dict() == {"C": 0.5, "C10": 0.5, "C101": 0.5, "C1011": 0.5, "C1012": 0.5, "C102": 0.5, "C1020": 0.5}
