"""The derived NACE → category concordance on the real mirror, checked against figures computed by hand and
independently (from the raw files with the csv module), under the employment weights and the earlier count rule."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
import yaml

from clusterobs.classifications import concordance as conc
from clusterobs.classifications.categories import EMERGING_FILE
from clusterobs.sources import nace_classification, naics_nace, us_cbp, us_cluster_crosswalk
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
# The NAICS 2012 codes each group of new codes pools (tests/classifications/test_naics_employment.py checks them).
POOLS = {
    ("211120", "211130"): ("211111", "211112"), ("212230",): ("212231", "212234"), ("333914",): ("333911", "333913"),
    ("335220",): ("335221", "335222", "335224", "335228"),
    ("452210", "452311", "452319"): ("452111", "452112", "452910", "452990"),
    ("454110",): ("454111", "454112", "454113"), ("512250",): ("512210", "512220"),
    ("517311", "517312"): ("517110", "517210"),
    ("532281", "532282", "532283", "532284", "532289"): ("532220", "532230", "532291", "532292", "532299"),
    ("541713", "541714", "541715"): ("541711", "541712"),
}
# EMPFLAG midpoints (A-L) and the establishment size classes at their midpoints (for M), written out again
FLAG_MIDPOINT = {"A": 9.5, "B": 59.5, "C": 174.5, "E": 374.5, "F": 749.5, "G": 1749.5, "H": 3749.5, "I": 7499.5,
                 "J": 17499.5, "K": 37499.5, "L": 74999.5}
SIZE_MIDPOINT = {"n1_4": 2.5, "n5_9": 7, "n10_19": 14.5, "n20_49": 34.5, "n50_99": 74.5, "n100_249": 174.5,
                 "n250_499": 374.5, "n500_999": 749.5, "n1000": 1000}


@pytest.fixture(scope="module")
def tables(mirror: Path) -> dict[str, pd.DataFrame]:
    log = IngestLog()
    t = nace_classification.read(mirror, log, {})
    t |= naics_nace.read(mirror, log, t)
    t |= us_cluster_crosswalk.read(mirror, log, t)
    t |= us_cbp.read(mirror, log, t)
    return t


@pytest.fixture(scope="module")
def out(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return conc.derive(tables)


@pytest.fixture(scope="module")
def counted(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return conc.derive(tables, weighting="count")


def _cbp_employment(path: Path) -> dict[str, float]:
    """CBP 2012 employment of the 6-digit codes of all legal forms, withheld cells estimated, from the raw file."""
    emp: dict[str, float] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["lfo"] != "-" or not re.fullmatch(r"\d{6}", r["naics"]):
                continue
            if r["empflag"] == "M":
                emp[r["naics"]] = max(100_000.0, sum(int(r[c]) * m for c, m in SIZE_MIDPOINT.items()))
            else:
                emp[r["naics"]] = FLAG_MIDPOINT[r["empflag"]] if r["empflag"] else float(r["emp"])
    return emp


@pytest.fixture(scope="module")
def raw(mirror: Path) -> dict[str, object]:
    """An independent computation from the raw CSV files with the csv module: class → cluster code → weight,
    under the count rule (``weights``) and the employment weights (``emp_weights``, class employment ``emp``)."""
    folder = mirror / "eurostat-classifications"
    with (folder / "Nace2_long.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Level"] == "4"]
    classes = [r["nace2"] for r in rows]
    division = {r["nace2"]: r["nace2"][:2] for r in rows}
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
    cbp = _cbp_employment(mirror / "us-cbp-2012-national" / "cbp12us.txt")
    us = {n: cbp.get(n, 0.0) for n in set().union(*links.values())}
    for news, olds in POOLS.items():
        us.update({n: sum(cbp[o] for o in olds) / len(news) for n in news})
    n_classes = defaultdict(int)
    for codes in links.values():
        for code in codes:
            n_classes[code] += 1
    weights: dict[str, dict[int, float]] = {k: defaultdict(float) for k in classes}
    emp_weights: dict[str, dict[int, float]] = {k: defaultdict(float) for k in classes}
    emp = {k: sum(us[n] / n_classes[n] for n in links.get(k, ())) for k in classes}
    for nace, codes in links.items():
        for code in codes:
            if code in cluster:
                weights[nace][cluster[code]] += 1 / len(codes)
                if emp[nace] > 0:
                    emp_weights[nace][cluster[code]] += us[code] / n_classes[code] / emp[nace]
        if emp[nace] == 0:
            emp_weights[nace] = weights[nace]
    linked = set().union(*links.values())
    return {"classes": classes, "weights": weights, "linked": linked, "cluster": cluster, "emp": emp,
            "emp_weights": emp_weights, "division": division}


def _rows(out: dict[str, pd.DataFrame], source: str = "derived") -> pd.DataFrame:
    c = out["concordance"]
    return c[c["source"] == source]


def _weights(out: dict[str, pd.DataFrame], source: str = "derived") -> pd.Series:
    return _rows(out, source).set_index(["industry", "category"])["weight"]


# ---- employment weights (the default) ------------------------------------------------------------------------


def test_aircraft_weight_by_hand(out: dict[str, pd.DataFrame]) -> None:
    # CBP 2012 employment (cbp12us.txt) of the codes linked to NACE 30.30, each divided by the number of NACE classes
    # it links to: 333318 54,518/9, 334220 66,833/3, 336360 47,010/7 (three clusters other than aerospace), and in
    # aerospace 336411 151,264, 336412 73,685/2, 336413 107,448, 336414 37,906, 336415 12,918, 336419 4,752.
    aerospace = 151_264 + 73_685 / 2 + 107_448 + 37_906 + 12_918 + 4_752
    total = aerospace + 54_518 / 9 + 66_833 / 3 + 47_010 / 7
    w = _weights(out)
    assert w[("C3030", AEROSPACE)] == pytest.approx(aerospace / total, abs=1e-12)
    assert w[("C3030", AEROSPACE)] == pytest.approx(0.909237, abs=1e-6)
    c = _rows(out).set_index(["industry", "category"])
    assert c.at[("C3030", AEROSPACE), "us_employment"] == pytest.approx(total, abs=1e-6)
    assert c.at[("C3030", AEROSPACE), "n_naics"] == 6
    # Division C30: aircraft is most of the US employment of other transport equipment. Measured on the 2026-11
    # mirror: 0.535 (351,130.5 of 656,378.5 employees; the count rule gave 0.083).
    assert w[("C30", AEROSPACE)] == pytest.approx(aerospace / c.at[("C30", AEROSPACE), "us_employment"], abs=1e-12)
    assert c.at[("C30", AEROSPACE), "us_employment"] == pytest.approx(656_378.465079, abs=1e-5)
    assert 0.5 < w[("C30", AEROSPACE)] < 0.6


def test_automotive_and_biopharma_on_the_real_mirror(out: dict[str, pd.DataFrame]) -> None:
    w = _weights(out)
    # Measured: automotive 0.532 of C29 (count rule 0.702: C2920, bodies and trailers, is dominated by two
    # multi-linked codes outside automotive, 326199 plastics and 811121 body repair), 0.058 of C30 (count 0.268),
    # 0.244 of C24 (count 0.198: the foundries 3315, which the CMP places in automotive, employ more than the
    # codes of C24's other classes).
    assert w[("C29", "automotive")] > 0.5
    assert w[("C29", "automotive")] == pytest.approx(0.531606, abs=1e-6)
    assert w[("C30", "automotive")] < 0.1
    assert w[("C30", "automotive")] == pytest.approx(0.057590, abs=1e-6)
    assert w[("C24", "automotive")] == pytest.approx(0.243643, abs=1e-6)
    # C21 by hand: C2110 links only 325199 (70,865/3, upstream chemicals); C2120 links 325411 29,096, 325412 139,861,
    # 325413 26,012/2, 325414 40,624 (biopharmaceuticals) and 339113 98,267/5 (medical devices).
    bio = 29_096 + 139_861 + 26_012 / 2 + 40_624
    assert w[("C2120", "biopharmaceuticals")] == pytest.approx(bio / (bio + 98_267 / 5), abs=1e-12)
    assert w[("C21", "biopharmaceuticals")] == pytest.approx(bio / (bio + 98_267 / 5 + 70_865 / 3), abs=1e-12)
    assert w[("C21", "biopharmaceuticals")] == pytest.approx(0.837227, abs=1e-6)  # count rule: 0.4


def test_class_weights_match_the_independent_computation(out: dict[str, pd.DataFrame], counted: dict,
                                                        tables: dict[str, pd.DataFrame], raw: dict) -> None:
    nace = tables["nace"].set_index("code")["dotted"]
    slug_code = out["categories"].dropna(subset=["cmp_code"]).set_index("category")["cmp_code"]
    for result, key in ((out, "emp_weights"), (counted, "weights")):
        rows = _rows(result).loc[lambda d: d["level"] == 4, ["industry", "category", "weight"]]
        mine = {(nace[i], int(slug_code[c])): w for i, c, w in rows.itertuples(index=False)}
        theirs = {(k, c): w for k, ws in raw[key].items() for c, w in ws.items() if w > 0}
        assert mine.keys() == theirs.keys(), key
        assert all(abs(mine[k] - theirs[k]) < 1e-12 for k in mine), key
    emp = _rows(out).loc[lambda d: d["level"] == 4].drop_duplicates("industry").set_index("industry")["us_employment"]
    assert all(abs(emp[k] - raw["emp"][nace[k]]) < 1e-6 for k in emp.index)


def test_division_weights_match_the_independent_computation(out: dict[str, pd.DataFrame],
                                                           tables: dict[str, pd.DataFrame], raw: dict) -> None:
    """w(d, c) = Σ_k E(k) w(k, c) / Σ_k E(k), from the raw files; a linked class without US employment counts
    with the mean E of its division's classes that have one."""
    slug_code = out["categories"].dropna(subset=["cmp_code"]).set_index("category")["cmp_code"]
    covered: dict[str, list[float]] = defaultdict(list)
    for k in raw["classes"]:
        if raw["emp"][k] > 0:
            covered[raw["division"][k]].append(raw["emp"][k])
    num: dict[tuple[str, int], float] = defaultdict(float)
    den: dict[str, float] = defaultdict(float)
    for k in raw["classes"]:
        d = raw["division"][k]
        e = raw["emp"][k]
        if e <= 0 and k in raw["weights"] and covered[d]:
            e = sum(covered[d]) / len(covered[d])
        den[d] += e
        for c, w in raw["emp_weights"][k].items():
            num[(d, c)] += e * w
    theirs = {(d, c): v / den[d] for (d, c), v in num.items() if den[d] > 0 and v > 0}
    rows = _rows(out).loc[lambda x: x["level"] == 2, ["industry", "category", "weight"]]
    mine = {(i[1:], int(slug_code[c])): w for i, c, w in rows.itertuples(index=False)}
    assert mine.keys() == theirs.keys()
    assert all(abs(mine[k] - theirs[k]) < 1e-12 for k in mine)


def test_weights_within_bounds_for_every_industry(out: dict[str, pd.DataFrame]) -> None:
    c = out["concordance"]
    assert c["weight"].gt(0).all() and c["weight"].le(1).all()
    assert not c.duplicated(["industry", "category"]).any()
    sums = _rows(out).groupby("industry")["weight"].sum()
    assert (sums <= 1 + 1e-9).all()
    assert set(c["level"]) == {1, 2, 3, 4}
    assert set(c["source"]) == {"derived", "emerging.yml"}
    assert c["us_employment"].ge(0).all()
    # every class with US employment is fully matched: CBP and the CMP definitions cover the same industries
    classes = _rows(out).loc[lambda d: (d["level"] == 4) & (d["us_employment"] > 0)]
    assert classes.groupby("industry")["weight"].sum().min() == pytest.approx(1.0, abs=1e-12)


def test_coverage_figures(out: dict[str, pd.DataFrame], raw: dict) -> None:
    cov = out["concordance_coverage"].set_index(["scope", "measure"])["value"]
    classes, weights = raw["classes"], raw["emp_weights"]
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
    assert cov[("traded+local", "mean_class_weight")] == pytest.approx(575 / 615, abs=1e-9)  # each class 0 or 1
    traded = [sum(w for c, w in weights[k].items() if c <= 51) for k in classes]
    assert cov[("traded", "mean_class_weight")] == pytest.approx(sum(traded) / len(classes), abs=1e-6)
    assert cov[("traded", "mean_class_weight")] == pytest.approx(0.6531001, abs=1e-6)
    assert cov[("traded", "naics_codes_matched")] == sum(cluster[c] <= 51 for c in matched) == 668
    assert cov[("local", "naics_codes_matched")] == 302
    assert cov[("local", "mean_class_weight")] == pytest.approx(0.2818593, abs=1e-6)
    assert cov[("traded+local", "categories_reached")] == 67
    # US employment: 116,073,538 (CBP 2012 with the 21 withheld cells estimated), 36.1% in traded categories
    total = sum(raw["emp"].values())
    assert cov[("traded+local", "us_employment_total")] == pytest.approx(total, abs=1e-3)
    assert total == pytest.approx(116_073_538, abs=1e-3)
    traded_e = sum(raw["emp"][k] * t for k, t in zip(classes, traded, strict=True))
    assert cov[("traded", "us_employment_share")] == pytest.approx(traded_e / total, abs=1e-9)
    assert cov[("traded", "us_employment_share")] == pytest.approx(0.3606243, abs=1e-6)
    assert cov[("traded+local", "us_employment_share")] == pytest.approx(1.0, abs=1e-12)
    assert cov[("traded+local", "nace_classes_without_us_employment")] == 0
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
    assert cov[("emerging", "nace_classes_without_us_employment")] == 3  # A0321, H4920, H5310
    e = _weights(out, "emerging.yml")
    assert e[("C3030", "emerging_mobility_technologies")] == 1.0
    assert e[("J6201", "emerging_digital")] == 1.0  # division J62 listed: each class gets its weight
    # C30: C3011 0.5, C3020 1, C3030 1, C3040 0.5, C3091 1, C3092 1, weighted by the classes' US employment
    emp = _rows(out).loc[lambda d: d["level"] == 4].drop_duplicates("industry").set_index("industry")["us_employment"]
    share = {"C3011": 0.5, "C3020": 1, "C3030": 1, "C3040": 0.5, "C3091": 1, "C3092": 1}
    c30 = [k for k in classes if k.startswith("C30")]
    expected = sum(emp[k] * share.get(k, 0) for k in c30) / sum(emp[k] for k in c30)
    assert e[("C30", "emerging_mobility_technologies")] == pytest.approx(expected, abs=1e-12)
    assert e[("C30", "emerging_mobility_technologies")] == pytest.approx(0.790133, abs=1e-6)  # count rule: 5/8
    # H49's classes but H4920 (freight rail, no US employment) weigh; H492 alone falls back to the plain mean
    assert e[("H492", "emerging_logistical_services")] == e[("H4920", "emerging_logistical_services")]


def test_employment_share_from_a_hand_made_frame(tables: dict[str, pd.DataFrame]) -> None:
    sbs = pd.DataFrame(
        [("AT", 0, "C30", 2015, 100.0), ("AT", 0, "C10", 2015, 300.0), ("DE", 0, "U99", 2015, 50.0),
         ("AT", 0, "C", 2015, 999.0), ("AT", 0, "G451", 2015, 999.0), ("AT1", 1, "C30", 2015, 999.0),
         ("AT", 0, "C11", 2015, None), ("AT", 0, "C30", 2014, 999.0)],
        columns=["region", "level", "nace", "year", "value"]).assign(nuts_version=2013, flag=None)
    sbs["value"] = sbs["value"].astype("Float64")
    cov = conc.derive(tables | {"sbs_employment": sbs})["concordance_coverage"].set_index(["scope", "measure"])
    # Σc w(C30) = 1 and Σc w(C10) = 1 (C1081's farm code 111998 has no US employment, so its weight is that of
    # its two food processing codes: 1), U99 has no category:
    expected = (100 * 1 + 300 * 1 + 50 * 0) / 450
    assert cov.at[("traded+local", "employment_share"), "value"] == pytest.approx(expected, abs=1e-6)
    assert cov.at[("traded+local", "employment_total"), "value"] == 450
    assert cov.at[("traded+local", "employment_year"), "value"] == 2015
    traded = cov.at[("traded", "employment_share"), "value"]
    local = cov.at[("local", "employment_share"), "value"]
    assert traded + local == pytest.approx(expected, abs=1e-12)


def test_unmatched(out: dict[str, pd.DataFrame]) -> None:
    u = out["concordance_unmatched"]
    assert u["kind"].value_counts().to_dict() == {"naics2017_not_in_crosswalk": 86,
                                                  "naics2017_without_us_employment": 86,
                                                  "nace_class_without_category": 38,
                                                  "nace_class_count_fallback": 38,
                                                  "nace_aggregate_count_fallback": 3,
                                                  "nace_class_without_naics": 2}
    by_code = u.set_index(["kind", "code"])["detail"]
    assert set(u.loc[u["kind"] == "nace_class_without_naics", "code"]) == {"T9810", "T9820"}
    assert "Emsi places it in cluster 45" in by_code[("naics2017_not_in_crosswalk", "491110")]
    assert ("nace_class_without_category", "H4920") in by_code.index  # rail: left out of the CMP
    # the classes that fall back to the count rule are the ones in no cluster: CBP and the CMP cover the same
    # industries, so no class gets a weight from the count rule
    kinds = u.groupby("kind")["code"].apply(set)
    assert kinds["nace_class_count_fallback"] == kinds["nace_class_without_category"]
    assert by_code[("nace_class_count_fallback", "H4920")] == (
        "its 2 linked NAICS codes have no US employment in CBP 2012: in no cluster either (no weight); in its group, "
        "division and section it counts with the mean US employment of its division's classes that have one")
    assert kinds["nace_aggregate_count_fallback"] == {"A032", "H492", "H531"}  # emerging.yml rows only
    assert kinds["naics2017_without_us_employment"] == kinds["naics2017_not_in_crosswalk"]


def test_category_coverage(out: dict[str, pd.DataFrame], counted: dict[str, pd.DataFrame]) -> None:
    cc = out["category_coverage"].set_index("category")
    assert len(cc) == 77
    assert cc.at[AEROSPACE, "status"] == "covered"
    assert cc.at["insurance_services", "status"] == "not covered"  # section K
    assert cc.at["local_education_and_training", "status"] == "not covered"  # section P
    # financial services: class weights 9.424, of which 0.288 outside section K (count rule: 0.7 of 9.7)
    assert cc.at["financial_services", "share_in_sbs"] == pytest.approx(0.030542, abs=1e-6)
    assert counted["category_coverage"].set_index("category").at["financial_services", "share_in_sbs"] == (
        pytest.approx(0.7 / 9.7, abs=1e-6))
    assert cc.at["financial_services", "status"] == "partly covered"


def test_category_divisions(out: dict[str, pd.DataFrame]) -> None:
    cd = out["category_divisions"]
    d = cd.set_index(["category", "division"])
    # aerospace draws 67.1% of its US employment from C30, 25.9% from C26, 7.0% from C28
    aero = cd[cd["category"] == AEROSPACE]
    assert aero["division"].tolist() == ["C30", "C26", "C28"]
    assert aero["us_employment_share"].round(3).tolist() == [0.671, 0.259, 0.070]
    assert d.at[(AEROSPACE, "C30"), "us_employment"] == pytest.approx(151_264 + 73_685 / 2 + 107_448 + 37_906
                                                                      + 12_918 + 4_752, abs=1e-6)
    assert d.at[(AEROSPACE, "C30"), "classes"] == 1 and d.at[(AEROSPACE, "C30"), "kind"] == "traded"
    assert d.at[(AEROSPACE, "C30"), "name"] == "Manufacture of other transport equipment"
    w = _weights(out)
    assert d.at[("automotive", "C29"), "weight"] == w[("C29", "automotive")]
    # per category the shares sum to 1, and us_employment = weight × the division's US employment
    with_emp = cd[cd.groupby("category")["us_employment"].transform("sum") > 0]
    assert with_emp.groupby("category")["us_employment_share"].sum().sub(1).abs().max() < 1e-12
    assert (cd["us_employment"] - cd["weight"] * cd["division_us_employment"]).abs().max() < 1e-6
    assert cd["category"].nunique() == 77


def test_emsi_additions_option(tables: dict[str, pd.DataFrame]) -> None:
    w = conc.derive(tables, emsi_additions=True)["concordance"].set_index(["industry", "category"])["weight"]
    assert w[("H5310", "transportation_and_logistics")] == 1.0  # 491110 Postal Service, Emsi's placement


# ---- the count rule (clusterobs up to 2026-11) ---------------------------------------------------------------


def test_count_rule_reproduces_the_earlier_aircraft_weights(counted: dict[str, pd.DataFrame]) -> None:
    expected = sum(1 for c in C3030_LINKS.values() if c == 1) / len(C3030_LINKS)
    assert expected == pytest.approx(6 / 9)
    w = _rows(counted).set_index(["industry", "category"])
    assert w.at[("C3030", AEROSPACE), "weight"] == pytest.approx(expected, abs=1e-12)
    assert w.at[("C3030", AEROSPACE), "n_naics"] == 6
    assert w.at[("C3030", "automotive"), "weight"] == pytest.approx(1 / 9, abs=1e-12)
    assert w.at[("C303", AEROSPACE), "weight"] == pytest.approx(expected, abs=1e-12)  # group of one class
    # Division C30 has 8 classes; only C3030 has aerospace weight: the mean is (6/9) / 8.
    assert w.at[("C30", AEROSPACE), "weight"] == pytest.approx(expected / 8, abs=1e-12)
    assert w.at[("C30", AEROSPACE), "level"] == 2
    # the earlier published figures: automotive 0.268 of C30, 0.702 of C29, 0.198 of C24; biopharma 0.4 of C21
    assert w.at[("C30", "automotive"), "weight"] == pytest.approx(0.268056, abs=1e-6)
    assert w.at[("C29", "automotive"), "weight"] == pytest.approx(0.702381, abs=1e-6)
    assert w.at[("C24", "automotive"), "weight"] == pytest.approx(0.197917, abs=1e-6)
    assert w.at[("C21", "biopharmaceuticals"), "weight"] == pytest.approx(0.4, abs=1e-12)


def test_count_rule_division_mean_by_hand(counted: dict[str, pd.DataFrame]) -> None:
    d = _rows(counted)
    c10 = d[(d["industry"] == "C10")]["weight"].sum()
    assert c10 == pytest.approx((C10_CLASSES - 1 + C1081_WEIGHT) / C10_CLASSES, abs=1e-12)  # 74/75
    assert d[d["industry"] == "C1081"].set_index("category").at["food_processing_and_manufacturing",
                                                                   "weight"] == pytest.approx(C1081_WEIGHT)
    cov = counted["concordance_coverage"].set_index(["scope", "measure"])["value"]
    assert cov[("traded+local", "mean_class_weight")] == pytest.approx(0.9254117, abs=1e-6)
    assert cov[("traded", "mean_class_weight")] == pytest.approx(0.6682901, abs=1e-6)
