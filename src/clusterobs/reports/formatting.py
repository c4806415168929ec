"""Numbers as the reports print them (the web's conventions: thousands separators, ":" for not available)."""

from __future__ import annotations

import math

NOT_AVAILABLE = ":"


def missing(x: object) -> bool:
    try:
        return x is None or math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return x is None


def integer(x: object) -> str:
    return NOT_AVAILABLE if missing(x) else f"{round(float(x)):,}"  # type: ignore[arg-type]


def number(x: object, digits: int = 2) -> str:
    return NOT_AVAILABLE if missing(x) else f"{float(x):,.{digits}f}"  # type: ignore[arg-type]


def percent(x: object, digits: int = 1) -> str:
    return NOT_AVAILABLE if missing(x) else f"{100 * float(x):.{digits}f}%"  # type: ignore[arg-type]


def signed_percent(x: object, digits: int = 1) -> str:
    return NOT_AVAILABLE if missing(x) else f"{100 * float(x):+.{digits}f}%"  # type: ignore[arg-type]


def corr(x: object) -> str:
    return NOT_AVAILABLE if missing(x) else f"{float(x):+.2f}"  # type: ignore[arg-type]


def p_value(x: object) -> str:
    if missing(x):
        return NOT_AVAILABLE
    return "< 0.001" if float(x) < 0.001 else f"{float(x):.3f}"  # type: ignore[arg-type]


def stars(n: object) -> str:
    return NOT_AVAILABLE if missing(n) else ("★" * int(n) if int(n) else "0")  # type: ignore[arg-type]
