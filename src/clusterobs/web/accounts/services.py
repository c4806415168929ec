"""Writes of the accounts (HackSoft "services"): sign-up and confirmation with their e-mails, API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from clusterobs.web.accounts.models import ApiToken
from clusterobs.web.accounts.signals import user_confirmed

User = get_user_model()


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
    return request.build_absolute_uri(reverse("accounts:confirm", args=[uid, default_token_generator.make_token(user)]))


def signup_attempt_notify(*, user: Any, request: HttpRequest) -> int:
    """Tell the owner of an account that someone tried to sign up with its address: how to log in (or, for an
    account not confirmed yet, its confirmation link again), and that nothing changed."""
    if user.is_active:
        how = _("If it was you, log in: %(login)s\nForgot your password? Reset it: %(reset)s") % {
            "login": request.build_absolute_uri(reverse("accounts:login")),
            "reset": request.build_absolute_uri(reverse("accounts:password_reset"))}
    else:
        how = _("Your account is not confirmed yet. If it was you, confirm it by opening this link:\n%(link)s") % {
            "link": _confirm_link(user, request)}
    return send_mail(_("Sign-up with your clusterobs address"),
                     _("Hello %(name)s,\n\nsomeone tried to sign up for clusterobs with this e-mail address, which "
                       "already has an account: %(name)s.\n\n%(how)s\n\nIf it was not you, ignore this message: "
                       "nothing was changed.") % {"name": user.username, "how": how},
                     settings.DEFAULT_FROM_EMAIL, [user.email])


def user_confirm(*, uidb64: str, token: str) -> Any | None:
    """Activate the account of a valid confirmation link and send ``signals.user_confirmed`` (the registry makes
    the account a member); None for a bad or used link."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    user_confirmed.send(sender=User, user=user)
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
