"""The public pages' cache (``pagecache.cached_page``): a repeated page comes from memory with the same bytes but for
the requester's own CSRF token; one entry per language; weak ETag, 304, Vary and Cache-Control; a new published
version misses; nothing of a signed-in user, the session or the messages is ever kept or given to someone else;
the registry's, accounts', self-assessments' and admin's pages never join; POSTs and answers setting a cookie are not
kept."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template import RequestContext, Template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path

from clusterobs.web import pagecache
from clusterobs.web.mapping import selectors

pytestmark = pytest.mark.django_db

PAGE = "/regions/DE11/"
TOKEN = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">')


def token_of(body: bytes) -> str:
    """The one CSRF token of a page (the language switcher's); the test fails if there is none or several."""
    found = set(TOKEN.findall(body))
    assert len(found) == 1, found
    return found.pop().decode()


def secret_of(client: Client) -> str:
    """The CSRF secret of the client's cookie (the token in its pages must unmask to it)."""
    return client.cookies["csrftoken"].value


def without_token(body: bytes) -> bytes:
    return TOKEN.sub(b"TOKEN", body)


def kept_paths() -> list[tuple[str, str]]:
    """(path, language) of every kept page."""
    return sorted((key[5], key[7]) for key in pagecache.PAGES._data)


def forbid(monkeypatch, *names: str) -> None:
    """Make the region page's selectors fail: an answer after this came from the cache."""
    for name in names:
        monkeypatch.setattr(selectors, name, lambda *a, **k: pytest.fail("the page was rendered again"))


# ---- hits ------------------------------------------------------------------------------------------------------


def test_a_repeated_page_is_the_same_bytes_from_memory_with_the_requesters_token(client, monkeypatch):
    first = client.get(PAGE)
    assert first.status_code == 200 and kept_paths() == [(PAGE, "en")]
    forbid(monkeypatch, "measures", "region_get", "region_context")
    again = client.get(PAGE)
    other = Client()
    theirs = other.get(PAGE)
    assert again.status_code == theirs.status_code == 200
    # the same page for both, but for the token: each one's token unmasks to its own cookie's secret
    assert without_token(again.content) == without_token(first.content) == without_token(theirs.content)
    assert _unmask_cipher_token(token_of(again.content)) == secret_of(client)
    assert _unmask_cipher_token(token_of(theirs.content)) == secret_of(other) != secret_of(client)
    assert pagecache.HOLE.encode() not in again.content
    # what is kept holds no one's token: the placeholder only
    (hit,) = pagecache.PAGES._data.values()
    assert TOKEN.search(hit.body) is None and hit.body.count(pagecache.HOLE_INPUT) == 1 and hit.has_token


def test_an_embedded_page_is_byte_for_byte_the_same_and_public(client, monkeypatch):
    url = PAGE + "?embed=1"
    first = client.get(url)
    forbid(monkeypatch, "measures", "region_get")
    again = Client().get(url)
    assert first.content == again.content and b"csrfmiddlewaretoken" not in again.content
    assert again["Cache-Control"] == "public, max-age=300" and again["ETag"] == first["ETag"]
    assert "csrftoken" not in again.cookies  # no form: no CSRF cookie, as before the cache
    # no token in the tag either: any client revalidates it
    assert Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_query_order_does_not_matter_but_each_query_is_its_own_page(client, monkeypatch):
    a = client.get(PAGE + "?scheme=eco2007&year=2015")
    b = client.get(PAGE + "?year=2015&scheme=eco2007")  # the same page, from the cache
    assert len(pagecache.PAGES) == 1 and without_token(a.content) == without_token(b.content)
    client.get(PAGE + "?year=2015&scheme=eco2007&embed=1")
    assert len(pagecache.PAGES) == 2


def test_errors_and_redirects_are_not_kept(client):
    assert client.get("/regions/XX99/").status_code == 404
    assert client.get("/regions/de11/").status_code == 302
    assert client.get(PAGE + "?year=1900").status_code == 400
    assert len(pagecache.PAGES) == 0
    # their pages still carry a working token
    page = client.get("/regions/XX99/")
    assert _unmask_cipher_token(token_of(page.content)) == secret_of(client)


# ---- languages ---------------------------------------------------------------------------------------------------


def test_each_language_is_its_own_page(client, monkeypatch):
    en = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    fr = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr")
    assert b'<html lang="en">' in en.content and b'<html lang="fr">' in fr.content
    assert "Accept-Language" in fr["Vary"] and "Cookie" in fr["Vary"] and fr["Content-Language"] == "fr"
    assert kept_paths() == [(PAGE, "en"), (PAGE, "fr")]
    forbid(monkeypatch, "measures", "region_get")
    # the language cookie (the switcher's) finds the French page too, and the English one is still English
    chooser = Client()
    chooser.cookies["django_language"] = "fr"
    fr_again = chooser.get(PAGE)
    assert without_token(fr_again.content) == without_token(fr.content)
    assert without_token(Client().get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content) == without_token(en.content)
    assert en["ETag"] != fr["ETag"]


def test_the_token_of_a_kept_page_switches_the_language(client):
    strict = Client(enforce_csrf_checks=True)
    strict.get(PAGE)
    page = strict.get(PAGE)  # from the cache
    assert len(pagecache.PAGES) == 1
    switched = strict.post("/i18n/setlang/", {"language": "fr", "next": PAGE,
                                              "csrfmiddlewaretoken": token_of(page.content)})
    assert switched.status_code == 302 and switched["Location"] == PAGE
    assert b'<html lang="fr">' in strict.get(PAGE).content
    # another visitor's token is refused
    foreign = token_of(Client().get(PAGE).content)
    assert strict.post("/i18n/setlang/", {"language": "en", "next": PAGE,
                                          "csrfmiddlewaretoken": foreign}).status_code == 403


# ---- HTTP: ETag, 304, Cache-Control --------------------------------------------------------------------------------


def test_etag_revalidates_for_the_same_visitor_only(client):
    first = client.get(PAGE)
    tag = first["ETag"]
    assert tag.startswith('W/"') and first["Cache-Control"] == "private, no-cache"
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    assert again["Cache-Control"] == "private, no-cache" and "Cookie" in again["Vary"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=f'"other", {tag}').status_code == 304
    # another visitor (another CSRF secret) or a changed cookie (a login rotates it): the whole page, a new tag
    other = Client().get(PAGE, HTTP_IF_NONE_MATCH=tag)
    assert other.status_code == 200 and other["ETag"] != tag
    client.cookies["csrftoken"] = "x" * 32
    rotated = client.get(PAGE, HTTP_IF_NONE_MATCH=tag)
    assert rotated.status_code == 200 and _unmask_cipher_token(token_of(rotated.content)) == "x" * 32
    # another language: another page, another tag
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_a_miss_answers_304_too(client):
    tag = client.get(PAGE)["ETag"]
    pagecache.PAGES.clear()  # another worker, or the entry aged out: rendered again, same page, same tag
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=tag).status_code == 304


# ---- publishing ------------------------------------------------------------------------------------------------


def test_a_newly_published_version_gets_the_new_page(client, two_versions):
    store, (first, second) = two_versions
    before = client.get(PAGE)
    assert f"Dataset version {first} ·".encode() in before.content
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    store.publish(second)
    after = client.get(PAGE, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert f"Dataset version {second} ·".encode() in after.content
    assert f"Dataset version {first} ·".encode() not in after.content
    assert sorted(key[3] for key in pagecache.PAGES._data) == [first, second]


# ---- never kept: the user, the session, messages, cookies, POST ----------------------------------------------------


def _render(request: HttpRequest, text: str) -> HttpResponse:
    return HttpResponse(Template(text).render(RequestContext(request)))


@pagecache.cached_page
def whoami(request: HttpRequest) -> HttpResponse:
    """A page that shows the signed-in user (as the registry's header does) under the page cache."""
    return _render(request, "{% csrf_token %}<p>{{ user.get_username|default:'anonymous' }}</p>")


@pagecache.cached_page
def plain(request: HttpRequest) -> HttpResponse:
    return _render(request, "<form method='post'>{% csrf_token %}</form><p>same for all</p>")


@pagecache.cached_page
def with_messages(request: HttpRequest) -> HttpResponse:
    return _render(request, "{% for m in messages %}<p>{{ m }}</p>{% endfor %}")


@pagecache.cached_page
def sets_cookie(request: HttpRequest) -> HttpResponse:
    response = _render(request, "<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


@pagecache.cached_page
def adds_message(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Saved.")
    return _render(request, "<p>done</p>")


urlpatterns = [path("whoami/", whoami), path("plain/", plain), path("messages/", with_messages),
               path("cookie/", sets_cookie), path("adds-message/", adds_message)]


@pytest.mark.urls(__name__)
def test_a_page_that_reads_the_user_is_never_kept(django_user_model):
    alice, bob = Client(), Client()
    alice.force_login(django_user_model.objects.create_user("alice", password="pw-alice-123"))
    bob.force_login(django_user_model.objects.create_user("bob", password="pw-bob-1234"))
    anonymous = Client()
    for _ in range(2):
        assert b"<p>alice</p>" in alice.get("/whoami/").content
        assert b"<p>bob</p>" in bob.get("/whoami/").content
        assert b"<p>anonymous</p>" in anonymous.get("/whoami/").content
    assert len(pagecache.PAGES) == 0
    # and each one's page carries its own token, not the placeholder
    page = alice.get("/whoami/").content
    assert _unmask_cipher_token(token_of(page)) == secret_of(alice) and pagecache.HOLE.encode() not in page


@pytest.mark.urls(__name__)
def test_a_page_that_reads_nothing_of_the_user_is_kept_once_for_everyone(django_user_model):
    alice, anonymous = Client(), Client()
    alice.force_login(django_user_model.objects.create_user("alice", password="pw-alice-123"))
    mine = alice.get("/plain/")
    theirs = anonymous.get("/plain/")
    assert len(pagecache.PAGES) == 1 and without_token(mine.content) == without_token(theirs.content)
    # the signed-in user's token never reaches the anonymous visitor, nor the other way round
    assert _unmask_cipher_token(token_of(mine.content)) == secret_of(alice)
    assert _unmask_cipher_token(token_of(theirs.content)) == secret_of(anonymous) != secret_of(alice)
    assert b"alice" not in theirs.content


@pytest.mark.urls(__name__)
def test_messages_cookies_and_posts_are_not_kept(client):
    assert client.get("/messages/").status_code == 200
    assert client.get("/cookie/").cookies["seen"].value == "1"
    assert client.get("/adds-message/").status_code == 200
    assert len(pagecache.PAGES) == 0
    assert b"Saved." in client.get("/messages/").content  # the message was kept for the next page, and shown
    assert client.post("/plain/").status_code == 200
    assert len(pagecache.PAGES) == 0


def test_a_post_to_a_page_is_neither_kept_nor_served_from_the_cache(client):
    assert client.post(PAGE).status_code == 200
    assert len(pagecache.PAGES) == 0
    client.get(PAGE)
    assert len(pagecache.PAGES) == 1


# ---- who joins: the statistical modules' public pages, never the registry's, accounts', assessments', admin -------


def _views(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str, object]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            out += _views(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            view = p.callback
            out.append((prefix + str(p.pattern), getattr(view, "__module__", ""), view))
    return out


def test_only_the_statistical_modules_public_pages_are_kept():
    views = _views(get_resolver())
    cached = {route for route, _module, view in views if getattr(view, "page_cached", False)}
    for route, module, view in views:
        if any(part in module for part in (".registry", ".accounts", ".assessments", "django.contrib.admin")):
            assert not getattr(view, "page_cached", False), route
    assert cached == {
        "", "regions/", "regions/<str:code>/", "regions/<str:code>/portfolio/",
        "regions/<str:code>/clusters/<str:category>/", "sectors/<str:category>/", "map/", "compare/",
        "categories/", "search/", "methodology/", "sources/", "help/",
        "linkages/", "linkages/related/<str:category>/", "linkages/opportunities/<str:region>/", "emerging/",
        "emerging/<str:industry>/", "regions/<str:region>/opportunities/", "complexity/eci/",
        "scoreboard/", "scoreboard/<str:code>/", "reports/"}


def test_registry_and_account_pages_are_never_kept(django_user_model):
    owner, other = Client(), Client()
    owner.force_login(django_user_model.objects.create_user("owner", "owner@example.org", "pw-owner-123"))
    other.force_login(django_user_model.objects.create_user("other", "other@example.org", "pw-other-123"))
    for url, shown in (("/registry/", "Account ({})"), ("/accounts/", "{0} · {0}@example.org")):
        for _ in range(2):
            mine, theirs = owner.get(url), other.get(url)
            assert mine.status_code == theirs.status_code == 200
            assert shown.format("owner").encode() in mine.content
            assert shown.format("other").encode() in theirs.content
            assert b"owner" not in theirs.content and b"other@" not in mine.content
    assert len(pagecache.PAGES) == 0
