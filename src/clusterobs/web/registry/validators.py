"""Field validators: NUTS codes checked against the published store, benchmark links of the self-assessment."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterobs.web import selectors

BENCHMARK_PATH = re.compile(r"^(https?://[^/\s]+)?/self-assessment/shared/[A-Za-z0-9_-]+/$")


def known_regions() -> dict[str, str]:
    """NUTS 2021 code → name, from the published store (empty when none is published)."""
    try:
        regions = selectors.data().regions
    except selectors.NotFound:
        return {}
    return dict(zip(regions["code"], regions["name"], strict=True))


def validate_region(value: str) -> None:
    code = (value or "").strip().upper()
    if not code:
        return
    regions = known_regions()
    if not regions:
        raise ValidationError(_("No dataset is published, so the region cannot be checked: run `clusterobs ingest`."))
    if code not in regions:
        raise ValidationError(_("“%(code)s” is not a NUTS 2021 region code (e.g. DE11, FR1, ES).") % {"code": code},
                              code="region")


def validate_benchmark_url(value: str) -> None:
    if value and not BENCHMARK_PATH.match(value):
        raise ValidationError(_("A benchmark link looks like /self-assessment/shared/<token>/ (optionally with the "
                                "site's address before it)."), code="benchmark")
