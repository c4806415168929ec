"""Reading one cell of a source file as a finite number, or saying why it is not one.

``number`` strips the text and answers with a ``Cell``: the value, or the problem, one of ``EMPTY`` (a
not-available marker: the empty string, or what the reader passes as ``missing``), ``NOT_A_NUMBER`` (Python's
``float`` does not read it: ``"1,5"``, ``":"``), ``NOT_FINITE`` (``"NaN"``, ``"inf"``) or ``NEGATIVE`` (only with
``negative=False``). The reader decides what each problem means: an empty cell is usually a counted quirk,
the others a quarantined row with the reader's own reason text (``docs/sources.md`` quotes them).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import NamedTuple

EMPTY = "empty"
NOT_A_NUMBER = "not a number"
NOT_FINITE = "not finite"
NEGATIVE = "negative"


class Cell(NamedTuple):
    """A cell read as a number: ``value`` when it is one, else ``problem``; ``text`` as stripped."""

    text: str
    value: float | None = None
    problem: str | None = None


def number(text: str, *, missing: Collection[str] = ("",), negative: bool = True) -> Cell:
    """``text`` stripped and read with ``float``: a finite value (not below zero unless ``negative``), or the
    problem; a stripped text in ``missing`` is ``EMPTY``."""
    text = text.strip()
    if text in missing:
        return Cell(text, problem=EMPTY)
    try:
        value = float(text)
    except ValueError:
        return Cell(text, problem=NOT_A_NUMBER)
    if not math.isfinite(value):
        return Cell(text, problem=NOT_FINITE)
    if value < 0 and not negative:
        return Cell(text, problem=NEGATIVE)
    return Cell(text, value)
