"""What every report shares: captions (source line, notes), star labels, the methodology and sources annexes."""

from __future__ import annotations

from clusterobs.reports import formatting as fmt
from clusterobs.reports.data import NUTS_VERSION, ReportData
from clusterobs.reports.model import Section, Table

SBS = "eurostat_sbs_2015"
GISCO = "gisco_nuts"
INDICATORS = "eurostat_nuts2_indicators"
LFS = "eurostat_lfs_sectors"
STAR_LABELS = ["0 stars", "1 star", "2 stars", "3 stars"]
SCHEME_SHORT = {"eco2007": "ECO 2007", "eocic2019": "EOCIC 2019", "uscmp": "US CMP"}
LEVEL_LABELS = {0: "Countries (NUTS 0)", 1: "NUTS 1 regions", 2: "NUTS 2 regions"}


def scheme_short(scheme: str) -> str:
    return SCHEME_SHORT.get(scheme, scheme)


def source_line(data: ReportData, source_ids: list[str]) -> str:
    """The citations of the sources drawn, then the dataset version and its extraction date (as the web's)."""
    tail = f"clusterobs dataset {data.meta.get('version') or data.version} (extracted " \
           f"{str(data.meta.get('created_at') or '')[:10]})"
    return " · ".join([*data.citations(source_ids), tail])


def conversion_note(level: int) -> str:
    return ("SBS 2015 employment converted from NUTS 2013 to NUTS 2021 with the JRC converter's population weights."
            if level else "")


def methodology_annex(data: ReportData, schemes: list[str] | None = None) -> Section:
    """The star schemes as configured when the dataset was computed (``star_schemes``), one table per scheme."""
    s = data.schemes
    wanted = schemes or list(dict.fromkeys(s["scheme"]))
    section = Section("methodology", "Annex: methodology", annex=True, paragraphs=[
        "Clusters are regional concentrations of related industries, grouped into cluster categories (51 traded "
        "categories of Delgado, Porter and Stern, local categories and 10 emerging industries). For each region, "
        "category and year the observatory computes employment, the share of Europe, focus (the category's share "
        "of the region's traded employment), the location quotient (LQ) and growth; a star scheme then awards one "
        "star per test passed. The tests below are read from the dataset itself (table star_schemes), so they are "
        "the thresholds used for every number in this report. Percentiles are taken across the regions of the "
        "same NUTS level with a positive value for that category (linear interpolation). Missing or confidential "
        "cells are missing, never zero; imputed cells are flagged and their share is reported.",
        f"Regions are NUTS {NUTS_VERSION} regions at level 2 unless stated; employment is Eurostat's Structural "
        "Business Statistics (persons employed) mapped to categories through the NACE concordance."])
    for scheme in wanted:
        rows = s[s["scheme"] == scheme]
        if rows.empty:
            continue
        section.tables.append(Table(
            f"{data.scheme_title(scheme)} ({scheme}): denominator {rows['denominator'].iloc[0]}",
            ["Test", "What it asks", "Condition", "Threshold source"],
            [[r.test, r.test_description, r.condition + (" (optional)" if r.optional else ""),
              "clusterobs default (not published)" if r.ours else "as published"] for r in rows.itertuples()]))
    return section


def sources_annex(data: ReportData, *, used: list[str] | None = None, checksums: bool = True) -> Section:
    """Every raw file behind the dataset with its SHA-256, plus the dataset and code versions (reproducibility)."""
    src = data.sources()
    if used:
        src = src[src["source"].isin(used)]
    meta = data.meta
    compute = meta.get("compute") if isinstance(meta.get("compute"), dict) else {}
    paragraphs = [
        f"Dataset version {data.version} (parent {meta.get('parent_version') or '—'}), extracted "
        f"{str(meta.get('created_at') or '')[:19]}, computed {str(compute.get('computed_at') or '')[:19] or '—'}; "
        f"code version clusterobs {meta.get('code_version') or '—'}. Regenerate this report with the same dataset "
        "version and code version to get the same numbers.",
        "The raw files below were read by the ingest; each checksum is the SHA-256 of the file as read."]
    cites = Table("Citations and licences", ["Source", "Files", "Citation", "Licence"],
                  [[r.source, str(int((src["source"] == r.source).sum())), r.citation or "", r.licence or ""]
                   for r in src.drop_duplicates("source").itertuples()])
    if not checksums:  # the dataset version pins every file; their checksums are in the Panorama and `info`
        paragraphs[1] = (f"The raw files behind these sources and their SHA-256 checksums are listed by `clusterobs "
                         f"info`, on the observatory's Sources page and in the Panorama of dataset {data.version}.")
        return Section("sources", "Annex: sources and reproducibility", paragraphs, tables=[cites], annex=True)
    table = Table(f"Sources ({len(src)} files)", ["Source", "File", "SHA-256", "Bytes"],
                  [[r.source, r.file, r.sha256, fmt.integer(r.bytes)] for r in src.itertuples()], numeric=(3,))
    return Section("sources", "Annex: sources and reproducibility", paragraphs, tables=[table, cites], annex=True)
