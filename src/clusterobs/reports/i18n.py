"""The reports' own text in the reader's language: Python's standard ``gettext`` (no Django) with the project's one
catalogue, the site's (``clusterobs/locale/<lang>/LC_MESSAGES/django.po``, in Django's ``LOCALE_PATHS`` too; compiled
to ``.mo`` by ``python -m clusterobs.web.compile_messages``, which needs only polib, and committed beside it). The few
report texts whose French differs from the same English text on the site carry the context ``report``
(``pgettext``).

A report is built and rendered in one language: ``with language("fr"):`` around the build (``build_scorecard``,
``build_panorama``) and the HTML (``render_html``, from ``Report.lang``). The language is a context variable, so two
threads (the web's report worker and a request) never see each other's. Only the report's own text is translated:
the names of categories, regions and indicators stay as the data give them.
"""

from __future__ import annotations

import contextlib
import gettext
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from clusterobs.errors import ClusterobsError

#: the catalogue shared with the site (Django's domain)
DOMAIN = "django"
LOCALE = Path(__file__).resolve().parents[1] / "locale"
#: the languages a report can be written in; English is the source text
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

_current: ContextVar[str] = ContextVar("clusterobs_report_language", default=DEFAULT_LANGUAGE)


class LanguageError(ClusterobsError):
    """A report was asked for in a language it is not written in."""


def check_language(lang: str | None) -> str:
    """``lang`` if a report can be written in it (``None``: English); otherwise a clear error."""
    if lang is None:
        return DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        raise LanguageError(f"`lang` must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
    return lang


@cache
def translation(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE, languages=[lang])  # a missing catalogue is an error, not English


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Build or render a report in ``lang`` inside this block."""
    token = _current.set(check_language(lang))
    try:
        yield lang
    finally:
        _current.reset(token)


def current() -> str:
    return _current.get()


def _(message: str) -> str:
    return translation(current()).gettext(message)


def pgettext(context: str, message: str) -> str:
    """``message`` in its ``context`` (``report``: where the report's French differs from the site's)."""
    return translation(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it (``xgettext --keyword=N_``)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation(current()).ngettext(singular, plural, n)
