"""The texts a captioned chart shares with every other, defined once for the web, the image export and the reports:
the source line, the NUTS conversion and wage notes, the star legend, the schemes' short names and the data's own
texts in the reader's language.

No Django: each text takes a ``Translator`` (the web's is Django's active language, ``web.labels.T``; the reports'
is their context language, ``reports.formatting.T``) and, where it reads the data, the dataset version's reads
(``clusterobs.store.reads.VersionReads``: the web's ``Observatory``, the reports' ``ReportData``). The messages use
Django's ``%(name)s`` placeholders and live in the project's one catalogue (``clusterobs/locale``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from clusterobs.store.reads import VersionReads

#: the sources a chart cites, by what it draws (their citations are read from the version's ``sources``)
SBS = "eurostat_sbs_2015"
#: every SBS source a chart drawing SBS data cites: the 2015 extract and the 2008–2015 bulk panel (a source the
#: version did not ingest is left out of the citations)
SBS_SOURCES = ["eurostat_sbs_2015", "eurostat_sbs_2008_2015"]
GISCO = "gisco_nuts"
INDICATORS = "eurostat_nuts2_indicators"
LFS = "eurostat_lfs_sectors"
SCHEME_SHORT = {"eco2007": "ECO 2007", "eocic2019": "EOCIC 2019", "uscmp": "US CMP"}
#: a value not available (Eurostat's sign)
NOT_AVAILABLE = ":"


@runtime_checkable
class Translator(Protocol):
    """What a chart's texts need of a language: its messages (gettext) and how it writes a date."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def date(self, iso: str) -> str:
        """An ISO date (or the date part of a timestamp) as a source line writes it."""
        ...

    def number(self, x: float, digits: int) -> str:
        """``x`` rounded to ``digits`` decimals, with the language's decimal mark and thousands separator."""
        ...


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it."""
    return message


#: texts the data carry in English and the catalogue translates (``data_text``): the built-in star schemes' titles
#: and test descriptions and the sources' citations (a test checks they are the scheme file's and the sources')
DATA_TEXTS = (
    N_('European Cluster Observatory, first phase (2007)'),
    N_('European Observatory for Clusters and Industrial Change (2019)'),
    N_('US Cluster Mapping Project, strong clusters'),
    N_('employment in the top 10% of regions for that category'),
    N_('location quotient of at least 2'),
    N_("share of the region's employment in the top 10% of all region × category cells (categories pooled)"),
    N_('wage per employee in the top 10% of regions for that category (published threshold not public; '
       'top 10% is ours)'),
    N_('LQ at or above the 75th percentile and at least 1, employment and establishments above the '
       '25th percentile'),
    N_('Source: Eurostat, sbs_r_nuts2021 (SBS regional data from 2021, EMP_LOC_NR persons employed in '
       'local units), retrieved through the dissemination API'),
    N_('Source: Eurostat regional tables (tgs00003, tgs00096, tgs00010, tgs00026, tgs00040, tgs00049, '
       'tepsr_lm220, tgs00101), extracted Dec 2020 via '
       'github.com/andrea-ballatore/open-geo-data-education'),
    N_('Source: Eurostat, lfst_r_lfe2en2 (employment by NUTS 2 regions and NACE Rev. 2, 15 years and over)'),
    N_('Source: Eurostat, sbs_r_nuts06_r2 (SBS regional data, persons employed, 2015)'),
    N_('Source: Eurostat, sbs_r_nuts06_r2 (SBS regional data, 2008-2015, bulk download of about August '
       '2017)'),
    N_('© EuroGeographics for the administrative boundaries. Data source: GISCO - Eurostat (European '
       'Commission), NUTS 2016 and NUTS 2021 (20M, 60M)'),
    N_('Joint Research Centre (2022) NUTS converter, matrices release 2025.08 '
       '(https://urban.jrc.ec.europa.eu/tools/nuts-converter), via the R package nuts (rOpenSci)'),
    N_('Source: Eurostat, NACE Rev. 2 (RAMON / ShowVoc), via the correspondenceTables R package'),
    N_('Source: Eurostat, correspondence table NAICS 2017 - NACE Rev. 2; US Census Bureau, NAICS 2017; '
       'via the correspondenceTables R package'),
    N_('Source: U.S. Census Bureau, County Business Patterns 2012'),
)


#: the NUTS levels' names (the web's ``labels.LEVEL_LABELS`` are these, translated lazily)
LEVEL_NAMES = {0: N_("NUTS 0 (countries)"), 1: N_("NUTS 1 (major regions)"), 2: N_("NUTS 2 (regions)")}
#: the star tests' names (the web's ``labels.TEST_LABELS`` are these, translated lazily)
TEST_NAMES = {"size": N_("size"), "specialisation": N_("specialisation"), "focus": N_("focus"),
              "productivity": N_("productivity"), "strong": N_("strong cluster")}


def missing(x: object) -> bool:
    """None, NaN or not a number."""
    try:
        return x is None or math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def flag(x: object) -> bool:
    """A boolean cell that may be missing (None, NaN, <NA>): True only when present and true."""
    return not missing(x) and bool(x)


def percent(t: Translator, x: object, digits: int = 1) -> str:
    """A share as a percentage ("12.3%"); ":" when missing."""
    if missing(x):
        return NOT_AVAILABLE
    return t.gettext("%(value)s%%") % {"value": t.number(100 * float(x), digits)}  # type: ignore[arg-type]


def level_label(t: Translator, level: int) -> str:
    """A NUTS level's name ("NUTS 2 (regions)")."""
    return t.gettext(LEVEL_NAMES[level])


def test_label(t: Translator, test: str) -> str:
    """A star test's name in ``t``'s language (another scheme's test: its own name)."""
    return t.gettext(TEST_NAMES[test]) if test in TEST_NAMES else test


def cell_caveat(t: Translator, employment: object, rankable: object, coverage: object, split_share: object, *,
                min_coverage: float, max_split: float) -> str:
    """Why a region × category cell is not ranked, in words ("" when it is): no data, low coverage, split region.

    The engine's ``caveat`` says the same in English; this is the reader's, in ``t``'s language."""
    if missing(employment):
        return t.gettext("No data: employment missing or confidential in the source")
    if flag(rankable):
        return ""
    if not missing(split_share) and float(split_share) > max_split:  # type: ignore[arg-type]
        return t.gettext("Not ranked: the region was split from an older NUTS region by population, so its industry "
                         "structure is the older region's, not data collected for it")
    if not missing(coverage) and float(coverage) < min_coverage:  # type: ignore[arg-type]
        return t.gettext("Not ranked: the data cover %(share)s of the category's industries (below %(min)s)") % {
            "share": percent(t, coverage, 0), "min": percent(t, min_coverage, 0)}
    return t.gettext("Not ranked")


def data_text(t: Translator, text: object) -> str:
    """A text of the data (a scheme title, a test description, a citation) in ``t``'s language; as given when the
    catalogue has no translation (a scheme or source the user defined)."""
    return t.gettext(str(text)) if text else str(text or "")


def star_labels(t: Translator) -> list[str]:
    """The legend of 0-3 stars."""
    return [t.gettext("0 stars"), t.gettext("1 star"), t.gettext("2 stars"), t.gettext("3 stars")]


def scheme_short(scheme: str) -> str:
    """A built-in scheme's short name ("EOCIC 2019"); another scheme's own name."""
    return SCHEME_SHORT.get(scheme, scheme)


def years_text(years: Sequence[int]) -> str:
    """"2008–2015" for consecutive years, "2013, 2015" otherwise, "2015" for one, "" for none."""
    years = list(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def scheme_title(t: Translator, reads: VersionReads, scheme: str) -> str:
    """The scheme's title as the version's ``star_schemes`` gives it, in ``t``'s language."""
    titles = reads.schemes.loc[reads.schemes["scheme"] == scheme, "title"]
    return data_text(t, titles.iloc[0]) if len(titles) else scheme


def source_line(t: Translator, reads: VersionReads, source_ids: list[str]) -> str:
    """The citations of the sources drawn, then the dataset version and its extraction date."""
    meta = reads.meta
    cites = [data_text(t, c) for c in reads.citations(source_ids)]
    tail = t.gettext("clusterobs dataset %(version)s (extracted %(date)s)") % {
        "version": meta.get("version") or reads.version, "date": t.date(str(meta.get("created_at") or ""))}
    return " · ".join([*cites, tail])


def conversion_note(t: Translator, level: int, years: Sequence[int]) -> str:
    """How the SBS regional data reached NUTS 2021 (none at NUTS 0); the years before 2013 were published under older
    NUTS codes in places, said only when the dataset holds such ``years``."""
    if not level:
        return ""
    if any(y < 2013 for y in years):
        return t.gettext("SBS data converted to NUTS 2021 with the JRC converter's population weights (values "
                         "published under NUTS 2006 or 2010 codes, before 2013, first converted to NUTS 2013).")
    return t.gettext("SBS data converted from NUTS 2013 to NUTS 2021 with the JRC converter's population weights.")


def wage_note(t: Translator, reads: VersionReads, year: int) -> str:
    """What the stars of ``year`` can say about productivity: EOCIC 2019's productivity test needs wages."""
    wages = reads.years_with("productivity")
    if year in wages:
        return t.gettext("EOCIC 2019's productivity test compares wages per person employed; a cell without wage "
                         "data (missing or confidential) does not pass it.")
    if wages:
        return t.gettext("EOCIC 2019's productivity test needs wages, which the data of %(year)s do not have (wages: "
                         "%(years)s): at most two stars in %(year)s.") % {"year": year, "years": years_text(wages)}
    return t.gettext("EOCIC 2019's productivity test needs wages, which the data do not have: at most two stars.")


# ---- the measures, their values and the notes under a map (the web's ``labels`` are these, translated lazily) ----

#: maps outline regions with at least this share of the value imputed (quiet when imputation is small, UX.md §2)
IMPUTED_OUTLINE = 0.1

#: a measure's full name (a legend, an axis)
MEASURE_NAMES = {
    "stars": N_("Cluster stars"), "employment": N_("Employment"), "lq": N_("Location quotient (LQ)"),
    "focus": N_("Focus (share of the region's traded employment)"),
    "share_europe": N_("Share of Europe's employment in the category"), "growth": N_("Employment growth a year"),
    "productivity": N_("Wages per person employed"),
}
#: a measure's short name (a table's column, a hover)
MEASURE_SHORT_NAMES = {
    "stars": N_("Stars"), "employment": N_("Employment"), "lq": N_("LQ"), "focus": N_("Focus"),
    "share_europe": N_("Share of Europe"), "growth": N_("Growth"), "productivity": N_("Productivity"),
}
#: a measure's name inside a sentence ("Automotive: employment by region")
MEASURE_INLINE_NAMES = {
    "stars": N_("stars"), "employment": N_("employment"), "lq": N_("LQ"), "focus": N_("focus"),
    "share_europe": N_("share of Europe"), "growth": N_("growth"), "productivity": N_("productivity"),
}
#: a measure's unit
MEASURE_UNIT_NAMES = {
    "stars": N_("number of tests passed"), "employment": N_("persons employed"), "lq": N_("ratio, Europe = 1"),
    "focus": N_("% of the region's traded employment"), "share_europe": N_("% of Europe's employment in the category"),
    "growth": N_("% a year"), "productivity": N_("EUR per person"),
}
#: Eurostat's flags carried with a value (ec.europa.eu/eurostat/web/main/data/database, "flags")
FLAG_NAMES = {"b": N_("break in series"), "c": N_("confidential"), "d": N_("definition differs"),
              "e": N_("estimated"), "p": N_("provisional"), "u": N_("low reliability"),
              "i": N_("see metadata (imputed)"), "n": N_("not significant"), "s": N_("Eurostat estimate"),
              "f": N_("forecast"), "r": N_("revised"), "z": N_("not applicable")}


def measure_label(t: Translator, measure: str) -> str:
    """A measure's full name ("Location quotient (LQ)")."""
    return t.gettext(MEASURE_NAMES[measure])


def measure_short(t: Translator, measure: str) -> str:
    """A measure's short name ("LQ"); another name as given."""
    return t.gettext(MEASURE_SHORT_NAMES[measure]) if measure in MEASURE_SHORT_NAMES else measure


def measure_inline(t: Translator, measure: str) -> str:
    """A measure's name inside a sentence ("share of Europe")."""
    return t.gettext(MEASURE_INLINE_NAMES[measure])


def measure_unit(t: Translator, measure: str) -> str:
    """A measure's unit ("ratio, Europe = 1")."""
    return t.gettext(MEASURE_UNIT_NAMES[measure])


def number(t: Translator, x: object, digits: int = 0) -> str:
    """A number in ``t``'s way ("126,714"; "126 714" in French); ":" when missing."""
    if missing(x):
        return NOT_AVAILABLE
    return t.number(x, digits)  # type: ignore[arg-type]


def sig_percent(t: Translator, x: object) -> str:
    """A share as a percentage with enough decimals to show small shares (0.012% rather than 0.0%)."""
    if missing(x):
        return NOT_AVAILABLE
    v = 100 * float(x)  # type: ignore[arg-type]
    return percent(t, x, 1 if v >= 1 else 2 if v >= 0.1 else 3)


def value_text(t: Translator, measure: str, x: object) -> str:
    """A measure's value as shown in tables, hover labels and bar labels."""
    if missing(x):
        return NOT_AVAILABLE
    if measure == "stars":
        return "★" * int(x) if int(x) else "0"  # type: ignore[call-overload]
    if measure == "employment":
        return number(t, x, 0)
    if measure in ("lq", "relative_productivity"):
        return number(t, x, 2)
    if measure in ("focus", "share_europe"):
        return sig_percent(t, x)
    if measure == "growth":
        v = float(x)  # type: ignore[arg-type]
        return ("+" if v > 0 else "−" if v < 0 else "") + percent(t, abs(v), 1)
    if measure == "productivity":
        return number(t, x, 0) + " EUR"
    return number(t, x, 2)


def flag_words(t: Translator, flags: object) -> str:
    """"b, p" → "b: break in series, p: provisional" ("" without flags)."""
    if not isinstance(flags, str) or not flags.strip():
        return ""
    letters = list(dict.fromkeys(flags.replace(",", "").replace(" ", "")))
    return ", ".join(f"{f}: {t.gettext(FLAG_NAMES[f])}" if f in FLAG_NAMES else f for f in letters)


def growth_text(t: Translator, growth: object, window: object, year: object) -> str:
    """"+10.0% a year, 2013–2015" (the growth with the window it spans); ":" without growth."""
    if missing(growth):
        return NOT_AVAILABLE
    if missing(window) or missing(year):
        return value_text(t, "growth", growth)
    return t.gettext("%(growth)s a year, %(first)s–%(last)s") % {
        "growth": value_text(t, "growth", growth), "first": int(year) - int(window),  # type: ignore[call-overload]
        "last": int(year)}  # type: ignore[call-overload]


def imputed_words(t: Translator, share: object) -> str:
    """The imputed flag in words (hover labels and tables)."""
    if missing(share) or float(share) <= 0:  # type: ignore[arg-type]
        return ""
    return t.gettext("%(share)s of the employment imputed (Eurostat cells missing)") % {"share": percent(t, share, 0)}


def region_no_data_words(t: Translator, row: Mapping[str, object] | None, *, max_split: float) -> str:
    """Why a region is no-data (a row of ``region_data_quality``), in words; "" when it is not."""
    if row is None or not flag(row.get("no_data")):
        return ""
    split = row.get("split_share")
    if not missing(split) and float(split) > max_split:  # type: ignore[arg-type]
        return t.gettext("No data: the region was split from an older NUTS region by population, so its industry "
                         "structure is the older region's, not data collected for it.")
    n, total = int(row.get("traded_rankable") or 0), int(row.get("traded_categories") or 0)  # type: ignore[call-overload]
    return t.gettext("No data: only %(n)s of %(total)s traded categories can be ranked (fewer than half: too little "
                     "data or coverage).") % {"n": n, "total": total}


def no_data_counts(t: Translator, frame: pd.DataFrame, *, min_coverage: float) -> list[str]:
    """The notes under a map: how many regions have no data, are no-data regions, cannot be ranked or are
    outlined as imputed (a map frame: ``value``, and ``region_no_data``, ``rankable``, ``imputed`` when drawn)."""
    notes = []
    n_missing = int(frame["value"].isna().sum())
    no_region = frame["region_no_data"].fillna(False).astype(bool) if "region_no_data" in frame else None
    not_ranked = 0
    if "rankable" in frame.columns:
        not_ranked = int((frame["value"].isna() & frame["employment"].notna()
                          & ~frame["rankable"].fillna(False).astype(bool)).sum())
    if n_missing:
        notes.append(t.gettext("%(n)s of %(total)s regions: no data (grey); hover for the reason.")
                     % {"n": n_missing, "total": len(frame)})
    if no_region is not None and no_region.any():
        notes.append(t.ngettext("%(n)s of them is a no-data region (split from an older NUTS region by population, "
                                "or fewer than half of its traded categories can be ranked).",
                                "%(n)s of them are no-data regions (split from an older NUTS region by population, "
                                "or fewer than half of their traded categories can be ranked).", int(no_region.sum()))
                     % {"n": int(no_region.sum())})
    if not_ranked:
        notes.append(t.ngettext("%(n)s region has employment in this category that cannot be ranked (coverage below "
                                "%(min)s of the category's industries, or split by population): grey.",
                                "%(n)s regions have employment in this category that cannot be ranked (coverage "
                                "below %(min)s of the category's industries, or split by population): grey.",
                                not_ranked) % {"n": not_ranked, "min": percent(t, min_coverage, 0)})
    if "imputed" in frame:
        n_imp = int((frame["imputed"] & frame["value"].notna()).sum())
        if n_imp:
            notes.append(t.gettext("%(n)s regions with at least %(share)s of the value imputed from their section's "
                                   "residual (outlined); hover shows the share.")
                         % {"n": n_imp, "share": percent(t, IMPUTED_OUTLINE, 0)})
    return notes


def region_words(t: Translator, quality: pd.DataFrame, code: str, *, max_split: float) -> str:
    """Why the region ``code`` is no-data (``quality``: the version's ``region_data_quality`` at its level and the
    year), in words; "" when it is not."""
    row = quality[quality["region"] == code]
    return region_no_data_words(t, row.iloc[0].to_dict() if len(row) else None, max_split=max_split)


def unit_subtitle(t: Translator, measure: str, *, year: int, level: int, scheme: str | None = None) -> str:
    """A chart's subtitle: the measure and its unit, the year, the NUTS level (and the star scheme, when given)."""
    parts = [f"{measure_label(t, measure)} ({measure_unit(t, measure)})", str(year),
             f"{level_label(t, level)}, NUTS 2021"]
    if scheme is not None:
        parts.append(t.gettext("stars: %(scheme)s") % {"scheme": scheme_short(scheme)})
    return " · ".join(parts)


def measure_absent_reason(t: Translator, reads: VersionReads, measure: str, year: int) -> str:
    """Why no region has a value of ``measure`` in ``year`` (growth: one year of data; productivity: no wages)."""
    if measure == "growth":
        years = reads.years
        if len(years) > 1:
            return t.gettext("growth needs an earlier year with employment data, at most five years before.")
        return t.gettext("growth needs two years of data and the dataset has one (%(year)s).") % {
            "year": years_text(years)}
    if measure in ("productivity", "relative_productivity"):
        wages = reads.years_with("productivity")
        if year in wages:
            return t.gettext("wages are missing or confidential in the source for this category in %(year)s.") % {
                "year": year}
        if wages:
            return t.gettext("the SBS regional data of %(year)s have no wages (wages: %(years)s).") % {
                "year": year, "years": years_text(wages)}
        return t.gettext("the SBS regional data of this dataset have no wages.")
    return t.gettext("the value is missing or confidential in the source.")


def sbs_sources(reads: VersionReads) -> list[str]:
    """The SBS sources of the version (the 2015 table, and the 2008–2015 panel when ingested), for a source line
    of the years."""
    have = [s for s in dict.fromkeys(reads.sources()["source"]) if str(s).startswith("eurostat_sbs")]
    return have or [SBS]
