"""Roles: visitor (anonymous, reads), member (owns profiles, posts requests, replies, events), curator (moderates
everything, programmes, news, CSV import/export, the admin), admin (superuser). Members and curators are groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

MEMBER, CURATOR = "member", "curator"
ROLES = ("visitor", MEMBER, CURATOR, "admin")
MEMBER_PERMS = ("add_organisation", "add_partnershiprequest", "add_interestreply", "add_event")
CURATED_MODELS = ("organisation", "partnershiprequest", "interestreply", "event", "programme", "newsitem",
                  "category")


def roles_ensure() -> None:
    """Create (or complete) the member and curator groups with their permissions."""
    member, _ = Group.objects.get_or_create(name=MEMBER)
    member.permissions.add(*Permission.objects.filter(content_type__app_label="registry", codename__in=MEMBER_PERMS))
    curator, _ = Group.objects.get_or_create(name=CURATOR)
    codenames = [f"{action}_{model}" for model in CURATED_MODELS for action in ("view", "add", "change", "delete")]
    curator.permissions.add(*Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))


def roles_ensure_after_migrate(sender: Any, **kwargs: Any) -> None:
    from django.contrib.auth.management import create_permissions

    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    roles_ensure()


def role_of(user: Any) -> str:
    if not user.is_authenticated:
        return "visitor"
    if user.is_superuser:
        return "admin"
    names = {g.name for g in user.groups.all()}
    return CURATOR if CURATOR in names else MEMBER if MEMBER in names else "visitor"


def role_set(user: Any, role: str) -> None:
    """Give a user one role; curators get the admin site (is_staff)."""
    if role not in ROLES:
        raise ValueError(f"`role` must be one of {', '.join(ROLES)}; got {role!r}.")
    roles_ensure()
    user.groups.remove(*Group.objects.filter(name__in=(MEMBER, CURATOR)))
    if role in (MEMBER, CURATOR, "admin"):
        user.groups.add(Group.objects.get(name=MEMBER))
    if role == CURATOR:
        user.groups.add(Group.objects.get(name=CURATOR))
    user.is_staff = role in (CURATOR, "admin")
    user.is_superuser = role == "admin"
    user.save()
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
