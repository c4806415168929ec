"""Field validators: NUTS codes checked against the published store, benchmark links of the self-assessment, event
time zones."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterobs.web import dataset as selectors

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


#: the zone a new event's times are read in (the Commission's, and most of the registry's users')
DEFAULT_TIMEZONE = "Europe/Brussels"
#: Europe's zones outside the Europe/ area of the tz database (Portugal's and Spain's islands)
ATLANTIC_ZONES = ("Atlantic/Azores", "Atlantic/Canary", "Atlantic/Madeira")


@cache
def event_timezones() -> tuple[str, ...]:
    """The IANA time zones an event may be given: Europe's, and UTC."""
    zones = available_timezones()
    return (*sorted(z for z in zones if z.startswith("Europe/")), *(z for z in ATLANTIC_ZONES if z in zones), "UTC")


def validate_timezone(value: str) -> None:
    if value not in event_timezones():
        raise ValidationError(_("“%(zone)s” is not a European time zone name (e.g. Europe/Brussels).")
                              % {"zone": value}, code="timezone")
