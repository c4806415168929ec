"""Sections other apps add to the account page, so that the accounts import none of them: an app registers, in its
``AppConfig.ready()``, a function of the request that returns a template and its context (or None to add nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Panel = Callable[[HttpRequest], tuple[str, dict[str, Any]] | None]

#: the registered sections, drawn in this order after the account's name and address
PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    """Add a section to the account page (once, however often an app's ``ready()`` runs)."""
    if panel not in PANELS:
        PANELS.append(panel)


def render(request: HttpRequest) -> list[SafeString]:
    """Each registered section's HTML for this request."""
    parts = (panel(request) for panel in PANELS)
    return [render_to_string(template, context, request) for template, context in (p for p in parts if p)]
