"""Who may do what: one set of rules for the pages, the API and the tests (docs/registry.md has the matrix).

view: everyone, except interest replies (their author, the request's owner, curators).
create: members (profiles, requests from an organisation they own, replies, events); curators (also programmes, news).
edit/delete: the owner (profile owner, request's organisation owner, reply author, event creator) or a curator.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from clusterobs.web.registry.models import InterestReply, Organisation, PartnershipRequest


def _perm(user: Any, action: str, model: type[models.Model] | models.Model) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(f"registry.{action}_{model._meta.model_name}")


def _owns(user: Any, obj: models.Model) -> bool:
    owner = getattr(obj, "owner", None)
    return user.is_authenticated and user.is_active and owner is not None and owner.pk == user.pk


def can_view(user: Any, obj: models.Model) -> bool:
    if isinstance(obj, InterestReply):
        return _owns(user, obj) or _owns(user, obj.request) or _perm(user, "view", obj)
    return True


def visible_replies(user: Any, qs: QuerySet[InterestReply] | None = None) -> QuerySet[InterestReply]:
    """The interest replies ``user`` may view (``can_view``), as a query: their own, those to requests of
    organisations they own, all for curators."""
    qs = InterestReply.objects.all() if qs is None else qs
    if _perm(user, "view", InterestReply):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(author=user) | Q(request__organisation__owner=user))


def can_create(user: Any, model: type[models.Model]) -> bool:
    return _perm(user, "add", model)


def can_change(user: Any, obj: models.Model) -> bool:
    return _owns(user, obj) or _perm(user, "change", obj)


def can_delete(user: Any, obj: models.Model) -> bool:
    return _owns(user, obj) or _perm(user, "delete", obj)


def can_reply(user: Any, request: PartnershipRequest) -> bool:
    """Members reply to open requests of organisations they do not own."""
    return can_create(user, InterestReply) and request.is_open and not _owns(user, request)


def own_organisations(user: Any):
    """The organisations a user may act for (curators: all)."""
    if _perm(user, "change", Organisation):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(owner=user)
