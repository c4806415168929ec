"""Fictitious example records (``clusterobs registry load-examples``): every one has ``is_example`` set, so every
page that shows it wears the "Fictitious example" badge. The registry itself starts empty."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.models import Event, Organisation, PartnershipRequest, Programme

ORGANISATIONS = [
    {"name": "Neckar Battery Cluster (example)", "acronym": "NBC", "region": "DE11",
     "categories": ["automotive", "emerging_mobility_technologies"], "keywords": "battery cells, e-mobility",
     "description": "A fictitious cluster of battery cell makers and drive-train suppliers around Stuttgart.",
     "website": "https://example.org/nbc", "members_sme": 24, "members_large": 4, "members_research": 3,
     "management_fte": 2.5, "label": "silver"},
    {"name": "Seine Health Alliance (example)", "acronym": "SHA", "region": "FR10",
     "categories": ["biopharmaceuticals", "medical_devices"], "keywords": "biotech, diagnostics",
     "description": "A fictitious health cluster: biotech start-ups, hospitals and diagnostics firms in Paris.",
     "website": "https://example.org/sha", "members_sme": 40, "members_public": 5, "management_fte": 4,
     "label": "gold"},
    {"name": "Lombardy Design Network (example)", "acronym": "LDN", "region": "ITC4",
     "categories": ["furniture", "apparel"], "keywords": "design, textiles, recycling",
     "description": "A fictitious network of furniture and textile designers looking at recycled materials.",
     "members_sme": 9, "management_fte": 0.3},
]


@transaction.atomic
def examples_load() -> int:
    """Create the example records unless they exist; returns how many organisations were created."""
    if Organisation.objects.filter(is_example=True).exists():
        return 0
    orgs = []
    for spec in ORGANISATIONS:
        spec = dict(spec)
        slugs = spec.pop("categories")
        org = Organisation.objects.create(is_example=True, **spec)
        org.categories.set(category_sync(slugs))
        orgs.append(org)
    req = PartnershipRequest.objects.create(
        organisation=orgs[0], is_example=True, title="Partners for battery recycling (example)",
        description="Fictitious request: we look for recycling and materials-research partners in another country.")
    req.categories.set(category_sync(["automotive"]))
    start = (timezone.now() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    Event.objects.create(title="Cross-border matchmaking day (example)", start=start, end=start + timedelta(hours=8),
                         place="Strasbourg", online=True, organiser="Neckar Battery Cluster (example)",
                         description="A fictitious event.", is_example=True)
    Programme.objects.create(name="Regional cluster programme (example)", country="DE", region="DE1",
                             managing_body="A fictitious regional ministry", start_year=2021, end_year=2027,
                             instruments="Grants for cluster management; cross-border projects.", is_example=True)
    return len(orgs)


@transaction.atomic
def examples_remove() -> int:
    """Delete every example record; returns how many organisations were deleted."""
    count = Organisation.objects.filter(is_example=True).count()
    Event.objects.filter(is_example=True).delete()
    Programme.objects.filter(is_example=True).delete()
    Organisation.objects.filter(is_example=True).delete()  # their requests and replies go with them
    return count
