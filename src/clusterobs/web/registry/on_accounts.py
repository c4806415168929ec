"""What the registry adds to the accounts app (which imports no feature app): a confirmed sign-up becomes a member,
and the account page shows the account's role and organisations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from clusterobs.web.registry import roles


def member_when_confirmed(sender: Any, user: Any, **kwargs: Any) -> None:
    """``accounts.signals.user_confirmed``: the new account is a member (it may create a profile)."""
    roles.role_set(user, roles.MEMBER)


def account_panel(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    """The account page's registry section (``accounts.panels``): the role and the organisations owned."""
    return "registry/account_panel.html", {"role": roles.role_of(request.user),
                                           "organisations": request.user.organisations.all()}


def connect() -> None:
    from clusterobs.web.accounts import panels
    from clusterobs.web.accounts.signals import user_confirmed

    user_confirmed.connect(member_when_confirmed, dispatch_uid="registry.member_when_confirmed")
    panels.register(account_panel)
