"""NUTS codes per version and the region list, from the real JRC and GISCO files."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.classifications import regions
from clusterobs.sources import gisco_nuts, jrc_nuts
from clusterobs.sources.ingestlog import IngestLog


def mirror() -> Path:
    return Path(os.environ.get("CLUSTEROBS_MIRROR", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"))


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    log = IngestLog()
    out = {**jrc_nuts.read(mirror(), log, {}), **gisco_nuts.read(mirror(), log, {})}
    out["nuts_codes"] = regions.nuts_codes(out)
    out["regions"] = regions.regions(out)
    return out


def test_codes_per_version_and_level(tables):
    codes = tables["nuts_codes"]
    assert codes.groupby(["nuts_version", "level"]).size().to_dict() == {
        (2013, 0): 37, (2013, 1): 102, (2013, 2): 292,  # 293 NUTS-2 codes in the 2013 matrices, minus ELZZ
        (2016, 0): 37, (2016, 1): 125, (2016, 2): 332, (2016, 3): 1522,
        (2021, 0): 37, (2021, 1): 125, (2021, 2): 334,
        (2024, 0): 36, (2024, 2): 259,
    }
    assert not codes.duplicated(["nuts_version", "code"]).any()
    assert (codes["country"] == codes["code"].str[:2]).all()


def test_extra_regio_and_artefacts_are_left_out(tables):
    codes = tables["nuts_codes"]
    known = set(zip(codes["nuts_version"], codes["code"], strict=True))
    assert (2013, "ELZZ") not in known and (2013, "ELZ") not in known
    assert (2016, "UKN1") not in known
    assert (2013, "LI00") in known and (2013, "PL12") in known and (2013, "FR21") in known
    assert (2024, "UK") not in known and (2021, "UK") in known and (2013, "UK") in known
    assert (2024, "PT1D") in known and (2021, "NO0B") in known


def test_eurostat_country_codes_match_the_sbs_file(tables):
    codes = tables["nuts_codes"]
    assert not {"GR", "GB"} & set(codes["country"])
    path = mirror() / "eurostat-sbs-nuts2-2015" / "sbs_r_nuts06_r2_2015.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sbs = {row["geo"] for row in csv.DictReader(fh, delimiter=";")}
    known_2013 = set(codes.loc[codes["nuts_version"] == 2013, "code"])
    assert {"EL", "EL30", "UK", "UKN0"} <= sbs & known_2013
    # SBS NUTS-2 codes outside NUTS 2013: 8 extra-regio and 35 obsolete (NUTS 2010) codes
    outside = {c for c in sbs - known_2013 if len(c) == 4}
    assert len(outside) == 43
    assert sum(regions.is_extra_regio(c) for c in outside) == 8


def test_names_parents_and_geometry(tables):
    r = tables["regions"].set_index(["nuts_version", "code"])
    assert r.loc[(2021, "FI1B"), "name"] == "Helsinki-Uusimaa"
    assert r.loc[(2021, "FI1B"), "parent"] == "FI1"
    assert pd.isna(r.loc[(2021, "FI"), "parent"])
    assert r.loc[(2016, "FI1B"), "name_version"] == 2016
    # 2013 codes borrow the 2016 name of the same code; FR21 (Champagne-Ardenne) is FRF2 in 2016
    assert r.loc[(2013, "FI1B"), "name"] == "Helsinki-Uusimaa"
    assert r.loc[(2013, "FI1B"), "name_version"] == 2016
    assert pd.isna(r.loc[(2013, "FR21"), "name"])
    # 2024 codes borrow the 2021 name; PT19 is new in 2024
    assert r.loc[(2024, "PL91"), "name"] == "Warszawski stołeczny"
    assert pd.isna(r.loc[(2024, "PT19"), "name"]) and pd.isna(r.loc[(2024, "PT19"), "name_version"])
    assert bool(r.loc[(2021, "NO0B"), "has_geometry"])
    assert not r.loc[2013, "has_geometry"].any()
    assert r.loc[2016, "has_geometry"].all() and r.loc[2021, "has_geometry"].all()
    named = tables["regions"].groupby("nuts_version")["name"].count().to_dict()
    assert named == {2013: 383, 2016: 2016, 2021: 496, 2024: 288}
