"""Whole HTML pages kept per published dataset version, like the API's answers (``api_formats.cached``).

A view opts in with ``@cached_page`` (explicitly, one view at a time: the public pages of the statistical modules;
never the registry's, the accounts', the self-assessments' or the admin's). A GET or HEAD of such a view is answered
from ``PAGES`` under (data directory, dataset version, scheme, host, path, query parameters sorted by name,
language); a new version simply misses, as the key carries it.

What a kept page may not hold, and how that is enforced:

* **the visitor's CSRF token** (the language switcher in every page's header is a POST form): while a page is
  rendered to be kept, the ``csrf_hole`` context processor gives ``{% csrf_token %}`` a placeholder instead of a
  token, so the kept body holds no one's token; each answer (kept or not) gets the placeholder replaced by the
  requester's own token (``get_token``, which also sets the requester's CSRF cookie as usual). Such a page is
  ``Cache-Control: private, no-cache`` (a browser keeps it for its user only and asks again, with ``If-None-Match``,
  each time); its weak ETag is the page's digest with the requester's CSRF secret (an HMAC under the site's key), so
  a browser whose CSRF cookie changed (a login rotates it) gets a fresh page, never a 304 for a stale token. A page
  without a form (``?embed=1``) is the same for everyone: ``public, max-age=300``, as the API's answers.
* **anything of the signed-in user or the session**: a page whose rendering read the session (``request.user``
  reads it, whether anyone is signed in or not), or the messages, or set a cookie, or called ``get_token`` by
  another way, or asked for ``private``/``no-store``, is answered but not kept. So what is kept depends on nothing
  of the requester, and may be given to anyone, signed in or not.

Only 200 answers of ``text/html`` are kept; errors, redirects and POSTs never. ``Vary: Accept-Language, Cookie``
(the language comes from the header or the ``django_language`` cookie; the token from the CSRF cookie).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.http import parse_etags

from clusterobs.web import api_formats, dataset
from clusterobs.web.cache import CachedPage, ResponseCache

View = Callable[..., HttpResponse]

#: the pages kept, at most 128 MB in all and 4 MB each, least recently used out (a region page is about 0.3 MB)
PAGES: ResponseCache[CachedPage] = ResponseCache(max_bytes=128 * 2**20, max_entry_bytes=4 * 2**20)
#: what ``{% csrf_token %}`` writes in a page rendered to be kept, replaced by the requester's token on the way out
HOLE = "clusterobs-page-cache-csrf-token"
_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
HOLE_INPUT = format_html(_INPUT, HOLE).encode()
#: a page with the requester's token may be kept by the browser for that user only, revalidated each time
PRIVATE_CACHE_CONTROL = "private, no-cache"
PUBLIC_CACHE_CONTROL = api_formats.CACHE_CONTROL
VARY = ("Accept-Language", "Cookie")
#: headers a kept page carries besides its body and content type (the view's own; the middleware adds theirs)
KEPT_HEADERS = ("Content-Language", "Vary")
_RENDERING = "_clusterobs_page_to_keep"


def csrf_hole(request: HttpRequest) -> dict[str, Any]:
    """Context processor (after Django's csrf one): a placeholder token while a page is rendered to be kept."""
    return {"csrf_token": HOLE} if getattr(request, _RENDERING, False) else {}


def page_key(published: dataset.Published, request: HttpRequest) -> tuple[str, ...]:
    """(data directory, version, scheme, host, path, sorted query, language): what a kept page depends on."""
    assert published.version is not None
    return ("page", str(published.home), request.scheme or "", *api_formats.response_key(published.version, request))


def _digest(version: str, language: str, body: bytes) -> str:
    return hashlib.sha256(f"{version}\n{language}\n".encode() + body).hexdigest()


def etag(hit: CachedPage, request: HttpRequest) -> str:
    """A weak ETag: the page's digest, with the requester's CSRF secret when the page carries a token."""
    secret = request.META.get("CSRF_COOKIE", "") if hit.has_token else ""
    return 'W/"' + salted_hmac("clusterobs.web.pagecache", f"{hit.digest}\n{secret}",
                               algorithm="sha256").hexdigest()[:32] + '"'


def _not_modified(request: HttpRequest, tag: str) -> bool:
    sent = request.headers.get("If-None-Match")
    if not sent:
        return False
    tags = {t.removeprefix("W/") for t in parse_etags(sent)}  # weak comparison (RFC 9110, If-None-Match)
    return "*" in tags or tag.removeprefix("W/") in tags


def fill(body: bytes, request: HttpRequest) -> bytes:
    """The body with the placeholder of ``{% csrf_token %}`` replaced by the requester's own token."""
    if HOLE_INPUT not in body:
        return body
    return body.replace(HOLE_INPUT, format_html(_INPUT, get_token(request)).encode())


def _reads_the_requester(request: HttpRequest, csrf_before: Any) -> bool:
    """Did the rendering read the session (the user), the messages, or take a CSRF token by another way?"""
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return True
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or messages.added_new or hasattr(messages, "_loaded_data")):
        return True
    return request.META.get("CSRF_COOKIE_NEEDS_UPDATE") != csrf_before


def keepable(request: HttpRequest, response: HttpResponse, csrf_before: Any) -> bool:
    """A 200 HTML page that reads nothing of the requester, sets no cookie and holds no token but the placeholder."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    if _reads_the_requester(request, csrf_before):
        return False
    body = response.content
    return body.count(b'name="csrfmiddlewaretoken"') == body.count(HOLE_INPUT)


def _answer(hit: CachedPage, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(fill(hit.body, request), content_type=hit.content_type)
    for name, value in hit.headers:
        response[name] = value
    return response


def cached_page(view: View) -> View:
    """Keep the view's public page per (version, scheme, host, path, sorted query, language), with a weak ETag,
    ``If-None-Match`` → 304, ``Vary: Accept-Language, Cookie`` and ``Cache-Control`` (see the module's text).
    Only for views whose page depends on nothing but the published version and the request's address and
    language; whatever reads the user or the session is answered but never kept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        published = dataset.published()
        if published.version is None:
            return view(request, *args, **kwargs)
        key = page_key(published, request)
        hit = PAGES.get(key)
        if hit is None:
            csrf_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            setattr(request, _RENDERING, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING, False)
            if not keepable(request, response, csrf_before):
                if not response.streaming:
                    response.content = fill(response.content, request)
                return response
            body = response.content
            hit = CachedPage(body, response["Content-Type"],
                             tuple((h, response[h]) for h in KEPT_HEADERS if response.has_header(h)),
                             digest=_digest(published.version, key[-1], body), has_token=HOLE_INPUT in body)
            PAGES.put(key, hit)
        # a full answer fills in the token first: a CSRF secret made for it is in the tag set below
        response = HttpResponseNotModified() if _not_modified(request, etag(hit, request)) else _answer(hit, request)
        response["ETag"] = etag(hit, request)
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL if hit.has_token else PUBLIC_CACHE_CONTROL
        patch_vary_headers(response, VARY)
        return response

    wrapper.page_cached = True  # type: ignore[attr-defined]  # tests list the views that opted in
    return wrapper
