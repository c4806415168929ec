"""Converting counts between NUTS versions with the JRC weights."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterobs.classifications.nuts_conversion import conversion_matrix, convert, path
from clusterobs.sources import jrc_nuts
from clusterobs.sources.ingestlog import IngestLog


def mirror() -> Path:
    return Path(os.environ.get("CLUSTEROBS_MIRROR", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"))


CONV = jrc_nuts.read(mirror(), IngestLog(), {})["nuts_conversion"]


def frame(values: dict[str, float | None], flags: dict[str, str] | None = None) -> pd.DataFrame:
    flags = flags or {}
    return pd.DataFrame({"nace": "C", "year": 2015, "region": pd.Series(list(values), dtype="str"),
                         "value": pd.array(list(values.values()), dtype="Float64"),
                         "flag": [flags.get(c) for c in values]})


def old_codes(from_version: int, to_version: int, level: int) -> list[str]:
    rows = CONV[(CONV["from_version"] == from_version) & (CONV["level"] == level)]
    return sorted(set(rows["code_from"]))


def test_paths():
    assert path(CONV, 2013, 2021, 2) == [2013, 2021]  # the direct matrix
    assert path(CONV, 2013, 2021, 1) == [2013, 2016, 2021]  # no direct NUTS-1 matrix: chained
    assert path(CONV, 2013, 2024, 2) == [2013, 2021, 2024]
    with pytest.raises(ValueError, match="no JRC weights"):
        path(CONV, 2021, 2013, 2)


def test_a_split_region_pl12():
    out = convert(frame({"PL12": 1000.0}), conversion=CONV, from_version=2013, to_version=2021, level=2)
    # n2_cm_v2013_v2021.csv: PL12→PL91 pop21 3244378, PL12→PL92 pop21 2234906
    assert out["region"].tolist() == ["PL91", "PL92"]
    assert out["value"].tolist() == pytest.approx([1000 * 3244378 / 5479284, 1000 * 2234906 / 5479284])
    assert out["conversion"].tolist() == ["NUTS2013→NUTS2021 pop21: PL12×0.592117",
                                          "NUTS2013→NUTS2021 pop21: PL12×0.407883"]
    assert out["converted"].all() and (out["nuts_version"] == 2021).all() and (out["missing_share"] == 0).all()


def test_a_merge_ie06_and_an_unchanged_region():
    out = convert(frame({"IE01": 100.0, "IE02": 200.0, "AT11": 7.0}, flags={"IE02": "e"}), conversion=CONV,
                  from_version=2013, to_version=2021, level=2).set_index("region")
    w1, w2 = 458303 / (903642 + 458303), 2081697 / (1698866 + 2081697)
    assert out.loc["IE06", "value"] == pytest.approx(100 * w1 + 200 * w2)
    assert out.loc["IE06", "conversion"] == "NUTS2013→NUTS2021 pop21: IE01×0.336506 + IE02×0.550631"
    assert out.loc["IE06", "flag"] == "e" and pd.isna(out.loc["IE04", "flag"])
    assert not out.loc["AT11", "converted"]
    assert out.loc["AT11", "conversion"] == "NUTS2013→NUTS2021 pop21: AT11×1"
    assert out.loc["AT11", "value"] == 7.0


def test_chained_nuts1_conversion():
    codes = old_codes(2013, 2016, 1)
    out = convert(frame(dict.fromkeys(codes, 1.0)), conversion=CONV, from_version=2013, to_version=2021,
                  level=1).set_index("region")
    frf = out.loc["FRF"]
    assert frf["conversion"].startswith("NUTS2013→NUTS2016→NUTS2021 pop21: FR2×0.122371 + FR4×0.782762")
    # LI0 and ELZ reach 2016 but the 2016→2021 NUTS-1 matrix lacks them: unmatched, kept in 2013
    unmatched = out[out["unmatched"]]
    assert sorted(unmatched.index) == ["ELZ", "LI0"]
    assert (unmatched["nuts_version"] == 2013).all() and (unmatched["value"] == 1.0).all()


def test_unmatched_and_level0_rows_are_kept():
    out = convert(frame({"DE": 5.0, "ELZZ": 3.0, "LI00": 2.0, "XX11": 1.0, "DE11": 4.0}), conversion=CONV,
                  from_version=2013, to_version=2021, level=2).set_index("region")
    assert out.loc["DE", "nuts_version"] == 2021 and out.loc["DE", "value"] == 5.0
    assert not out.loc["DE", "converted"] and not out.loc["DE", "unmatched"]
    assert out.loc[["ELZZ", "LI00", "XX11"], "unmatched"].all()
    assert (out.loc[["ELZZ", "LI00", "XX11"], "nuts_version"] == 2013).all()
    assert out["value"].sum() == 15.0


def hand_matrix() -> pd.DataFrame:
    """AA11 → AA21 (pop 996) and AA22 (pop 4); AA12 → AA22 (pop 996). AA22's mass is 1000."""
    rows = [("AA11", "AA21", 996.0), ("AA11", "AA22", 4.0), ("AA12", "AA22", 996.0)]
    df = pd.DataFrame(rows, columns=["code_from", "code_to", "pop21"])
    df["area_km2"] = 1.0
    df["w_pop21"] = df["pop21"] / df.groupby("code_from")["pop21"].transform("sum")
    df["w_area"] = df["area_km2"] / df.groupby("code_from")["area_km2"].transform("sum")
    return df.assign(from_version=2013, to_version=2021, level=2)


def test_missing_rule_by_hand():
    m = hand_matrix()
    kw = {"conversion": m, "from_version": 2013, "to_version": 2021, "level": 2}
    # AA11 missing: AA21 has only missing parts → NULL; AA22 misses 4/1000 = 0.4% ≤ 0.5% → AA12's value
    out = convert(frame({"AA11": None, "AA12": 50.0}, flags={"AA11": "c"}), **kw).set_index("region")
    assert pd.isna(out.loc["AA21", "value"]) and out.loc["AA21", "missing_share"] == 1.0
    assert out.loc["AA21", "flag"] == "c"  # a NULL result carries the flags of its missing parts
    assert out.loc["AA22", "value"] == 50.0 and out.loc["AA22", "missing_share"] == pytest.approx(0.004)
    assert pd.isna(out.loc["AA22", "flag"])
    # a stricter threshold makes AA22 NULL too
    strict = convert(frame({"AA11": None, "AA12": 50.0}), max_missing_share=0.003, **kw).set_index("region")
    assert pd.isna(strict.loc["AA22", "value"])
    # a code without a row counts as missing; a region none of whose parts has a row is not returned
    absent = convert(frame({"AA12": 50.0}), **kw).set_index("region")
    assert list(absent.index) == ["AA22"] and absent.loc["AA22", "value"] == 50.0
    # AA12 missing: AA22 misses 99.6% → NULL; AA21 = 100 × 0.996
    out = convert(frame({"AA11": 100.0, "AA12": None}), **kw).set_index("region")
    assert out.loc["AA21", "value"] == pytest.approx(99.6) and pd.isna(out.loc["AA22", "value"])
    assert out.loc["AA22", "missing_share"] == pytest.approx(0.996)
    assert out.loc["AA22", "conversion"] == "NUTS2013→NUTS2021 pop21: AA11×0.004 + AA12×1"


def test_area_weights_and_no0b():
    out = convert(frame({"NO0B": 10.0}), conversion=CONV, from_version=2021, to_version=2024, level=2)
    assert out["value"].tolist() == [10.0] and not out["converted"].iat[0]  # pop21 is 0: area fallback
    m = conversion_matrix(CONV, from_version=2021, to_version=2024, level=2)
    assert m.loc[m["code_to"] == "NO0B", "mass"].tolist() == pytest.approx([377.0514527873066])
    area = convert(frame({"PL12": 1.0}), conversion=CONV, from_version=2013, to_version=2021, level=2,
                   weight="area")
    assert area["conversion"].iat[0] == "NUTS2013→NUTS2021 area: PL12×0.171663"


def test_empty_input_gives_empty_output():
    out = convert(frame({}), conversion=hand_matrix(), from_version=2013, to_version=2021, level=2)
    assert out.empty and "conversion" in out.columns


def test_bad_calls():
    kw = {"conversion": CONV, "from_version": 2013, "to_version": 2021, "level": 2}
    with pytest.raises(ValueError, match="levels other than 0 and 2"):
        convert(frame({"AT1": 1.0}), **kw)
    with pytest.raises(ValueError, match="several rows"):
        convert(pd.concat([frame({"AT11": 1.0})] * 2), **kw)
    with pytest.raises(ValueError, match="unknown weight"):
        convert(frame({"AT11": 1.0}), weight="pop18", **kw)


CASES = [(2013, 2021, 2), (2013, 2016, 2), (2016, 2021, 2), (2021, 2024, 2), (2013, 2021, 1), (2013, 2024, 2)]


@pytest.mark.parametrize(("a", "b", "level"), CASES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_totals_per_country_are_preserved(a, b, level, data):
    codes = old_codes(a, b, level)
    values = data.draw(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=len(codes), max_size=len(codes)))
    df = frame(dict(zip(codes, values, strict=True)))
    out = convert(df, conversion=CONV, from_version=a, to_version=b, level=level)
    done = out[~out["unmatched"]]
    assert done["value"].notna().all()
    assert (out.loc[out["unmatched"], "region"].isin(codes)).all()
    before = df[~df["region"].isin(out.loc[out["unmatched"], "region"])]
    t0 = before.groupby(before["region"].str[:2])["value"].sum()
    t1 = done.groupby(done["region"].str[:2])["value"].sum()
    assert list(t0.index) == list(t1.index)
    np.testing.assert_allclose(t1.to_numpy(dtype=float), t0.to_numpy(dtype=float), rtol=1e-6, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_missing_values_give_null_exactly_above_the_threshold(data):
    codes = old_codes(2013, 2021, 2)
    values = data.draw(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=len(codes),
                                max_size=len(codes)))
    share = data.draw(st.sampled_from([0.0, 0.005, 0.5]))
    out = convert(frame(dict(zip(codes, values, strict=True))), conversion=CONV, from_version=2013,
                  to_version=2021, level=2, max_missing_share=share)
    done = out[~out["unmatched"]]
    assert done["missing_share"].between(0, 1).all()
    assert (done["value"].isna() == (done["missing_share"] > share)).all()
