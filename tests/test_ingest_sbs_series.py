"""SBS 2008-2015 on NUTS 2013 codes and the 2015 vintages: small frames computed by hand, then the real panel."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.classifications.nuts_conversion import convert
from clusterobs.ingest import harmonise, sbs_series
from clusterobs.ingest.sbs_series import merge_vintages, to_nuts2013
from clusterobs.sources import jrc_nuts
from clusterobs.sources.ingestlog import IngestLog

HISTORY, LATER = sbs_series.HISTORY, sbs_series.LATER

# ---- small frames ----------------------------------------------------------------------------------------------


def matrix(from_version: int, to_version: int, level: int, parts: list[tuple[str, str, float]]) -> pd.DataFrame:
    """Rows of ``nuts_conversion`` (the layout of ``jrc_nuts``): ``parts`` = (code_from, code_to, pop21 of the
    intersection); the shares are each old region's population shares, the area 1 km² per person."""
    df = pd.DataFrame(parts, columns=["code_from", "code_to", "pop21"])
    total = df.groupby("code_from")["pop21"].transform("sum")
    return pd.DataFrame({
        "from_version": from_version, "to_version": to_version, "level": level, "code_from": df["code_from"],
        "code_to": df["code_to"], "area_km2": df["pop21"], "pop11": df["pop21"], "pop21": df["pop21"],
        "artif_surf12": 0.0, "artif_surf18": 0.0, "bu_vol": 0.0, "w_pop21": df["pop21"] / total,
        "w_area": df["pop21"] / total, "w_pop21_from_area": df["pop21"] / total})


def identity_2013(codes: list[str], level: int) -> pd.DataFrame:
    """The 2013→2016 rows that name the NUTS 2013 regions (NUTS 1 parents are built from these children)."""
    return matrix(2013, 2016, level, [(c, c, 100.0) for c in codes])


def history(rows: list[tuple]) -> pd.DataFrame:
    """``sbs_history`` rows from (region, code_version, year, value, flag); persons employed in C."""
    df = pd.DataFrame(rows, columns=["region", "code_version", "year", "value", "flag"])
    return pd.DataFrame({
        "region": df["region"], "code_version": df["code_version"].astype("int64"),
        "level": df["region"].str.len() - 2, "nace": "C", "indicator": "persons_employed",
        "year": df["year"].astype("int64"), "value": pd.array(df["value"], dtype="Float64"),
        "flag": pd.array(df["flag"], dtype="string"), "line": pd.Series(range(2, 2 + len(df)), dtype="int64")})


def get(df: pd.DataFrame, region: str, year: int) -> pd.Series:
    row = df[(df["region"] == region) & (df["year"] == year)]
    assert len(row) == 1, (region, year, len(row))
    return row.iloc[0]


# Italy-like (2006→2013): IA1 recoded to IB1; IA2 + IA3 merged into IB2; IA4 split 40/60 into IB4 and IB5.
CONV_2006 = pd.concat([
    matrix(2006, 2013, 2, [("IA01", "IB01", 500.0), ("IA02", "IB02", 300.0), ("IA03", "IB02", 200.0),
                           ("IA04", "IB04", 40.0), ("IA04", "IB05", 60.0)]),
    identity_2013(["IB01", "IB02", "IB04", "IB05"], 2),
], ignore_index=True)


def test_a_pure_recode():
    h = history([("IA01", 2006, 2008, 1000.0, "d"), ("IB01", 2013, 2008, None, None),
                 ("IB01", 2013, 2011, 900.0, None)])
    log = IngestLog()
    out = to_nuts2013(h, CONV_2006, log)
    r = get(out, "IB01", 2008)
    assert (r["value"], r["flag"], r["code_version"], r["split_share"]) == (1000.0, "d", 2006, 0.0)
    assert r["conversion"] == "NUTS2006→NUTS2013 pop21: IA01×1"
    assert pd.isna(r["line"])  # a converted value has no single line of the file
    own = get(out, "IB01", 2011)
    assert (own["value"], own["code_version"], own["line"]) == (900.0, 2013, 4)
    assert pd.isna(own["conversion"])
    assert set(out["region"]) == {"IB01"}  # no row under the old code
    assert (out["nuts_version"] == 2013).all()
    assert log.quirk_counts[(HISTORY, "sbs_r_nuts06_r2.tsv.gz",
                             "NUTS 2013 value converted from NUTS 2006 codes (level 2)")] == 1


def test_a_merge_sums_and_joins_the_flags():
    h = history([("IA02", 2006, 2009, 30.0, "p"), ("IA03", 2006, 2009, 12.0, "d")])
    r = get(to_nuts2013(h, CONV_2006, IngestLog()), "IB02", 2009)
    assert r["value"] == 42.0
    assert r["flag"] == "dp"  # the distinct letters of the parts, sorted
    assert r["split_share"] == 0.0  # whole old regions: data, not a population-scaled copy
    assert r["conversion"] == "NUTS2006→NUTS2013 pop21: IA02×1 + IA03×1"


def test_a_split_shares_the_value_by_population():
    h = history([("IA04", 2006, 2010, 1000.0, "i")])
    out = to_nuts2013(h, CONV_2006, IngestLog())
    a, b = get(out, "IB04", 2010), get(out, "IB05", 2010)
    assert (a["value"], b["value"]) == (pytest.approx(400.0), pytest.approx(600.0))
    assert (a["split_share"], b["split_share"]) == (1.0, 1.0)  # each is a fraction (< 0.9) of IA04
    assert (a["flag"], b["flag"]) == ("i", "i")
    assert a["conversion"] == "NUTS2006→NUTS2013 pop21: IA04×0.4"


def test_a_nuts2013_value_beats_a_converted_one():
    """IB01 publishes its own value in 2010 while IA01 still has one: the own value is kept, the old one counted."""
    h = history([("IA01", 2006, 2010, 1000.0, None), ("IB01", 2013, 2010, 990.0, "b"),
                 ("IA02", 2006, 2010, 30.0, None), ("IA03", 2006, 2010, 12.0, None), ("IB02", 2013, 2010, None, None)])
    log = IngestLog()
    out = to_nuts2013(h, CONV_2006, log)
    own = get(out, "IB01", 2010)
    assert (own["value"], own["flag"], own["code_version"]) == (990.0, "b", 2013)
    filled = get(out, "IB02", 2010)  # its own row is ':': the conversion fills it
    assert (filled["value"], filled["code_version"]) == (42.0, 2006)
    assert len(out) == 2


def test_a_missing_part_leaves_the_value_missing():
    """IA03 is confidential: IB02 would be understated by IA02 alone, so it stays NULL (never 30)."""
    h = history([("IA02", 2006, 2008, 30.0, None), ("IA03", 2006, 2008, None, "c"),
                 ("IB02", 2013, 2008, None, None), ("IA01", 2006, 2008, 5.0, None)])
    out = to_nuts2013(h, CONV_2006, IngestLog())
    r = get(out, "IB02", 2008)
    assert pd.isna(r["value"])
    assert get(out, "IB01", 2008)["value"] == 5.0
    assert len(out) == 2


# Greece-like (2010→2013): NUTS 2 recoded one to one, but the NUTS 1 regions regrouped.
# 2010: GA1 = {GA11, GA14}, GA2 = {GA21, GA22}
# 2013: GB5 = {GB51 (was GA11), GB54 (was GA21)}, GB6 = {GB61 (was GA14), GB62 (was GA22)}
CONV_2010 = pd.concat([
    matrix(2010, 2013, 2, [("GA11", "GB51", 100.0), ("GA14", "GB61", 300.0), ("GA21", "GB54", 200.0),
                           ("GA22", "GB62", 400.0)]),
    matrix(2010, 2013, 1, [("GA1", "GB5", 100.0), ("GA1", "GB6", 300.0), ("GA2", "GB5", 200.0),
                           ("GA2", "GB6", 400.0)]),
    identity_2013(["GB51", "GB54", "GB61", "GB62"], 2),
    identity_2013(["GB5", "GB6"], 1),
], ignore_index=True)


def test_nuts1_is_the_sum_of_its_complete_children():
    # employment not proportional to population: GA11 is industrial, GA14 not
    h = history([("GA1", 2010, 2012, 1100.0, None), ("GA11", 2010, 2012, 1000.0, None),
                 ("GA14", 2010, 2012, 100.0, None), ("GA2", 2010, 2012, 600.0, None),
                 ("GA21", 2010, 2012, 200.0, None), ("GA22", 2010, 2012, 400.0, "d"),
                 ("GB5", 2013, 2012, None, None), ("GB6", 2013, 2012, None, None)])
    out = to_nuts2013(h, CONV_2010, IngestLog())
    g5, g6 = get(out, "GB5", 2012), get(out, "GB6", 2012)
    # by population GB5 would be 1100 x 1/4 + 600 x 1/3 = 475; its regions say 1000 + 200
    assert g5["value"] == 1200.0
    assert g6["value"] == 500.0
    assert g5["value"] + g6["value"] == 1100.0 + 600.0
    assert g5["conversion"] == "sum of its NUTS 2013 regions (GB51+GB54), each converted from NUTS 2010"
    assert g6["conversion"] == "sum of its NUTS 2013 regions (GB61+GB62), each converted from NUTS 2010"
    assert (g5["split_share"], g6["split_share"], g5["code_version"]) == (0.0, 0.0, 2010)
    assert set(out["region"]) == {"GB5", "GB6", "GB51", "GB54", "GB61", "GB62"}


def test_nuts1_with_an_incomplete_child_keeps_the_population_conversion():
    h = history([("GA1", 2010, 2012, 1100.0, None), ("GA11", 2010, 2012, 1000.0, None),
                 ("GA14", 2010, 2012, 100.0, None), ("GA2", 2010, 2012, 600.0, None),
                 ("GA21", 2010, 2012, 200.0, None), ("GA22", 2010, 2012, None, "c")])
    out = to_nuts2013(h, CONV_2010, IngestLog())
    assert get(out, "GB5", 2012)["value"] == 1200.0  # GB51 and GB54 known
    g6 = get(out, "GB6", 2012)  # GB62 is confidential: no exact sum, GA1 and GA2 shared by population
    assert g6["value"] == pytest.approx(1100.0 * 3 / 4 + 600.0 * 2 / 3)
    assert g6["conversion"] == "NUTS2010→NUTS2013 pop21: GA1×0.75 + GA2×0.666667"
    assert g6["split_share"] == 1.0
    # GB62's only part is confidential and it has no line of its own that year: a missing cell that keeps the
    # part's flag (never a made-up value, never an unexplained gap)
    g62 = get(out, "GB62", 2012)
    assert pd.isna(g62["value"]) and g62["flag"] == "c" and g62["code_version"] == 2010


# ---- vintages of 2015 -----------------------------------------------------------------------------------------


def panel(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["region", "year", "value", "flag"])
    return pd.DataFrame({"region": df["region"], "nuts_version": 2013, "level": df["region"].str.len() - 2,
                         "nace": "C", "year": df["year"], "value": pd.array(df["value"], dtype="Float64"),
                         "flag": pd.array(df["flag"], dtype="string"), "line": range(len(df))})


BULK = panel([("DE", 2015, 100.0, None), ("HU", 2015, 564_003.0, None), ("DE11", 2015, 10.0, None),
              ("AT", 2015, 50.0, None), ("FR", 2015, 70.0, "p"), ("IT", 2015, None, "c"), ("DE", 2014, 99.0, "b")]
             ).assign(vintage=HISTORY, code_version=2013, conversion=pd.NA, split_share=0.0)
LATER_2015 = panel([("DE", 2015, 100.0, None), ("HU", 2015, 564_018.0, None), ("DE11", 2015, 12.0, None),
                    ("AT", 2015, None, "c"), ("IT", 2015, 80.0, None), ("ES", 2015, 90.0, None)])


def test_the_later_vintage_wins_where_it_has_a_row():
    merged, _, _ = merge_vintages(BULK, LATER_2015, year=2015)
    v = merged.set_index(["region", "year"])
    assert len(merged) == 8
    assert v.loc[("HU", 2015), ["value", "vintage"]].tolist() == [564_018.0, LATER]
    assert v.loc[("DE11", 2015), "value"] == 12.0
    # a cell the revision made confidential stays missing: the bulk 50 is not used
    assert pd.isna(v.loc[("AT", 2015), "value"]) and v.loc[("AT", 2015), "flag"] == "c"
    assert v.loc[("AT", 2015), "vintage"] == LATER
    assert v.loc[("IT", 2015), ["value", "vintage"]].tolist() == [80.0, LATER]
    assert v.loc[("ES", 2015), ["value", "vintage"]].tolist() == [90.0, LATER]
    # France: the later file has no row, the bulk value fills it
    assert v.loc[("FR", 2015), ["value", "flag", "vintage"]].tolist() == [70.0, "p", HISTORY]
    # other years are the bulk's, untouched
    assert v.loc[("DE", 2014), ["value", "flag", "vintage"]].tolist() == [99.0, "b", HISTORY]


def test_the_vintage_comparison_counted_by_hand():
    _, comparison, differences = merge_vintages(BULK, LATER_2015, year=2015)
    c = comparison.set_index("scope")
    everything = c.loc["all levels"]
    # in both with a value: DE, HU, DE11; identical: DE; different: HU (+15), DE11 (+2)
    assert everything[["cells_both", "cells_identical", "cells_different"]].tolist() == [3, 1, 2]
    assert everything["max_abs_difference"] == 15.0
    assert everything["max_relative_difference"] == pytest.approx(0.2)  # DE11: 2 / 10
    assert everything["cells_only_later"] == 2  # IT (bulk ': c'), ES (no bulk row)
    assert everything["cells_only_bulk"] == 2  # AT (later ': c'), FR (no later row)
    assert everything["cells_bulk_value_later_missing"] == 1  # AT
    assert everything["cells_filled_from_bulk"] == 1  # FR
    nuts2 = c.loc["NUTS 2"]
    assert nuts2[["cells_both", "cells_identical", "cells_different", "cells_only_later", "cells_only_bulk"]
                 ].tolist() == [1, 0, 1, 0, 0]
    assert nuts2["max_abs_difference"] == 2.0
    assert everything["rule"].startswith(f"{LATER} (later vintage) wins wherever it has a row; {HISTORY}")
    d = differences.set_index("region")
    assert sorted(d.index) == ["DE11", "HU"]
    assert d.loc["HU", ["value_bulk", "value_later", "difference"]].tolist() == [564_003.0, 564_018.0, 15.0]
    assert d.loc["HU", "relative_difference"] == pytest.approx(15 / 564_003)


# ---- the real panel ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manufacturing(ingested) -> pd.DataFrame:
    """Persons employed in manufacturing (C), NUTS 2013 rows."""
    store, _ = ingested
    e = store.table("sbs_employment")
    return e[(e["nuts_version"] == 2013) & (e["nace"] == "C")]


def series(df: pd.DataFrame, region: str) -> pd.DataFrame:
    s = df[df["region"] == region].set_index("year").sort_index()
    assert list(s.index) == list(range(2008, 2016)), region  # one row per year, none twice
    return s


def test_italy(manufacturing):
    """ITH3 (Veneto) was ITD3 in NUTS 2006; the file has it under ITD3 in 2008-2010 and ITH3 from 2011."""
    ith3 = series(manufacturing, "ITH3")
    # line 11807: "C,V16110,ITD3\t: \t: \t: \t: \t: \t541591 \t566723 \t592557 "
    # line 11828: "C,V16110,ITH3\t: \t508815 \t513604 \t524784 \t537083 \t: \t: \t: "
    assert ith3["value"].tolist() == [592_557, 566_723, 541_591, 537_083, 524_784, 513_604, 508_815, 508_954]
    assert ith3["code_version"].tolist() == [2006] * 3 + [2013] * 5
    assert ith3.loc[2008, "conversion"] == "NUTS2006→NUTS2013 pop21: ITD3×1"
    assert ith3.loc[2015, "vintage"] == LATER
    # line 11803: "C,V16110,ITC4\t: \t907523 \t926997 \t948539 \t967263 \t989703 \t1031226 \t1090912 "
    itc4 = series(manufacturing, "ITC4")  # Lombardy kept its code
    assert itc4["value"].tolist()[:7] == [1_090_912, 1_031_226, 989_703, 967_263, 948_539, 926_997, 907_523]
    assert (itc4["code_version"] == 2013).all() and (itc4["line"].iloc[:7] == 11803).all()
    assert itc4["value"].notna().all()
    assert not manufacturing["region"].str.match(r"^IT[DE]").any()  # no row under an old code


def test_greece(manufacturing):
    """Greek NUTS 2 codes changed in 2013 (EL11 → EL51) and the NUTS 1 regions regrouped."""
    el51 = series(manufacturing, "EL51")
    # line 11666: "C,V16110,EL11\t: \t: \t: \t15762 \t17641 \t18844 \t20509 \t22002 "
    # line 11683: "C,V16110,EL51\t: \t14642 \t14593 \t: \t: \t: \t: \t: "
    assert el51["value"].tolist()[:7] == [22_002, 20_509, 18_844, 17_641, 15_762, 14_593, 14_642]
    assert el51["code_version"].tolist() == [2010] * 5 + [2013] * 3
    assert el51["value"].notna().all()
    # line 11677: "C,V16110,EL30\t: \t110706 \t115324 \t123790 \t131476 \t164145 \t187069 \t174021 "
    el30 = series(manufacturing, "EL30")  # Attica kept its code
    assert el30["value"].tolist()[:7] == [174_021, 187_069, 164_145, 131_476, 123_790, 115_324, 110_706]
    assert el30["value"].notna().all()
    # EL5 2008: EL11 + EL12 + EL13 + EL21 = 22002 + 92715 + 10217 + 9630 (lines 11666-11668, 11671)
    el5 = series(manufacturing, "EL5")
    assert el5.loc[2008, "value"] == 134_564
    assert el5.loc[2008, "conversion"].startswith("sum of its NUTS 2013 regions (EL51+EL52+EL53+EL54)")
    assert not manufacturing["region"].isin(["EL1", "EL2", "EL11", "EL14"]).any()


def test_slovenia(manufacturing):
    """SI01/SI02 (NUTS 2010) became SI03/SI04, with a small border change (SI02 → SI03: 15,715 people of 1,018,523)."""
    si03, si04 = series(manufacturing, "SI03"), series(manufacturing, "SI04")
    share = 15_715 / (15_715 + 1_002_808)  # n2 2010→2013 pop21 of SI02's two parts
    # line 11939: "C,V16110,SI01\t: \t: \t: \t111729 \t114556 \t118472 \t125327 \t137881 "
    # line 11940: "C,V16110,SI02\t: \t: \t: \t77809 \t78122 \t79392 \t82887 \t94088 "
    assert si03.loc[2008, "value"] == pytest.approx(137_881 + 94_088 * share)
    assert si04.loc[2012, "value"] == pytest.approx(77_809 * (1 - share))
    # line 11941: "C,V16110,SI03\t112592 \t110642 \t111519 \t: ..."; 2015 from the later extract (same value)
    assert si03.loc[2013:2015, "value"].tolist() == [111_519, 110_642, 112_592]
    assert si03["code_version"].tolist() == [2010] * 5 + [2013] * 3
    assert si03["value"].notna().all() and si04["value"].notna().all()
    # the two regions add up to the country (SI0, line 11938: 2008 = 231969)
    assert si03.loc[2008, "value"] + si04.loc[2008, "value"] == pytest.approx(231_969)


def test_saxony(manufacturing):
    """Saxony: DED1 Chemnitz and DED3 Leipzig (NUTS 2006, 2008-2010) became DED4 and DED5 (part of DED3 went to DED4).

    line 11643: "C,V16110,DED1\t: \t: \t: \t: \t: \t139060 \t102375 i\t: ci"
    line 11644: "C,V16110,DED2\t148412 \t146717 \t144671 \t120551 \t117991 \t112444 \t88179 d\t94885 d"
    line 11645: "C,V16110,DED3\t: \t: \t: \t: \t: \t46341 \t41171 i\t: ci"
    line 11646: "C,V16110,DED4\t124157 \t123599 \t122005 \t146153 \t144864 \t: \t: \t: "
    line 11647: "C,V16110,DED5\t52702 \t51872 \t50134 \t49162 \t48112 \t: \t: \t: "
    """
    ded2 = series(manufacturing, "DED2")  # Dresden kept its code: its own line in every year
    assert ded2["value"].tolist() == [94_885, 88_179, 112_444, 117_991, 120_551, 144_671, 146_717, 148_412]
    assert ded2["flag"].tolist()[:2] == ["d", "d"]
    share = 61_506 / (61_506 + 1_045_434)  # DED3's part in DED4 (n2 2006→2013 pop21)
    ded4, ded5 = series(manufacturing, "DED4"), series(manufacturing, "DED5")
    assert ded4.loc[2009, "value"] == pytest.approx(102_375 + 41_171 * share)
    assert ded5.loc[2010, "value"] == pytest.approx(46_341 * (1 - share))
    assert ded4.loc[2009, "flag"] == "i" and ded4.loc[2009, "code_version"] == 2006
    assert ded4.loc[2011:2014, "value"].tolist() == [144_864, 146_153, 122_005, 123_599]
    assert ded5.loc[2011:2014, "value"].tolist() == [48_112, 49_162, 50_134, 51_872]
    # 2008 is missing in both, and not because of the code change: DED1 and DED3 are ': ci' (confidential) in
    # 2008 in the raw file, so neither DED4 nor DED5 can be computed; every other year has a value
    assert ded4["value"].isna().tolist() == [True] + [False] * 7
    assert ded5["value"].isna().tolist() == [True] + [False] * 7
    # 2009: the three regions add up to Saxony (DED, line 11642: 231725 d)
    assert ded2.loc[2009, "value"] + ded4.loc[2009, "value"] + ded5.loc[2009, "value"] == pytest.approx(231_725)
    assert not manufacturing["region"].isin(["DED1", "DED3"]).any()


def test_the_2015_vintage_report(ingested, manufacturing):
    store, _ = ingested
    c = store.table("sbs_vintage_comparison").set_index("scope")
    everything = c.loc["all levels"]
    assert everything["year"] == 2015
    assert (everything["cells_both"], everything["cells_identical"]) == (22_606, 22_498)  # the README's figures
    assert everything["cells_different"] == 108
    assert everything["max_abs_difference"] == 734.0  # HU1 and HU10 trade (G): 250,384 → 249,650
    assert everything["cells_only_later"] == 15_261  # "about 15,000 more cells" (README)
    assert everything["rule"] == (f"{LATER} (later vintage) wins wherever it has a row; {HISTORY} (bulk, about "
                                  "August 2017) fills the (region, NACE) pairs the later file lacks")
    assert c.loc["NUTS 2", "cells_both"] == 15_230
    d = store.table("sbs_vintage_differences")
    assert len(d) == 108
    hu = d[(d["region"] == "HU") & (d["nace"] == "G")].iloc[0]
    assert (hu["value_bulk"], hu["value_later"], hu["difference"]) == (564_003, 564_018, 15)
    de = manufacturing[(manufacturing["region"] == "DE") & (manufacturing["year"] == 2015)].iloc[0]
    assert (de["value"], de["vintage"]) == (6_992_286, LATER)
    e = store.table("sbs_employment")
    hu_row = e[(e["region"] == "HU") & (e["nace"] == "G") & (e["year"] == 2015) & (e["nuts_version"] == 2013)]
    assert hu_row[["value", "vintage"]].values.tolist() == [[564_018, LATER]]
    own = e[e["nuts_version"] == 2013]
    assert set(own.loc[own["year"] < 2015, "vintage"]) == {HISTORY}
    assert own.loc[own["year"] == 2015, "vintage"].value_counts().to_dict() == {LATER: 41_607}


def test_rows_converted_to_nuts2016_and_2021_name_their_vintage(ingested):
    """A converted row's value comes from the NUTS 2013 rows of one year: it names their vintage, never NULL."""
    store, _ = ingested
    for table in ("sbs_employment", "sbs_local_units", "sbs_wages"):
        e = store.table(table)
        conv = e[e["nuts_version"] != 2013]
        assert len(conv) > 600_000, table
        assert conv["vintage"].notna().all(), table
        assert set(conv.loc[conv["year"] < 2015, "vintage"]) == {HISTORY}, table
    e = store.table("sbs_employment")
    pl91 = e[(e["region"] == "PL91") & (e["nace"] == "C") & (e["nuts_version"] == 2021)].set_index("year")
    assert pl91.loc[2015, "vintage"] == LATER and pl91.loc[2014, "vintage"] == HISTORY


def test_a_converted_region_mixing_the_two_vintages_names_both(mirror):
    """IE06 (NUTS 2021) is made of parts of IE01 and IE02 (NUTS 2013): if one came from each 2015 file, both show."""
    conversion = jrc_nuts.read(mirror, IngestLog(), {})["nuts_conversion"]
    part = panel([("IE", 2015, 300.0, None), ("IE01", 2015, 100.0, None), ("IE02", 2015, 200.0, None),
                  ("AT11", 2015, 7.0, None)]).assign(vintage=[LATER, HISTORY, LATER, LATER])
    res = convert(part.drop(columns=["line", "nuts_version"]), conversion=conversion, from_version=2013,
                             to_version=2021, level=2)
    out = harmonise._with_vintage(res, part, conversion, target=2021, level=2, keys=("nace", "year"),
                                  weight="pop21").set_index("region")
    assert len(out) == len(res)
    assert out.loc["IE06", "vintage"] == f"{HISTORY}+{LATER}"
    assert out.loc["IE04", "vintage"] == HISTORY  # IE04 is made of IE01 alone
    assert out.loc["IE05", "vintage"] == LATER and out.loc["AT11", "vintage"] == LATER
    assert out.loc["IE", "vintage"] == LATER  # the country row keeps its own
