"""US Cluster Mapping (Delgado–Porter–Stern) NAICS → cluster definitions, and the cluster linkages.

Lineage: raw files (checksums; both CSVs were converted in the mirror from the xlsx of the
NoCo REDI project, a third-party transcription) → ``cluster_naics`` (NAICS code → one of
the 51 traded or 16 local clusters) and ``cluster_linkage`` (core → linked traded cluster).
Cluster codes and names are cross-checked against the CMP's own relatedClusters.json; a
difference is counted as a quirk.

After a download, ``after_download`` converts the xlsx into the two CSV files the way the
mirror did (sheet → CSV, cluster codes added by exact name match, TRUE/FALSE → 1/0); on
the mirror's own xlsx it reproduces the mirror's CSV files byte for byte.

Two facts the mirror README does not say: the codes are **NAICS 2017** codes, not NAICS
2012 (no code retired in 2017 appears; the 20 codes created in 2017 do, 16 of them flagged
as Emsi-specific), and the other 21 Emsi-specific rows are Emsi's own additions: 16 pseudo-codes
(farms ``111000``, rail ``482110``, government ownership such as ``902612``) and 5 industries
the CMP leaves out because County Business Patterns do not cover them (postal service, funds).
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

from clusterobs.errors import SourceError
from clusterobs.sources import us_cmp_related
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.csvio import iter_rows
from clusterobs.sources.download import replacing
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE_NAICS = "naics_to_cmp_cluster.csv"
FILE_LINKAGE = "ClusterLinkage.csv"
XLSX_NAICS = "NAICS_crosswalks_to_Cluster_system.xlsx"
XLSX_LINKAGE = "ClusterLinkage.xlsx"
SHEET_NAICS = "Emsi NAICS to Porter Cluster"
NAICS_COLUMNS = ("naics", "naics_title", "traded_local", "cluster_code", "cluster_name", "subcluster_name",
                 "emsi_specific_code")
LINKAGE_COLUMNS = ("core_cluster", "core_cluster_code", "linked_cluster", "linked_cluster_code", "strength")
#: The 16 local clusters of the U.S. Cluster Mapping Project (Delgado, Porter and Stern 2016 definitions;
#: clustermapping.us, Institute for Strategy and Competitiveness, Harvard Business School), codes 101-116
#: as the CMP numbers them. The CMP's relatedClusters.json covers the 51 traded clusters only, so the local
#: names and codes are fixed here; they are the ones the mirror's naics_to_cmp_cluster.csv carries, which
#: tests/sources/test_download_roundtrip.py checks.
LOCAL_CLUSTERS: dict[str, int] = {
    "Local Food and Beverage Processing and Distribution": 101,
    "Local Personal Services (Non-Medical)": 102,
    "Local Health Services": 103,
    "Local Utilities": 104,
    "Local Logistical Services": 105,
    "Local Household Goods and Services": 106,
    "Local Financial Services": 107,
    "Local Motor Vehicle Products and Services": 108,
    "Local Retailing of Clothing and General Merchandise": 109,
    "Local Entertainment and Media": 110,
    "Local Hospitality Establishments": 111,
    "Local Commercial Services": 112,
    "Local Education and Training": 113,
    "Local Community and Civic Organizations": 114,
    "Local Real Estate, Construction, and Development": 115,
    "Local Industrial Products and Services": 116,
}
TABLES = {
    "cluster_naics": "US CMP cluster definitions: NAICS code (NAICS 2017 codes, plus Emsi pseudo-codes flagged "
    "emsi_specific) → traded cluster 1-51 or local cluster 101-116, with the subcluster name",
    "cluster_linkage": "US CMP linkages between traded clusters (core → linked), strength very strong/strong/lower",
}
TRADED = range(1, 52)
LOCAL = range(101, 117)
STRENGTHS = ("very strong", "strong", "lower")
_NAICS6 = re.compile(r"^\d{6}$")
_NA = {"", "NA"}
_NAME_QUIRK = "cluster name differs from CMP relatedClusters.json (crosswalk name kept)"


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read both files; needs nothing in ``ref`` (reads the CMP cluster names from the mirror)."""
    cmp_names = us_cmp_related.cluster_names(mirror)
    clusters = _read_naics(mirror, log, cmp_names)
    names = dict(zip(clusters["cluster_code"], clusters["cluster_name"], strict=True))
    return {"cluster_naics": clusters, "cluster_linkage": _read_linkage(mirror, log, names | cmp_names)}


def _read_naics(mirror: Path, log: IngestLog, cmp_names: dict[int, str]) -> pd.DataFrame:
    path = source_path(mirror, META, FILE_NAICS)
    rows: list[tuple[str, str, str, int, str, str | None, bool]] = []
    seen: dict[str, int] = {}
    names: dict[int, tuple[str, int]] = {}
    expected = ("naics", "naics_title", "traded_local", "cluster_code", "cluster_name", "subcluster_name",
                "emsi_specific_code")
    for line, rec in iter_rows(path, source=META.id, log=log, expected=expected,
                               min_rows=META.file(FILE_NAICS).min_rows):
        code, kind = rec["naics"].strip(), rec["traded_local"].strip().lower()
        name, code_text, emsi = rec["cluster_name"].strip(), rec["cluster_code"].strip(), rec["emsi_specific_code"]
        value = f"{code},{rec['naics_title'].strip()},{rec['traded_local']},{code_text},{name}"
        reason = None
        if not _NAICS6.match(code):
            reason = f"NAICS code {code!r} is not 6 digits"
        elif emsi.strip() not in {"0", "1"}:
            reason = f"emsi_specific_code {emsi!r} is not 0 or 1"
        elif code_text in _NA:
            reason = (f"no CMP cluster (cluster {name!r}): Emsi government pseudo-code outside the CMP definitions"
                      if emsi.strip() == "1" else f"no CMP cluster (cluster {name!r}): the CMP leaves it out")
        elif not code_text.isdigit() or int(code_text) not in (TRADED if kind == "traded" else LOCAL):
            reason = f"cluster code {code_text!r} is not a {kind} cluster code (traded 1-51, local 101-116)"
        elif code in seen:
            reason = f"duplicate of line {seen[code]}"
        elif int(code_text) in names and names[int(code_text)][0] != name:
            reason = f"cluster {code_text} is named {names[int(code_text)][0]!r} on line {names[int(code_text)][1]}"
        if reason:
            log.reject(source=META.id, file=path, line=line, value=value, reason=reason)
            continue
        cluster = int(code_text)
        seen[code] = line
        names.setdefault(cluster, (name, line))
        if cluster in TRADED and cluster not in cmp_names:
            log.quirk(source=META.id, file=path, kind="traded cluster code absent from CMP relatedClusters.json",
                      line=line, value=f"{cluster}: {name!r}")
        elif cluster in TRADED and cmp_names[cluster] != name:
            log.quirk(source=META.id, file=path, kind=_NAME_QUIRK, line=line,
                      value=f"{cluster}: {name!r} vs {cmp_names[cluster]!r}")
        sub = rec["subcluster_name"].strip()
        rows.append((code, rec["naics_title"].strip(), kind, cluster, name, None if sub in _NA else sub,
                     emsi.strip() == "1"))
    missing = [c for c in TRADED if c in cmp_names and c not in names]
    for c in missing:
        log.quirk(source=META.id, file=path, kind="CMP traded cluster without any NAICS code in the crosswalk",
                  line=None, value=f"{c}: {cmp_names[c]}")
    df = pd.DataFrame(rows, columns=["naics", "naics_title", "traded_local", "cluster_code", "cluster_name",
                                     "subcluster_name", "emsi_specific"])
    return df.astype({"cluster_code": "int64", "emsi_specific": "bool"})


def _read_linkage(mirror: Path, log: IngestLog, names: dict[int, str]) -> pd.DataFrame:
    path = source_path(mirror, META, FILE_LINKAGE)
    rows: list[tuple[int, int, str]] = []
    seen: dict[tuple[int, int], int] = {}
    expected = ("core_cluster", "core_cluster_code", "linked_cluster", "linked_cluster_code", "strength")
    for line, rec in iter_rows(path, source=META.id, log=log, expected=expected,
                               min_rows=META.file(FILE_LINKAGE).min_rows):
        core, linked = rec["core_cluster_code"].strip(), rec["linked_cluster_code"].strip()
        strength = rec["strength"].strip().lower()
        value = ",".join(rec[k] for k in expected)
        reason = None
        if not (core.isdigit() and linked.isdigit() and int(core) in TRADED and int(linked) in TRADED):
            reason = f"cluster codes {core!r}, {linked!r} are not traded cluster codes 1-51"
        elif strength not in STRENGTHS:
            reason = f"strength {rec['strength']!r} is not one of {', '.join(STRENGTHS)}"
        elif core == linked:
            reason = "a cluster linked to itself"
        elif (int(core), int(linked)) in seen:
            reason = f"duplicate of line {seen[(int(core), int(linked))]}"
        if reason:
            log.reject(source=META.id, file=path, line=line, value=value, reason=reason)
            continue
        for code, name in ((int(core), rec["core_cluster"].strip()), (int(linked), rec["linked_cluster"].strip())):
            if names.get(code) != name:
                log.quirk(source=META.id, file=path, kind=_NAME_QUIRK, line=line,
                          value=f"{code}: {name!r} vs {names.get(code)!r}")
        seen[(int(core), int(linked))] = line
        rows.append((int(core), int(linked), strength))
    df = pd.DataFrame(rows, columns=["core_code", "linked_code", "strength"])
    return df.astype({"core_code": "int64", "linked_code": "int64"})


# ---- after a download: xlsx → CSV, as the mirror did ---------------------------------------------------------


def after_download(folder: Path) -> list[Path]:
    """Convert the downloaded xlsx in ``folder`` (``<mirror>/us-cluster-naics-crosswalk``) into the two CSV files.

    Traded cluster codes come from the CMP's relatedClusters.json, which must be in the same
    mirror (source ``us_cmp_related``); local ones from ``LOCAL_CLUSTERS``.
    """
    mirror = folder.parent
    try:
        codes = cluster_codes(us_cmp_related.cluster_names(mirror))
    except SourceError as exc:
        raise SourceError(exc.file, f"{exc.reason}; {FILE_NAICS} takes its traded cluster codes from it: "
                          f"download source {us_cmp_related.META.id!r} too") from exc
    return [
        convert_naics_xlsx(source_path(mirror, META, XLSX_NAICS), folder / FILE_NAICS, codes),
        convert_linkage_xlsx(source_path(mirror, META, XLSX_LINKAGE), folder / FILE_LINKAGE, codes),
    ]


def cluster_codes(traded: Mapping[int, str]) -> dict[str, int]:
    """Cluster name → code: the traded clusters (code → name, from relatedClusters.json) and ``LOCAL_CLUSTERS``."""
    codes = {name: code for code, name in traded.items()}
    clash = sorted(set(codes) & set(LOCAL_CLUSTERS))
    if clash:
        raise ValueError(f"cluster name(s) both traded and local: {', '.join(clash)}")
    return codes | LOCAL_CLUSTERS


def convert_naics_xlsx(src: Path, dest: Path, codes: Mapping[str, int]) -> Path:
    """Sheet "Emsi NAICS to Porter Cluster" → ``naics_to_cmp_cluster.csv`` with ``cluster_code`` added.

    Cells are written as they are (no trimming); a cluster name without an exact match in
    ``codes`` ("NA", the government services) gets an empty code, which the reader quarantines;
    ``EmsiSpecificNAICS`` TRUE/FALSE (boolean or text) becomes 1/0, anything else is kept for the
    reader to quarantine.
    """
    wanted = ("NAICS", "Description", "TradedLocal", "Cluster", "SubclusterName", "EmsiSpecificNAICS (non standard)")
    rows = []
    for naics, title, kind, cluster, sub, emsi in _sheet_rows(src, SHEET_NAICS, wanted):
        code = codes.get(cluster, "")
        rows.append((naics, title, kind, code, cluster, sub, _zero_one(emsi)))
    return _write_csv(dest, NAICS_COLUMNS, rows)


def convert_linkage_xlsx(src: Path, dest: Path, codes: Mapping[str, int]) -> Path:
    """The linkage sheet → ``ClusterLinkage.csv`` with both cluster codes added (empty when a name has no match)."""
    rows = [(core, codes.get(core, ""), linked, codes.get(linked, ""), strength)
            for core, linked, strength in _sheet_rows(src, None, ("Core Cluster", "Linked Cluster", "Strength"))]
    return _write_csv(dest, LINKAGE_COLUMNS, rows)


def _sheet_rows(path: Path, sheet: str | None, columns: Sequence[str]) -> Iterator[list[object]]:
    """The cells of ``columns`` (header names, trimmed) of each non-empty row of ``sheet`` (None: the first one)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(path, f"not a readable xlsx workbook: {exc}") from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SourceError(path, f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        cells = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(cells, ())]
        missing = [c for c in columns if c not in header]
        if missing:
            raise SourceError(path, f"sheet {ws.title!r} lacks column(s) {', '.join(missing)}", line=1)
        where = [header.index(c) for c in columns]
        for row in cells:
            if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            yield [_cell(row[i]) if i < len(row) else "" for i in where]
    finally:
        book.close()


def _cell(value: object) -> object:
    """A cell as the CSV shows it: empty for None, integral numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _zero_one(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    text = str(value).strip().upper()
    return {"TRUE": 1, "FALSE": 0, "1": 1, "0": 0}.get(text, value)


def _write_csv(dest: Path, header: Sequence[str], rows: list) -> Path:
    """Write rows with the csv module's defaults (the mirror's layout: minimal quoting, CRLF), atomically."""
    with replacing(dest) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return dest
