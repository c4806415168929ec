"""Cluster categories (51 traded, 16 local, 10 emerging) and the emerging-industries file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.classifications import categories as cat
from clusterobs.classifications.categories import EmergingDefinitionError
from clusterobs.sources import nace_classification, us_cluster_crosswalk, us_cmp_related
from clusterobs.sources.ingestlog import IngestLog

EMERGING = {"Advanced packaging", "Biopharmaceuticals", "Blue growth", "Creative industries", "Digital industries",
            "Environmental industries", "Experience industries", "Logistical services", "Medical devices",
            "Mobility technologies"}


@pytest.fixture(scope="module")
def nace(mirror: Path) -> pd.DataFrame:
    return nace_classification.read(mirror, IngestLog(), {})["nace"]


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return cat.categories(us_cluster_crosswalk.read(mirror, IngestLog(), {})["cluster_naics"])


def test_counts_and_codes(table: pd.DataFrame) -> None:
    assert len(table) == 77 and table["category"].is_unique
    assert table["kind"].value_counts().to_dict() == {"traded": 51, "local": 16, "emerging": 10}
    assert table.loc[table["kind"] == "traded", "cmp_code"].tolist() == list(range(1, 52))
    assert table.loc[table["kind"] == "local", "cmp_code"].tolist() == list(range(101, 117))
    assert table.loc[table["kind"] == "emerging", "cmp_code"].isna().all()
    assert set(table.loc[table["kind"] == "emerging", "name"]) == EMERGING
    assert table["description"].str.len().min() > 40


def test_traded_keys_are_the_cmp_graph_keys(table: pd.DataFrame, mirror: Path) -> None:
    keys = set(us_cmp_related.read(mirror, IngestLog(), {})["cluster_positions"]["key"])
    assert set(table.loc[table["kind"] == "traded", "category"]) == keys
    row = table.set_index("category").loc["local_personal_services_non_medical"]
    assert (row["cmp_code"], row["name"]) == (102, "Local Personal Services (Non-Medical)")


def test_slug() -> None:
    assert cat.slug("Marketing, Design, and Publishing") == "marketing_design_and_publishing"
    assert cat.slug("Trailers, Motor Homes, and Appliances") == "trailers_motor_homes_and_appliances"


def test_emerging_concordance_is_valid(nace: pd.DataFrame) -> None:
    df = cat.emerging_concordance(nace)
    assert df["category"].nunique() == 10
    assert df["weight"].gt(0).all() and df["weight"].le(1).all()
    levels = nace.set_index("code")["level"]
    assert set(df["industry"].map(levels)) == {2, 4}
    assert not df.duplicated(["industry", "category"]).any()
    assert df.set_index(["category", "industry"]).at[("emerging_mobility_technologies", "C3030"), "weight"] == 1.0
    for ind in cat.emerging_definitions():
        assert ind.rationale and ind.category.startswith("emerging_")


def _write(tmp_path: Path, nace_block: str, category: str = "emerging_test") -> Path:
    path = tmp_path / "emerging.yml"
    path.write_text(f"industries:\n  - category: {category}\n    name: Test\n    rationale: Why.\n"
                    f"    nace:\n{nace_block}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("      C9999: 1.0\n", "industry 'emerging_test': unknown NACE code 'C9999'"),
        ("      C3030: 1.5\n", "industry 'emerging_test', code C3030: weight 1.5 is not in (0, 1]"),
        ("      C3030: 0\n", "weight 0 is not in (0, 1]"),
        ("      C3030: yes\n", "weight True is not in (0, 1]"),
        ("      30.30: 1\n", "30.3 is not a NACE class (C2110) or division (J62) code in Eurostat form"),
        ("      C303: 1\n", "'C303' is not a NACE class"),
        ("      C30: 1\n      C3030: 0.5\n", "class C3030 and its division C30 are both listed"),
        ("      C3030: 1\n      C3030: 0.5\n", "written twice"),
        ("      {}\n", "'nace' must map NACE codes to weights"),
    ],
)
def test_invalid_emerging_file(tmp_path: Path, nace: pd.DataFrame, block: str, message: str) -> None:
    with pytest.raises(EmergingDefinitionError, match=re.escape(message)):
        cat.emerging_concordance(nace, path=_write(tmp_path, block))


def test_invalid_category_and_collision(tmp_path: Path, mirror: Path) -> None:
    with pytest.raises(EmergingDefinitionError, match="is not a slug"):
        cat.emerging_definitions(_write(tmp_path, "      C3030: 1\n", category="Bad Name"))
    crosswalk = us_cluster_crosswalk.read(mirror, IngestLog(), {})["cluster_naics"]
    path = _write(tmp_path, "      C3030: 1\n", category="apparel")
    with pytest.raises(EmergingDefinitionError, match="'apparel' is already a traded or local cluster"):
        cat.categories(crosswalk, path=path)


def test_form_only_without_nace(tmp_path: Path) -> None:
    df = cat.emerging_concordance(path=_write(tmp_path, "      C9999: 0.25\n"))
    assert df.to_dict("records") == [{"industry": "C9999", "category": "emerging_test", "weight": 0.25}]
