"""Translated labels of the measures, schemes, levels and kinds, and number formatting for pages and charts."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from clusterobs.charts.specs.text import LEVEL_NAMES, NOT_AVAILABLE, TEST_NAMES, flag, missing, percent
from clusterobs.classifications.category_labels import translate_categories

MEASURE_LABELS = {
    "stars": gettext_lazy("Cluster stars"),
    "employment": gettext_lazy("Employment"),
    "lq": gettext_lazy("Location quotient (LQ)"),
    "focus": gettext_lazy("Focus (share of the region's traded employment)"),
    "share_europe": gettext_lazy("Share of Europe's employment in the category"),
    "growth": gettext_lazy("Employment growth a year"),
    "productivity": gettext_lazy("Wages per person employed"),
}
MEASURE_SHORT = {
    "stars": gettext_lazy("Stars"),
    "employment": gettext_lazy("Employment"),
    "lq": gettext_lazy("LQ"),
    "focus": gettext_lazy("Focus"),
    "share_europe": gettext_lazy("Share of Europe"),
    "growth": gettext_lazy("Growth"),
    "productivity": gettext_lazy("Productivity"),
}
#: the measure's name inside a sentence ("Automotive: employment by region")
MEASURE_INLINE = {
    "stars": gettext_lazy("stars"),
    "employment": gettext_lazy("employment"),
    "lq": gettext_lazy("LQ"),
    "focus": gettext_lazy("focus"),
    "share_europe": gettext_lazy("share of Europe"),
    "growth": gettext_lazy("growth"),
    "productivity": gettext_lazy("productivity"),
}
MEASURE_UNITS = {
    "stars": gettext_lazy("number of tests passed"),
    "employment": gettext_lazy("persons employed"),
    "lq": gettext_lazy("ratio, Europe = 1"),
    "focus": gettext_lazy("% of the region's traded employment"),
    "share_europe": gettext_lazy("% of Europe's employment in the category"),
    "growth": gettext_lazy("% a year"),
    "productivity": gettext_lazy("EUR per person"),
}
#: measures the map and the sector page offer; growth and productivity (wages per person employed) only when the
#: dataset has values of them in some year (``pages.offered_measures``): one year has no growth, and a
#: dataset without wages no productivity
MAP_MEASURES = ("stars", "lq", "employment", "focus", "share_europe", "growth", "productivity")
SECTOR_MEASURES = ("employment", "lq", "focus", "share_europe", "growth", "productivity")
#: the measures offered only when the data hold them
DATA_MEASURES = ("growth", "productivity")
COMPARE_MEASURES = ("lq", "employment", "focus", "share_europe")
KIND_LABELS = {"traded": gettext_lazy("Traded"), "local": gettext_lazy("Local"),
               "emerging": gettext_lazy("Emerging industries")}
DENOMINATOR_LABELS = {"traded": gettext_lazy("traded"), "all": gettext_lazy("all")}
#: the NUTS levels' names, translated lazily (defined once in ``charts.specs.text.LEVEL_NAMES``)
LEVEL_LABELS = {k: gettext_lazy(v) for k, v in LEVEL_NAMES.items()}
STATUS_LABELS = {"covered": gettext_lazy("covered"), "partly covered": gettext_lazy("partly covered"),
                 "not covered": gettext_lazy("not covered")}
#: the star tests' names, translated lazily (defined once in ``charts.specs.text.TEST_NAMES``)
TEST_LABELS = {k: gettext_lazy(v) for k, v in TEST_NAMES.items()}
METHOD_LABELS = {"quantile": gettext_lazy("Quantiles"), "equal": gettext_lazy("Equal intervals"),
                 "jenks": gettext_lazy("Natural breaks (Jenks)")}
CONTEXT_INDICATORS = (
    ("gdp_per_capita_eur", gettext_lazy("GDP per inhabitant"), "eur"),
    ("region_population", gettext_lazy("Population"), "int"),
    ("unemployment_rate_t", gettext_lazy("Unemployment rate"), "rate"),
    ("region_gdp", gettext_lazy("GDP"), "meur"),
)
#: Eurostat's flags carried with a value (ec.europa.eu/eurostat/web/main/data/database, "flags")
FLAG_LABELS = {"b": gettext_lazy("break in series"), "c": gettext_lazy("confidential"),
               "d": gettext_lazy("definition differs"), "e": gettext_lazy("estimated"),
               "p": gettext_lazy("provisional"), "u": gettext_lazy("low reliability"),
               "i": gettext_lazy("see metadata (imputed)"), "n": gettext_lazy("not significant"),
               "s": gettext_lazy("Eurostat estimate"), "f": gettext_lazy("forecast"), "r": gettext_lazy("revised"),
               "z": gettext_lazy("not applicable")}


class DjangoTranslator:
    """The chart texts' ``Translator`` (``clusterobs.charts.specs.text``) in Django's active language; a source line
    writes the extraction date as ISO (``2026-11-05``) in every language."""

    def gettext(self, message: str) -> str:
        return _(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)

    def date(self, iso: str) -> str:
        return str(iso or "")[:10]

    def number(self, x: float, digits: int) -> str:
        return number_format(round(float(x), digits), decimal_pos=digits, use_l10n=True, force_grouping=True)


#: the web's translator: stateless (Django keeps the active language per request)
T = DjangoTranslator()


def num(x: Any, digits: int = 0) -> str:
    """A localised number with grouping ("126,714" in English, "126 714" in French); ':' when missing."""
    if missing(x):
        return NOT_AVAILABLE
    return T.number(x, digits)


def pct(x: Any, digits: int = 1) -> str:
    """A share as a percentage in the active language ("12.3%"); ':' when missing."""
    return percent(T, x, digits)


def sig_pct(x: Any) -> str:
    """A share as a percentage with enough decimals to show small shares (0.012% rather than 0.0%)."""
    if missing(x):
        return NOT_AVAILABLE
    v = 100 * float(x)
    digits = 1 if v >= 1 else 2 if v >= 0.1 else 3
    return pct(x, digits)


def value_text(measure: str, x: Any) -> str:
    """A measure's value as shown in tables, hover labels and bar labels."""
    if missing(x):
        return NOT_AVAILABLE
    if measure == "stars":
        return "★" * int(x) if int(x) else "0"
    if measure == "employment":
        return num(x, 0)
    if measure in ("lq", "relative_productivity"):
        return num(x, 2)
    if measure in ("focus", "share_europe"):
        return sig_pct(x)
    if measure == "growth":
        sign = "+" if float(x) > 0 else "−" if float(x) < 0 else ""
        return sign + pct(abs(float(x)), 1)
    if measure == "productivity":
        return num(x, 0) + " EUR"
    return num(x, 2)


def flag_words(flags: Any) -> str:
    """"b, p" → "b: break in series, p: provisional" ("" without flags)."""
    if not isinstance(flags, str) or not flags.strip():
        return ""
    letters = [f for f in dict.fromkeys(flags.replace(",", "").replace(" ", ""))]
    return ", ".join(f"{f}: {FLAG_LABELS[f]}" if f in FLAG_LABELS else f for f in letters)


def growth_text(growth: Any, window: Any, year: Any) -> str:
    """"+10.0% a year, 2013–2015" (the growth with the window it spans); ":" without growth."""
    if missing(growth):
        return NOT_AVAILABLE
    if missing(window) or missing(year):
        return value_text("growth", growth)
    return _("%(growth)s a year, %(first)s–%(last)s") % {
        "growth": value_text("growth", growth), "first": int(year) - int(window), "last": int(year)}


def indicator_text(kind: str, x: Any) -> str:
    if missing(x):
        return NOT_AVAILABLE
    if kind == "eur":
        return num(x, 0) + " EUR"
    if kind == "meur":
        return _("%(value)s million EUR") % {"value": num(x, 0)}
    if kind == "rate":
        return _("%(value)s%%") % {"value": num(x, 1)}
    return num(x, 0)


def imputed_words(share: Any) -> str:
    """The imputed flag in words (hover labels and tables)."""
    if missing(share) or float(share) <= 0:
        return ""
    return _("%(share)s of the employment imputed (Eurostat cells missing)") % {"share": pct(share, 0)}


# ---- category display names and the caveats of a cell or region ---------------------------------------------


def category_display_names(categories: Any) -> dict[str, str]:
    """Category key → display name in the active language (``category_labels.label``: French names are the project's
    own translations). An emerging industry whose name is also a traded or local category's (Biopharmaceuticals,
    Medical devices) is labelled "(emerging)", so two bars or rows never share a label."""
    names = translate_categories(categories[["category", "name"]], get_language())["name"]
    others = {str(n).casefold() for n, k in zip(names, categories["kind"], strict=True) if k != "emerging"}
    out = {}
    for key, name, kind in zip(categories["category"], names, categories["kind"], strict=True):
        if kind == "emerging" and str(name).casefold() in others:
            out[key] = _("%(name)s (emerging)") % {"name": name}
        else:
            out[key] = str(name)
    return out


def region_no_data_words(row: Any, *, max_split: float) -> str:
    """Why a region is no-data (``region_data_quality``), in words; "" when it is not."""
    if row is None or not flag(row.get("no_data")):
        return ""
    split = row.get("split_share")
    if not missing(split) and float(split) > max_split:
        return _("No data: the region was split from an older NUTS region by population, so its industry structure "
                 "is the older region's, not data collected for it.")
    n, total = int(row.get("traded_rankable") or 0), int(row.get("traded_categories") or 0)
    return _("No data: only %(n)s of %(total)s traded categories can be ranked (fewer than half: too little data or "
             "coverage).") % {"n": n, "total": total}
