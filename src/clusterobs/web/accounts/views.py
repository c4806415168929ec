"""Account pages: sign-up with e-mail confirmation, login (throttled), logout, password change (its old password
throttled like a login) and reset (both revoke the account's API tokens), the account page with its API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from clusterobs.web.accounts import panels, services
from clusterobs.web.accounts.forms import SignupForm, ThrottledLoginForm, ThrottledPasswordChangeForm
from clusterobs.web.accounts.models import ApiToken


def signup(request: HttpRequest) -> HttpResponse:
    """The same "check your e-mail" page whether or not the address has an account (``services.user_signup``)."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_signup(form=form, request=request)
        return render(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.user_confirm(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/confirm_failed.html", status=400)
    messages.success(request, _("Your account is confirmed: log in to create your organisation's profile."))
    return redirect("accounts:login")


login = auth_views.LoginView.as_view(template_name="accounts/login.html",
                                     authentication_form=ThrottledLoginForm)
logout = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"))
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html")


class RevokeTokensOnSave:
    """A password form's view that, with the new password, revokes the account's API tokens (one transaction), and
    says so (after ``done``, when given)."""

    done: str | None = None

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = services.tokens_revoke(user=form.user)
        if self.done:
            messages.success(self.request, _(self.done))
        if revoked:
            messages.info(self.request, _("Your API tokens were revoked with the old password: create new ones on "
                                          "your account page."))
        return response


class PasswordResetConfirm(RevokeTokensOnSave, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChange(RevokeTokensOnSave, auth_views.PasswordChangeView):
    """The account page's password change (the old password, the new one twice); the session stays logged in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    done = gettext_noop("Your password is changed.")
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


password_reset_confirm = PasswordResetConfirm.as_view()
password_change = PasswordChange.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The account's name and address, the sections other apps add (``panels``), its API tokens, the password."""
    return render(request, "accounts/account.html", {
        "panels": panels.render(request), "tokens": ApiToken.objects.filter(user=request.user),
        "new_token": request.session.pop("new_token", None)})


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    request.session["new_token"] = services.token_create(user=request.user)
    return redirect("accounts:account")


@login_required
@require_POST
def token_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ApiToken.objects.filter(user=request.user, pk=pk).delete()
    return redirect("accounts:account")
