"""What every report shares: category labels, what the data do not allow (coverage, imputation, split and no-data
regions), the methodology and sources annexes. The chart texts the reports share with the site (source line, notes,
star legend, schemes' short names) are ``clusterobs.charts.specs.text``."""

from __future__ import annotations

import pandas as pd

from clusterobs.charts.specs.text import data_text
from clusterobs.classifications.category_labels import label
from clusterobs.reports import formatting as fmt
from clusterobs.reports import i18n
from clusterobs.reports.data import NUTS_VERSION, ReportData
from clusterobs.reports.formatting import T
from clusterobs.reports.i18n import _
from clusterobs.reports.model import Section, Table

# The engine's thresholds (``clusterobs.mapping.categories`` and ``clusterobs.mapping.compute``), repeated here so that
# a scorecard need not import the mapping engine (Ibis: 0.3-0.5 s); a test checks they are the engine's.
#: a cell with data for less than this share of its category's concordance weight is shown, never starred or ranked
MIN_CELL_COVERAGE = 0.8
#: a region more than this share of which comes from fractions of older regions split by population cannot be ranked
MAX_SPLIT_SHARE = 0.5
#: a region where fewer than this share of the traded categories can be ranked is no-data
MIN_REGION_RANKABLE = 0.5
#: from this share of imputed employment on, a cell is marked (and outlined in the portfolio) and a region warned
IMPUTED_MARK = 0.1
#: the marks on a table's cells, explained in the table's note (``marks_note``)
MARK_IMPUTED, MARK_PARTIAL, MARK_NOT_RANKABLE = "*", "†", "‡"


def category_label(name: str, kind: str, traded_names: set[str]) -> str:
    """A category's name as the reports print it: an emerging industry that shares its name with a traded or local
    category (Biopharmaceuticals, Medical devices; case aside) is labelled "(emerging)", as on the web's pages."""
    if kind == "emerging" and str(name).casefold() in {str(t).casefold() for t in traded_names}:
        return _("{name} (emerging)").format(name=name)
    return name


def label_categories(m: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """``m`` (cluster measures with ``category``, ``category_name`` and ``kind``) with ``category_label``'s names in
    the report's language (``category_labels.label``: French names are the project's own translations), and the name as
    the data give it in ``data_name`` (for the facts, which do not depend on the language). ``catalogue``: the
    categories (``name``, ``kind``) whose traded names count; by default those of ``m``."""
    out = m.copy()
    out["data_name"] = out["category_name"]
    if m.empty or "kind" not in m.columns:
        return out
    lang = i18n.current()
    names = out["category_name"]
    if "category" in m.columns:
        names = pd.Series([label(k, lang, n) for k, n in zip(m["category"], m["category_name"], strict=True)],
                          index=m.index)
    if catalogue is not None:
        traded = {label(k, lang, n) for k, n, kind in zip(catalogue["category"], catalogue["name"],
                                                           catalogue["kind"], strict=True) if kind != "emerging"}
    else:
        traded = set(names[m["kind"] != "emerging"])
    out["category_name"] = [category_label(n, k, traded) for n, k in zip(names, m["kind"], strict=True)]
    return out


def cell_marks(row: object) -> str:
    """The marks of one cell (a row of cluster measures): ‡ not rankable, † partly covered, * partly imputed."""
    if fmt.missing(getattr(row, "employment", None)):
        return ""
    marks = []
    if not bool(getattr(row, "rankable", True)):
        marks.append(MARK_NOT_RANKABLE)
    elif not fmt.missing(getattr(row, "coverage", None)) and float(row.coverage) < 1 - 1e-9:  # type: ignore[attr-defined]
        marks.append(MARK_PARTIAL)
    imputed = getattr(row, "imputed_share", None)
    if not fmt.missing(imputed) and float(imputed) >= IMPUTED_MARK:  # type: ignore[arg-type]
        marks.append(MARK_IMPUTED)
    return "".join(marks)


def marked(name: str, marks: str) -> str:
    return f"{name} {marks}" if marks else name


def marks_note(used: str) -> str:
    """The footnote explaining the marks found in ``used`` (the marks of a table's cells, joined)."""
    notes = []
    if MARK_NOT_RANKABLE in used:
        notes.append(_("{mark} not rankable (data for less than {coverage} of the category's industries, or a region "
                       "split by population): shown, never starred or ranked").format(
            mark=MARK_NOT_RANKABLE, coverage=fmt.percent(MIN_CELL_COVERAGE, 0)))
    if MARK_PARTIAL in used:
        notes.append(_("{mark} partly covered: data for {coverage} or more, but not all, of the category's industries; "
                       "ranked on what is known").format(mark=MARK_PARTIAL,
                                                         coverage=fmt.percent(MIN_CELL_COVERAGE, 0)))
    if MARK_IMPUTED in used:
        notes.append(_("{mark} at least {share} of the value imputed (within national totals)").format(
            mark=MARK_IMPUTED, share=fmt.percent(IMPUTED_MARK, 0)))
    return _list(notes) + "." if notes else ""


def _list(items: list[str]) -> str:
    return ("\u00a0; " if i18n.current() == "fr" else "; ").join(items)


def no_data_reason(row: object, traded_total: int | None = None) -> str:
    """Why a region is no-data (a ``region_data_quality`` row), in the report's language."""
    split = getattr(row, "split_share", None)
    if not fmt.missing(split) and float(split) > MAX_SPLIT_SHARE:  # type: ignore[arg-type]
        return _("split from an older NUTS region by population ({share} of it), so its industry structure is the "
                 "older region's, not data collected for it").format(share=fmt.percent(split, 0))
    n = traded_total if traded_total is not None else int(getattr(row, "traded_categories", 0) or 0)
    k = int(getattr(row, "traded_rankable", 0) or 0)
    return _("only {k} of {n} traded categories can be ranked (fewer than half): too little data or "
             "coverage").format(k=fmt.integer(k), n=fmt.integer(n))


def level_label(level: int) -> str:
    return {0: _("Countries (NUTS 0)"), 1: _("NUTS 1 regions"), 2: _("NUTS 2 regions")}[level]


def names_note() -> str:
    """Said in a translated report: whose translations the category names are, and what stays as the data give it."""
    return _("The names and descriptions of the cluster categories, the star schemes' tests and the sources of the "
             "figures are this project's own translations of the official (English) texts; region names are those "
             "of the NUTS classification and indicator names are given as the data give them.")


def data_quality_paragraphs() -> list[str]:
    """How the reports treat gaps: the ECO 2007 definitions, coverage, imputation, split regions and no-data."""
    return [
        _("The ECO 2007 scheme, as the European Cluster Observatory defined it, awards the size star to a cluster "
          "whose employment is in the top {top} of all clusters in Europe within the same cluster category (the "
          "percentile is taken per category), and the focus star to a cluster in the top {top} of all clusters by "
          "the share of its region's employment it accounts for (the percentile is taken over every region × traded "
          "category cell of the level and year, categories pooled). Within one category focus is the location "
          "quotient times a constant, so a focus test per category would only repeat the specialisation test "
          "(LQ ≥ 2).").format(top=fmt.percent(0.1, 0)),
        _("Coverage. A category is made of industries; a cell (region × category) is mapped from the industries "
          "the region has data for, and its coverage is the share of the category's concordance weight with data "
          "there. A cell below {coverage} coverage is shown with its value but is not rankable: it earns no stars, "
          "counts in no percentile, ranking or headline figure, and is marked {mark} in the tables.").format(
            coverage=fmt.percent(MIN_CELL_COVERAGE, 0), mark=MARK_NOT_RANKABLE),
        _("Imputation. Confidential or missing industry values are imputed from their section's residual, shared "
          "by the country's structure, and capped so that the imputed values of a country never exceed what its "
          "national figure leaves after the regions that report the industry; a parent region is never below its "
          "known children. Imputed values are flagged; a cell with at least {share} of its value imputed is marked "
          "{mark}.").format(share=fmt.percent(IMPUTED_MARK, 0), mark=MARK_IMPUTED),
        _("Split regions. The 2015 data are published in NUTS 2013; a NUTS 2021 region made by splitting an older "
          "region (Budapest and Pest from the former Közép-Magyarország, for instance) gets its values from the "
          "older region shared out by population: its industry structure is the older region's, not data collected "
          "for it. A region more than {share} of which comes from such fractions cannot be ranked.").format(
            share=fmt.percent(MAX_SPLIT_SHARE, 0)),
        _("No-data regions. A region split by population, or where fewer than {share} of the traded categories can "
          "be ranked, is no-data: grey on the maps and left out of the rankings, the headline figures and the "
          "correlations; its scorecard says why. Headline figures count traded categories unless stated (local and "
          "emerging categories overlap them) and are computed once by the engine (clusterobs.mapping.headlines), "
          "so the web, the API and the reports print the same.").format(share=fmt.percent(MIN_REGION_RANKABLE, 0)),
    ]


def methodology_annex(data: ReportData, schemes: list[str] | None = None) -> Section:
    """The star schemes as configured when the dataset was computed (``star_schemes``), one table per scheme, and
    how gaps are treated (``data_quality_paragraphs``)."""
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
            nuts=NUTS_VERSION), *data_quality_paragraphs()])
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
            [[r.test, data_text(T, r.test_description), r.condition + (_(" (optional)") if r.optional else ""),
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
                  [[r.source, str(int((src["source"] == r.source).sum())), data_text(T, r.citation or ""),
                    r.licence or ""] for r in src.drop_duplicates("source").itertuples()])
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
