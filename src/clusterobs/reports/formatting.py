"""Numbers as the reports print them (the web's conventions: thousands separators, ":" for not available), in the
report's language (``i18n.current()``): in English ``12,345.6`` and ``12.3%``; in French a decimal comma, a narrow
no-break space between thousands and before the percent sign: ``12 345,6`` and ``12,3 %``."""

from __future__ import annotations

import math

from clusterobs.reports import i18n

NOT_AVAILABLE = ":"
#: U+202F NARROW NO-BREAK SPACE: French thousands separator and space before %
NNBSP = "\u202f"
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")


def missing(x: object) -> bool:
    try:
        return x is None or math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return x is None


def _local(text: str) -> str:
    """``text`` formatted the English way (``1,234.5``) in the report's language."""
    if i18n.current() != "fr":
        return text
    return text.replace(",", NNBSP).replace(".", ",")


def _pct(text: str) -> str:
    return f"{_local(text)}{NNBSP}%" if i18n.current() == "fr" else f"{text}%"


def integer(x: object) -> str:
    return NOT_AVAILABLE if missing(x) else _local(f"{round(float(x)):,}")  # type: ignore[arg-type]


def number(x: object, digits: int = 2) -> str:
    return NOT_AVAILABLE if missing(x) else _local(f"{float(x):,.{digits}f}")  # type: ignore[arg-type]


def compact(x: object) -> str:
    """A class bound as short as it goes (``2.5``, ``10``), with the language's decimal mark."""
    return NOT_AVAILABLE if missing(x) else _local(f"{float(x):g}")  # type: ignore[arg-type]


def percent(x: object, digits: int = 1) -> str:
    return NOT_AVAILABLE if missing(x) else _pct(f"{100 * float(x):.{digits}f}")  # type: ignore[arg-type]


def signed_percent(x: object, digits: int = 1) -> str:
    return NOT_AVAILABLE if missing(x) else _pct(f"{100 * float(x):+.{digits}f}")  # type: ignore[arg-type]


def corr(x: object) -> str:
    return NOT_AVAILABLE if missing(x) else _local(f"{float(x):+.2f}")  # type: ignore[arg-type]


def p_value(x: object) -> str:
    if missing(x):
        return NOT_AVAILABLE
    return _local("< 0.001") if float(x) < 0.001 else _local(f"{float(x):.3f}")  # type: ignore[arg-type]


def stars(n: object) -> str:
    return NOT_AVAILABLE if missing(n) else ("★" * int(n) if int(n) else "0")  # type: ignore[arg-type]


def date(iso: str) -> str:
    """An ISO date (or the date part of a timestamp) as the language writes it: ``2026-11-05`` in English,
    ``5 novembre 2026`` in French; anything else unchanged."""
    day = str(iso or "")[:10]
    if i18n.current() != "fr" or len(day) != 10 or day[4] != "-" or day[7] != "-":
        return day
    try:
        y, m, d = int(day[:4]), int(day[5:7]), int(day[8:10])
        return f"{'1er' if d == 1 else d} {MONTHS_FR[m - 1]} {y}"
    except (ValueError, IndexError):
        return day


def plotly_separators() -> str:
    """Plotly's ``layout.separators`` (decimal, thousands) for the report's language."""
    return "," + NNBSP if i18n.current() == "fr" else ".,"


class ReportTranslator:
    """The chart texts' ``Translator`` (``clusterobs.charts.specs.text``) in the report's language; a source line
    writes the extraction date as the language does (``5 novembre 2026``)."""

    def gettext(self, message: str) -> str:
        return i18n.translation(i18n.current()).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return i18n.translation(i18n.current()).ngettext(singular, plural, n)

    def date(self, iso: str) -> str:
        return date(iso)

    def number(self, x: float, digits: int) -> str:
        return number(x, digits)


#: the reports' translator: stateless (the language is the context variable ``language`` sets)
T = ReportTranslator()
