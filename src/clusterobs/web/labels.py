"""Translated labels of the measures, schemes, levels and kinds, and number formatting for pages and charts."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from clusterobs.charts.specs import text
from clusterobs.charts.specs.text import (
    FLAG_NAMES,
    LEVEL_NAMES,
    MEASURE_INLINE_NAMES,
    MEASURE_NAMES,
    MEASURE_SHORT_NAMES,
    MEASURE_UNIT_NAMES,
    NOT_AVAILABLE,
    TEST_NAMES,
    flag,  # noqa: F401 (the pages import it from here)
    missing,
)
from clusterobs.classifications.category_labels import translate_categories

#: the measures' names, translated lazily (defined once in ``charts.specs.text``)
MEASURE_LABELS = {k: gettext_lazy(v) for k, v in MEASURE_NAMES.items()}
MEASURE_SHORT = {k: gettext_lazy(v) for k, v in MEASURE_SHORT_NAMES.items()}
#: the measure's name inside a sentence ("Automotive: employment by region")
MEASURE_INLINE = {k: gettext_lazy(v) for k, v in MEASURE_INLINE_NAMES.items()}
MEASURE_UNITS = {k: gettext_lazy(v) for k, v in MEASURE_UNIT_NAMES.items()}
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
#: Eurostat's flags carried with a value, translated lazily (defined once in ``charts.specs.text.FLAG_NAMES``)
FLAG_LABELS = {k: gettext_lazy(v) for k, v in FLAG_NAMES.items()}


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
    return text.number(T, x, digits)


def pct(x: Any, digits: int = 1) -> str:
    """A share as a percentage in the active language ("12.3%"); ':' when missing."""
    return text.percent(T, x, digits)


def sig_pct(x: Any) -> str:
    """A share as a percentage with enough decimals to show small shares (0.012% rather than 0.0%)."""
    return text.sig_percent(T, x)


def value_text(measure: str, x: Any) -> str:
    """A measure's value as shown in tables, hover labels and bar labels."""
    return text.value_text(T, measure, x)


def flag_words(flags: Any) -> str:
    """"b, p" → "b: break in series, p: provisional" ("" without flags)."""
    return text.flag_words(T, flags)


def growth_text(growth: Any, window: Any, year: Any) -> str:
    """"+10.0% a year, 2013–2015" (the growth with the window it spans); ":" without growth."""
    return text.growth_text(T, growth, window, year)


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
    return text.imputed_words(T, share)


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
    return text.region_no_data_words(T, row, max_split=max_split)
