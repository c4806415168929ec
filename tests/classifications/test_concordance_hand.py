"""The employment-weighted concordance on small frames built here, with every weight computed by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterobs.classifications import concordance as conc

CLASSES = ["C1011", "C1012", "C1020"]
NAMES = {1: ("Aerospace Vehicles and Defense", "traded"), 2: ("Apparel", "traded"), 101: ("Local A", "local")}
A, B, L = "aerospace_vehicles_and_defense", "apparel", "local_a"


def nace() -> pd.DataFrame:
    return pd.DataFrame(
        [("C", "C", 1, None, "C", None, "S"), ("C10", "10", 2, "C", "C", "C10", "D"),
         ("C101", "10.1", 3, "C10", "C", "C10", "G1"), ("C102", "10.2", 3, "C10", "C", "C10", "G2"),
         ("C1011", "10.11", 4, "C101", "C", "C10", "K1"), ("C1012", "10.12", 4, "C101", "C", "C10", "K2"),
         ("C1020", "10.20", 4, "C102", "C", "C10", "K3")],
        columns=["code", "dotted", "level", "parent", "section", "division", "name"])


def frames(links: list[tuple[str, str]], clusters: dict[str, int], emp: dict[str, float], tmp: Path,
           emerging: str = "{C10: 0.5}") -> dict[str, pd.DataFrame]:
    """``naics_nace`` from (NAICS code, class) pairs, ``cluster_naics`` from code → cluster, CBP from code → emp."""
    nn = pd.DataFrame([(n, k, "t", f"title {n}", None) for n, k in links],
                      columns=["naics2017", "nace", "nace_title", "naics_title", "notes"])
    cw = pd.DataFrame([(n, "t", NAMES[c][1], c, NAMES[c][0], "s", False) for n, c in clusters.items()],
                      columns=["naics", "naics_title", "traded_local", "cluster_code", "cluster_name",
                               "subcluster_name", "emsi_specific"])
    if cw.empty:
        cw = pd.DataFrame([("999999", "t", "traded", 1, NAMES[1][0], "s", False)], columns=cw.columns)
    cbp = pd.DataFrame([(n, float(e), 1, None, False, i + 2) for i, (n, e) in enumerate(emp.items())],
                       columns=["naics2012", "emp", "est", "empflag", "emp_estimated", "line"])
    (tmp / "e.yml").write_text(
        f"industries:\n  - {{category: emerging_x, name: X, rationale: Y, nace: {emerging}}}\n", encoding="utf-8")
    return {"nace": nace(), "naics_nace": nn, "cluster_naics": cw, "us_cbp_employment": cbp}


@pytest.fixture
def example_tables(tmp_path: Path) -> tuple[dict[str, pd.DataFrame], Path]:
    """C1011 ← 100001 (600, A), 100002 (300, B), 100003 (100, no cluster);
    C1012 ← 100004 (800, A, also linked to C1020: 400 each), 100005 (200, B); C1020 ← 100004."""
    links = [("100001", "C1011"), ("100002", "C1011"), ("100003", "C1011"), ("100004", "C1012"),
             ("100005", "C1012"), ("100004", "C1020")]
    t = frames(links, {"100001": 1, "100002": 2, "100004": 1, "100005": 2},
               {"100001": 600, "100002": 300, "100003": 100, "100004": 800, "100005": 200}, tmp_path)
    return t, tmp_path / "e.yml"


@pytest.fixture
def example(example_tables: tuple[dict[str, pd.DataFrame], Path]) -> dict[str, pd.DataFrame]:
    t, emerging = example_tables
    return conc.derive(t, emerging_file=emerging)


def _w(out: dict[str, pd.DataFrame], source: str = "derived") -> pd.Series:
    c = out["concordance"]
    return c[c["source"] == source].set_index(["industry", "category"])["weight"]


def test_a_class_fed_by_three_codes(example: dict[str, pd.DataFrame]) -> None:
    w = _w(example)
    assert w[("C1011", A)] == pytest.approx(600 / 1000, abs=1e-15)
    assert w[("C1011", B)] == pytest.approx(300 / 1000, abs=1e-15)
    assert w.loc["C1011"].sum() == pytest.approx(0.9)  # 100003 is in no cluster: denominator only
    emp = example["concordance"].set_index(["industry", "category"])["us_employment"]
    assert emp[("C1011", A)] == 1000


def test_a_code_linked_to_two_classes_splits_its_employment(example: dict[str, pd.DataFrame]) -> None:
    w = _w(example)
    # C1012: 800 / 2 = 400 of A and 200 of B; C1020: the other 400 of A
    assert w[("C1012", A)] == pytest.approx(400 / 600, abs=1e-15)
    assert w[("C1012", B)] == pytest.approx(200 / 600, abs=1e-15)
    assert w[("C1020", A)] == 1.0
    naics = example["concordance_naics"].set_index("naics2017")
    assert (naics.at["100004", "nace_classes"], naics.at["100004", "us_employment"],
            naics.at["100004", "us_employment_per_class"]) == (2, 800, 400)
    emp = example["concordance"].drop_duplicates("industry").set_index("industry")["us_employment"]
    assert emp[["C1011", "C1012", "C1020", "C101", "C102", "C10", "C"]].tolist() == [1000, 600, 400, 1600, 400,
                                                                                     2000, 2000]


def test_aggregates_are_employment_weighted(example: dict[str, pd.DataFrame],
                                           example_tables: tuple[dict[str, pd.DataFrame], Path]) -> None:
    w = _w(example)
    # group C101: (1000 × 0.6 + 600 × 2/3) / 1600 of A, (1000 × 0.3 + 600 × 1/3) / 1600 of B
    assert w[("C101", A)] == pytest.approx(1000 / 1600, abs=1e-15)
    assert w[("C101", B)] == pytest.approx(500 / 1600, abs=1e-15)
    # division C10 and section C: (600 + 400 + 400) / 2000 of A, (300 + 200) / 2000 of B
    for code in ("C10", "C"):
        assert w[(code, A)] == pytest.approx(0.7, abs=1e-15)
        assert w[(code, B)] == pytest.approx(0.25, abs=1e-15)
    # the count rule: C1011 2/3 shared 1/3 + 1/3, C1012 1/2 + 1/2, C1020 1; C10 is the plain mean
    t, emerging = example_tables
    counted = _w(conc.derive(t, weighting="count", emerging_file=emerging))
    assert counted[("C10", A)] == pytest.approx((1 / 3 + 1 / 2 + 1) / 3, abs=1e-15)


def test_emerging_rows_aggregate_with_the_same_employment(example: dict[str, pd.DataFrame]) -> None:
    e = _w(example, "emerging.yml")
    # emerging_x lists division C10 at 0.5: every class gets 0.5, and so does every aggregate
    assert e.to_dict() == {(k, "emerging_x"): 0.5 for k in ["C", "C10", "C101", "C1011", "C1012", "C102", "C1020"]}


def test_category_divisions(example: dict[str, pd.DataFrame]) -> None:
    d = example["category_divisions"].set_index(["category", "division"])
    assert d.at[(A, "C10"), "us_employment"] == pytest.approx(1400)  # 600 + 400 + 400
    assert d.at[(A, "C10"), "division_us_employment"] == 2000
    assert d.at[(A, "C10"), "classes"] == 3 and d.at[(B, "C10"), "classes"] == 2
    assert d.at[(B, "C10"), "us_employment"] == pytest.approx(500)
    assert d["us_employment_share"].tolist() == [1.0, 1.0, 1.0]  # one division per category


def test_a_class_without_us_employment_falls_back_to_the_count_rule(tmp_path: Path) -> None:
    # C1020's only codes are absent from CBP (100006 in A, 100007 in no cluster): count rule, 1/2 of A. In C10 it
    # stands in with the mean US employment of C10's classes that have one (C1011: 400), so C10 is not given
    # wholly to C1011's structure: A (400 x .75 + 400 x .5) / 800 = .625, B 400 x .25 / 800 = .125.
    # C102's weight is the plain mean of its one class.
    links = [("100001", "C1011"), ("100002", "C1011"), ("100006", "C1020"), ("100007", "C1020")]
    t = frames(links, {"100001": 1, "100002": 2, "100006": 1}, {"100001": 300, "100002": 100}, tmp_path)
    out = conc.derive(t, emerging_file=tmp_path / "e.yml")
    w = _w(out)
    assert w[("C1020", A)] == 0.5 and w[("C102", A)] == 0.5
    assert w[("C10", A)] == 0.625 and w[("C10", B)] == 0.125
    u = out["concordance_unmatched"].set_index(["kind", "code"])["detail"]
    assert u[("nace_class_count_fallback", "C1020")] == (
        "its 2 linked NAICS codes have no US employment in CBP 2012: weights by the count rule; in its group, "
        "division and section it counts with the mean US employment of its division's classes that have one")
    assert u[("nace_aggregate_count_fallback", "C102")] == (
        "none of its 1 classes has US employment: its weights (derived, emerging.yml) are the plain mean over its "
        "classes")
    assert ("naics2017_without_us_employment", "100006") in u.index
    cov = out["concordance_coverage"].set_index(["scope", "measure"])["value"]
    assert cov[("traded", "nace_classes_without_us_employment")] == 1
    assert cov[("traded", "us_employment_share")] == 1.0  # all 400 of C1011 is traded


def test_weighting_is_checked(tmp_path: Path) -> None:
    t = frames([("100001", "C1011")], {"100001": 1}, {"100001": 1}, tmp_path)
    with pytest.raises(ValueError, match=r"^`weighting` of `derive` must be one of employment, count; got 'jobs'.$"):
        conc.derive(t, weighting="jobs", emerging_file=tmp_path / "e.yml")
    del t["us_cbp_employment"]
    with pytest.raises(ValueError, match="no us_cbp_employment table"):
        conc.derive(t, emerging_file=tmp_path / "e.yml")
    out = conc.derive(t, weighting="count", emerging_file=tmp_path / "e.yml")
    assert out["concordance"]["us_employment"].isna().all()
    assert _w(out)[("C1011", A)] == 1.0


@settings(max_examples=40, deadline=None)
@given(links=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2)), min_size=1, max_size=20),
       clusters=st.dictionaries(st.integers(0, 7), st.sampled_from([1, 2, 101])),
       emp=st.dictionaries(st.integers(0, 7), st.integers(0, 10_000)))
def test_property_class_weights_are_employment_shares(links: list[tuple[int, int]], clusters: dict[int, int],
                                                      emp: dict[int, int],
                                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("syn")
    code = {n: f"{100000 + n}" for n in range(8)}
    pairs = sorted({(code[n], CLASSES[k]) for n, k in links})
    t = frames(pairs, {code[n]: c for n, c in clusters.items()}, {code[n]: e for n, e in emp.items()}, tmp)
    c = conc.derive(t, emerging_file=tmp / "e.yml")["concordance"]
    d = c[c["source"] == "derived"]
    assert d["weight"].gt(0).all()
    assert (d.groupby("industry")["weight"].sum() <= 1 + 1e-12).all()
    n_classes = {n: sum(1 for m, _ in pairs if m == n) for n, _ in pairs}
    e_class = {}
    for k in CLASSES:
        codes = [n for n, kk in pairs if kk == k]
        share = {n: emp.get(int(n) - 100000, 0) / n_classes[n] for n in codes}
        total = sum(share.values())
        e_class[k] = total
        in_cluster = [n for n in codes if int(n) - 100000 in clusters]
        expected = (sum(share[n] for n in in_cluster) / total if total else
                    len(in_cluster) / len(codes) if codes else 0.0)
        assert d.loc[d["industry"] == k, "weight"].sum() == pytest.approx(expected, abs=1e-12)
    if sum(e_class.values()) > 0:  # the division: employment-weighted sum of its class sums
        sums = {k: d.loc[d["industry"] == k, "weight"].sum() for k in CLASSES}
        # a linked class without US employment stands in with the mean of the classes that have one
        covered = [e for e in e_class.values() if e > 0]
        linked = {k for _, k in pairs}
        e_class = {k: (sum(covered) / len(covered) if e == 0 and k in linked else e) for k, e in e_class.items()}
        expected = sum(e_class[k] * sums[k] for k in CLASSES) / sum(e_class.values())
        assert d.loc[d["industry"] == "C10", "weight"].sum() == pytest.approx(expected, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(links=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2)), min_size=1, max_size=20),
       clusters=st.dictionaries(st.integers(0, 7), st.sampled_from([1, 2, 101])))
def test_property_count_rule(links: list[tuple[int, int]], clusters: dict[int, int],
                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """The earlier rule: a class's weight is the matched share of its distinct NAICS codes; aggregates the mean."""
    tmp = tmp_path_factory.mktemp("syn")
    pairs = sorted({(f"{100000 + n}", CLASSES[k]) for n, k in links})
    t = frames(pairs, {f"{100000 + n}": c for n, c in clusters.items()}, {}, tmp)
    c = conc.derive(t, weighting="count", emerging_file=tmp / "e.yml")["concordance"]
    d = c[c["source"] == "derived"]
    assert (d.groupby("industry")["weight"].sum() <= 1 + 1e-12).all()
    sums = {}
    for k in CLASSES:
        codes = {n for n, kk in pairs if kk == k}
        sums[k] = sum(int(n) - 100000 in clusters for n in codes) / len(codes) if codes else 0.0
        assert d.loc[d["industry"] == k, "weight"].sum() == pytest.approx(sums[k], abs=1e-12)
    assert d.loc[d["industry"] == "C10", "weight"].sum() == pytest.approx(sum(sums.values()) / 3, abs=1e-12)
    e = c[c["source"] == "emerging.yml"].set_index("industry")["weight"]
    assert e.to_dict() == {"C": 0.5, "C10": 0.5, "C101": 0.5, "C1011": 0.5, "C1012": 0.5, "C102": 0.5, "C1020": 0.5}
