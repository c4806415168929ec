"""SBS 2008-2015 (sbs_r_nuts06_r2, bulk download of about August 2017) on the real mirror file.

The counts are those of ``eurostat-sbs-nuts2-2008-2015/README.md``; the values were read off the raw lines with
``zcat sbs_r_nuts06_r2.tsv.gz | grep -n ...`` (``grep -n`` numbers the header as line 1, as the reader does).
"""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.sources import eurostat_sbs_history
from clusterobs.sources.eurostat_bulk import BulkTable, read_bulk
from clusterobs.sources.ingestlog import IngestLog

SOURCE = eurostat_sbs_history.META.id
FOLDER = eurostat_sbs_history.META.folder
DIVISION = r"[A-Z]\d\d"  # C10, J62, M72...: NACE divisions (sections are one letter, groups of G four characters)


@pytest.fixture(scope="module")
def bulk(mirror) -> BulkTable:
    return read_bulk(mirror / FOLDER / eurostat_sbs_history.FILE, source=SOURCE, log=IngestLog())


@pytest.fixture(scope="module")
def history(ingested) -> pd.DataFrame:
    store, _ = ingested
    return store.table("sbs_history")


@pytest.fixture(scope="module")
def quarantine(ingested) -> pd.DataFrame:
    store, _ = ingested
    q = store.table("quarantine")
    return q[q["source"] == SOURCE]


def nuts2_divisions(d: pd.DataFrame, *, region: str, nace: str) -> pd.DataFrame:
    """Cells with a value at NUTS 2 x division."""
    geo, code = d[region].astype(str), d[nace].astype(str)
    return d[(geo.str.len() == 4) & code.str.fullmatch(DIVISION) & d["value"].notna()]


# ---- the file as published: the README's counts ---------------------------------------------------------------


def test_lines_and_rows_per_indicator(bulk):
    assert (bulk.lines_read, bulk.lines_loaded, bulk.lines_quarantined, bulk.cells_quarantined) == (195_227, 195_227,
                                                                                                   0, 0)
    assert bulk.years == [2015, 2014, 2013, 2012, 2011, 2010, 2009, 2008]
    lines = bulk.data.groupby("indic_sb", observed=True)["line"].nunique().to_dict()
    assert lines == {"V16110": 46_430, "V11210": 46_318, "V13320": 46_430, "V91290": 44_494, "V94310": 11_555}
    assert bulk.data["nace_r2"].nunique() == 101
    assert bulk.data["geo"].nunique() == 467
    assert bulk.data.loc[bulk.data["nace_r2"].astype(str).str.fullmatch(DIVISION), "nace_r2"].nunique() == 68


def test_flag_counts_are_the_readme_ones(bulk):
    # the README lists twelve combinations; "bu" (8 cells) is the thirteenth, too rare for the README's list
    assert bulk.flag_counts == {
        "c": 93_421, "b": 19_692, "d": 18_027, "p": 12_135, "u": 12_015, "cd": 3_883, "bc": 2_773, "i": 1_813,
        "cu": 1_644, "r": 672, "cp": 575, "ci": 247, "bu": 8,
    }


def test_cells_at_nuts2_by_division_are_the_readme_ones(bulk):
    """The README counts every four-character geo code, the extra-regio CZZZ, ESZZ... included."""
    cells = nuts2_divisions(bulk.data, region="geo", nace="nace_r2")
    per = cells.groupby(["indic_sb", "year"], observed=True).size()
    regions = cells.groupby(["indic_sb", "year"], observed=True)["geo"].nunique()
    v16110 = {2008: 14_662, 2009: 14_915, 2010: 16_940, 2011: 16_853, 2012: 16_535, 2013: 16_719, 2014: 16_951,
              2015: 10_027}
    assert per.loc["V16110"].to_dict() == v16110
    assert regions.loc["V16110"].to_dict() == {2008: 256, 2009: 255, 2010: 286, 2011: 282, 2012: 279, 2013: 280,
                                               2014: 283, 2015: 167}
    readme = {  # year: (V16110, V11210, V13320)
        2008: (14_662, 17_128, 14_183), 2010: (16_940, 17_982, 16_581), 2014: (16_951, 18_089, 16_597),
        2015: (10_027, 10_654, 9_817),
    }
    for year, counts in readme.items():
        assert (per.loc[("V16110", year)], per.loc[("V11210", year)], per.loc[("V13320", year)]) == counts, year


# ---- what the source loads --------------------------------------------------------------------------------------


def test_every_line_is_loaded_or_quarantined(history, quarantine):
    lines_loaded = history["line"].nunique()
    lines_quarantined = quarantine.loc[~quarantine["reason"].str.startswith("negative "), "line"].nunique()
    assert lines_loaded == 135_920  # 46,430 + 46,318 + 46,430 lines of the three indicators, less 3,258 extra-regio
    assert lines_quarantined == 44_494 + 11_555 + 3_258
    assert lines_loaded + lines_quarantined == 195_227
    assert len(history) == 135_920 * 8  # one row per line and year
    assert not set(history["line"]) & set(quarantine["line"].where(~quarantine["reason"].str.startswith("negative ")))


def test_quarantine_reasons(quarantine):
    per = quarantine.groupby("reason")["line"].nunique().to_dict()
    assert per == {
        "indicator V91290 (growth rate of employment (%)) not loaded: the observatory uses V16110, V11210 and V13320":
            44_494,
        "indicator V94310 (share of employment in manufacturing (%)) not loaded: the observatory uses V16110, V11210 "
        "and V13320": 11_555,
        "extra-regio NUTS code (no territory)": 3_258,
        "negative wages in 2014: read as missing": 1,
    }
    extra = quarantine[quarantine["reason"] == "extra-regio NUTS code (no territory)"]
    assert set(extra["value"].str.split(",").str[2]) == {
        "CZZ", "CZZZ", "ESZ", "ESZZ", "ELZ", "ELZZ", "FIZ", "FIZZ", "FRZ", "FRZZ", "LVZ", "LVZZ", "SEZ", "SEZZ",
        "SKZ", "SKZZ"}
    # line 4329: "B06,V13320,NO06\t: \t-8.3 \t: c\t: c\t: c\t15.0 \t: c\t: c"
    neg = quarantine[quarantine["reason"].str.startswith("negative")].iloc[0]
    assert (neg["line"], neg["value"]) == (4329, "2014: -8.3")


def test_what_sbs_history_keeps_at_nuts2_by_division(history):
    """The README counts less the extra-regio codes (and, for wages 2014, the negative NO06 cell)."""
    cells = nuts2_divisions(history, region="region", nace="nace")
    per = cells.groupby(["indicator", "year"]).size().unstack()
    assert per.loc["persons_employed"].to_dict() == {2008: 14_492, 2009: 14_779, 2010: 16_762, 2011: 16_616,
                                                     2012: 16_436, 2013: 16_652, 2014: 16_902, 2015: 10_027}
    assert per.loc["local_units"].to_dict() == {2008: 16_919, 2009: 17_373, 2010: 17_775, 2011: 17_559,
                                                2012: 17_553, 2013: 17_747, 2014: 18_021, 2015: 10_654}
    assert per.loc["wages"].to_dict() == {2008: 14_013, 2009: 15_981, 2010: 16_406, 2011: 16_336, 2012: 16_208,
                                          2013: 16_393, 2014: 16_552, 2015: 9_817}
    no06 = history[(history["region"] == "NO06") & (history["nace"] == "B06") & (history["indicator"] == "wages")]
    assert no06.set_index("year")["value"].isna().to_dict()[2014]
    assert no06.set_index("year").loc[2010, "value"] == 15.0


def test_codes_keep_the_version_they_were_published_in(history):
    versions = history.groupby("code_version")["region"].unique().map(set).to_dict()
    assert versions[2006] == {"DE41", "DE42", "DED1", "DED3", "FI13", "FI18", "FI1A", "ITD", "ITD1", "ITD2", "ITD3",
                              "ITD4", "ITD5", "ITE", "ITE1", "ITE2", "ITE3", "ITE4", "UKD2", "UKD5"}
    assert versions[2010] == {"EL1", "EL11", "EL12", "EL13", "EL14", "EL2", "EL21", "EL22", "EL23", "EL24", "EL25",
                              "FR9", "FR91", "FR92", "FR93", "FR94", "SI01", "SI02", "UKI1", "UKI2"}
    assert (history["level"] == history["region"].str.len() - 2).all()
    assert set(history["indicator"]) == {"persons_employed", "local_units", "wages"}


def test_confidential_cells_are_null_never_zero(history):
    c = history[history["flag"].fillna("").str.contains("c")]
    assert len(c) == 62_936 + 2_255 + 1_235 + 836 + 441 + 126  # c, cd, bc, cu, cp, ci
    assert c["value"].isna().all()
    flags = history["flag"].value_counts().to_dict()
    assert flags["c"] == 62_936 and flags["b"] == 13_189 and flags["d"] == 12_454


def test_flag_quirk(ingested):
    store, _ = ingested
    q = store.table("quirks")
    q = q[(q["source"] == SOURCE) & (q["quirk"] == "Eurostat flag kept apart from the value")].iloc[0]
    assert q["rows"] == 111_322
    # line 15: "B,V11210,BE\t: \t198 \t212 \t189 \t297 \t315 \t295 \t: c" (the first flagged cell: 2008)
    assert (q["first_line"], q["example"]) == (15, "c")


# ---- values read by hand off the raw lines ------------------------------------------------------------------------


def one(history: pd.DataFrame, region: str, nace: str, indicator: str, year: int) -> pd.Series:
    row = history[(history["region"] == region) & (history["nace"] == nace) & (history["indicator"] == indicator)
                  & (history["year"] == year)]
    assert len(row) == 1, (region, nace, indicator, year)
    return row.iloc[0]


def test_germany_manufacturing(history):
    # line 11595: "C,V16110,DE\t6992286 \t6938460 \t6879204 \t6871118 \t6802777 \t6638024 \t5657989 d\t5925949 d"
    r15 = one(history, "DE", "C", "persons_employed", 2015)
    assert (r15["value"], r15["line"], r15["level"], r15["code_version"]) == (6_992_286, 11595, 0, 2013)
    assert pd.isna(r15["flag"])
    r08 = one(history, "DE", "C", "persons_employed", 2008)
    assert (r08["value"], r08["flag"], r08["line"]) == (5_925_949, "d", 11595)
    assert one(history, "DE", "C", "persons_employed", 2009)["value"] == 5_657_989


def test_wages_and_local_units_of_de11_food(history):
    # line 13441: "C10,V13320,DE11\t687.9 \t673.3 \t668.2 \t659.2 \t633.6 \t609.9 \t553.3 d\t535.6 d"
    w15 = one(history, "DE11", "C10", "wages", 2015)
    assert (w15["value"], w15["line"]) == (pytest.approx(687.9), 13441)
    assert pd.isna(w15["flag"])
    w08 = one(history, "DE11", "C10", "wages", 2008)
    assert (w08["value"], w08["flag"]) == (pytest.approx(535.6), "d")
    # line 12976: "C10,V11210,DE11\t1212 \t1255 \t1273 \t1274 \t1330 \t1297 \t278 d\t281 d"
    # (2008-2009 flagged d: German local units were counted under another definition, a fifth of the later count)
    u14 = one(history, "DE11", "C10", "local_units", 2014)
    assert (u14["value"], u14["line"]) == (1255, 12976)
    assert pd.isna(u14["flag"])
    u09 = one(history, "DE11", "C10", "local_units", 2009)
    assert (u09["value"], u09["flag"]) == (278, "d")


def test_the_same_values_in_the_nuts2013_tables(ingested):
    """DE11 is a NUTS 2013 code in every year: the panel tables carry the file's values unchanged."""
    store, _ = ingested
    for table, year, expected, flag in (("sbs_wages", 2015, 687.9, None), ("sbs_wages", 2008, 535.6, "d"),
                                        ("sbs_local_units", 2014, 1255, None), ("sbs_local_units", 2009, 278, "d")):
        df = store.table(table)
        row = df[(df["region"] == "DE11") & (df["nace"] == "C10") & (df["year"] == year) & (df["nuts_version"] == 2013)]
        assert len(row) == 1, (table, year)
        row = row.iloc[0]
        assert row["value"] == pytest.approx(expected), (table, year)
        assert (None if pd.isna(row["flag"]) else row["flag"]) == flag
        assert row["vintage"] == SOURCE
        assert row["line"] == (13441 if table == "sbs_wages" else 12976)


def test_hungary_trade_is_the_bulk_vintage_in_sbs_history(history):
    # line 89608: "G,V16110,HU\t564003 \t551680 \t..." (the later 2015 extract has 564,018: a small revision)
    assert one(history, "HU", "G", "persons_employed", 2015)["value"] == 564_003
