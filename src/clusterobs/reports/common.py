"""What every report shares: captions (source line, notes), star labels, the methodology and sources annexes."""

from __future__ import annotations

from clusterobs.reports import formatting as fmt
from clusterobs.reports import i18n
from clusterobs.reports.data import NUTS_VERSION, ReportData
from clusterobs.reports.i18n import _
from clusterobs.reports.model import Section, Table

SBS = "eurostat_sbs_2015"
GISCO = "gisco_nuts"
INDICATORS = "eurostat_nuts2_indicators"
LFS = "eurostat_lfs_sectors"
SCHEME_SHORT = {"eco2007": "ECO 2007", "eocic2019": "EOCIC 2019", "uscmp": "US CMP"}


def star_labels() -> list[str]:
    """The legend of 0-3 stars, in the report's language."""
    return [_("0 stars"), _("1 star"), _("2 stars"), _("3 stars")]


def level_label(level: int) -> str:
    return {0: _("Countries (NUTS 0)"), 1: _("NUTS 1 regions"), 2: _("NUTS 2 regions")}[level]


def scheme_short(scheme: str) -> str:
    return SCHEME_SHORT.get(scheme, scheme)


def source_line(data: ReportData, source_ids: list[str]) -> str:
    """The citations of the sources drawn, then the dataset version and its extraction date (as the web's)."""
    tail = _("clusterobs dataset {version} (extracted {date})").format(
        version=data.meta.get("version") or data.version, date=fmt.date(str(data.meta.get("created_at") or "")))
    return " · ".join([*data.citations(source_ids), tail])


def names_note() -> str:
    """Said in a translated report: the names come from the data, untranslated."""
    return _("The names of cluster categories, regions and indicators are given as the data give them: the "
             "category names are the official (English) names of the cluster categories, and region names are "
             "those of the NUTS classification. Only the text of this report is translated.")


def conversion_note(level: int) -> str:
    return (_("SBS 2015 employment converted from NUTS 2013 to NUTS 2021 with the JRC converter's population "
              "weights.") if level else "")


def methodology_annex(data: ReportData, schemes: list[str] | None = None) -> Section:
    """The star schemes as configured when the dataset was computed (``star_schemes``), one table per scheme."""
    s = data.schemes
    wanted = schemes or list(dict.fromkeys(s["scheme"]))
    section = Section("methodology", _("Annex: methodology"), annex=True, paragraphs=[
        _("Clusters are regional concentrations of related industries, grouped into cluster categories (51 traded "
          "categories of Delgado, Porter and Stern, local categories and 10 emerging industries). For each region, "
          "category and year the observatory computes employment, the share of Europe, focus (the category's share "
          "of the region's traded employment), the location quotient (LQ) and growth; a star scheme then awards one "
          "star per test passed. The tests below are read from the dataset itself (table star_schemes), so they are "
          "the thresholds used for every number in this report. Percentiles are taken across the regions of the "
          "same NUTS level with a positive value for that category (linear interpolation). Missing or confidential "
          "cells are missing, never zero; imputed cells are flagged and their share is reported."),
        _("Regions are NUTS {nuts} regions at level 2 unless stated; employment is Eurostat's Structural "
          "Business Statistics (persons employed) mapped to categories through the NACE concordance.").format(
            nuts=NUTS_VERSION)])
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        section.paragraphs.append(names_note())
    for scheme in wanted:
        rows = s[s["scheme"] == scheme]
        if rows.empty:
            continue
        section.tables.append(Table(
            _("{title} ({scheme}): denominator {denominator}").format(
                title=data.scheme_title(scheme), scheme=scheme, denominator=rows["denominator"].iloc[0]),
            [_("Test"), _("What it asks"), _("Condition"), _("Threshold source")],
            [[r.test, r.test_description, r.condition + (_(" (optional)") if r.optional else ""),
              _("clusterobs default (not published)") if r.ours else _("as published")]
             for r in rows.itertuples()]))
    return section


def sources_annex(data: ReportData, *, used: list[str] | None = None, checksums: bool = True) -> Section:
    """Every raw file behind the dataset with its SHA-256, plus the dataset and code versions (reproducibility)."""
    src = data.sources()
    if used:
        src = src[src["source"].isin(used)]
    meta = data.meta
    compute = meta.get("compute") if isinstance(meta.get("compute"), dict) else {}
    paragraphs = [
        _("Dataset version {version} (parent {parent}), extracted {extracted}, computed {computed}; code version "
          "clusterobs {code}. Regenerate this report with the same dataset version and code version to get the "
          "same numbers.").format(
            version=data.version, parent=meta.get("parent_version") or "—",
            extracted=str(meta.get("created_at") or "")[:19],
            computed=str(compute.get("computed_at") or "")[:19] or "—", code=meta.get("code_version") or "—"),
        _("The raw files below were read by the ingest; each checksum is the SHA-256 of the file as read.")]
    cites = Table(_("Citations and licences"), [_("Source"), _("Files"), _("Citation"), _("Licence")],
                  [[r.source, str(int((src["source"] == r.source).sum())), r.citation or "", r.licence or ""]
                   for r in src.drop_duplicates("source").itertuples()])
    title = _("Annex: sources and reproducibility")
    if not checksums:  # the dataset version pins every file; their checksums are in the Panorama and `info`
        paragraphs[1] = _("The raw files behind these sources and their SHA-256 checksums are listed by `clusterobs "
                          "info`, on the observatory's Sources page and in the Panorama of dataset {version}.").format(
            version=data.version)
        return Section("sources", title, paragraphs, tables=[cites], annex=True)
    table = Table(_("Sources ({n} files)").format(n=fmt.integer(len(src))),
                  [_("Source"), _("File"), _("SHA-256"), _("Bytes")],
                  [[r.source, r.file, r.sha256, fmt.integer(r.bytes)] for r in src.itertuples()], numeric=(3,))
    return Section("sources", title, paragraphs, tables=[table, cites], annex=True)
