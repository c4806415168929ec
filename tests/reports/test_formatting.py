"""Numbers and dates the way each report language writes them; English unchanged."""

from __future__ import annotations

import math

import pytest

from clusterobs.reports import formatting as fmt
from clusterobs.reports.i18n import LanguageError, check_language, language

N = "\u202f"  # narrow no-break space


@pytest.mark.parametrize(("call", "en", "fr"), [
    (lambda: fmt.integer(1234567.4), "1,234,567", f"1{N}234{N}567"),
    (lambda: fmt.integer(999), "999", "999"),
    (lambda: fmt.number(12345.678), "12,345.68", f"12{N}345,68"),
    (lambda: fmt.number(0.5, 1), "0.5", "0,5"),
    (lambda: fmt.percent(0.1234), "12.3%", f"12,3{N}%"),
    (lambda: fmt.percent(0.5, 0), "50%", f"50{N}%"),
    (lambda: fmt.signed_percent(0.021), "+2.1%", f"+2,1{N}%"),
    (lambda: fmt.corr(-0.456), "-0.46", "-0,46"),
    (lambda: fmt.p_value(0.0004), "< 0.001", "< 0,001"),
    (lambda: fmt.p_value(0.0123), "0.012", "0,012"),
    (lambda: fmt.integer(math.nan), ":", ":"),
    (lambda: fmt.percent(None), ":", ":"),
    (lambda: fmt.stars(3), "★★★", "★★★"),
    (lambda: fmt.date("2026-11-05T10:00:00"), "2026-11-05", "5 novembre 2026"),
    (lambda: fmt.date("2026-08-01"), "2026-08-01", "1er août 2026"),
    (lambda: fmt.date(""), "", ""),
])
def test_numbers_in_english_and_french(call, en, fr):
    assert call() == en  # English by default, as before
    with language("en"):
        assert call() == en
    with language("fr"):
        assert call() == fr
    assert call() == en  # the language ends with the block


def test_unknown_language_is_refused():
    assert check_language(None) == "en"
    with pytest.raises(LanguageError, match="`lang` must be one of en, fr; got 'de'"):
        check_language("de")
