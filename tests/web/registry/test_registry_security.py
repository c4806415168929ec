"""Security: CSRF on every form, HTML escaped in every text field on every page, SQL metacharacters in search,
production mode with ``check --deploy`` clean."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterobs.web.registry.models import (
    Event,
    InterestReply,
    NewsItem,
    Organisation,
    PartnershipRequest,
    Programme,
)

PAYLOAD = '<script>alert("x")</script>'
REPO = Path(__file__).resolve().parents[3]


def _form_urls(objects) -> list[str]:
    o = objects
    return [reverse("accounts:signup"), reverse("accounts:login"), reverse("accounts:logout"),
            reverse("accounts:password_reset"), reverse("accounts:password_change"), reverse("accounts:token_new"),
            reverse("registry:profile_create"), reverse("registry:profile_edit", args=[o.profile.pk]),
            reverse("registry:profile_delete", args=[o.profile.pk]), reverse("registry:request_create"),
            reverse("registry:request_edit", args=[o.request.pk]),
            reverse("registry:request_delete", args=[o.request.pk]),
            reverse("registry:reply_create", args=[o.other_request.pk]),
            reverse("registry:reply_edit", args=[o.reply.pk]), reverse("registry:reply_delete", args=[o.reply.pk]),
            reverse("registry:event_create"), reverse("registry:event_edit", args=[o.event.pk]),
            reverse("registry:event_delete", args=[o.event.pk]), reverse("registry:programme_create"),
            reverse("registry:programme_edit", args=[o.programme.pk]),
            reverse("registry:programme_delete", args=[o.programme.pk]), reverse("registry:news_create"),
            reverse("registry:news_edit", args=[o.news.pk]), reverse("registry:news_delete", args=[o.news.pk]),
            reverse("registry:profiles_import")]


def test_csrf_enforced_on_every_form(people, objects, login):
    counts = {m: m.objects.count() for m in (Organisation, PartnershipRequest, InterestReply, Event, Programme,
                                              NewsItem)}
    for user in (people.curator, people.owner, None):
        client = login(user, enforce_csrf_checks=True)
        for url in _form_urls(objects):
            response = client.post(url, {"title": "x", "name": "x", "message": "x", "username": "owner",
                                         "password": "x", "email": "owner@example.org"})
            assert response.status_code == 403, (url, response.status_code)
            assert b"CSRF" in response.content, url
    assert counts == {m: m.objects.count() for m in counts}


def test_csrf_token_lets_the_form_through(people, objects, login):
    client = login(people.curator, enforce_csrf_checks=True)
    client.get(reverse("registry:programme_create"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("registry:programme_delete", args=[objects.programme.pk]),
                           {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and not Programme.objects.filter(pk=objects.programme.pk).exists()


def _fill(obj, fields: list[str]) -> None:
    for f in fields:
        setattr(obj, f, f"{f} {PAYLOAD}")
    obj.save()


def test_html_escaped_in_every_text_field_on_every_page(people, objects, login):
    o = objects
    _fill(o.profile, ["name", "acronym", "keywords", "description", "contact_name"])
    o.profile.website = f"https://example.org/?q={PAYLOAD}"
    o.profile.contact_email = "a@example.org"
    o.profile.save()
    _fill(o.requester_org, ["name", "acronym", "keywords", "description", "contact_name"])
    _fill(o.request, ["title", "description"])
    _fill(o.other_request, ["title", "description"])
    _fill(o.reply, ["message"])
    _fill(o.event, ["title", "place", "organiser", "description"])
    _fill(o.programme, ["name", "managing_body", "instruments", "description"])
    _fill(o.news, ["title", "summary", "body", "authors"])
    people.owner.username = f"u{PAYLOAD}"[:150]
    people.owner.save()
    month = timezone.localtime(o.event.start)
    pages = [reverse("registry:index"), reverse("registry:profiles"), reverse("registry:profiles") + "?q=name",
             reverse("registry:profile", args=[o.profile.pk]), reverse("registry:profile_matches", args=[o.profile.pk]),
             reverse("registry:profile_matches", args=[o.requester_org.pk]),
             reverse("registry:requests"), reverse("registry:request", args=[o.request.pk]),
             reverse("registry:request", args=[o.other_request.pk]),
             reverse("registry:request_matches", args=[o.other_request.pk]),
             reverse("registry:reply", args=[o.reply.pk]), reverse("registry:events"),
             reverse("registry:events_month", args=[month.year, month.month]),
             reverse("registry:event", args=[o.event.pk]), reverse("registry:programmes"),
             reverse("registry:programmes") + "?q=name", reverse("registry:programme", args=[o.programme.pk]),
             reverse("registry:news"), reverse("registry:news_item", args=[o.news.pk]),
             reverse("registry:region", args=["DE11"]), reverse("registry:region", args=["DE"]),
             reverse("registry:news_feed")]
    editing = [reverse("registry:profile_edit", args=[o.profile.pk]), reverse("registry:event_edit", args=[o.event.pk]),
               reverse("registry:request_edit", args=[o.request.pk]), reverse("registry:reply_edit", args=[o.reply.pk]),
               reverse("registry:programme_edit", args=[o.programme.pk]),
               reverse("registry:news_edit", args=[o.news.pk]), reverse("registry:request_create")]
    for user, urls in ((people.curator, pages + editing), (people.requester, pages), (None, pages[:10])):
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "<script>alert" not in body, url
            assert "&lt;script&gt;alert(" in body, url  # shown, escaped
    body = login(people.owner).get(reverse("accounts:account")).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body


class _Html(HTMLParser):
    """What a browser makes of HTML: the elements it would create, and the text it would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def _as_a_feed_reader_renders(construct: ET.Element) -> tuple[list[str], str]:
    """An Atom text construct (RFC 4287, 3.1) as a reader renders it: ``text`` is shown as it is; ``html`` is the
    text of an HTML fragment, parsed and displayed; ``xhtml`` is a ``div`` of XHTML elements."""
    kind = construct.get("type", "text")
    if kind == "text":
        return [], construct.text or ""
    if kind == "html":
        parser = _Html()
        parser.feed(construct.text or "")
        parser.close()
        return parser.elements, parser.text
    return [e.tag for e in construct.iter()][1:], "".join(construct.itertext())


def test_atom_feed_shows_a_curators_markup_as_text(objects, client):
    """A summary (or title) holding markup must reach a feed reader as text: no ``script`` or ``img`` element is
    created (an ``onerror`` would run), the characters are shown as typed."""
    summary = "Read <script>alert(1)</script> and <img src=x onerror=alert(1)> & more"
    objects.news.summary = summary
    objects.news.title = "Title <b onmouseover=alert(1)>bold</b>"
    objects.news.save()
    response = client.get(reverse("registry:news_feed"))
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(response.content).findall(f"{atom}entry")
    assert len(entries) == 1
    assert _as_a_feed_reader_renders(entries[0].find(f"{atom}summary")) == ([], summary)
    assert _as_a_feed_reader_renders(entries[0].find(f"{atom}title")) == ([], objects.news.title)


@pytest.mark.parametrize("text", ["' OR 1=1 --", "%", "_", '"', "\"'; DROP TABLE registry_organisation; --",
                                  "batter%", "zz_qq", "NEAR(", "*", "-battery", "^", "battery ((", "((", "nul\x00byte"])
def test_search_with_sql_metacharacters_returns_normal_results(objects, client, text):
    response = client.get(reverse("registry:profiles"), {"q": text})
    assert response.status_code == 200
    names = [o.name for o in response.context["page"].object_list]
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split()]
    if not words:  # punctuation only: no text filter, every profile
        assert names == sorted(Organisation.objects.values_list("name", flat=True))
    elif "battery" in text.lower() or text == "batter%":
        assert names == ["Stuttgart Mobility Cluster"]  # "battery" (prefix) in its description only
    else:
        assert names == []  # "or 1 1", "drop table …": no profile has these words
    assert Organisation.objects.count() == 2
    for url in (reverse("registry:programmes"), reverse("registry:requests"), reverse("registry:events"),
                "/api/registry/profiles"):
        assert client.get(url, {"q": text, "category": text}).status_code == 200


def _django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "django", *args], env=env, capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_production_mode_is_secure_and_check_deploy_is_clean(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clusterobs.web.settings", "CLUSTEROBS_PRODUCTION": "1",
           "CLUSTEROBS_SECRET_KEY": "k9$" + "x7Qp2" * 12, "CLUSTEROBS_HOME": str(tmp_path),
           "PYTHONPATH": str(REPO / "src"), "CLUSTEROBS_ALLOWED_HOSTS": "clusters.example.org"}
    env.pop("CLUSTEROBS_DEBUG", None)
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    code = ("from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])")
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=env,
                         capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.stdout.split() == ["False", "True", "True", "True", "31536000", "Argon2PasswordHasher"], out.stderr
    # without a real key, production refuses to start
    bad = {**env, "CLUSTEROBS_SECRET_KEY": "short"}
    result = _django(["check"], bad)
    assert result.returncode != 0 and "CLUSTEROBS_SECRET_KEY" in result.stderr


def test_development_mode_warns_in_check_deploy(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clusterobs.web.settings", "CLUSTEROBS_HOME": str(tmp_path),
           "PYTHONPATH": str(REPO / "src")}
    env.pop("CLUSTEROBS_PRODUCTION", None)
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0 and "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def test_production_headers(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("registry:index"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get(reverse("registry:index"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_event_dates_must_be_ordered(people, login):
    start = timezone.now() + timedelta(days=2)
    response = login(people.owner).post(reverse("registry:event_create"), {
        "title": "Backwards", "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "place": "Rome", "organiser": "x"})
    assert response.status_code == 400 and "end" in response.context["form"].errors
