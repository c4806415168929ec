"""Eurostat dissemination API: current regional SBS data (e.g. ``sbs_r_nuts2021``) as SDMX-CSV.

Lineage: query URL (``dataset_url``) → raw SDMX-CSV file, checksummed and logged in
``DOWNLOADS.json`` (``fetch_dataset``) → long table, one row per observation, flags kept
apart (``parse_sdmx_csv``) → ``sbs_employment`` rows in the dataset's own NUTS codes
(``to_employment``) → table ``sbs_api_employment``, when the mirror holds
``eurostat-sbs-api/sbs_r_nuts2021.csv`` (``read``, an optional stage of the ingest: regions
checked against NUTS 2021 levels 0-2, NACE codes against the ``nace`` table).

Query forms (Eurostat user guide, "API - Detailed guidelines", SDMX2.1 and SDMX3.0 data query):

* 2.1: ``{API_BASE}/2.1/data/{dataset}/{key}?format=SDMX-CSV&startPeriod=..&endPeriod=..&compressed=false``;
  the key is positional: one code list per dimension *in DSD order*, ``.`` between
  dimensions, ``+`` between codes, empty for all codes.
* 3.0: ``{API_BASE}/3.0/data/dataflow/ESTAT/{dataset}/1.0?c[dim]=a,b&c[TIME_PERIOD]=ge:Y+le:Y``
  ``&format=csvdata&formatVersion=2.0&compress=false``; filters name their dimension.

SDMX-CSV 1.0 (2.1 API) begins ``DATAFLOW,LAST UPDATE``, SDMX-CSV 2.0 (3.0 API) begins
``STRUCTURE,STRUCTURE_ID``; then the dimensions (lower-case ids), ``TIME_PERIOD``,
``OBS_VALUE`` and the attributes ``OBS_FLAG`` and ``CONF_STATUS``. Since 27 January 2025
confidentiality is the ``CONF_STATUS`` code (C, N, P), no longer the flag ``c``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
import pandas as pd

from clusterobs.classifications.regions import is_extra_regio
from clusterobs.errors import SourceError
from clusterobs.sources import cells
from clusterobs.sources.base import load_meta, sha256_file, source_path
from clusterobs.sources.csvio import BOM, iter_rows
from clusterobs.sources.download import (
    LOG_NAME,
    Progress,
    RetryPolicy,
    append_records,
    download_file,
    make_client,
)
from clusterobs.sources.eurostat_values import FLAGS
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
API_BASE = "https://ec.europa.eu/eurostat/api/dissemination/sdmx"
DATASET: str = META.extra["dataset"]
INDICATOR: str = META.extra["indicator"]
"""EMP_LOC_NR: persons employed in local units (number)."""
NUTS_VERSION: int = int(META.extra["nuts_version"])
FILE = f"{DATASET}.csv"

#: Dimension order (DSD order) for the positional SDMX 2.1 key. sbs_r_nuts2021's order is
#: inferred from published client code, not read from its DSD
#: (``{API_BASE}/2.1/datastructure/ESTAT/SBS_R_NUTS2021``): check it before relying on it.
#: A wrong order makes Eurostat answer with an error, not with wrong data.
DIMENSIONS: dict[str, tuple[str, ...]] = {"sbs_r_nuts2021": ("freq", "nace_r2", "indic_sbs", "geo")}

CONF_STATUS = {"C": "confidential", "N": "not for publication", "P": "non-statistical secrecy"}
_NOT_DIMENSIONS = {"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION",
                   "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"}
_OUT = ("year", "value", "flag", "conf_status", "last_update", "line")
_CODE = re.compile(r"^[A-Za-z0-9_\-]+$")
_PERIOD = re.compile(r"^(\d{4})(?:-A1)?$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_AGGREGATE_PREFIXES = ("EU", "EA")
"""European Union and euro area aggregates (EU27_2020, EU28, EA20): no NUTS country has these codes."""
_UUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
EMPLOYMENT_COLUMNS = ["region", "nuts_version", "level", "nace", "year", "value", "flag", "line"]
TABLE = "sbs_api_employment"
TABLES = {
    TABLE: "SBS persons employed in local units (EMP_LOC_NR) from Eurostat's API, sbs_r_nuts2021, 2021 onwards, by "
    "region (NUTS 2021, levels 0-2) and NACE code; only when the mirror holds eurostat-sbs-api/sbs_r_nuts2021.csv",
}


def dataset_url(
    dataset: str,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    start: int | None = None,
    end: int | None = None,
    api_version: str = "2.1",
    dimensions: Sequence[str] | None = None,
    compressed: bool = False,
) -> str:
    """The SDMX-CSV data query for ``dataset``, filtered by dimension codes and years.

    For 2.1 with filters the dimension order comes from ``dimensions`` or ``DIMENSIONS``.
    """
    _check_code(dataset, "dataset id")
    wanted = {dim: list(codes) for dim, codes in (filters or {}).items()}
    for dim, codes in wanted.items():
        _check_code(dim, "dimension id")
        if not codes:
            raise ValueError(f"the filter on {dim!r} lists no codes")
        for code in codes:
            _check_code(code, f"code of {dim!r}")
    if start is not None and end is not None and start > end:
        raise ValueError(f"start year {start} is after end year {end}")
    if api_version == "2.1":
        path = f"{API_BASE}/2.1/data/{dataset}"
        if wanted:
            order = tuple(dimensions or DIMENSIONS.get(dataset.lower(), ()))
            if not order:
                raise ValueError(f"the SDMX 2.1 key is positional: give the dimension order of {dataset!r} "
                                 "(dimensions=...) or use api_version='3.0'")
            unknown = sorted(set(wanted) - set(order))
            if unknown:
                raise ValueError(f"{dataset!r} has no dimension {', '.join(unknown)} (dimensions: {order})")
            path += "/" + ".".join("+".join(wanted.get(dim, ())) for dim in order)
        params = ["format=SDMX-CSV"]
        params += [f"startPeriod={start}"] if start is not None else []
        params += [f"endPeriod={end}"] if end is not None else []
        params.append(f"compressed={str(compressed).lower()}")
    elif api_version == "3.0":
        path = f"{API_BASE}/3.0/data/dataflow/ESTAT/{dataset}/1.0"
        params = [f"c[{dim}]={','.join(codes)}" for dim, codes in wanted.items()]
        time = [f"ge:{start}"] if start is not None else []
        time += [f"le:{end}"] if end is not None else []
        params += [f"c[TIME_PERIOD]={'+'.join(time)}"] if time else []
        params += ["format=csvdata", "formatVersion=2.0", f"compress={str(compressed).lower()}"]
    else:
        raise ValueError(f"api_version must be '2.1' or '3.0', not {api_version!r}")
    return f"{path}?{'&'.join(params)}"


def fetch_dataset(
    dataset: str,
    *,
    client: httpx.Client | None,
    filters: Mapping[str, Sequence[str]] | None = None,
    start: int | None = None,
    end: int | None = None,
    api_version: str = "3.0",
    dimensions: Sequence[str] | None = None,
    dest: Path | None = None,
    progress: Progress | None = None,
    retry: RetryPolicy | None = None,
) -> Path:
    """Download a data query as SDMX-CSV into the folder ``dest`` as ``<dataset>.csv``; return the file.

    ``dest`` is a folder, created when missing (default: the current directory); a path
    ending in ``.csv`` that is not an existing folder is taken as the file itself. The record
    (URL, checksum, time, status) is appended to ``DOWNLOADS.json`` beside the file. A body
    that is not SDMX-CSV (HTML page, SDMX error, gzip, asynchronous key) raises
    ``SourceError`` naming the URL and the dataset, and leaves any previous file in place.

    ``api_version`` defaults to "3.0", as ``clusterobs fetch-eurostat`` and ``META`` do: its filters
    name their dimension, while a 2.1 key is positional and needs the dataset's dimension order
    (``DIMENSIONS``).
    """
    url = dataset_url(dataset, filters=filters, start=start, end=end, api_version=api_version,
                      dimensions=dimensions)
    target = Path(dest) if dest is not None else Path.cwd()
    if target.suffix.lower() != ".csv" or target.is_dir():
        target = target / f"{dataset}.csv"
    if target.parent.exists() and not target.parent.is_dir():
        raise SourceError(target.parent, "is a file, not a folder: move it away and fetch again (earlier versions "
                          "of clusterobs fetch-eurostat wrote the data as a file of that name)")

    def check(tmp: Path) -> None:
        problem = _sniff(tmp)
        if problem:
            raise SourceError(url, f"dataset {dataset!r}: Eurostat returned {problem}")

    with contextlib.ExitStack() as stack:
        http = client if client is not None else stack.enter_context(make_client())
        record = download_file(http, url, target, progress=progress, validate=check, retry=retry)
    append_records(target.parent, [record])
    return target


def parse_sdmx_csv(
    path: Path, *, log: IngestLog, source_id: str, min_rows: int = 0, allow_negative: bool = False
) -> pd.DataFrame:
    """Read an SDMX-CSV file into a long table, sending bad rows to the ingest log.

    Columns: the dimensions (lower-case, file order), ``year``, ``value`` (Float64, NULL
    when missing, never 0), ``flag`` (OBS_FLAG letters or NULL), ``conf_status`` (C, N, P
    or NULL), ``last_update`` (as Eurostat prints it, NULL in SDMX-CSV 2.0) and ``line``.
    """
    check_sdmx_csv(path)
    header = _header(path)
    dims = [h for h in header if h not in _NOT_DIMENSIONS and not h.isupper()]
    names = [d.lower() for d in dims]
    clash = sorted(set(names) & set(_OUT)) or sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise SourceError(path, f"dimension column(s) {', '.join(clash)} clash with other columns", line=1)
    rows: list[tuple[object, ...]] = []
    seen: dict[tuple[str, ...], int] = {}
    for line, rec in iter_rows(path, source=source_id, log=log, expected=("TIME_PERIOD", "OBS_VALUE"),
                               min_rows=min_rows):
        text = ",".join(rec.values())
        obs = _observation(rec, dims, allow_negative)
        if isinstance(obs, str):
            log.reject(source=source_id, file=path, line=line, value=text, reason=obs)
            continue
        key, year, value, flag, conf, quirk = obs
        if (*key, year) in seen:
            log.reject(source=source_id, file=path, line=line, value=text,
                       reason=f"duplicate of line {seen[(*key, year)]} (same dimension codes and year)")
            continue
        seen[(*key, year)] = line
        if conf is not None and conf not in CONF_STATUS:
            log.quirk(source=source_id, file=path, kind=f"unknown CONF_STATUS {conf!r} kept", line=line,
                      value=text)
        if quirk:
            log.quirk(source=source_id, file=path, kind=quirk, line=line, value=rec["OBS_VALUE"])
        last = (rec.get("LAST UPDATE") or "").strip() or None
        rows.append((*key, year, value, flag, conf, last, line))
    df = pd.DataFrame(rows, columns=[*names, *_OUT])
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("Float64")
    df["line"] = df["line"].astype("int64")
    df.attrs.update(source=source_id, file=path.name)
    return df


def to_employment(
    df: pd.DataFrame,
    *,
    indicator_code: str,
    nuts_version: int,
    select: Mapping[str, str] | None = None,
    log: IngestLog | None = None,
) -> pd.DataFrame:
    """Rows of one indicator in the schema of ``sbs_employment`` (see ``eurostat_sbs``).

    ``select`` fixes other dimensions (e.g. ``{"sizeclas": "TOTAL"}``); the rest must leave
    one row per region, NACE code and year. Aggregates that are not NUTS regions (EU27_2020,
    EA20) are left out, and sent to ``log`` when one is given; extra-regio codes (DEZZ) are
    kept for the NUTS check downstream. Any CONF_STATUS becomes the flag letter ``c`` (the
    pre-2025 convention of ``sbs_employment``); level = len(code) - 2.
    """
    indic = next((c for c in ("indic_sbs", "indic_sb") if c in df.columns), None)
    missing = [c for c in ("nace_r2", "geo") if c not in df.columns] + ([] if indic else ["indic_sbs"])
    if missing:
        raise ValueError(f"the table lacks dimension column(s) {', '.join(missing)}")
    keep = df[indic] == indicator_code
    for dim, code in (select or {}).items():
        if dim not in df.columns:
            raise ValueError(f"the table has no dimension {dim!r}")
        keep &= df[dim] == code
    sub = df.loc[keep]
    nuts = (sub["geo"].str.fullmatch(_NUTS.pattern).fillna(False).astype(bool)
            & ~sub["geo"].str[:2].isin(_AGGREGATE_PREFIXES))
    if log is not None:
        for _, row in sub.loc[~nuts].iterrows():
            log.reject(source=df.attrs.get("source", "eurostat_api"), file=df.attrs.get("file", ""),
                       line=int(row["line"]), value=row["geo"], reason="aggregate code, not a NUTS region")
    sub = sub.loc[nuts]
    dup = sub.duplicated(["geo", "nace_r2", "year"], keep=False)
    if dup.any():
        dims = [c for c in sub.columns if c not in (*_OUT, "geo", "nace_r2", indic)]
        varying = [c for c in dims if sub.loc[dup, c].nunique(dropna=False) > 1]
        raise ValueError(f"several rows per region, NACE code and year for {indicator_code!r}: "
                         f"fix the dimension(s) {', '.join(varying) or '?'} with select=...")
    flags = sub["flag"].fillna("") + sub["conf_status"].notna().map({True: "c", False: ""})
    rows = [(g, len(g) - 2, n, int(y), None if pd.isna(v) else float(v), f or None, int(ln))
            for g, n, y, v, f, ln in zip(sub["geo"], sub["nace_r2"], sub["year"], sub["value"], flags,
                                         sub["line"], strict=True)]
    out = pd.DataFrame(rows, columns=["region", "level", "nace", "year", "value", "flag", "line"])
    out["value"] = out["value"].astype("Float64")
    out.insert(1, "nuts_version", nuts_version)
    return out.astype({"level": "int64", "year": "int64", "line": "int64", "nuts_version": "int64"})


def present(mirror: Path) -> bool:
    """Whether the mirror holds the API file that the optional ingest stage reads."""
    return (mirror / META.folder / FILE).is_file()


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read ``eurostat-sbs-api/sbs_r_nuts2021.csv`` into ``sbs_api_employment``; needs ``nace`` and ``nuts_codes``.

    Rows of other indicators are left out; aggregates (EU27_2020, EA20), extra-regio codes,
    codes that are not NUTS 2021 levels 0-2 and unknown NACE codes are quarantined with file,
    line and reason. Raises ``SourceError`` when the file is missing, is not SDMX-CSV, has
    fewer than ``min_rows`` data rows, holds no row of the indicator, or several rows per
    region, NACE code and year.
    """
    path = source_path(mirror, META, FILE)
    long = parse_sdmx_csv(path, log=log, source_id=META.id, min_rows=META.file(FILE).min_rows)
    try:
        emp = to_employment(long, indicator_code=INDICATOR, nuts_version=NUTS_VERSION, log=log)
    except ValueError as exc:
        raise SourceError(path, str(exc)) from exc
    indic = next((c for c in ("indic_sbs", "indic_sb") if c in long.columns), None)
    if indic is not None and not (long[indic] == INDICATOR).any():
        found = ", ".join(sorted(long[indic].astype(str).unique())[:10])
        raise SourceError(path, f"no row of indicator {INDICATOR!r} (the file holds {found}): "
                          f"fetch it with --filter indic_sbs={INDICATOR}")
    nace_codes = set(ref["nace"]["code"])
    nuts = ref["nuts_codes"]
    known = nuts.loc[(nuts["nuts_version"] == NUTS_VERSION) & (nuts["level"] <= 2)].set_index("code")["level"]
    known = known.to_dict()
    keep = []
    for i, (geo, nace, year, line) in enumerate(zip(emp["region"], emp["nace"], emp["year"], emp["line"],
                                                    strict=True)):
        reason = None
        if nace not in nace_codes:
            reason = f"unknown NACE Rev. 2 code {nace!r}"
        elif is_extra_regio(geo):
            reason = "extra-regio NUTS code (no territory)"
        elif geo not in known:
            reason = f"region code is not a NUTS {NUTS_VERSION} code of levels 0-2"
        if reason:
            log.reject(source=META.id, file=path, line=int(line), value=f"{nace},{geo},{year}", reason=reason)
        else:
            keep.append(i)
    out = emp.iloc[keep].copy()
    out["level"] = out["region"].map(known).astype("int64")
    out["flag"] = out["flag"].astype("string")
    return {TABLE: out.sort_values("line").reset_index(drop=True)[EMPLOYMENT_COLUMNS]}


def download_record(mirror: Path) -> dict[str, object] | None:
    """The last ``DOWNLOADS.json`` record of the API file whose checksum is the file's, or None."""
    folder = mirror / META.folder
    try:
        entries = json.loads((folder / LOG_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    digest = sha256_file(folder / FILE)
    matching = [e for e in entries if isinstance(e, dict) and e.get("file") == FILE and e.get("sha256") == digest] \
        if isinstance(entries, list) else []
    return matching[-1] if matching else None


def _observation(
    rec: dict[str, str], dims: list[str], allow_negative: bool
) -> tuple[tuple[str, ...], int, float | None, str | None, str | None, str | None] | str:
    """(dimension codes, year, value, flag, conf_status, quirk) of one row, or why it is rejected."""
    period = rec["TIME_PERIOD"].strip()
    m = _PERIOD.match(period)
    if not m or not 1900 <= int(m.group(1)) <= 2100:
        return f"unknown or garbled TIME_PERIOD {period!r} (expected an annual period such as 2021)"
    raw = rec["OBS_VALUE"].strip()
    quirk = None
    if raw in ("", ":") or raw.lower() == "nan":
        value = None
        quirk = None if raw == "" else f"OBS_VALUE {raw!r} read as missing"
    elif cells.number(raw).problem == cells.NOT_FINITE:  # inf, -inf, 1e400 (overflows to infinity)
        return f"OBS_VALUE is not a finite number: {raw!r}"
    elif _NUMBER.match(raw):
        value = float(raw)
    else:
        return f"OBS_VALUE is not a number: {raw!r}"
    letters = (rec.get("OBS_FLAG") or "").strip()
    if any(ch not in FLAGS for ch in letters):
        return f"unknown flag {letters!r}"
    if value is not None and value < 0 and not allow_negative:
        return f"negative value {raw!r} (persons employed cannot be negative)"
    conf = (rec.get("CONF_STATUS") or "").strip() or None
    key = tuple(rec[d].strip() for d in dims)
    return key, int(m.group(1)), value, letters or None, conf, quirk


def check_sdmx_csv(path: Path) -> None:
    """Raise ``SourceError`` naming ``path`` unless it looks like SDMX-CSV (a ``validate`` hook)."""
    problem = _sniff(path)
    if problem:
        raise SourceError(path, f"{problem} (expected SDMX-CSV)", line=1)


def _check_code(text: str, what: str) -> None:
    if not _CODE.match(text):
        raise ValueError(f"{what} {text!r} must be letters, digits, '_' or '-'")


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8", newline="") as fh:
        return [h.replace(BOM, "").strip() for h in next(csv.reader(fh), [])]


def _sniff(path: Path) -> str | None:
    """What the file is when it is not SDMX-CSV (HTML, SDMX error, JSON...), else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise SourceError(path, f"cannot open: {exc.strerror or exc}") from exc
    if not head.strip():
        return "an empty body"
    if head[:2] == b"\x1f\x8b":
        return "a gzip-compressed body (query with compressed=false)"
    text = head.decode("utf-8", errors="replace").replace(BOM, "").strip()
    low = text.lower()
    if low.startswith("<"):
        if "<html" in low or "<!doctype html" in low:
            title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
            return "an HTML page" + (f" titled {' '.join(title.group(1).split())!r}" if title else "")
        fault = re.search(r"<faultstring>(.*?)</faultstring>", text, re.S)
        message = re.search(r"<(?:\w+:)?Text[^>]*>(.*?)</", text, re.S)
        found = fault or (message if "error" in low else None)
        if found:
            return f"an SDMX error message: {' '.join(found.group(1).split())[:200]!r}"
        return "XML, not SDMX-CSV (an asynchronous delivery or a wrong format parameter?)"
    if low.startswith(("{", "[")):
        return "JSON, not SDMX-CSV"
    if _UUID.match(low):
        return "an asynchronous-delivery key, not data (narrow the query)"
    first = text.splitlines()[0]
    header = {h.strip() for h in next(csv.reader([first]))}
    if not ({"TIME_PERIOD", "OBS_VALUE"} <= header and header & {"DATAFLOW", "STRUCTURE_ID"}):
        return f"text whose header {first[:120]!r} lacks DATAFLOW or STRUCTURE_ID, TIME_PERIOD, OBS_VALUE"
    return None
