"""`clusterobs download` then `clusterobs ingest --mirror DIR` gives the tables of the offline mirror. No network.

The download is checked by the ingest's checksum stage (table ``sources``) and by a read of the sources that rebuild
files, compared with the run's ingest of the mirror; every other source's files are the mirror's, byte for byte.

A fake internet (httpx.MockTransport) serves, at every file address of every source's META, the bytes of the
corresponding mirror file (all but the Eurostat API query, which has none and which `download` fetches only when
named). The derived files are not served: the download gets their originals and the sources'
``after_download`` hooks rebuild them. The US cluster xlsx are the mirror's own; the twelve yearly GeoJSON files of
the NUTS-2 indicators are not in the mirror, so the test makes them from the mirror CSV's rows, year by year
(properties in the CSV's column order, numbers as JSON numbers, empty cells as null, no geometry). The real yearly
files could not be checked offline: that the rebuilt CSV equals the mirror's shows that the rebuild stacks and
writes them as the mirror did, not what the real files hold.

The same holds for the scoreboard sources converted from published originals the mirror lacks: the RIS 2023 and
RCI 2022 workbooks are written here from the mirror CSVs (numbers as numbers; the RCI population sheet with a
four-line header, as the README describes the original), the I4.0 panel's zip from the mirror's files under
their names in the zip, and the Census Bureau's CBP 2012 zip from the mirror's ``cbp12us.txt``. A made-up workbook
cannot have the real one's checksum, so the test drops the two workbook checksums from the metadata for the download
(the CBP zip has none pinned: the mirror holds the text file, whose checksum is).
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import os
import re
import zipfile
from pathlib import Path

import httpx
import pandas as pd
import pytest
import xlsx_writer
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.errors import SourceError
from clusterobs.ingest import SOURCES, source_files_frame
from clusterobs.sources import (
    download,
    eurostat_api,
    eurostat_indicators,
    i40_indicators,
    rci_2022,
    ris,
    us_cbp,
    us_cluster_crosswalk,
    us_cmp_related,
)
from clusterobs.sources.ingestlog import IngestLog
from clusterobs.store import frame_checksum

CROSSWALK = us_cluster_crosswalk.META.folder
INDICATORS = eurostat_indicators.META.folder


def yearly_geojson(mirror: Path) -> dict[str, bytes]:
    """The twelve ``eu_nuts_2_eurostat_<year>.geojson.gz``, made from the mirror CSV's rows of each year."""
    with (mirror / INDICATORS / eurostat_indicators.FILE).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows, columns = list(reader), [c for c in reader.fieldnames or [] if c != "year"]
    text = ("nuts_id", "cntr_code", "nuts_name")
    out = {}
    for year in eurostat_indicators.YEARS:
        features = [
            {"type": "Feature", "geometry": None,
             "properties": {c: r[c] if c in text else (float(r[c]) if r[c] else None) for c in columns}}
            for r in rows if r["year"] == str(year)
        ]
        body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        out[eurostat_indicators.YEARLY.format(year=year)] = gzip.compress(body, mtime=0)
    return out


_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?\d+\.\d*(e[-+]?\d+)?|-?\d+e[-+]?\d+")


def _typed(text: str) -> object:
    """A CSV cell as the workbook held it: int, float, text, or empty."""
    if text == "":
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and float(f"{float(text):.16g}") == float(text):
        return float(text)
    # openpyxl's writer kept 16 significant digits: 5.2191629410000004 (RCI raw line 80) needs 17, so the made-up
    # workbook holds it as text, as it did when openpyxl wrote it (the real one holds the number; either way the CSV
    # cell is the same)
    return text


def _workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    """The workbook holding ``sheets`` (CSV cells, typed by ``_typed``), written by ``xlsx_writer``."""
    return xlsx_writer.workbook({name: [[_typed(c) for c in row] for row in rows] for name, rows in sheets.items()})


def scoreboard_originals(mirror: Path) -> dict[str, bytes]:
    """The RIS and RCI workbooks and the I4.0 zip, made from the mirror's files."""
    rci = mirror / rci_2022.META.folder
    population = _rows(rci / rci_2022.POPULATION)
    header = population[0]
    four_lines = [header[:2] + ["indicator"] * (len(header) - 2), ["", "", "description"] + [""] * (len(header) - 3),
                  ["", "", "source"] + ["JRC-ARDECO"] * (len(header) - 3), ["", "", "year"] + [""] * (len(header) - 3)]
    rci_book = _workbook({
        "Meta": [["RCI 2.0 - 2022 edition - Raw data"]],
        rci_2022.RAW_SHEET: _rows(rci / rci_2022.RAW),
        "Description": _rows(rci / rci_2022.DESCRIPTIONS),
        "Population": four_lines + population[1:],
        "Capital regions": [["Country", "RCI code", "RCI name", "NUTS 2", "Name"], *_rows(rci / rci_2022.CAPITALS)[1:]],
    })
    ris_book = _workbook({ris.SHEET: _rows(mirror / ris.META.folder / ris.FILE)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, member in i40_indicators.ZIP_MEMBERS.items():
            z.writestr(member, (mirror / i40_indicators.META.folder / name).read_bytes())
    return {ris.WORKBOOK: ris_book, rci_2022.WORKBOOK: rci_book, i40_indicators.ZIP: buf.getvalue()}


def cbp_zip(mirror: Path) -> dict[str, bytes]:
    """The Census Bureau's ``cbp12us.zip``, made from the mirror's ``cbp12us.txt`` (the mirror lacks the zip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(us_cbp.FILE, (mirror / us_cbp.META.folder / us_cbp.FILE).read_bytes())
    return {us_cbp.ZIP: buf.getvalue()}


def internet(mirror: Path) -> tuple[dict[str, bytes], set[str]]:
    """``{url: bytes}`` for every downloadable file of every source, and the addresses of the derived files."""
    made = {**yearly_geojson(mirror), **scoreboard_originals(mirror), **cbp_zip(mirror)}
    served: dict[str, bytes] = {}
    derived: set[str] = set()
    for module in (*SOURCES, eurostat_api):
        for f in module.META.files:
            path = mirror / module.META.folder / f.name
            if f.derived:
                derived.add(f.url)
            elif path.is_file():
                served[f.url] = path.read_bytes()
            elif f.name in made:
                served[f.url] = made[f.name]
    return served, derived


class Internet:
    def __init__(self, served: dict[str, bytes]) -> None:
        self.served = served
        self.requests: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        if url in self.served:
            return httpx.Response(200, content=self.served[url])
        return httpx.Response(404, text="Not Found")


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory: pytest.TempPathFactory, mirror: Path):
    """`clusterobs download --to DIR` against the fake internet, then the ingest's first stage on DIR (checksums,
    table ``sources``): (DIR, sources frame, net, derived addresses, output)."""
    served, derived = internet(mirror)
    net = Internet(served)
    patch = pytest.MonkeyPatch()
    patch.setattr(download, "make_client", lambda **_: httpx.Client(transport=httpx.MockTransport(net)))
    for module, name in ((ris, ris.WORKBOOK), (rci_2022, rci_2022.WORKBOOK)):  # made-up workbooks: no real checksum
        files = tuple(dataclasses.replace(f, sha256=None) if f.name == name else f for f in module.META.files)
        patch.setattr(module, "META", dataclasses.replace(module.META, files=files))
    try:
        root = tmp_path_factory.mktemp("online")
        result = CliRunner().invoke(app, ["download", "--to", str(root / "mirror")],
                                    env={**os.environ, "COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        files = source_files_frame(root / "mirror")  # what `clusterobs ingest` checks first
    finally:
        patch.undo()
    return root / "mirror", files, net, derived, result.output


def test_the_download_fetches_every_original_once_and_no_derived_file(downloaded) -> None:
    _, _, net, derived, output = downloaded
    # 51: with SBS 2008-2015 (one bulk file) and the JRC 2006/2010 → 2013 matrices (four files)
    assert len(net.requests) == len(set(net.requests)) == len(net.served) == 51
    assert set(net.requests) == set(net.served)
    assert eurostat_api.META.file(eurostat_api.FILE).url not in net.requests  # only when named
    tree_page = eurostat_indicators.META.file(eurostat_indicators.FILE).url
    assert tree_page in derived and tree_page not in net.requests
    assert sum(u.endswith(".geojson.gz") for u in net.requests) == 12
    assert sum(u.endswith(".xlsx") for u in net.requests) == 4
    assert sum(u.endswith(".zip") for u in net.requests) == 2
    assert "us_cmp_cluster_naics: rebuilt naics_to_cmp_cluster.csv, ClusterLinkage.csv" in output
    assert "ris_2023: rebuilt ris2023_regional_database.csv" in output
    assert "us_cbp: rebuilt cbp12us.txt" in output
    assert "eurostat_nuts2_indicators: rebuilt nuts2_indicators_2007_2018.csv" in output


def test_rebuilt_files_are_byte_identical_to_the_mirror(downloaded, mirror: Path) -> None:
    online = downloaded[0]
    for folder, name in ((CROSSWALK, us_cluster_crosswalk.FILE_NAICS), (CROSSWALK, us_cluster_crosswalk.FILE_LINKAGE),
                         (INDICATORS, eurostat_indicators.FILE), (ris.META.folder, ris.FILE),
                         *((rci_2022.META.folder, f) for f in (rci_2022.RAW, rci_2022.DESCRIPTIONS, rci_2022.POPULATION,
                                                                rci_2022.CAPITALS)),
                         *((i40_indicators.META.folder, f) for f in i40_indicators.ZIP_MEMBERS),
                         (us_cbp.META.folder, us_cbp.FILE)):
        assert (online / folder / name).read_bytes() == (mirror / folder / name).read_bytes(), name
    log = json.loads((online / CROSSWALK / download.LOG_NAME).read_text())
    assert sorted(r["file"] for r in log) == [us_cluster_crosswalk.XLSX_LINKAGE, us_cluster_crosswalk.XLSX_NAICS]
    assert not list(online.rglob("*.part"))
    assert not (online / eurostat_api.META.folder).exists()


def test_ingest_of_the_download_equals_the_ingest_of_the_mirror(downloaded, ingested, ref) -> None:
    """An ingest's tables are functions of the files its sources read (those of their metadata), then of the tables
    derived from them. Table ``sources`` shows that the download holds every such file of the mirror with the same
    SHA-256, and more files only for the sources that rebuild theirs: those sources are read again here, from the
    download, and their tables compared with the mirror's ingest; the others read the same bytes."""
    online, src, _, _, _ = downloaded
    real_store, real = ingested
    # `sources` lists the files read: the download has the originals the mirror lacks (twelve yearly GeoJSON
    # files, two workbooks, two zips).
    src = src.set_index("file")
    real_src = real_store.table("sources", real.version).set_index("file")
    assert len(src) == len(real_src) + 16 == 63
    extra = sorted(set(src.index) - set(real_src.index))
    assert extra == sorted([eurostat_indicators.YEARLY.format(year=y) for y in eurostat_indicators.YEARS]
                           + [ris.WORKBOOK, rci_2022.WORKBOOK, i40_indicators.ZIP, us_cbp.ZIP])
    assert src.loc[real_src.index, "sha256"].equals(real_src["sha256"])
    assert set(src.loc[real_src.index, "check"]) == {"as expected"}
    assert src.loc[[ris.WORKBOOK, rci_2022.WORKBOOK, i40_indicators.ZIP, us_cbp.ZIP], "check"].tolist() == [
        "no checksum recorded"] * 4  # the made-up workbooks (checksums patched out) and the zips (none recorded)
    assert not eurostat_api.present(online)  # the ingest's _meta then says "sbs_api": "absent"
    rebuilt = [m for m in SOURCES if hasattr(m, "after_download")]
    assert set(src.loc[extra, "source"]) <= {m.META.id for m in rebuilt}
    want = real_store.tables(real.version).set_index("name")[["rows", "checksum"]]
    # with nuts_split_shares (NUTS 1/0 split shares from the NUTS 2 matrix) and, from SBS 2008-2015, sbs_history,
    # sbs_local_units, sbs_wages, sbs_vintage_comparison and sbs_vintage_differences
    assert len(want) == 42
    log = IngestLog()
    got: dict[str, pd.DataFrame] = {}
    for module in rebuilt:  # in the ingest's order; they need no table of one another, only the NUTS codes
        got.update(module.read(online, log, ref))
    assert sorted(got) == sorted(name for m in rebuilt for name in m.TABLES)
    for name, df in got.items():  # identical rows and content checksum
        assert (len(df), frame_checksum(df)) == tuple(want.loc[name]), name
    for name, rows in {"cluster_naics": 986, "cluster_linkage": 203, "regional_indicators": 41_628,
                       "ris_indicators": 54_219, "rci_indicators": 18_209, "i40_indicators": 248_013}.items():
        assert len(got[name]) == want.loc[name, "rows"] == rows, name
    for name, rows in {"sbs_employment": 1_010_501, "quarantine": 68_016, "sbs_history": 1_087_360}.items():
        assert want.loc[name, "rows"] == rows, name  # of sources whose files the download holds byte for byte
    ids = {m.META.id for m in rebuilt}  # their quarantined rows and quirks: the same
    for name, frame in (("quarantine", log.quarantine_frame()), ("quirks", log.quirks_frame())):
        stored = real_store.table(name, real.version)
        stored = stored[stored["source"].isin(ids)].reset_index(drop=True)
        assert len(frame) == len(stored) and frame_checksum(frame) == frame_checksum(stored), name


# ---- the conversions, on the mirror's own originals ---------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_xlsx_conversion_reproduces_the_mirror_csv(mirror: Path, tmp_path: Path) -> None:
    codes = us_cluster_crosswalk.cluster_codes(us_cmp_related.cluster_names(mirror))
    assert len(codes) == 51 + 16
    src = mirror / CROSSWALK
    naics = us_cluster_crosswalk.convert_naics_xlsx(src / us_cluster_crosswalk.XLSX_NAICS, tmp_path / "n.csv", codes)
    linkage = us_cluster_crosswalk.convert_linkage_xlsx(src / us_cluster_crosswalk.XLSX_LINKAGE, tmp_path / "l.csv",
                                                        codes)
    got, want = _rows(naics), _rows(src / us_cluster_crosswalk.FILE_NAICS)
    assert got == want
    assert len(got) == 1 + 992
    assert got[0] == list(us_cluster_crosswalk.NAICS_COLUMNS)
    assert sum(r[6] == "1" for r in got[1:]) == 37 and {r[6] for r in got[1:]} == {"0", "1"}
    assert sum(r[3] == "" for r in got[1:]) == 6  # 814110 (cluster "NA") and five government pseudo-codes
    got, want = _rows(linkage), _rows(src / us_cluster_crosswalk.FILE_LINKAGE)
    assert got == want and len(got) == 1 + 203
    assert naics.read_bytes() == (src / us_cluster_crosswalk.FILE_NAICS).read_bytes()
    assert linkage.read_bytes() == (src / us_cluster_crosswalk.FILE_LINKAGE).read_bytes()


def test_local_cluster_codes_are_those_of_the_mirror_csv(mirror: Path) -> None:
    rows = _rows(mirror / CROSSWALK / us_cluster_crosswalk.FILE_NAICS)[1:]
    local = {(r[4], int(r[3])) for r in rows if r[2] == "Local" and r[3]}
    assert dict(local) == us_cluster_crosswalk.LOCAL_CLUSTERS
    assert sorted(us_cluster_crosswalk.LOCAL_CLUSTERS.values()) == list(range(101, 117))


def test_a_rebuild_without_the_cmp_names_says_which_source_to_download(mirror: Path, tmp_path: Path) -> None:
    folder = tmp_path / CROSSWALK
    folder.mkdir()
    for name in (us_cluster_crosswalk.XLSX_NAICS, us_cluster_crosswalk.XLSX_LINKAGE):
        (folder / name).symlink_to(mirror / CROSSWALK / name)
    with pytest.raises(SourceError, match=r"relatedClusters.json: missing file .*download source 'us_cmp_related'"):
        download.after_download(us_cluster_crosswalk, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [us_cluster_crosswalk.XLSX_LINKAGE,
                                                         us_cluster_crosswalk.XLSX_NAICS]


def test_a_rebuild_with_a_missing_or_broken_yearly_file_fails_naming_it(mirror: Path, tmp_path: Path) -> None:
    folder = tmp_path / INDICATORS
    folder.mkdir()
    for name, body in yearly_geojson(mirror).items():
        (folder / name).write_bytes(body)
    (folder / eurostat_indicators.FILE).write_text("previous\n")
    (folder / "eu_nuts_2_eurostat_2012.geojson.gz").write_bytes(b"<html>Not Found</html>")
    with pytest.raises(SourceError, match=r"eu_nuts_2_eurostat_2012.geojson.gz: not gzip-compressed GeoJSON"):
        download.after_download(eurostat_indicators, tmp_path)
    (folder / "eu_nuts_2_eurostat_2012.geojson.gz").unlink()
    with pytest.raises(SourceError, match=r"eu_nuts_2_eurostat_2012.geojson.gz: missing yearly file"):
        download.after_download(eurostat_indicators, tmp_path)
    assert (folder / eurostat_indicators.FILE).read_text() == "previous\n"
    assert not list(folder.glob("*.part"))


def test_modules_without_derived_files_have_no_hook(tmp_path: Path) -> None:
    hooks = {m.META.id for m in SOURCES if hasattr(m, "after_download")}
    derived = {m.META.id for m in SOURCES if any(f.derived for f in m.META.files)}
    assert hooks == derived == {"us_cmp_cluster_naics", "eurostat_nuts2_indicators", "ris_2023", "rci_2022",
                                "i40_nuts2_indicators", "us_cbp"}
    assert download.after_download(us_cmp_related, tmp_path) == []

