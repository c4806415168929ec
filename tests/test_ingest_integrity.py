"""A raw file that is not the one its source was written for stops the ingest; --accept-changed takes it, recorded.

The ingest here reads only the sources the SBS 2015 file needs (NACE, JRC, GISCO, SBS): a mirror copy of their
folders (symlinks to the real files) with the SBS file replaced by a truncated copy of the real one.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import httpx
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs import ingest
from clusterobs.cli import app
from clusterobs.config import Settings
from clusterobs.sources import download, eurostat_sbs, gisco_nuts, jrc_nuts, nace_classification
from clusterobs.sources.integrity import SourceChanged, fingerprint
from clusterobs.store import Store
from subset_ingest import limit_ingest

pytestmark = pytest.mark.usefixtures("wide_cli")  # long temporary paths under pytest-xdist

MODULES = (nace_classification, jrc_nuts, gisco_nuts, eurostat_sbs)
SBS = Path(eurostat_sbs.META.folder) / eurostat_sbs.FILE
SBS_SHA256 = "ddab32a69736212398dc5eb98099e70c562271730dd5667f82643161eb3d5084"  # the mirror file's
SBS_LINES = 46_860  # header + 46,859 rows (mirror README: "46,859 rows")
ENV = {**os.environ, "COLUMNS": "250"}


@pytest.fixture
def small_ingest(monkeypatch):
    """``run_ingest`` over the four sources the SBS file needs, nothing derived."""
    limit_ingest(monkeypatch, (eurostat_sbs,))


def _mirror_copy(mirror: Path, dest: Path) -> Path:
    """Symlinks to the real files of the four sources' folders."""
    folders = {m.META.folder for m in MODULES if m.META.folder != "."}
    folders |= {n.split("/")[0] for n in (f.name for f in gisco_nuts.META.files)}
    for folder in folders:
        (dest / folder).mkdir(parents=True)
        for f in (mirror / folder).iterdir():
            (dest / folder / f.name).symlink_to(f)
    return dest


def _write_sbs(copy: Path, data: bytes) -> Path:
    target = copy / SBS
    target.unlink()
    target.write_bytes(data)
    return target


def _cli(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def _truncations(mirror: Path) -> dict[str, bytes]:
    data = (mirror / SBS).read_bytes()
    return {"90% of its bytes": data[: int(len(data) * 0.9)],
            "without its last line": data[: data.rstrip(b"\n").rfind(b"\n") + 1]}


def test_the_metadata_knows_the_mirror_file(mirror):
    meta = eurostat_sbs.META.file(eurostat_sbs.FILE)
    assert (meta.sha256, meta.lines) == (SBS_SHA256, SBS_LINES)
    assert fingerprint(mirror / SBS).sha256 == SBS_SHA256
    assert hashlib.sha256((mirror / SBS).read_bytes()).hexdigest() == SBS_SHA256
    assert fingerprint(mirror / SBS).lines == SBS_LINES == (mirror / SBS).read_bytes().count(b"\n")


def test_every_required_file_of_every_source_has_a_checksum_that_matches_the_mirror(mirror):
    files = ingest.source_files_frame(mirror)
    assert set(files["check"]) == {"as expected"}
    assert len(files) == 47  # every required file of the mirror, each compared


@pytest.mark.parametrize("cut", ["90% of its bytes", "without its last line"])
def test_a_truncated_file_stops_the_ingest_and_the_previous_version_keeps_serving(
        small_ingest, mirror, tmp_path, cut):
    home = tmp_path / "home"
    previous = ingest.run_ingest(Settings(home=home, mirror=_mirror_copy(mirror, tmp_path / "good"))).version
    before = sorted(p.name for p in (home / "versions").iterdir())
    bad = _truncations(mirror)[cut]
    _write_sbs(_mirror_copy(mirror, tmp_path / "bad"), bad)
    result = _cli("ingest", "--home", str(home), "--mirror", str(tmp_path / "bad"))
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    lines = bad.count(b"\n") + (0 if bad.endswith(b"\n") else 1)
    assert lines == {"90% of its bytes": 42_207, "without its last line": 46_859}[cut]
    assert f"eurostat_sbs_2015: {SBS}" in out
    assert f"sha256 expected {SBS_SHA256} found {hashlib.sha256(bad).hexdigest()}" in out
    assert f"lines expected 46,860, found {lines:,}" in out
    assert "clusterobs ingest --accept-changed eurostat_sbs_2015" in out
    assert f"The published version {previous} is unchanged" in out
    assert Store(home).current() == previous
    assert sorted(p.name for p in (home / "versions").iterdir()) == before  # nothing written, nothing left


def test_accept_changed_publishes_and_records_the_new_checksum(small_ingest, mirror, tmp_path):
    home = tmp_path / "home"
    bad = _truncations(mirror)["90% of its bytes"]
    copy = _mirror_copy(mirror, tmp_path / "bad")
    _write_sbs(copy, bad)
    result = _cli("ingest", "--home", str(home), "--mirror", str(copy), "--accept-changed", "eurostat_sbs_2015")
    assert result.exit_code == 0, result.output
    store = Store(home)
    meta = store.meta()
    record = {"source": "eurostat_sbs_2015", "file": str(SBS), "sha256": hashlib.sha256(bad).hexdigest(),
              "bytes": len(bad), "lines": 42_207, "expected_sha256": SBS_SHA256, "expected_lines": SBS_LINES,
              "check": "accepted change"}
    assert meta["accepted_changes"] == [record]
    src = store.table("sources").set_index("file")
    assert src.loc[eurostat_sbs.FILE, "check"] == "accepted change"
    assert src.loc[eurostat_sbs.FILE, "sha256"] == record["sha256"]
    assert (src.drop(index=eurostat_sbs.FILE)["check"] == "as expected").all()
    assert "Accepted changed file" in " ".join(result.output.split())
    info = _cli("info", "--home", str(home))
    assert info.exit_code == 0, info.output
    assert record["sha256"] in info.output and "accepted change" in info.output
    payload = json.loads(_cli("info", "--home", str(home), "--json").output)
    assert payload["meta"]["accepted_changes"] == [record]

    # the same bytes again: accepted by the published version's record, and recorded again
    again = ingest.run_ingest(Settings(home=home, mirror=copy))
    assert [a["check"] for a in again.accepted] == ["accepted change (earlier)"]
    assert again.accepted[0]["sha256"] == record["sha256"]
    # other bytes: refused again
    _write_sbs(copy, bad[:-100])
    with pytest.raises(SourceChanged, match=r"sbs_r_nuts06_r2_2015\.csv"):
        ingest.run_ingest(Settings(home=home, mirror=copy))
    assert store.current() == again.version


def test_an_unknown_source_for_accept_changed_is_refused(tmp_path):
    result = _cli("ingest", "--home", str(tmp_path), "--accept-changed", "no_such_source")
    assert result.exit_code == 2
    assert "unknown source id(s) for --accept-changed: no_such_source" in result.output


def test_a_download_that_differs_is_refused_unless_accepted(tmp_path):
    served = b"nace_r2;geo;n2015\nC10;FI1B;1\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=served)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    dest = tmp_path / eurostat_sbs.META.folder / eurostat_sbs.FILE
    with pytest.raises(download.DownloadError, match=r"checksum mismatch: expected sha256 ddab32a6.*"
                       r"clusterobs download --accept-changed eurostat_sbs_2015"):
        download.download_source(eurostat_sbs.META, tmp_path, client=client)
    assert not dest.exists()
    records = download.download_source(eurostat_sbs.META, tmp_path, client=client, accept_changed=True)
    assert dest.read_bytes() == served
    assert records[0].expected_sha256 == SBS_SHA256
    log = json.loads((dest.parent / "DOWNLOADS.json").read_text())
    assert log[0]["sha256"] == hashlib.sha256(served).hexdigest() and log[0]["expected_sha256"] == SBS_SHA256


def test_the_trust_report_names_accepted_files_first(tmp_path):
    import contextlib

    from clusterobs.mapping.trust import _accepted_limits, _Reader

    store = Store(tmp_path)
    record = {"source": "eurostat_sbs_2015", "file": str(SBS), "sha256": "06e2a66857b17a2a" + "0" * 48,
              "bytes": 551_668, "lines": 42_207, "expected_sha256": SBS_SHA256, "expected_lines": SBS_LINES,
              "check": "accepted change"}
    for accepted in ([], [record]):
        with store.begin() as w:
            w.write("t", pd.DataFrame({"a": [1]}), description="")
            w.set_meta("accepted_changes", accepted)
            w.publish()
        with contextlib.closing(store.connect()) as con:
            limits = _accepted_limits(_Reader(con))
        assert limits == ([] if not accepted else [
            "**Raw files that differ from those their sources were written for**, accepted with `clusterobs ingest "
            f"--accept-changed`: {SBS} (eurostat_sbs_2015: 42,207 lines, 46,860 expected; sha256 06e2a66857b1…). "
            "The figures rest on them."])
