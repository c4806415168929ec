"""Registry fixtures: four people (another member, the owner, a requester, a curator) and one object of each type."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from clusterobs.web.registry import roles
from clusterobs.web.registry.categories import category_sync

PASSWORD = "correct horse battery staple 42"
TRADED = ["automotive", "aerospace_vehicles_and_defense", "biopharmaceuticals"]
EMERGING = "emerging_digital"


@pytest.fixture(autouse=True)
def _fast_hashing(settings, request):
    """Argon2 is deliberately slow: tests creating many users hash with MD5 (the argon2 tests keep it)."""
    if "argon2" not in request.node.name:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def make_user(django_user_model, name: str, role: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
    roles.role_set(user, role)
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def people(db, django_user_model):
    return SimpleNamespace(owner=make_user(django_user_model, "owner", "member"),
                           other=make_user(django_user_model, "other", "member"),
                           requester=make_user(django_user_model, "requester", "member"),
                           curator=make_user(django_user_model, "curator", "curator"))


@pytest.fixture
def objects(people):
    from clusterobs.web.registry.models import (
        Event,
        InterestReply,
        NewsItem,
        Organisation,
        PartnershipRequest,
        Programme,
    )

    auto, _aero, bio = category_sync(TRADED)
    org = Organisation.objects.create(owner=people.owner, name="Stuttgart Mobility Cluster", acronym="SMC",
                                      region="DE11", keywords="batteries, e-mobility",
                                      description="Battery cells and electric drive trains.",
                                      website="https://smc.example.org", members_sme=12, members_large=3,
                                      members_research=2, management_fte=1.5)
    org.categories.set([auto])
    req_org = Organisation.objects.create(owner=people.requester, name="Paris Health Cluster", region="FR10",
                                          description="Biotech and medical devices.")
    req_org.categories.set([bio])
    request = PartnershipRequest.objects.create(organisation=req_org, title="Partners for a biotech call",
                                                description="We look for biotech partners.")
    own_request = PartnershipRequest.objects.create(organisation=org, title="Battery recycling partners",
                                                    description="Recycling of battery cells.")
    reply = InterestReply.objects.create(request=request, author=people.owner, organisation=org,
                                         message="We are interested.")
    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(title="Matchmaking day", start=start, end=start + timedelta(hours=8),
                                 place="Stuttgart", organiser="SMC", created_by=people.owner)
    programme = Programme.objects.create(name="go-cluster", country="DE", managing_body="BMWK",
                                         created_by=people.curator)
    news = NewsItem.objects.create(title="Cluster panorama 2026", summary="The new panorama.",
                                   published=timezone.localdate(), created_by=people.curator)
    return SimpleNamespace(profile=org, requester_org=req_org, request=own_request, other_request=request,
                           reply=reply, event=event, programme=programme, news=news)


@pytest.fixture
def login():
    def make(user, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make
