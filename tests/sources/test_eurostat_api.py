"""Eurostat dissemination API (SDMX-CSV): URLs, download, parsing, quarantine. No network: MockTransport.

The recorded responses below follow the real SDMX-CSV layout of Eurostat's API, checked in:
* Eurostat user guide, "API - Detailed guidelines - SDMX3.0 API - data query" (https://ec.europa.eu/eurostat/
  web/user-guides/data-browser/api-data-access/api-detailed-guidelines/sdmx3-0/data-query):
  SDMX-CSV 1.0 begins ``DATAFLOW,LAST UPDATE,freq,...,geo``, rows begin like
  ``ESTAT:T2020_20(1.0),14/12/21 23:00:00``; SDMX-CSV 2.0 begins ``STRUCTURE,STRUCTURE_ID``;
* live captures quoted in public client tests (github code search "DATAFLOW,LAST UPDATE,freq"), e.g.
  ``DATAFLOW,LAST UPDATE,freq,unit,sex,age,citizen,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS``;
* Eurostat database page (https://ec.europa.eu/eurostat/web/main/data/database): since 27 January 2025
  OBS_FLAG holds the observation status and CONF_STATUS the confidentiality (C, N, P).
The order of the sbs_r_nuts2021 dimensions (freq, nace_r2, indic_sbs, geo) is inferred, not verified.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import httpx
import pandas as pd
import pytest

from clusterobs.errors import SourceError
from clusterobs.sources import eurostat_api as api
from clusterobs.sources.download import DownloadError, RetryPolicy
from clusterobs.sources.ingestlog import IngestLog

HEADER = "DATAFLOW,LAST UPDATE,freq,nace_r2,indic_sbs,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
ROW = "ESTAT:SBS_R_NUTS2021(1.0),30/09/25 23:00:00,A,"
GOOD = (
    HEADER
    + ROW + "C10,EMP_LOC_NR,DE11,2021,48213,,\n"
    + ROW + "C10,EMP_LOC_NR,DE11,2022,49120,p,\n"
    + ROW + "C10,EMP_LOC_NR,DE1,2022,120345,,\n"
    + ROW + "C10,EMP_LOC_NR,DE,2022,987654,e,\n"
    + ROW + "C11,EMP_LOC_NR,DE11,2022,,,C\n"
    + ROW + "C11,EMP_LOC_NR,EU27_2020,2022,95000,,\n"
    + ROW + "C11,EMP_LOC_NR,EA20,2022,81000,,\n"
    + ROW + "C10,LOC_NR,DE11,2022,812,,\n"
)
HTML = "<!DOCTYPE html><html><head><title>Service unavailable</title></head><body>Maintenance</body></html>"
FAULT = ('<S:Fault xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>413</faultcode>'
         "<faultstring>EXTRACTION_TOO_BIG: The requested extraction is too big</faultstring></S:Fault>")
FILTERS = {"freq": ["A"], "indic_sbs": ["EMP_LOC_NR"], "geo": ["DE11", "DE12"]}


def client_for(body: str | bytes, status: int = 200, seen: list[httpx.Request] | None = None) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        content = body.encode() if isinstance(body, str) else body
        return httpx.Response(status, content=content,
                              headers={"Content-Type": "application/vnd.sdmx.data+csv"})

    return httpx.Client(transport=httpx.MockTransport(handler))


def parse(tmp_path: Path, text: str, **kw: int) -> tuple[pd.DataFrame, IngestLog]:
    path = tmp_path / "sbs_r_nuts2021.csv"
    path.write_text(text, encoding="utf-8")
    log = IngestLog()
    return api.parse_sdmx_csv(path, log=log, source_id="eurostat_sbs_api", **kw), log


def test_url_sdmx_2_1_builds_the_positional_key() -> None:
    url = api.dataset_url("sbs_r_nuts2021", filters=FILTERS, start=2021, end=2022)
    assert url == ("https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/sbs_r_nuts2021/"
                   "A..EMP_LOC_NR.DE11+DE12?format=SDMX-CSV&startPeriod=2021&endPeriod=2022&compressed=false")
    assert api.dataset_url("sbs_r_nuts2021") == (
        "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/sbs_r_nuts2021?format=SDMX-CSV&compressed=false")
    own = api.dataset_url("nama_10r_3empers", filters={"geo": ["AT11"]}, dimensions=["freq", "unit", "geo"])
    assert "/data/nama_10r_3empers/..AT11?" in own


def test_url_sdmx_3_0_filters_by_dimension_name() -> None:
    url = api.dataset_url("sbs_r_nuts2021", filters=FILTERS, start=2021, api_version="3.0")
    assert url == ("https://ec.europa.eu/eurostat/api/dissemination/sdmx/3.0/data/dataflow/ESTAT/sbs_r_nuts2021/1.0"
                   "?c[freq]=A&c[indic_sbs]=EMP_LOC_NR&c[geo]=DE11,DE12&c[TIME_PERIOD]=ge:2021"
                   "&format=csvdata&formatVersion=2.0&compress=false")
    assert "c[TIME_PERIOD]=ge:2021+le:2023&" in api.dataset_url("x", start=2021, end=2023, api_version="3.0")
    assert api.META.file(api.FILE).url.startswith(api.dataset_url(
        "sbs_r_nuts2021", filters={"freq": ["A"], "indic_sbs": ["EMP_LOC_NR"]}, api_version="3.0"))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"filters": {"geo": ["AT11"]}}, "positional"),
    ({"filters": {"sizeclas": ["TOTAL"]}, "dataset": "sbs_r_nuts2021"}, "no dimension sizeclas"),
    ({"filters": {"geo": ["DE1&x=1"]}, "api_version": "3.0"}, "must be letters"),
    ({"start": 2023, "end": 2021}, "after end year"),
    ({"api_version": "2.0"}, "api_version"),
])
def test_url_refuses_what_it_cannot_express(kwargs: dict, message: str) -> None:
    dataset = kwargs.pop("dataset", "nama_10r_3empers")
    with pytest.raises(ValueError, match=message):
        api.dataset_url(dataset, **kwargs)


def test_fetch_records_the_checksum_and_parse_keeps_values_missing_and_flags(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    path = api.fetch_dataset("sbs_r_nuts2021", client=client_for(GOOD, seen=seen), filters=FILTERS,
                             dest=tmp_path, api_version="2.1")
    assert path == tmp_path / "sbs_r_nuts2021.csv"
    assert str(seen[0].url).startswith("https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/sbs_r_nuts2021/")
    assert seen[0].url.params["format"] == "SDMX-CSV" and seen[0].url.params["compressed"] == "false"
    log_entries = json.loads((tmp_path / "DOWNLOADS.json").read_text())
    assert log_entries[-1]["sha256"] == hashlib.sha256(GOOD.encode()).hexdigest()
    assert log_entries[-1]["file"] == "sbs_r_nuts2021.csv" and log_entries[-1]["url"] == str(seen[0].url)

    log = IngestLog()
    df = api.parse_sdmx_csv(path, log=log, source_id="eurostat_sbs_api")
    assert list(df.columns) == ["freq", "nace_r2", "indic_sbs", "geo", "year", "value", "flag", "conf_status",
                                "last_update", "line"]
    assert log.rejected == []
    assert df["year"].tolist() == [2021, *[2022] * 7]
    assert str(df["value"].dtype) == "Float64"
    by = df.set_index(["nace_r2", "indic_sbs", "geo", "year"])
    assert by.loc[("C10", "EMP_LOC_NR", "DE11", 2022), "value"] == 49120
    assert by.loc[("C10", "EMP_LOC_NR", "DE11", 2022), "flag"] == "p"
    assert pd.isna(by.loc[("C10", "EMP_LOC_NR", "DE11", 2021), "flag"])
    confidential = by.loc[("C11", "EMP_LOC_NR", "DE11", 2022)]
    assert pd.isna(confidential["value"]) and confidential["conf_status"] == "C"
    assert (df["value"] == 0).sum() == 0
    assert df["last_update"].unique().tolist() == ["30/09/25 23:00:00"]
    assert df["line"].tolist() == list(range(2, 10))


def test_fetch_of_an_html_page_raises_naming_the_dataset_and_keeps_the_old_file(tmp_path: Path) -> None:
    (tmp_path / "sbs_r_nuts2021.csv").write_text(GOOD)
    with pytest.raises(SourceError) as err:
        api.fetch_dataset("sbs_r_nuts2021", client=client_for(HTML), dest=tmp_path)
    assert "sbs_r_nuts2021" in str(err.value) and "HTML page" in str(err.value)
    assert "Service unavailable" in str(err.value)
    assert (tmp_path / "sbs_r_nuts2021.csv").read_text() == GOOD
    assert not (tmp_path / "DOWNLOADS.json").exists()


def test_fetch_of_an_sdmx_error_raises_naming_the_dataset(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"sbs_r_nuts2021.*SDMX error message.*EXTRACTION_TOO_BIG"):
        api.fetch_dataset("sbs_r_nuts2021", client=client_for(FAULT), dest=tmp_path)
    with pytest.raises(DownloadError, match=r"sbs_r_nuts2021.*HTTP 413.*EXTRACTION_TOO_BIG") as err:
        api.fetch_dataset("sbs_r_nuts2021", client=client_for(FAULT, status=413), dest=tmp_path,
                          retry=RetryPolicy(sleep=lambda s: None))
    assert err.value.status == 413


@pytest.mark.parametrize(("body", "reason"), [
    (HTML, "HTML page"),
    (FAULT, "SDMX error message"),
    ('{"error": {"status": 404}}', "JSON"),
    ("", "empty body"),
    ("98de05ea-540a-43d3-903b-7c9e14faf808", "asynchronous"),
    ("geo,2021\nDE11,5\n", "lacks DATAFLOW"),
])
def test_parse_refuses_what_is_not_sdmx_csv(tmp_path: Path, body: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason) as err:
        parse(tmp_path, body)
    assert err.value.file.endswith("sbs_r_nuts2021.csv")


def test_parse_refuses_a_gzip_body(tmp_path: Path) -> None:
    path = tmp_path / "sbs_r_nuts2021.csv"
    path.write_bytes(gzip.compress(GOOD.encode()))
    with pytest.raises(SourceError, match="compressed=false"):
        api.parse_sdmx_csv(path, log=IngestLog(), source_id="x")


def test_bad_rows_go_to_quarantine_with_their_line(tmp_path: Path) -> None:
    text = (HEADER
            + ROW + "C10,EMP_LOC_NR,DE11,2022,49120,,\n"
            + ROW + "C12,EMP_LOC_NR,DE11,2022,12a,,\n"
            + ROW + "C13,EMP_LOC_NR,DE11,2022,-5,,\n"
            + ROW + "C14,EMP_LOC_NR,DE11,20x2,10,,\n"
            + ROW + "C10,EMP_LOC_NR,DE11,2022,49120,,\n"
            + ROW + "C16,EMP_LOC_NR,DE11,2022,7,q,\n"
            + ROW + "C15,EMP_LOC_NR,DE1")
    df, log = parse(tmp_path, text)
    assert df["nace_r2"].tolist() == ["C10"]
    q = log.quarantine_frame()
    assert q["line"].tolist() == [3, 4, 5, 6, 7, 8]
    assert set(q["file"]) == {"sbs_r_nuts2021.csv"}
    reasons = dict(zip(q["line"], q["reason"], strict=True))
    assert "not a number" in reasons[3]
    assert "negative" in reasons[4]
    assert "TIME_PERIOD '20x2'" in reasons[5]
    assert "duplicate of line 2" in reasons[6]
    assert "unknown flag 'q'" in reasons[7]
    assert "expected 10 fields, found 6" in reasons[8]
    assert q.loc[q["line"] == 8, "value"].item().endswith("C15,EMP_LOC_NR,DE1")


def test_min_rows_fails_a_truncated_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="only 8 data rows"):
        parse(tmp_path, GOOD, min_rows=1000)


def test_sdmx_csv_2_0_layout_is_read_too(tmp_path: Path) -> None:
    text = ("STRUCTURE,STRUCTURE_ID,freq,nace_r2,indic_sbs,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
            "dataflow,ESTAT:SBS_R_NUTS2021(1.0),A,C10,EMP_LOC_NR,AT11,2022,5321.0,,\n"
            "dataflow,ESTAT:SBS_R_NUTS2021(1.0),A,C10,EMP_LOC_NR,AT12,2022,,,C\n")
    df, log = parse(tmp_path, text)
    assert log.rejected == []
    assert df[["geo", "value"]].astype(object).where(df[["geo", "value"]].notna(), None).values.tolist() == [
        ["AT11", 5321.0], ["AT12", None]]
    assert df["last_update"].isna().all()


def test_to_employment_has_the_sbs_employment_schema(tmp_path: Path) -> None:
    df, log = parse(tmp_path, GOOD)
    emp = api.to_employment(df, indicator_code="EMP_LOC_NR", nuts_version=2021, log=log)
    assert list(emp.columns) == api.EMPLOYMENT_COLUMNS
    assert list(emp.columns) == ["region", "nuts_version", "level", "nace", "year", "value", "flag", "line"]
    assert emp[["region", "level", "nace", "year"]].values.tolist() == [
        ["DE11", 2, "C10", 2021], ["DE11", 2, "C10", 2022], ["DE1", 1, "C10", 2022], ["DE", 0, "C10", 2022],
        ["DE11", 2, "C11", 2022]]
    assert set(emp["nuts_version"]) == {2021}
    assert str(emp["value"].dtype) == "Float64" and str(emp["level"].dtype) == "int64"
    last = emp.iloc[-1]
    assert pd.isna(last["value"]) and last["flag"] == "c"
    assert emp.iloc[1]["flag"] == "p" and pd.isna(emp.iloc[0]["flag"])
    aggregate = log.quarantine_frame()
    assert aggregate["value"].tolist() == ["EU27_2020", "EA20"] and aggregate["line"].tolist() == [7, 8]


def test_to_employment_asks_to_fix_a_varying_dimension(tmp_path: Path) -> None:
    text = ("DATAFLOW,LAST UPDATE,freq,sizeclas,nace_r2,indic_sbs,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,"
            "CONF_STATUS\n"
            "ESTAT:X(1.0),30/09/25 23:00:00,A,TOTAL,C10,EMP_LOC_NR,DE11,2022,100,,\n"
            "ESTAT:X(1.0),30/09/25 23:00:00,A,0-9,C10,EMP_LOC_NR,DE11,2022,40,,\n")
    df, _ = parse(tmp_path, text)
    with pytest.raises(ValueError, match="sizeclas"):
        api.to_employment(df, indicator_code="EMP_LOC_NR", nuts_version=2021)
    one = api.to_employment(df, indicator_code="EMP_LOC_NR", nuts_version=2021, select={"sizeclas": "TOTAL"})
    assert one["value"].tolist() == [100]
