"""Fictitious example records (``clusterobs registry load-examples``): organisations, a partnership request, an event,
cluster programmes and news items. Every one has ``is_example`` set, so every page that shows it wears the
"Fictitious example" badge, and its name or title ends with "(example)" (so it says so in feeds and exports too);
``remove-examples`` deletes them all. The registry itself starts empty."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.models import Event, NewsItem, NewsKind, Organisation, PartnershipRequest, Programme

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

PROGRAMMES = [
    {"name": "Regional cluster programme (example)", "country": "DE", "region": "DE1",
     "managing_body": "A fictitious regional ministry", "start_year": 2021, "end_year": 2027,
     "instruments": "Grants for cluster management; cross-border projects.", "categories": ["automotive"]},
    {"name": "National cluster excellence programme (example)", "country": "FR", "region": "",
     "managing_body": "A fictitious national agency", "start_year": 2019, "end_year": 2026, "budget_eur": 12_000_000,
     "instruments": "Cluster management grants; a national cluster label; internationalisation missions.",
     "categories": ["biopharmaceuticals", "medical_devices"],
     "description": "A fictitious national programme, shown to illustrate how programmes are listed."},
    {"name": "Smart-specialisation cluster call (example)", "country": "IT", "region": "ITC4",
     "managing_body": "A fictitious regional development agency", "start_year": 2022, "end_year": 2027,
     "budget_eur": 3_500_000, "instruments": "Calls for joint innovation projects of cluster members.",
     "categories": ["furniture", "apparel"]},
]
#: news items and a publication, dated this many days before the load
NEWS = [
    {"kind": NewsKind.NEWS, "title": "Cluster registry opens its partner search (example)", "days_ago": 3,
     "summary": "A fictitious news item: cluster organisations can now be found by region, sector and keyword.",
     "body": "This item is an example loaded with `clusterobs registry load-examples`; remove it with "
             "`clusterobs registry remove-examples`."},
    {"kind": NewsKind.NEWS, "title": "Cross-border matchmaking day announced (example)", "days_ago": 10,
     "summary": "A fictitious announcement of the example matchmaking day in Strasbourg."},
    {"kind": NewsKind.PUBLICATION, "title": "A guide to cluster collaboration (example)", "days_ago": 40,
     "authors": "Fictitious authors", "summary": "A fictitious publication, shown to illustrate how reports are "
                                                 "listed with their authors and a link."},
]


@transaction.atomic
def examples_load() -> dict[str, int]:
    """Create the example records of each kind that has none yet (an install that loaded the organisations before
    programmes and news had examples gets those); returns how many of each kind were created."""
    created = {"organisations": 0, "requests": 0, "events": 0, "programmes": 0, "news": 0}
    if not Organisation.objects.filter(is_example=True).exists():
        orgs = []
        for spec in ORGANISATIONS:
            spec = dict(spec)
            slugs = spec.pop("categories")
            org = Organisation.objects.create(is_example=True, **spec)
            org.categories.set(category_sync(slugs))
            orgs.append(org)
        req = PartnershipRequest.objects.create(
            organisation=orgs[0], is_example=True, title="Partners for battery recycling (example)",
            description="Fictitious request: we look for recycling and materials-research partners in another "
                        "country.")
        req.categories.set(category_sync(["automotive"]))
        created.update(organisations=len(orgs), requests=1)
    if not Event.objects.filter(is_example=True).exists():
        zone = ZoneInfo("Europe/Paris")  # 9:00 to 17:00 in Strasbourg
        start = datetime.combine(timezone.localdate() + timedelta(days=30), time(9), tzinfo=zone)
        Event.objects.create(title="Cross-border matchmaking day (example)", start=start,
                             end=start + timedelta(hours=8), timezone=zone.key, place="Strasbourg", online=True,
                             organiser="Neckar Battery Cluster (example)", description="A fictitious event.",
                             is_example=True)
        created["events"] = 1
    if not Programme.objects.filter(is_example=True).exists():
        for spec in PROGRAMMES:
            spec = dict(spec)
            slugs = spec.pop("categories")
            Programme.objects.create(is_example=True, **spec).categories.set(category_sync(slugs))
        created["programmes"] = len(PROGRAMMES)
    if not NewsItem.objects.filter(is_example=True).exists():
        today = timezone.localdate()
        for spec in NEWS:
            spec = dict(spec)
            NewsItem.objects.create(is_example=True, published=today - timedelta(days=spec.pop("days_ago")), **spec)
        created["news"] = len(NEWS)
    return created


@transaction.atomic
def examples_remove() -> int:
    """Delete every example record (organisations with their requests, events, programmes, news); returns how many
    organisations were deleted."""
    count = Organisation.objects.filter(is_example=True).count()
    Event.objects.filter(is_example=True).delete()
    Programme.objects.filter(is_example=True).delete()
    NewsItem.objects.filter(is_example=True).delete()
    Organisation.objects.filter(is_example=True).delete()  # their requests and replies go with them
    return count
