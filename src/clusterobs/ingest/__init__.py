"""``clusterobs ingest``: read every source of the mirror into a new, atomically published version.

Stages, each named in the progress display and in the version's ``_meta``:

0. take the data directory's writers' lock (``store.lock``: another ingest or compute holding it refuses this one,
   or makes it wait ``wait`` seconds) and remove the leftovers of interrupted runs;
1. checksum every raw file (table ``sources``) and compare it with the checksum and line count its source was
   written for (``sources.integrity``): a file that differs stops the ingest here, unless its source is in
   ``accept_changed``, and the new checksum is then recorded in ``_meta`` ``accepted_changes``;
2. read the classification sources (NACE, NAICS, US cluster definitions, US County Business
   Patterns 2012 employment for the concordance's weights, JRC, GISCO),
   then the statistical sources validated against them (SBS 2015, SBS 2008-2015 in the bulk layout, LFS,
   regional indicators), then
   the scoreboard's indicator sources (RIS 2023, EQI 2021, RCI 2022 and RCI 2010-2019 scores,
   the NUTS-2 R&D/HRST panel), each placed on NUTS 2021 level-2 codes,
   then, only when the mirror holds ``eurostat-sbs-api/sbs_r_nuts2021.csv``, the Eurostat
   API data (table ``sbs_api_employment``; ``_meta`` says ``"sbs_api": "absent"`` otherwise);
3. derive the harmonised tables (the SBS panel 2008-2015 on NUTS 2013 codes with the 2015 vintages merged,
   ``ingest.sbs_series``; regions, categories, concordance and its coverage; SBS and LFS converted to NUTS 2016 and
   2021, ``ingest.harmonise``);
4. write every table (the large ones as soon as no later step reads them: ``read_all``'s ``sink``), the quarantine
   and the quirk counts, and publish.

Any ``SourceError`` or ``OSError`` aborts the new version: the published one keeps serving.

The sources are modules of ``clusterobs.sources`` that satisfy ``pipeline.Source``, read in the order of ``SOURCES``
then ``OPTIONAL_SOURCES``. Imports go one way: ``ingest`` → ``sources`` → ``classifications`` (the NUTS, NACE and
category rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

import clusterobs
from clusterobs.classifications import categories, concordance, regions
from clusterobs.config import Settings
from clusterobs.errors import ClusterobsError, SourceError
from clusterobs.ingest import harmonise, sbs_series
from clusterobs.pipeline import OptionalSource, Progress, Source
from clusterobs.sources import (
    eurostat_api,
    eurostat_indicators,
    eurostat_lfs,
    eurostat_sbs,
    eurostat_sbs_history,
    gisco_nuts,
    i40_indicators,
    jrc_nuts,
    nace_classification,
    naics_nace,
    qog_eqi,
    rci_2022,
    rci_scores,
    ris,
    us_cbp,
    us_cluster_crosswalk,
    us_cmp_related,
)
from clusterobs.sources.ingestlog import IngestLog
from clusterobs.sources.integrity import ACCEPTED, ACCEPTED_BEFORE, FileCheck, SourceChanged, compare, fingerprint
from clusterobs.store import Store

#: Classification sources first: the statistical sources are validated against them.
CLASSIFICATION_SOURCES: tuple[Source, ...] = (
    nace_classification, naics_nace, us_cluster_crosswalk, us_cmp_related, us_cbp, jrc_nuts, gisco_nuts,
)
STATISTICAL_SOURCES: tuple[Source, ...] = (eurostat_sbs, eurostat_sbs_history, eurostat_lfs, eurostat_indicators)
#: The Regional Ecosystem Scoreboard's indicator sources, placed on NUTS 2021 level 2 (``classifications.nuts2021``).
SCOREBOARD_SOURCES: tuple[Source, ...] = (ris, qog_eqi, rci_2022, rci_scores, i40_indicators)
#: Every source, in the order ``read_all`` reads them.
SOURCES: tuple[Source, ...] = CLASSIFICATION_SOURCES + STATISTICAL_SOURCES + SCOREBOARD_SOURCES
#: Read only when their file is in the mirror (``module.present(mirror)``), after the statistical sources.
OPTIONAL_SOURCES: tuple[OptionalSource, ...] = (eurostat_api,)

BOOKKEEPING_TABLES = {
    "sources": "Every raw file read: source, file, SHA-256, bytes, download address, licence and citation",
    "quarantine": "Rows not loaded: source, file, line, value and reason",
    "quirks": "Rows loaded after a deliberate fix, counted per kind with the first line seen",
}


@dataclass
class IngestSummary:
    version: str
    tables: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    quirks: int = 0
    seconds: float = 0.0
    accepted: list[dict[str, object]] = field(default_factory=list)
    """Files that differed from their source's checksum and were accepted (``accept_changed``)."""
    cleaned: list[tuple[Path, int]] = field(default_factory=list)
    """Leftovers of interrupted runs removed first: path and bytes."""


def source_ids() -> list[str]:
    """Every source id an ingest may read."""
    return [m.META.id for m in (*SOURCES, *OPTIONAL_SOURCES)]


def source_files_frame(mirror: Path, *, accept_changed: frozenset[str] = frozenset(),
                       accepted_before: dict[str, dict[str, object]] | None = None) -> pd.DataFrame:
    """Checksum every raw file of every source and compare it with its metadata (``sources.integrity``).

    A missing required file is a ``SourceError``; files that differ from their recorded checksum are a
    ``SourceChanged`` naming them all, unless their source is in ``accept_changed`` or the published version
    accepted the same bytes (``accepted_before``: mirror path → record). Optional sources are listed when present;
    the API file's ``url`` is then the query of its ``DOWNLOADS.json`` record with the same checksum, when there
    is one.
    """
    rows = []
    checks: list[FileCheck] = []
    for module in (*SOURCES, *(m for m in OPTIONAL_SOURCES if m.present(mirror))):
        meta = module.META
        record = module.download_record(mirror) if hasattr(module, "download_record") else None
        for f in meta.files:
            path = mirror / meta.folder / f.name
            if not path.is_file():
                if f.optional:
                    continue
                raise SourceError(path, f"missing file of source {meta.id!r} (mirror: {mirror})")
            key = str(Path(meta.folder) / f.name)
            check = compare(meta.id, key, fingerprint(path), f.sha256, f.lines,
                            accept=meta.id in accept_changed, accepted_before=(accepted_before or {}).get(key))
            checks.append(check)
            rows.append({
                "source": meta.id, "title": meta.title, "file": f.name, "sha256": check.sha256,
                "bytes": check.bytes, "lines": check.lines, "expected_sha256": check.expected_sha256,
                "expected_lines": check.expected_lines, "check": check.check,
                "url": str(record["url"]) if record and record.get("file") == f.name else f.url,
                "publisher": meta.publisher,
                "publisher_url": meta.publisher_url, "licence": meta.licence, "citation": meta.citation,
                "origin": meta.origin, "notes": meta.notes,
            })
    changed = [c for c in checks if c.check == "changed"]
    if changed:
        raise SourceChanged(mirror, changed)
    df = pd.DataFrame(rows)
    for col in ("lines", "expected_lines"):
        df[col] = df[col].astype("Int64")
    return df


def accepted_changes(files: pd.DataFrame, mirror: Path) -> list[dict[str, object]]:
    """The accepted files of an ingest, for ``_meta`` ``accepted_changes`` (mirror path → what was accepted)."""
    out = []
    for r in files[files["check"].isin([ACCEPTED, ACCEPTED_BEFORE])].itertuples():
        folder = next(m.META.folder for m in (*SOURCES, *OPTIONAL_SOURCES) if m.META.id == r.source)
        out.append({"source": r.source, "file": str(Path(folder) / r.file), "sha256": r.sha256, "bytes": int(r.bytes),
                    "lines": None if pd.isna(r.lines) else int(r.lines), "expected_sha256": r.expected_sha256,
                    "expected_lines": None if pd.isna(r.expected_lines) else int(r.expected_lines),
                    "check": r.check})
    return out


def _accepted_before(store: Store) -> dict[str, dict[str, object]]:
    """The files the published version accepted, by mirror path ({} before the first ingest)."""
    if store.current() is None:
        return {}
    try:
        records = store.meta().get("accepted_changes") or []
    except (ClusterobsError, duckdb.Error):
        return {}
    return {str(r["file"]): r for r in records if isinstance(r, dict) and "file" in r}


#: Tables of the statistical sources that later steps of ``read_all`` read (the SBS panel, the concordance's coverage,
#: the conversions to NUTS 2016 and 2021); every other table of those sources is final once read.
DERIVED_FROM = frozenset({"sbs_history", "sbs_employment", "lfs_employment"})


def read_all(mirror: Path, log: IngestLog, progress: Progress | None = None,
             sink: Callable[[str, pd.DataFrame], None] | None = None) -> dict[str, pd.DataFrame]:
    """Read every source, then derive the harmonised tables. No I/O besides reading the mirror (and ``sink``).

    In order: the classification sources; the NUTS codes of every version (``regions.nuts_codes``); the statistical
    and scoreboard sources; the optional sources present in the mirror; the SBS panel 2008-2015 on NUTS 2013
    (``ingest.sbs_series``); regions, categories and the concordance (``regions``, ``concordance``); employment
    converted to NUTS 2016 and 2021 (``ingest.harmonise``).

    ``sink``: called with each large table as soon as no later step reads it (the scoreboard's and statistical
    sources' tables once read, the SBS bulk panel once merged, each converted table once converted), which is then
    left out of the returned dict; ``run_ingest`` writes it there and then, so that the ingest never holds every
    table in memory at once (its peak memory: ``benchmarks/ingest.py``). Without one, every table is returned."""
    tables: dict[str, pd.DataFrame] = {}

    def hand_over(names: Iterable[str]) -> None:
        if sink is not None:
            for name in sorted(names):
                sink(name, tables.pop(name))
    steps = len(SOURCES) + len(OPTIONAL_SOURCES) + 2
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(label, done, steps)

    for module in CLASSIFICATION_SOURCES:
        tables.update(module.read(mirror, log, tables))
        tick(f"read {module.META.id}")
    tables["nuts_codes"] = regions.nuts_codes(tables)
    for module in (*STATISTICAL_SOURCES, *SCOREBOARD_SOURCES):
        read = module.read(mirror, log, tables)
        tables.update(read)
        hand_over(set(read) - DERIVED_FROM)
        tick(f"read {module.META.id}")
    for module in OPTIONAL_SOURCES:
        if module.present(mirror):
            read = module.read(mirror, log, tables)
            tables.update(read)
            hand_over(set(read) - DERIVED_FROM)
            tick(f"read {module.META.id}")
        else:
            tick(f"skipped {module.META.id} (not in the mirror)")
    tables.update(sbs_series.build(tables, log))
    hand_over(["sbs_history"])
    tables["regions"] = regions.regions(tables)
    tables.update(concordance.derive(tables))
    tick("derived regions, categories and concordance")
    tables["nuts_split_shares"] = harmonise.parent_split_shares(tables["nuts_conversion"])
    for name in harmonise.CONVERTED:
        if name in tables:  # converted one at a time: the original is released as its converted table replaces it
            tables[name] = harmonise.convert_table(name, tables, log)
            hand_over([name])
    tick("converted employment to NUTS 2016 and 2021")
    return tables


def descriptions() -> dict[str, str]:
    """Every table an ingest writes, with its one-line description."""
    out = dict(BOOKKEEPING_TABLES)
    for module in (*SOURCES, *OPTIONAL_SOURCES, regions, categories, concordance, sbs_series, harmonise):
        out.update(getattr(module, "TABLES", {}))
    return out


def run_ingest(settings: Settings, *, progress: Progress | None = None,
               accept_changed: Iterable[str] = (), wait: float = 0.0,
               on_wait: Callable[[str], None] | None = None) -> IngestSummary:
    """Ingest the mirror into a new dataset version and publish it; raise on failure.

    ``accept_changed``: source ids whose files may differ from their recorded checksums (``SourceChanged``
    otherwise); ``wait``: seconds to wait for another writer of the same data directory (``StoreBusy`` after).
    """
    accept = frozenset(accept_changed)
    unknown = sorted(accept - set(source_ids()))
    if unknown:
        raise ValueError(f"unknown source id(s) for --accept-changed: {', '.join(unknown)}; "
                         f"known: {', '.join(source_ids())}")
    store = Store(settings.home)
    with store.lock(command="clusterobs ingest", wait=wait, on_wait=on_wait) as lock:
        summary = _ingest(settings, store, progress, accept)
    summary.cleaned = lock.cleaned
    return summary


def _ingest(settings: Settings, store: Store, progress: Progress | None, accept: frozenset[str]) -> IngestSummary:
    started = datetime.now(UTC)
    log = IngestLog()
    files = source_files_frame(settings.mirror, accept_changed=accept, accepted_before=_accepted_before(store))
    accepted = accepted_changes(files, settings.mirror)
    desc = descriptions()
    absent = [t for m in OPTIONAL_SOURCES if not m.present(settings.mirror) for t in getattr(m, "TABLES", {})]
    expected = len(set(desc) - set(absent))
    rows: dict[str, int] = {}
    with store.begin() as writer:

        def write(name: str, df: pd.DataFrame) -> None:
            writer.write(name, df, description=desc.get(name, ""))
            rows[name] = len(df)
            if progress:
                progress(f"wrote {name}", len(rows), max(expected, len(rows)))

        tables = read_all(settings.mirror, log, progress, sink=write)
        tables["sources"] = files
        tables["quarantine"] = log.quarantine_frame()
        tables["quirks"] = log.quirks_frame()
        for name, df in sorted(tables.items()):
            write(name, df)
        writer.set_meta("code_version", clusterobs.__version__)
        writer.set_meta("mirror", str(settings.mirror))
        writer.set_meta("created_at", started.isoformat(timespec="seconds"))
        writer.set_meta("source_checksums", dict(zip(files["file"], files["sha256"], strict=True)))
        writer.set_meta("accepted_changes", accepted)
        writer.set_meta("sbs_api", _sbs_api_meta(settings.mirror, files, rows))
        version = writer.publish()
    seconds = (datetime.now(UTC) - started).total_seconds()
    return IngestSummary(
        version=version,
        tables=rows,
        quarantined=len(tables["quarantine"]),
        quirks=int(tables["quirks"]["rows"].sum()) if len(tables["quirks"]) else 0,
        seconds=seconds, accepted=accepted,
    )


def _sbs_api_meta(mirror: Path, files: pd.DataFrame, rows: dict[str, int]) -> object:
    """``"absent"``, or what was read from the Eurostat API file: file, checksum, rows, query and retrieval time
    (``rows``: the rows written per table)."""
    if eurostat_api.TABLE not in rows:
        return "absent"
    row = files.loc[(files["source"] == eurostat_api.META.id) & (files["file"] == eurostat_api.FILE)].iloc[0]
    record = eurostat_api.download_record(mirror) or {}
    return {"file": eurostat_api.FILE, "sha256": row["sha256"], "rows": rows[eurostat_api.TABLE],
            "url": row["url"], "retrieved_at": record.get("retrieved_at")}
