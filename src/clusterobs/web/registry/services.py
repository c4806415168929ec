"""Writes of the registry (HackSoft "services"): saving the forms of the pages and the API, interest replies with their
notification, sign-up and confirmation, matchmaking for a profile or request, API tokens. CSV import and export live
in ``csvio``."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from clusterobs.web import dataset as selectors
from clusterobs.web.registry import matchmaking, roles
from clusterobs.web.registry.models import ApiToken, InterestReply, Organisation, PartnershipRequest

User = get_user_model()


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


# ---- accounts -----------------------------------------------------------------------------------------------


@transaction.atomic
def user_signup(*, form: Any, request: HttpRequest) -> Any | None:
    """Create an inactive account and e-mail it a confirmation link; or, when an account has the address already,
    create nothing and tell that account's owner by e-mail (None). The caller shows the same page in both cases, so
    the sign-up does not reveal whether an address is registered; the password is hashed in both, so the time taken
    does not either."""
    email = form.cleaned_data["email"]
    existing = list(User.objects.filter(email__iexact=email).order_by("pk"))
    if existing:
        make_password(form.cleaned_data["password1"])  # as long as creating the account would take
        for user in existing:
            signup_attempt_notify(user=user, request=request)
        return None
    user = form.save(commit=False)
    user.is_active = False
    user.save()
    send_mail(_("Confirm your clusterobs account"),
              _("Hello %(name)s,\n\nconfirm your account by opening this link:\n%(link)s\n\nIf you did not sign up, "
                "ignore this message.") % {"name": user.username, "link": _confirm_link(user, request)},
              settings.DEFAULT_FROM_EMAIL, [user.email])
    return user


def _confirm_link(user: Any, request: HttpRequest) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return request.build_absolute_uri(reverse("registry:confirm", args=[uid, default_token_generator.make_token(user)]))


def signup_attempt_notify(*, user: Any, request: HttpRequest) -> int:
    """Tell the owner of an account that someone tried to sign up with its address: how to log in (or, for an
    account not confirmed yet, its confirmation link again), and that nothing changed."""
    if user.is_active:
        how = _("If it was you, log in: %(login)s\nForgot your password? Reset it: %(reset)s") % {
            "login": request.build_absolute_uri(reverse("registry:login")),
            "reset": request.build_absolute_uri(reverse("registry:password_reset"))}
    else:
        how = _("Your account is not confirmed yet. If it was you, confirm it by opening this link:\n%(link)s") % {
            "link": _confirm_link(user, request)}
    return send_mail(_("Sign-up with your clusterobs address"),
                     _("Hello %(name)s,\n\nsomeone tried to sign up for clusterobs with this e-mail address, which "
                       "already has an account: %(name)s.\n\n%(how)s\n\nIf it was not you, ignore this message: "
                       "nothing was changed.") % {"name": user.username, "how": how},
                     settings.DEFAULT_FROM_EMAIL, [user.email])


def user_confirm(*, uidb64: str, token: str) -> Any | None:
    """Activate the account of a valid confirmation link and make it a member; None for a bad or used link."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    roles.role_set(user, roles.MEMBER)
    return user


def token_create(*, user: Any) -> str:
    """A new API token for the user; only its hash is kept, so show it now."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.hash(token), prefix=token[:8])
    return token


def tokens_revoke(*, user: Any) -> int:
    """Delete every API token of the user (how many): done whenever the password changes or is reset, so that a
    token made by whoever knew the old password stops working with it."""
    return ApiToken.objects.filter(user=user).delete()[0]


def token_user(token: str) -> Any | None:
    row = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
    return row.user if row is not None and row.user.is_active else None


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
