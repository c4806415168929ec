"""The optional ingest stage for Eurostat's API file (eurostat-sbs-api/sbs_r_nuts2021.csv). No network.

`clusterobs fetch-eurostat` (default destination, fake internet) writes an SDMX-CSV 2.0 file into a mirror made of
symlinks to the real one; the ingest then reads it into ``sbs_api_employment``. The file holds 1,100 generated good
rows (the 55 German NUTS 2021 codes of levels 0-2 x the first 20 NACE divisions, 2021; the source's min_rows is
1,000) followed by ten hand-written rows, each testing one rule.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path

import httpx
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.config import Settings
from clusterobs.errors import SourceError
from clusterobs.ingest import run_ingest
from clusterobs.sources import download, eurostat_api
from clusterobs.sources.ingestlog import IngestLog
from clusterobs.store import Store

DOCS = Path(__file__).resolve().parents[2] / "docs"
HEADER = "STRUCTURE,STRUCTURE_ID,freq,nace_r2,indic_sbs,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
ROW = "dataflow,ESTAT:SBS_R_NUTS2021(1.0),A,"
GENERATED = 1_100
#: (row after the generated ones, what becomes of it)
EXTRA = [
    ("C10,EMP_LOC_NR,DEZZ,2022,15,,", "extra-regio NUTS code (no territory)"),
    ("C10,EMP_LOC_NR,LT00,2022,400,,", "region code is not a NUTS 2021 code of levels 0-2"),
    ("C10,EMP_LOC_NR,EU27_2020,2022,95000,,", "aggregate code, not a NUTS region"),
    ("C99,EMP_LOC_NR,AT11,2022,12,,", "unknown NACE Rev. 2 code 'C99'"),
    ("C10,EMP_LOC_NR,AT11,2022,,,C", "loaded: value NULL, flag c"),
    ("C10,EMP_LOC_NR,AT11,2023,5321,p,", "loaded: 5321, flag p"),
    ("C10,EMP_LOC_NR,AT12,2022,abc,,", "OBS_VALUE is not a number: 'abc'"),
    ("C10,EMP_LOC_NR,AT11,2023,5400,,", "duplicate of line 1107 (same dimension codes and year)"),
    ("C10,LOC_NR,AT11,2022,812,,", "left out: another indicator"),
    ("B-S_X_O_S94,EMP_LOC_NR,AT,2022,3000000,,", "unknown NACE Rev. 2 code 'B-S_X_O_S94'"),
]
FIRST_EXTRA_LINE = 2 + GENERATED  # header is line 1


def sdmx_csv(regions: list[str], nace: list[str]) -> str:
    rows = [f"{ROW}{n},EMP_LOC_NR,{g},2021,{1000 + i},," for i, (g, n) in
            enumerate((g, n) for g in regions for n in nace)]
    assert len(rows) == GENERATED
    return HEADER + "".join(r + "\n" for r in rows) + "".join(ROW + text + "\n" for text, _ in EXTRA)



@pytest.fixture(scope="module")
def body(ingested) -> str:
    store, summary = ingested
    codes = store.table("nuts_codes", summary.version)
    regions = sorted(codes.loc[(codes["nuts_version"] == 2021) & (codes["level"] <= 2) & (codes["country"] == "DE"),
                               "code"])
    nace = store.table("nace", summary.version)
    return sdmx_csv(regions, sorted(nace.loc[nace["level"] == 2, "code"])[:20])


@pytest.fixture(scope="module")
def with_api(tmp_path_factory: pytest.TempPathFactory, symlink_mirror, body: str):
    """`clusterobs fetch-eurostat` with its default --dest, run from a folder holding ./mirror, then an ingest."""
    root = tmp_path_factory.mktemp("api")
    copy = symlink_mirror(root / "mirror")
    seen: list[httpx.Request] = []

    def eurostat(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=body.encode(), headers={"Content-Type": "application/vnd.sdmx.data+csv"})

    patch = pytest.MonkeyPatch()
    patch.setattr(download, "make_client", lambda **_: httpx.Client(transport=httpx.MockTransport(eurostat)))
    patch.chdir(root)
    try:
        result = CliRunner().invoke(app, ["fetch-eurostat", "--filter", "freq=A", "--filter", "indic_sbs=EMP_LOC_NR"],
                                    env={**os.environ, "COLUMNS": "200"})
    finally:
        patch.undo()
    assert result.exit_code == 0, result.output
    labels: list[str] = []
    summary = run_ingest(Settings(home=root / "home", mirror=copy), progress=lambda label, *_: labels.append(label))
    return copy, Store(root / "home"), summary, seen, labels


def test_fetch_eurostat_default_dest_is_a_folder_in_the_mirror(with_api, body: str) -> None:
    copy, _, _, seen, _ = with_api
    folder = copy / "eurostat-sbs-api"
    assert folder.is_dir()
    assert sorted(p.name for p in folder.iterdir()) == ["DOWNLOADS.json", "sbs_r_nuts2021.csv"]
    assert (folder / "sbs_r_nuts2021.csv").read_text(encoding="utf-8") == body
    assert len(seen) == 1
    url = str(seen[0].url)
    assert url.startswith("https://ec.europa.eu/eurostat/api/dissemination/sdmx/3.0/data/dataflow/ESTAT/sbs_r_nuts2021/")
    log = json.loads((folder / "DOWNLOADS.json").read_text())
    assert log[-1]["url"] == url and log[-1]["sha256"] == hashlib.sha256(body.encode()).hexdigest()


def test_the_api_file_becomes_sbs_api_employment(with_api) -> None:
    _, store, summary, _, labels = with_api
    assert store.current() == summary.version
    assert "read eurostat_sbs_api" in labels
    emp = store.table("sbs_api_employment", summary.version)
    assert list(emp.columns) == ["region", "nuts_version", "level", "nace", "year", "value", "flag", "line"]
    assert len(emp) == summary.tables["sbs_api_employment"] == GENERATED + 2 == 1_102
    assert set(emp["nuts_version"]) == {2021}
    assert emp["level"].value_counts().sort_index().to_dict() == {0: 1 * 20, 1: 16 * 20, 2: 38 * 20 + 2}
    assert emp["line"].tolist() == [*range(2, 2 + GENERATED), FIRST_EXTRA_LINE + 4, FIRST_EXTRA_LINE + 5]
    by = emp.set_index(["region", "nace", "year"])
    assert pd.isna(by.loc[("AT11", "C10", 2022), "value"]) and by.loc[("AT11", "C10", 2022), "flag"] == "c"
    assert by.loc[("AT11", "C10", 2023), "value"] == 5321 and by.loc[("AT11", "C10", 2023), "flag"] == "p"
    assert emp.loc[emp["line"] < FIRST_EXTRA_LINE, "flag"].isna().all()
    assert emp.loc[emp["line"] == 2, ["region", "level", "value"]].values.tolist() == [["DE", 0, 1000.0]]


def test_bad_rows_are_quarantined_with_file_line_and_reason(with_api, ingested) -> None:
    _, store, summary, _, _ = with_api
    q = store.table("quarantine", summary.version)
    api = q[q["source"] == "eurostat_sbs_api"].sort_values("line")
    expected = {FIRST_EXTRA_LINE + i: reason for i, (_, reason) in enumerate(EXTRA)
                if not reason.startswith(("loaded", "left out"))}
    assert dict(zip(api["line"], api["reason"], strict=True)) == expected
    assert len(api) == 7 and set(api["file"]) == {"sbs_r_nuts2021.csv"}
    assert api.set_index("line").loc[FIRST_EXTRA_LINE, "value"] == "C10,DEZZ,2022"
    real_store, real = ingested
    assert len(q) == len(real_store.table("quarantine", real.version)) + 7


def test_the_file_is_in_sources_and_meta_and_nothing_else_changes(with_api, ingested) -> None:
    copy, store, summary, seen, _ = with_api
    src = store.table("sources", summary.version).set_index("file")
    digest = hashlib.sha256((copy / "eurostat-sbs-api" / "sbs_r_nuts2021.csv").read_bytes()).hexdigest()
    row = src.loc["sbs_r_nuts2021.csv"]
    assert row["source"] == "eurostat_sbs_api" and row["sha256"] == digest
    assert row["url"] == str(seen[0].url)  # the query of the DOWNLOADS.json record, not META's default
    meta = store.meta(summary.version)
    assert meta["source_checksums"]["sbs_r_nuts2021.csv"] == digest
    assert meta["sbs_api"]["sha256"] == digest and meta["sbs_api"]["rows"] == 1_102
    assert meta["sbs_api"]["url"] == str(seen[0].url) and meta["sbs_api"]["retrieved_at"]
    real_store, real = ingested
    got = store.tables(summary.version).set_index("name")[["rows", "checksum"]]
    want = real_store.tables(real.version).set_index("name")[["rows", "checksum"]]
    assert sorted(set(got.index) - set(want.index)) == ["sbs_api_employment"]
    same = want.index.difference(["sources", "quarantine"])
    assert got.loc[same].equals(want.loc[same])
    assert len(src) == len(real_store.table("sources", real.version)) + 1


def test_without_the_file_the_stage_is_skipped(ingested) -> None:
    store, summary = ingested
    assert store.meta(summary.version)["sbs_api"] == "absent"
    assert "sbs_api_employment" not in set(store.tables(summary.version)["name"])
    assert "eurostat_sbs_api" not in set(store.table("sources", summary.version)["source"])


def test_data_model_documents_the_table_as_the_store_has_it(with_api) -> None:
    _, store, summary, _, _ = with_api
    with contextlib.closing(store.connect(summary.version)) as con:
        columns = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                              "WHERE table_name = 'sbs_api_employment' ORDER BY ordinal_position").fetchall()
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    section = re.search(r"^### `sbs_api_employment`.*?$(.*?)^##", text, re.S | re.M)
    assert section, "docs/data-model.md has no section for sbs_api_employment"
    documented = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|", section.group(1), re.M)
    assert documented == columns


# ---- eurostat_api.read on its own: the failures ------------------------------------------------------------


@pytest.fixture(scope="module")
def ref(ingested) -> dict[str, pd.DataFrame]:
    store, summary = ingested
    return {"nace": store.table("nace", summary.version), "nuts_codes": store.table("nuts_codes", summary.version)}


def api_mirror(tmp_path: Path, text: str) -> Path:
    (tmp_path / "eurostat-sbs-api").mkdir()
    (tmp_path / "eurostat-sbs-api" / "sbs_r_nuts2021.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_short_file_fails_the_ingest(tmp_path: Path, ref, body: str) -> None:
    short = "".join(body.splitlines(keepends=True)[:500])
    with pytest.raises(SourceError, match=r"sbs_r_nuts2021.csv: only 499 data rows, expected at least 1000"):
        eurostat_api.read(api_mirror(tmp_path, short), IngestLog(), ref)


def test_a_file_of_another_indicator_fails_the_ingest(tmp_path: Path, ref, body: str) -> None:
    with pytest.raises(SourceError, match=r"no row of indicator 'EMP_LOC_NR' \(the file holds LOC_NR\)"):
        eurostat_api.read(api_mirror(tmp_path, body.replace("EMP_LOC_NR", "LOC_NR")), IngestLog(), ref)


def test_a_varying_dimension_fails_the_ingest(tmp_path: Path, ref, body: str) -> None:
    text = body.replace("freq,nace_r2", "freq,sizeclas,nace_r2").replace(ROW, ROW + "TOTAL,")
    text += ROW + "0-9,C10,EMP_LOC_NR,DE11,2021,40,,\n"
    with pytest.raises(SourceError, match=r"sbs_r_nuts2021.csv: several rows per region, NACE code and year .*sizecl"):
        eurostat_api.read(api_mirror(tmp_path, text), IngestLog(), ref)


def test_present_only_with_the_file(tmp_path: Path) -> None:
    assert not eurostat_api.present(tmp_path)
    api_mirror(tmp_path, HEADER)
    assert eurostat_api.present(tmp_path)


def test_fetch_into_a_file_where_the_folder_should_be_says_so(tmp_path: Path) -> None:
    stale = tmp_path / "eurostat-sbs-api"
    stale.write_text("what an earlier fetch-eurostat wrote\n")
    client = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, content=HEADER.encode())))
    with pytest.raises(SourceError, match=r"eurostat-sbs-api: is a file, not a folder"):
        eurostat_api.fetch_dataset("sbs_r_nuts2021", client=client, dest=stale, api_version="3.0")
    assert stale.read_text() == "what an earlier fetch-eurostat wrote\n"
