"""Hand-made microdata (tests/microdata/conftest.py): every quarantine reason counted, with file and line;
exact totals at every NUTS level; the mapping equals the engine's on the aggregated panel."""

from __future__ import annotations

import pandas as pd
import pytest
from microdata_cases import CONCORDANCE, EMPLOYEES, ROWS, WAGES, expected_counts, hand_lookups, write_csv

from clusterobs.mapping import map_table
from clusterobs.mapping.backends import duckdb_backend
from clusterobs.microdata import REASONS, InputError, map_firms, normalise_postcodes
from clusterobs.microdata.read import read_table_file


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = write_csv(tmp_path_factory.mktemp("hand") / "firms.csv")
    return map_firms(duckdb_backend(), path, hand_lookups(), levels=(3, 2, 1, 0), schemes=("eco2007",), panels=True,
                     sample=50)


def test_every_rejected_row_is_counted_under_its_reason(result):
    assert result.quarantined == expected_counts()
    assert result.rows == len(ROWS)
    assert result.accepted + sum(result.quarantined.values()) == result.rows
    assert result.accepted == sum(1 for *_x, reason in ROWS if reason is None)


def test_sample_names_file_and_line_of_each_rejected_row(result):
    got = {(r.line, r.reason) for r in result.sample.itertuples()}
    want = {(line, reason) for line, _t, reason in ROWS if reason}
    assert got == want  # lines after the two malformed CSV rows are right too (27, 28, 29)
    assert set(result.sample["file"]) == {"firms.csv"}
    malformed = result.sample[result.sample["reason"] == REASONS.malformed_csv]
    assert list(malformed["value"]) == ["20,DE111,C1011,2020,2", "21,DE111,C1011,2020,2,20,9"]
    neg = result.sample[result.sample["reason"] == REASONS.negative("employees")].iloc[0]
    assert neg["firm_id"] == "13" and neg["year"] == "2020" and "employees=-4" in neg["value"]


def test_totals_are_exact_at_every_level(result):
    assert result.totals["employees"] == round(EMPLOYEES * 100)
    assert result.totals["wages"] == round(WAGES * 100)
    assert result.totals["wages_missing"] == 1
    assert result.totals["firms"] == result.accepted
    for level, panel in result.panels.items():
        assert round(panel["employees"].sum() * 100) == result.totals["employees"], level
        assert panel["firms"].sum() == result.accepted, level
        assert (panel["region"].str.len() == level + 2).all()


def test_cells_at_nuts2_and_nuts0(result):
    p2 = result.panels[2].set_index(["region", "industry", "year"])
    assert p2.loc[("DE11", "C1011", 2020), "firms"] == 2
    assert p2.loc[("DE11", "C1011", 2020), "employees"] == 15.0
    assert p2.loc[("DE11", "C1011", 2020), "wages"] == 1500.75
    assert p2.loc[("DE11", "C1011", 2021), "employees"] == 23.0   # firms 22, 1 and 24
    assert pd.isna(p2.loc[("FR10", "J6201", 2020), "wages"])       # one firm without a wage
    assert p2.loc[("FR10", "C2910", 2020), "employees"] == 100.0
    p0 = result.panels[0].set_index(["region", "industry", "year"])
    assert p0.loc[("DE", "C1012", 2020), "employees"] == 2.5
    assert set(p0.index.get_level_values("region")) == {"DE", "ES", "FR"}


def test_mapping_is_the_engines_on_the_aggregated_panel(result):
    """At NUTS-2, map_firms gives what map_table gives on the same region × class × year panel."""
    panel = result.panels[2].rename(columns={"employees": "employment"})
    panel["establishments"] = panel["firms"].astype(float)
    panel = panel[["region", "industry", "year", "employment", "wages", "establishments"]]
    theirs = map_table(panel, scheme="eco2007", concordance=CONCORDANCE)
    ours = result.mapped["eco2007"]
    ours = ours[ours["level"] == 2].drop(columns=["nuts_version", "level"]).reset_index(drop=True)
    assert list(ours.columns) == list(theirs.columns)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    assert ours["stars"].sum() > 0


def test_the_finest_level_decides_what_a_coarse_code_is(hand_csv, lookups):
    """Mapped at NUTS-2 only, the firm with a NUTS-2 code is accepted."""
    r = map_firms(duckdb_backend(), hand_csv, lookups, levels=(2,), schemes=())
    assert REASONS.coarse_region not in r.quarantined
    assert r.accepted == sum(1 for *_x, reason in ROWS if reason is None) + 1


def test_quarantine_file_holds_every_rejected_row(hand_csv, lookups, tmp_path):
    out = tmp_path / "q.csv"
    r = map_firms(duckdb_backend(), hand_csv, lookups, levels=(3,), schemes=(), quarantine_path=out)
    q = pd.read_csv(out)
    assert len(q) == sum(r.quarantined.values())
    assert list(q["line"]) == sorted(line for line, _t, reason in ROWS if reason)
    assert q.groupby("reason").size().to_dict() == r.quarantined


def test_parquet_input_with_typed_columns(tmp_path, lookups):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "Firm_ID": [1, 2, 3, 4, 4, 5], "Region": ["DE111", "DE112", "FR101", "DE111", "DE112", "DE111"],
        "NACE": ["C1011", "C2910", "J6201", "C1011", "C1011", "C1011"], "year": [2020, 2020, 2020, 2021, 2021, 2021],
        "employees": pa.array([1.0, float("nan"), 3.0, 4.0, 5.0, None], pa.float64()),
        "wages": pa.array([10.0, 20.0, None, 40.0, 50.0, 1.0], pa.float64())})
    pq.write_table(table, tmp_path / "f.parquet")
    r = map_firms(duckdb_backend(), tmp_path / "f.parquet", lookups, levels=(3,), schemes=(), sample=10)
    assert r.quarantined == {REASONS.missing("employees"): 1, REASONS.not_a_number("employees"): 1,
                             REASONS.duplicate: 2}
    assert r.totals["employees"] == 400 and r.totals["wages"] == 1000 and r.totals["wages_missing"] == 1
    assert sorted(r.sample["line"]) == [2, 4, 5, 6]  # Parquet: the row's number in the file


def test_integer_nace_codes_keep_their_leading_zero(tmp_path):
    from clusterobs.microdata import Lookups

    lk = Lookups(classes=["A0111", "C1011"], concordance=pd.DataFrame(
        {"industry": ["A0111"], "category": ["farm"], "weight": [1.0]}), regions=None, nuts_version=None)
    df = pd.DataFrame({"firm_id": [1, 2], "region": ["DE111", "XX999"], "nace": [111, 1011], "year": [2020, 2020],
                       "employees": [1, 2]})
    df.to_parquet(tmp_path / "f.parquet")
    r = map_firms(duckdb_backend(), tmp_path / "f.parquet", lk, levels=(3,), schemes=(), panels=True)
    assert r.quarantined == {} and r.accepted == 2  # no store: region codes checked by shape only
    assert set(r.panels[3]["industry"]) == {"A0111", "C1011"}


def test_postcodes_locate_firms_without_a_region(tmp_path, lookups):
    table = tmp_path / "pc.csv"
    table.write_text("NUTS3;CODE\n'DE111';'70173'\n'DE112';'71032'\n'FR101';'75001'\n'DE121';'75001'\n")
    pcs = normalise_postcodes(read_table_file(table))
    assert len(pcs) == 4 and set(pcs["country"]) == {"DE", "FR"}
    firms = pd.DataFrame({"firm_id": [1, 2, 3, 4, 5, 6], "region": [None, None, "FR102", None, None, None],
                          "postcode": ["70173", "7 1032", None, "99999", None, "75001"],
                          "country": ["DE", "de", None, "DE", "DE", "FR"],
                          "nace": "C1011", "year": 2020, "employees": [1, 2, 3, 4, 5, 6]})
    firms.to_csv(tmp_path / "f.csv", index=False)
    lookups.postcodes = pcs
    r = map_firms(duckdb_backend(), tmp_path / "f.csv", lookups, levels=(3,), schemes=(), panels=True)
    assert r.quarantined == {REASONS.unknown_postcode: 1, REASONS.missing_location: 1}
    assert dict(zip(r.panels[3]["region"], r.panels[3]["employees"], strict=True)) == {
        "DE111": 1.0, "DE112": 2.0, "FR101": 6.0, "FR102": 3.0}


def test_a_postcode_with_two_regions_is_an_error():
    with pytest.raises(InputError, match="70173"):
        normalise_postcodes(pd.DataFrame({"postcode": ["70173", "70173"], "nuts3": ["DE111", "DE112"]}))


def test_missing_columns_and_files_are_errors(tmp_path, lookups):
    bad = tmp_path / "bad.csv"
    bad.write_text("firm_id,region,year,employees\n1,DE111,2020,3\n")
    with pytest.raises(InputError, match=r"missing column.*nace"):
        map_firms(duckdb_backend(), bad, lookups)
    with pytest.raises(InputError, match="no such file"):
        map_firms(duckdb_backend(), tmp_path / "none.parquet", lookups)


def test_several_csv_files_keep_their_own_lines(tmp_path, lookups):
    a = write_csv(tmp_path / "a.csv")
    b = tmp_path / "b.csv"
    b.write_text("firm_id,region,nace,year,employees,wages\n900,DE111,C1011,2022,1,1\n901,DE111,C1011,2022,-1,1\n")
    r = map_firms(duckdb_backend(), [a, b], lookups, levels=(3,), schemes=(), sample=50)
    neg = r.sample[r.sample["reason"] == REASONS.negative("employees")]
    assert set(zip(neg["file"], neg["line"], strict=True)) == {("a.csv", 14), ("b.csv", 3)}
    assert r.rows == len(ROWS) + 2
