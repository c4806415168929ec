"""Forms of the account pages: sign-up, and the login and password-change forms that go through the login
throttle (``throttle``), the admin's login among them."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from clusterobs.web.accounts import throttle

User = get_user_model()


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), help_text=_("We send a confirmation link to this address."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        """The address in lower case. Whether an account has it already is not checked here: the sign-up answers
        the same either way (``services.user_signup``), so the form cannot tell who is registered."""
        return self.cleaned_data["email"].strip().lower()


THROTTLED = _("Too many failed logins. Wait %(minutes)d minutes, or reset your password.")


def throttled(exc: throttle.LoginThrottled) -> forms.ValidationError:
    return forms.ValidationError(THROTTLED, code="throttled", params={"minutes": exc.minutes})


class ThrottledLoginMixin:
    """A login form saying so when ``throttle`` refused the attempt before checking the password (the backend,
    ``throttle.ThrottledModelBackend``, raises ``LoginThrottled`` out of ``authenticate``)."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except throttle.LoginThrottled as exc:
            raise throttled(exc) from None


class ThrottledLoginForm(ThrottledLoginMixin, AuthenticationForm):
    """The site's login form."""

    error_messages: ClassVar[dict[str, Any]] = {**AuthenticationForm.error_messages,
                      "inactive": _("This account is not confirmed yet: follow the link in the e-mail we sent.")}


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login form (``admin.site.login_form``)."""


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The account page's password change: checking the old password takes a throttle slot like a login."""

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        try:
            reservation = throttle.reserve(self.request, self.user.get_username())
        except throttle.LoginThrottled as exc:
            raise throttled(exc) from None
        old = super().clean_old_password()
        reservation.release()
        return old
