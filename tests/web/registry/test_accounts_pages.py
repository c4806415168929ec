"""Accounts: sign-up with e-mail confirmation, argon2 hashing, login throttling, password reset, roles."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from clusterobs.web.registry import roles

PASSWORD = "correct horse battery staple 42"  # as in conftest.py

User = get_user_model()


def _signup(client, name="newbie", email="newbie@example.org"):
    return client.post(reverse("accounts:signup"), {"username": name, "email": email, "password1": PASSWORD,
                                                    "password2": PASSWORD})


def test_signup_confirm_login_with_argon2(db, client):
    response = _signup(client)
    assert response.status_code == 200 and "newbie@example.org" in response.content.decode()
    user = User.objects.get(username="newbie")
    assert not user.is_active and user.password.startswith("argon2$argon2id$")
    assert roles.role_of(user) == "visitor"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newbie@example.org"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert not client.login(username="newbie", password=PASSWORD)  # not confirmed yet
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active and roles.role_of(user) == "member"
    assert client.get(link).status_code == 400  # a used link does not work twice
    response = client.post(reverse("accounts:login"), {"username": "newbie", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")


def test_signup_refuses_a_weak_password(people, client):
    response = client.post(reverse("accounts:signup"), {"username": "weak", "email": "w@example.org",
                                                        "password1": "12345678", "password2": "12345678"})
    assert "too short" in response.content.decode() or "too common" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()
    assert mail.outbox == []


def _page(response) -> str:
    """A page without what differs between any two requests (the CSRF token of its forms)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_signup_does_not_tell_whether_an_email_is_registered(db, client):
    """Signing up with an address nobody has and with one that has an account gives the same page and status; the
    address's owner is told by e-mail, and no second account is made."""
    new = _signup(client, "first", "taken@example.org")  # nobody has it yet
    taken = _signup(client, "second", "Taken@Example.org")  # now "first" has it
    assert (taken.status_code, _page(taken)) == (new.status_code, _page(new))
    assert new.status_code == 200 and "Check your e-mail" in _page(new)
    assert list(User.objects.filter(email__iexact="taken@example.org").values_list("username", flat=True)) == [
        "first"]
    assert len(mail.outbox) == 2 and [m.to for m in mail.outbox] == [["taken@example.org"], ["taken@example.org"]]
    assert "someone tried to sign up" in mail.outbox[1].body.lower() and "first" in mail.outbox[1].body
    assert "/accounts/confirm/" in mail.outbox[1].body  # "first" is not confirmed yet: its link again
    # an active owner is sent to the login and password reset pages instead, and the page is the same again
    User.objects.filter(username="first").update(is_active=True)
    again = _signup(client, "third", "taken@example.org")
    assert (again.status_code, _page(again)) == (new.status_code, _page(new))
    assert "/accounts/confirm/" not in mail.outbox[2].body and "/accounts/password-reset/" in mail.outbox[2].body
    assert not User.objects.filter(username__in=["second", "third"]).exists()


def test_bad_confirmation_link(db, client):
    assert client.get(reverse("accounts:confirm", args=["MTIz", "bad-token"])).status_code == 400


def test_login_throttled_after_repeated_failures(people, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": "owner", "password": "wrong"})
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    # the right password is refused now from this address (the lock is on the account at this address)
    response = client.post(url, {"username": "owner", "password": PASSWORD})
    assert "Too many failed logins. Wait 15 minutes" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # the account from another address, and another user from this one, still log in
    response = client.post(url, {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302
    client.logout()
    response = client.post(url, {"username": "other", "password": PASSWORD})
    assert response.status_code == 302


def test_login_success_does_not_use_up_the_budget(people, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    url = reverse("accounts:login")
    for _ in range(2):
        client.post(url, {"username": "owner", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    for _ in range(4):
        assert client.post(url, {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1").status_code == 302
        client.logout()
    for _ in range(2):
        client.post(url, {"username": "owner", "password": "wrong"}, REMOTE_ADDR="10.0.0.3")
    assert client.post(url, {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.4").status_code == 302


def test_password_reset_by_email(people, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "owner@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a brand new passphrase 9", "new_password2":
                                      "a brand new passphrase 9"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_complete")
    assert client.login(username="owner", password="a brand new passphrase 9")


def test_roles(people):
    assert [roles.role_of(u) for u in (people.owner, people.curator)] == ["member", "curator"]
    assert people.curator.is_staff and not people.owner.is_staff
    admin = people.other
    roles.role_set(admin, "admin")
    assert roles.role_of(admin) == "admin" and admin.is_superuser


def test_logout_is_post_only(people, login):
    client = login(people.owner)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_account_page_makes_an_api_token_once(people, login):
    client = login(people.owner)
    client.post(reverse("accounts:token_new"))
    page = client.get(reverse("accounts:account")).content.decode()
    token = re.search(r"<code>([A-Za-z0-9_-]{40,})</code>", page).group(1)
    assert token not in client.get(reverse("accounts:account")).content.decode()
    from clusterobs.web.accounts.services import token_user

    assert token_user(token) == people.owner


def _token_call(client, token: str) -> int:
    """The status of a call that needs a valid token (the list of one's interest replies)."""
    return client.get("/api/registry/replies", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_password_reset_by_email_revokes_api_tokens(people, client):
    from clusterobs.web.accounts.services import token_create

    token, others = token_create(user=people.owner), token_create(user=people.other)
    assert _token_call(client, token) == 200
    client.post(reverse("accounts:password_reset"), {"email": "owner@example.org"})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a brand new passphrase 9",
                                      "new_password2": "a brand new passphrase 9"})
    assert response.status_code == 302
    assert _token_call(client, token) == 401
    assert _token_call(client, others) == 200  # another account's token is kept


def test_password_change_on_the_account_page_revokes_api_tokens(people, login):
    from clusterobs.web.accounts.services import token_create

    client = login(people.owner)
    token = token_create(user=people.owner)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password_change") in page
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "wrong", "new_password1": "a brand new passphrase 9",
        "new_password2": "a brand new passphrase 9"})
    assert response.status_code == 200 and _token_call(client, token) == 200  # refused: nothing changes
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "a brand new passphrase 9",
        "new_password2": "a brand new passphrase 9"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert _token_call(client, token) == 401
    page = client.get(reverse("accounts:account")).content.decode()  # still logged in, told why
    assert "API tokens were revoked" in page
    assert client.login(username="owner", password="a brand new passphrase 9")
