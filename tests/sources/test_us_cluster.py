"""US Cluster Mapping: NAICS → cluster crosswalk, linkages, relatedness matrix and graph positions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import nace_classification, naics_nace, us_cluster_crosswalk, us_cmp_related
from clusterobs.sources.ingestlog import IngestLog

CROSSWALK = "us-cluster-naics-crosswalk"
CMP = "us-cmp-clustermapping"


@pytest.fixture(scope="module")
def crosswalk(mirror: Path) -> tuple[dict[str, pd.DataFrame], IngestLog]:
    log = IngestLog()
    return us_cluster_crosswalk.read(mirror, log, {}), log


@pytest.fixture(scope="module")
def related(mirror: Path) -> tuple[dict[str, pd.DataFrame], IngestLog]:
    log = IngestLog()
    return us_cmp_related.read(mirror, log, {}), log


def test_cluster_naics_counts(crosswalk: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    df = crosswalk[0]["cluster_naics"]
    assert len(df) == 992 - 6
    assert df["naics"].is_unique
    clusters = df.drop_duplicates("cluster_code")
    assert sorted(clusters.loc[clusters["traded_local"] == "traded", "cluster_code"]) == list(range(1, 52))
    assert sorted(clusters.loc[clusters["traded_local"] == "local", "cluster_code"]) == list(range(101, 117))
    assert int(df["emsi_specific"].sum()) == 37 - 5
    row = df.set_index("naics").loc["336411"]
    assert (row["cluster_code"], row["cluster_name"], row["subcluster_name"]) == (
        1, "Aerospace Vehicles and Defense", "Aircraft")


def test_rows_without_cluster_quarantined(crosswalk: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    q = crosswalk[1].quarantine_frame()
    assert q["line"].tolist() == [237, 238, 239, 519, 780, 887]
    assert q["value"].str.split(",").str[0].tolist() == ["901149", "901199", "901200", "903999", "814110", "902999"]
    assert q.set_index("line").at[780, "reason"] == "no CMP cluster (cluster 'NA'): the CMP leaves it out"
    assert q["reason"].str.contains("no CMP cluster").all()


def test_names_agree_with_cmp(crosswalk: tuple[dict[str, pd.DataFrame], IngestLog], mirror: Path) -> None:
    assert crosswalk[1].quirks_frame().empty
    names = us_cmp_related.cluster_names(mirror)
    df = crosswalk[0]["cluster_naics"]
    traded = df[df["traded_local"] == "traded"].drop_duplicates("cluster_code")
    assert dict(zip(traded["cluster_code"], traded["cluster_name"], strict=True)) == names


def test_codes_are_naics_2017(crosswalk: tuple[dict[str, pd.DataFrame], IngestLog], mirror: Path) -> None:
    """The crosswalk is coded in NAICS 2017, not 2012: every code Emsi does not flag is a NAICS 2017 code,
    and it has 2017-only codes (e.g. 454110, created in 2017 from 454111-454113)."""
    ref = nace_classification.read(mirror, IngestLog(), {})
    naics = set(naics_nace.read(mirror, IngestLog(), ref)["naics"]["code"])
    df = crosswalk[0]["cluster_naics"]
    assert set(df.loc[~df["emsi_specific"], "naics"]) <= naics
    assert {"454110", "211130", "212230", "335220"} <= set(df.loc[~df["emsi_specific"], "naics"])
    emsi_real = sorted(set(df.loc[df["emsi_specific"], "naics"]) & naics)
    assert len(emsi_real) == 21
    assert {"111000", "112000", "482110"}.isdisjoint(naics)


def test_cluster_linkage(crosswalk: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    links = crosswalk[0]["cluster_linkage"]
    assert len(links) == 203
    assert links["strength"].value_counts().to_dict() == {"very strong": 104, "strong": 71, "lower": 28}
    assert links.iloc[0].tolist() == [1, 23, "lower"]


def test_name_mismatch_is_a_quirk(mirror: Path, tmp_path: Path) -> None:
    shutil.copytree(mirror / CROSSWALK, tmp_path / CROSSWALK)
    (tmp_path / CMP).mkdir()
    pairs = [{"cluster_code": 1, "cluster_name": "Aerospace and Defence", "cluster_code_2": 3,
              "cluster_name_2": "Apparel"}]
    (tmp_path / CMP / "relatedClusters.json").write_text(json.dumps(pairs), encoding="utf-8")
    log = IngestLog()
    us_cluster_crosswalk.read(tmp_path, log, {})
    quirks = log.quirks_frame().set_index(["file", "quirk"])["rows"]
    kind = "cluster name differs from CMP relatedClusters.json (crosswalk name kept)"
    assert quirks[("naics_to_cmp_cluster.csv", kind)] == 7  # the 7 NAICS codes of cluster 1
    assert quirks[("naics_to_cmp_cluster.csv", "traded cluster code absent from CMP relatedClusters.json")] == (
        680 - 7 - 6)  # traded rows of clusters other than 1 (Aerospace) and 3 (Apparel)
    assert quirks[("ClusterLinkage.csv", kind)] == 2  # links 1 -> 23 and 1 -> 30 name cluster 1


def test_relatedness(related: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    df = related[0]["cluster_relatedness"]
    assert related[1].rejected == []
    assert len(df) == 2601 == 51 * 51
    assert not df.duplicated(["cluster_a", "cluster_b"]).any()
    assert int(df["related_90"].sum()) == 256
    pair = df.set_index(["cluster_a", "cluster_b"])
    assert pair.at[(1, 1), "cr_all"] == pytest.approx(2.205119)
    assert pair.at[(1, 1), "cr_lc_pc"] == 63
    assert pair.at[(1, 23), "cr_all"] == pytest.approx(0.406556)
    assert pair.at[(3, 39), "related_90"]
    related_pairs = set(df.loc[df["related_90"], ["cluster_a", "cluster_b"]].itertuples(index=False, name=None))
    assert all((b, a) in related_pairs for a, b in related_pairs)


def test_positions(related: tuple[dict[str, pd.DataFrame], IngestLog]) -> None:
    pos = related[0]["cluster_positions"].set_index("key")
    assert len(pos) == 51
    assert pos.at["aerospace_vehicles_and_defense", "color"] == "#c1dcf3"
    assert pos.at["aerospace_vehicles_and_defense", "x"] == pytest.approx(413.6227227245057)


def test_json_values(tmp_path: Path) -> None:
    (tmp_path / CMP).mkdir()
    base = {"cluster_code": 1, "cluster_code_2": 2, "cr_all": "0.5", "cr_all_pc": "50", "cr_io": "6.20E-06",
            "cr_io_pc": "9", "cr_occ": "", "cr_occ_pc": "", "cr_lc": "0.1", "cr_lc_pc": "1", "rel_all_90_v3": "1"}
    bad = base | {"cluster_code_2": 3, "cr_all": "n/a"}
    outside = base | {"cluster_code": 101}
    (tmp_path / CMP / "relatedClusters.json").write_text(json.dumps([base, bad, outside]), encoding="utf-8")
    (tmp_path / CMP / "cluster_positions.json").write_text("{}", encoding="utf-8")
    log = IngestLog()
    with pytest.raises(SourceError, match="only 1 cluster pairs"):
        us_cmp_related.read(tmp_path, log, {})
    reasons = [r["reason"] for r in log.rejected]
    assert reasons[0] == "not a number: 'n/a'"
    assert "not traded cluster codes" in reasons[1]
    assert us_cmp_related._number("") is None and us_cmp_related._number("6.20E-06") == pytest.approx(6.2e-6)
