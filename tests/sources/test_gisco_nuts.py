"""GISCO NUTS geometries and region names, checked against figures read by hand in the mirror."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import gisco_nuts
from clusterobs.sources.gisco_nuts import Layer, load_features
from clusterobs.sources.ingestlog import IngestLog


def mirror() -> Path:
    return Path(os.environ.get("CLUSTEROBS_MIRROR", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"))


@pytest.fixture(scope="module")
def read() -> tuple[dict[str, pd.DataFrame], IngestLog]:
    log = IngestLog()
    return gisco_nuts.read(mirror(), log, {}), log


def test_meta_lists_the_4326_files_of_four_folders():
    layers = gisco_nuts.layers()
    assert len(layers) == 12
    assert {(la.nuts_version, la.scale) for la in layers} == {(2016, "20M"), (2016, "60M"), (2021, "20M"),
                                                             (2021, "60M")}
    assert not [la for la in layers if "3035" in la.name]
    assert all(f.url.startswith("https://raw.githubusercontent.com/") for f in gisco_nuts.META.files)


def test_feature_counts(read):
    geo = read[0]["nuts_geometries"]
    counts = geo.groupby(["nuts_version", "scale", "kind", "level"]).size().to_dict()
    assert counts == {
        (2016, "20M", "region", 0): 37, (2016, "20M", "region", 1): 125, (2016, "20M", "region", 2): 332,
        (2016, "60M", "region", 0): 37, (2016, "60M", "region", 1): 125, (2016, "60M", "region", 2): 332,
        (2016, "60M", "region", 3): 1522,
        (2021, "20M", "region", 0): 37, (2021, "20M", "region", 1): 125, (2021, "20M", "region", 2): 333,
        (2021, "60M", "region", 0): 37, (2021, "60M", "region", 1): 125, (2021, "60M", "region", 2): 334,
        (2021, "60M", "label", 2): 334, (2021, "60M", "boundary", 2): 920,
    }
    assert not geo.duplicated(["nuts_version", "scale", "kind", "code"]).any()


def test_no0b_is_missing_from_the_early_2021_20m_release(read):
    geo, regions = read[0]["nuts_geometries"], read[0]["gisco_regions"]
    polygons = geo[(geo["nuts_version"] == 2021) & (geo["kind"] == "region") & (geo["level"] == 2)]
    assert set(polygons.loc[polygons["scale"] == "60M", "code"]) - set(polygons.loc[polygons["scale"] == "20M",
                                                                                    "code"]) == {"NO0B"}
    no0b = regions[(regions["nuts_version"] == 2021) & (regions["code"] == "NO0B")].iloc[0]
    assert no0b["name_latn"] == "Jan Mayen and Svalbard"  # the file has trailing "\r\n   \r\n"


def test_geometry_is_compact_geojson(read):
    geo = read[0]["nuts_geometries"]
    label = geo[(geo["kind"] == "label") & (geo["code"] == "FI1B")]["geometry"].iat[0]
    assert label == '{"type":"Point","coordinates":[24.7512,60.3817]}'
    kinds = geo.groupby("kind")["geometry"].agg(lambda s: {json.loads(g)["type"] for g in s}).to_dict()
    assert kinds == {"boundary": {"LineString"}, "label": {"Point"}, "region": {"Polygon", "MultiPolygon"}}


def test_one_region_row_per_version_and_code(read):
    regions = read[0]["gisco_regions"]
    assert not regions.duplicated(["nuts_version", "code"]).any()
    assert regions.groupby(["nuts_version", "level"]).size().to_dict() == {
        (2016, 0): 37, (2016, 1): 125, (2016, 2): 332, (2016, 3): 1522, (2021, 0): 37, (2021, 1): 125,
        (2021, 2): 334}
    assert regions["name_latn"].notna().all()  # 2016-20M lacks NAME_LATN, the 2016-60M file has it
    assert list(regions.columns) == ["nuts_version", "code", "name", "name_latn", "level", "country",
                                     "mount_type", "urbn_type", "coast_type"]


def test_names_are_cleaned_and_the_60m_name_wins(read):
    regions, log = read[0]["gisco_regions"], read[1]
    r = regions.set_index(["nuts_version", "code"])
    assert r.loc[(2021, "FI1B"), "name"] == "Helsinki-Uusimaa"
    assert r.loc[(2016, "FI1B"), "name"] == "Helsinki-Uusimaa"
    assert r.loc[(2021, "EL"), "name"] == "Ελλάδα"  # no-break space removed
    assert r.loc[(2021, "EL"), "name_latn"] == "Elláda"
    assert r.loc[(2016, "ES"), "name"] == "ESPAÑA"  # 2016 level-0 names are upper case; 20M adds a blank
    assert r.loc[(2021, "BG3"), "name"] == "Северна и Югоизточна България"  # 60M spelling, 20M differs
    quirks = log.quirks_frame()
    assert "name differs between scales (the 60M name is kept)" in set(quirks["quirk"])
    assert log.quarantine_frame().empty


def test_country_codes_are_eurostat_ones(read):
    regions = read[0]["gisco_regions"]
    countries = set(regions.loc[regions["level"] == 0, "code"])
    assert {"EL", "UK"} <= countries
    assert not {"GR", "GB"} & countries
    assert (regions["country"] == regions["code"].str[:2]).all()


def test_malformed_json_names_the_file(tmp_path):
    path = tmp_path / "NUTS_RG_60M_2021_4326_LEVL_0.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature",', encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        load_features(path)
    assert exc.value.file == str(path)
    assert "malformed JSON" in exc.value.reason


def test_other_crs_is_refused(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [],
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}}}))
    with pytest.raises(SourceError, match="EPSG:4326"):
        load_features(path)


def _fake_mirror(tmp_path: Path, features: list[dict]) -> tuple[Path, Layer]:
    name = "gisco-nuts2021-60m/NUTS_RG_60M_2021_4326_LEVL_2.geojson"
    (tmp_path / "gisco-nuts2021-60m").mkdir()
    (tmp_path / name).write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return tmp_path, Layer(name, 2021, "60M", "region", min_rows=1)


SQUARE = {"type": "Polygon", "coordinates": [[[24.0, 60.0], [25.0, 60.0], [25.0, 61.0], [24.0, 61.0], [24.0, 60.0]]]}


def _feature(code: str | None, level: int = 2, geometry: object = SQUARE) -> dict:
    props = {"NUTS_ID": code, "LEVL_CODE": level, "CNTR_CODE": (code or "XX")[:2], "NUTS_NAME": "N ",
             "NAME_LATN": "N", "MOUNT_TYPE": 0, "URBN_TYPE": None, "COAST_TYPE": 0}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def test_features_without_code_or_with_wrong_level_are_quarantined(tmp_path, monkeypatch):
    root, layer = _fake_mirror(tmp_path, [_feature("FI1B"), _feature(None), _feature("FI1C", level=1),
                                          _feature("FI1B")])
    monkeypatch.setattr(gisco_nuts, "layers", lambda: [layer])
    log = IngestLog()
    tables = gisco_nuts.read(root, log, {})
    assert tables["gisco_regions"]["code"].tolist() == ["FI1B"]
    assert tables["gisco_regions"]["name"].tolist() == ["N"]
    q = log.quarantine_frame()
    assert q["reason"].tolist() == ["feature 2: feature without NUTS_ID",
                                    "feature 3: NUTS_ID FI1C does not have LEVL_CODE 1",
                                    "feature 4: duplicate feature for FI1B in the same file"]
    assert set(q["file"]) == {"NUTS_RG_60M_2021_4326_LEVL_2.geojson"}


def test_truncated_file_fails(tmp_path, monkeypatch):
    root, layer = _fake_mirror(tmp_path, [_feature(None)])
    monkeypatch.setattr(gisco_nuts, "layers", lambda: [layer])
    with pytest.raises(SourceError, match="only 0 usable features"):
        gisco_nuts.read(root, IngestLog(), {})


BOWTIE = [[[24.0, 60.0], [25.0, 61.0], [25.0, 60.0], [24.0, 61.0], [24.0, 60.0]]]  # self-intersecting


@pytest.mark.parametrize(("geometry", "reason"), [
    ({"type": "Polygon", "coordinates": "oops"}, "unreadable 'Polygon' geometry"),
    ({"type": "Polygon", "coordinates": [["oops"]]}, "unreadable 'Polygon' geometry"),
    ({"type": "Polygon", "coordinates": [[[24, 60], [25, "x"], [25, 61], [24, 60]]]}, "unreadable 'Polygon' geometry"),
    ({"type": "Circle", "coordinates": [24, 60]}, "unreadable 'Circle' geometry"),
    ({"type": "Point", "coordinates": [24.0, 60.0]}, "Point geometry in the region layer (expected Polygon or "
                                                     "MultiPolygon)"),
    ({"type": "Polygon", "coordinates": []}, "empty geometry"),
    ({"type": "MultiPolygon", "coordinates": []}, "empty geometry"),
    ({"type": "Polygon", "coordinates": [[[24, 60], [1e400, 60], [25, 61], [24, 60]]]},
     "coordinates that are not finite numbers"),
    ({"type": "Polygon", "coordinates": [[[24, 60], [float("nan"), 60], [25, 61], [24, 60]]]},
     "coordinates that are not finite numbers"),
    ({"type": "Polygon", "coordinates": [[[4e6, 3e6], [4.1e6, 3e6], [4.1e6, 3.1e6], [4e6, 3e6]]]},
     "coordinates outside lon -180..180, lat -90..90 (bounds 4e+06, 3e+06, 4.1e+06, 3.1e+06): not EPSG:4326"),
])
def test_a_bad_geometry_is_quarantined_with_file_feature_and_reason(tmp_path, monkeypatch, geometry, reason):
    """Before: coordinates "oops" were loaded, served by /api/geojson, and the region's report answered 500."""
    root, layer = _fake_mirror(tmp_path, [_feature("FI1B"), _feature("FI1C", geometry=geometry)])
    monkeypatch.setattr(gisco_nuts, "layers", lambda: [layer])
    log = IngestLog()
    tables = gisco_nuts.read(root, log, {})
    assert tables["nuts_geometries"]["code"].tolist() == ["FI1B"]
    q = log.quarantine_frame()
    assert q["file"].tolist() == ["NUTS_RG_60M_2021_4326_LEVL_2.geojson"]
    assert q["reason"].iat[0].startswith(f"feature 2: FI1C: {reason}"), q["reason"].iat[0]
    assert '"NUTS_ID": "FI1C"' in q["value"].iat[0]


def test_an_invalid_polygon_is_repaired_and_counted(tmp_path, monkeypatch):
    root, layer = _fake_mirror(tmp_path, [_feature("FI1B", geometry={"type": "Polygon", "coordinates": BOWTIE})])
    monkeypatch.setattr(gisco_nuts, "layers", lambda: [layer])
    log = IngestLog()
    tables = gisco_nuts.read(root, log, {})
    assert log.quarantine_frame().empty
    geometry = json.loads(tables["nuts_geometries"]["geometry"].iat[0])
    assert geometry["type"] == "MultiPolygon" and len(geometry["coordinates"]) == 2  # two triangles
    import shapely.geometry

    repaired = shapely.geometry.shape(geometry)
    assert repaired.is_valid and repaired.area == pytest.approx(0.5)
    quirks = log.quirks_frame().set_index("quirk")
    assert quirks.loc["invalid geometry repaired (shapely.make_valid)", "example"].startswith(
        "feature 1, FI1B: Self-intersection")


def test_the_real_files_have_no_bad_geometry(read):
    """Every feature of the twelve mirror files is readable, valid, of its layer's type and within lon/lat bounds:
    nothing is quarantined and nothing repaired."""
    tables, log = read
    assert log.quarantine_frame().empty
    assert not log.quirks_frame()["quirk"].str.contains("geometry").any()
    assert len(tables["nuts_geometries"]) == 4755


def test_a_quarantined_feature_counts_towards_the_expected_features(tmp_path, monkeypatch):
    """The feature counts of the meta are exact: a bad feature is quarantined, not taken for a truncated file."""
    root, layer = _fake_mirror(tmp_path, [_feature("FI1B"), _feature("FI1C", geometry={"type": "Polygon",
                                                                                       "coordinates": "oops"})])
    monkeypatch.setattr(gisco_nuts, "layers", lambda: [dataclasses.replace(layer, min_rows=2)])
    log = IngestLog()
    assert gisco_nuts.read(root, log, {})["nuts_geometries"]["code"].tolist() == ["FI1B"]
    assert len(log.quarantine_frame()) == 1
    monkeypatch.setattr(gisco_nuts, "layers", lambda: [dataclasses.replace(layer, min_rows=3)])
    with pytest.raises(SourceError, match=r"only 1 usable features, expected at least 3 \(truncated file\? 1 "
                                          r"quarantined\)"):
        gisco_nuts.read(root, IngestLog(), {})
