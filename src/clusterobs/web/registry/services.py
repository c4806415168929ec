"""Writes of the registry (HackSoft "services"): saving the forms of the pages and the API, interest replies with their
notification, matchmaking for a profile or request. CSV import and export live in ``csvio``; sign-up and API tokens
are the accounts app's (``clusterobs.web.accounts.services``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.web import dataset as selectors
from clusterobs.web.registry import matchmaking
from clusterobs.web.registry.models import InterestReply, Organisation, PartnershipRequest

# ---- forms of the pages and the API ------------------------------------------------------------------------


def form_save(form: Any, **fields: Any) -> models.Model:
    """Save a valid form with ``fields`` set on the object (owner, author, request…), then its many-to-many fields
    and cluster categories."""
    obj = form.save(commit=False)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    form.save_m2m()
    if hasattr(form, "save_categories"):
        form.save_categories(obj)
    return obj


@transaction.atomic
def reply_create(*, form: Any, partnership_request: PartnershipRequest, author: Any,
                 request: HttpRequest | None = None) -> InterestReply:
    """Save a valid reply form as ``author``'s interest in the request and e-mail the request's owner."""
    reply = form_save(form, request=partnership_request, author=author)
    reply_notify(reply=reply, request=request)
    return reply


# ---- notifications ------------------------------------------------------------------------------------------


def reply_notify(*, reply: InterestReply, request: HttpRequest | None = None) -> int:
    """E-mail the request's owner (and the organisation's contact) about a new interest reply."""
    req = reply.request
    recipients = {e for e in (getattr(req.organisation.owner, "email", ""), req.organisation.contact_email) if e}
    if not recipients:
        return 0
    path = reverse("registry:reply", args=[reply.pk])
    link = request.build_absolute_uri(path) if request is not None else path
    who = reply.organisation.name if reply.organisation else getattr(reply.author, "username", "?")
    return send_mail(_("Interest in your request “%(title)s”") % {"title": req.title},
                     _("%(who)s expressed interest in your partnership request “%(title)s”:\n\n%(message)s\n\n"
                       "Read and answer: %(link)s") % {"who": who, "title": req.title, "message": reply.message,
                                                       "link": link},
                     settings.DEFAULT_FROM_EMAIL, sorted(recipients))


# ---- matchmaking --------------------------------------------------------------------------------------------


def related_categories() -> tuple[set[frozenset[str]] | None, str | None]:
    try:
        obs = selectors.data()
    except selectors.NotFound:
        return None, None
    key = "_registry_related"
    if key not in obs.__dict__:
        obs.__dict__[key] = matchmaking.related_pairs(obs)
    return obs.__dict__[key]


def _party(key: int, region: str, categories: set[str], *texts: str) -> matchmaking.Party:
    return matchmaking.Party(key=key, region=region, categories=frozenset(categories), text=" ".join(texts))


def _profile_party(o: Organisation) -> matchmaking.Party:
    return _party(o.pk, o.region, {c.slug for c in o.categories.all()}, o.description, o.keywords)


def matches_for(source: Organisation | PartnershipRequest, *, limit: int = 10) -> dict[str, Any]:
    """Recommended partners for a profile or request: the matches (with their profile and reasons) and the source
    of relatedness (None when the dataset has none)."""
    if isinstance(source, PartnershipRequest):
        exclude = source.organisation_id
        party = _party(-1, source.organisation.region, {c.slug for c in source.categories.all()},
                       source.title, source.description)
    else:
        exclude = source.pk
        party = _profile_party(source)
    profiles = {o.pk: o for o in Organisation.objects.exclude(pk=exclude).prefetch_related("categories")}
    related, related_from = related_categories()
    ranked = matchmaking.score(party, [_profile_party(o) for o in profiles.values()], related)
    names = {c.slug: c.name for o in profiles.values() for c in o.categories.all()}
    if isinstance(source, Organisation):
        names.update({c.slug: c.name for c in source.categories.all()})
    else:
        names.update({c.slug: c.name for c in source.categories.all()})
    rows = []
    for m in ranked[:limit]:
        rows.append({"profile": profiles[m.key], "score": m.score, "parts": m.parts,
                     "shared": [names.get(s, s) for s in m.shared],
                     "complementary": [(names.get(c, c), names.get(s, s)) for c, s in m.complementary]})
    return {"matches": rows, "related_from": related_from, "weights": matchmaking.WEIGHTS}
