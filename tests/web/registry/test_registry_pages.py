"""Registry pages: search ranking and filters, validation criteria, region page, events (month, iCal), news (Atom),
CSV import/export, notifications, the API."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from django.core import mail
from django.urls import reverse

from clusterobs.web.accounts.services import token_create
from clusterobs.web.registry import ical
from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.models import Event, Organisation, PartnershipRequest
from clusterobs.web.registry.search import ProfileFilters, profile_search


def _names(qs):
    return [o.name for o in qs]


def test_search_ranks_name_above_description(objects):
    Organisation.objects.create(name="Battery Valley", region="FR10", description="Energy storage.")
    Organisation.objects.create(name="Solar Alliance", region="ITC4", keywords="battery",
                                description="Photovoltaics.")
    results = _names(profile_search(ProfileFilters(q="battery")))
    # name (weight A) > keywords (B) > description (C, the Stuttgart profile)
    assert results == ["Battery Valley", "Solar Alliance", "Stuttgart Mobility Cluster"]
    assert _names(profile_search(ProfileFilters(q="batt drive"))) == ["Stuttgart Mobility Cluster"]
    assert _names(profile_search(ProfileFilters(q="Bättery"))) == []  # accents count, on both backends


def test_search_index_follows_edits_and_deletes(objects):
    org = objects.profile
    org.description = "Hydrogen fuel cells."
    org.save()
    assert _names(profile_search(ProfileFilters(q="hydrogen"))) == [org.name]
    assert _names(profile_search(ProfileFilters(q="battery"))) == []
    org.delete()
    assert _names(profile_search(ProfileFilters(q="hydrogen"))) == []


def test_search_filters(objects):
    category_sync(["emerging_digital"])
    objects.profile.categories.add("emerging_digital")
    assert _names(profile_search(ProfileFilters(country="FR"))) == ["Paris Health Cluster"]
    assert _names(profile_search(ProfileFilters(region="DE1"))) == ["Stuttgart Mobility Cluster"]
    assert _names(profile_search(ProfileFilters(category="biopharmaceuticals"))) == ["Paris Health Cluster"]
    assert _names(profile_search(ProfileFilters(emerging="emerging_digital"))) == ["Stuttgart Mobility Cluster"]
    assert _names(profile_search(ProfileFilters(keywords="mobility"))) == ["Stuttgart Mobility Cluster"]
    assert _names(profile_search(ProfileFilters(label="gold"))) == []
    assert _names(profile_search(ProfileFilters(validated=True))) == ["Stuttgart Mobility Cluster"]


def test_validation_criteria_and_region_link(objects, client):
    org = objects.profile  # 17 members of 3 types, 1.5 FTE, a website
    assert org.is_validated
    org.members_sme, org.members_large, org.members_research = 14, 0, 0
    org.save()
    checks = dict(org.validation_checks())
    assert list(checks.values()) == [False, False, True, True]
    page = client.get(reverse("registry:profile", args=[org.pk])).content.decode()
    assert reverse("region", args=["DE11"]) in page and "Stuttgart" in page
    assert "Does not meet every validation criterion" in page
    assert "/self-assessment/shared/" not in page
    org.benchmark_url = "/self-assessment/shared/abc123/"
    org.save()
    assert 'href="/self-assessment/shared/abc123/"' in client.get(org.get_absolute_url()).content.decode()


def test_profile_form_validates_region_benchmark_and_categories(people, login):
    client = login(people.owner)
    response = client.post(reverse("registry:profile_create"), {
        "name": "X", "region": "ZZ99", "category_slugs": ["not_a_category"], "benchmark_url": "javascript:alert(1)",
        "members_sme": "0", "members_large": "0", "members_research": "0", "members_public": "0",
        "management_fte": "0", "label": "none"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"region", "category_slugs", "benchmark_url"}
    assert "ZZ99" in errors["region"][0]


def test_region_page_lists_organisations_and_programmes(objects, client):
    from clusterobs.web.registry.models import Programme

    Programme.objects.create(name="Regional cluster policy BW", country="DE", region="DE1", managing_body="Land")
    Programme.objects.create(name="Pôles de compétitivité", country="FR", managing_body="DGE")
    response = client.get(reverse("registry:region", args=["de11"]))
    assert response.status_code == 200
    assert _names(response.context["organisations"]) == ["Stuttgart Mobility Cluster"]
    assert sorted(p.name for p in response.context["programmes"]) == ["Regional cluster policy BW", "go-cluster"]
    assert client.get(reverse("registry:region", args=["ZZ9"])).status_code == 404
    # the observatory's region page links here
    assert reverse("registry:region", args=["DE11"]) in client.get(reverse("region", args=["DE11"])).content.decode()


def test_month_view_and_ical(objects, client):
    e = objects.event
    e.start, e.end = datetime(2026, 3, 30, 9, tzinfo=UTC), datetime(2026, 4, 1, 17, tzinfo=UTC)
    e.description = "Line one; line two, with a comma\nand a new line. " + "é" * 60
    e.save()
    response = client.get(reverse("registry:events_month", args=[2026, 3]))
    days = [c["day"].day for w in response.context["weeks"] for c in w if e in c["events"] and c["in_month"]]
    assert days == [30, 31]
    assert client.get(reverse("registry:events_month", args=[2026, 13])).status_code == 400
    response = client.get(reverse("registry:event_ics", args=[e.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20260330T090000Z\r\n" in unfolded and "DTEND:20260401T170000Z\r\n" in unfolded
    assert "DESCRIPTION:Line one\\; line two\\, with a comma\\nand a new line. " + "é" * 60 in unfolded
    assert f"UID:event-{e.pk}@testserver" in unfolded
    feed = client.get(reverse("registry:events_ics")).content.decode()
    assert feed.count("BEGIN:VEVENT") == Event.objects.count() == 1


def test_ical_folding_never_splits_a_character():
    line = "SUMMARY:" + "ü" * 100
    folded = ical.fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_atom_feed(objects, client):
    response = client.get(reverse("registry:news_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.find("a:title", ns).text for e in root.findall("a:entry", ns)] == ["Cluster panorama 2026"]


def test_interest_reply_sends_an_email(people, objects, login):
    objects.requester_org.contact_email = "contact@paris.example.org"
    objects.requester_org.save()
    response = login(people.other).post(reverse("registry:reply_create", args=[objects.other_request.pk]),
                                        {"message": "Count us in."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["contact@paris.example.org", "requester@example.org"]
    assert "Count us in." in mail.outbox[0].body and "/registry/replies/" in mail.outbox[0].body


def test_csv_export_import_round_trip(people, objects, login):
    client = login(people.curator)
    exported = client.get(reverse("registry:profiles_export")).content.decode()
    assert exported.splitlines()[0].startswith("id,name,acronym,region,country,categories")
    assert "Stuttgart Mobility Cluster" in exported and ",automotive," in exported
    csv_text = ("name,region,categories,members_sme,website\n"
                "Nordic Wood,SE33,,20,https://wood.example.org\n"
                "Lisbon Sea,PT17,emerging_blue_growth,3,\n")
    response = client.post(reverse("registry:profiles_import"), {"file": _upload(csv_text)})
    assert response.status_code == 200 and response.context["result"].created == 2
    lisbon = Organisation.objects.get(name="Lisbon Sea")
    assert lisbon.owner is None and [c.slug for c in lisbon.categories.all()] == ["emerging_blue_growth"]
    # update by id keeps the other fields
    response = client.post(reverse("registry:profiles_import"),
                           {"file": _upload(f"id,acronym\n{objects.profile.pk},STG\n")})
    assert response.context["result"].errors == [], response.context["result"].errors
    objects.profile.refresh_from_db()
    assert objects.profile.acronym == "STG" and objects.profile.name == "Stuttgart Mobility Cluster"
    assert [c.slug for c in objects.profile.categories.all()] == ["automotive"]


def test_csv_import_failure_changes_nothing(people, objects, login):
    client = login(people.curator)
    before = list(Organisation.objects.order_by("pk").values())
    csv_text = ("name,region,categories,members_sme\n"
                "Good One,DE21,,5\n"
                "Bad Region,XX77,,5\n"
                ",FR10,,5\n"
                "Bad Cat,FR10,no_such_category,x\n")
    response = client.post(reverse("registry:profiles_import"), {"file": _upload(csv_text)})
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert any(e.startswith("line 3, region:") and "XX77" in e for e in errors)
    assert any(e.startswith("line 4, name:") for e in errors)
    assert any(e.startswith("line 5, categories:") for e in errors)
    assert any(e.startswith("line 5, members_sme:") for e in errors)
    assert not any(e.startswith("line 2") for e in errors)
    assert list(Organisation.objects.order_by("pk").values()) == before  # "Good One" was not imported either
    response = client.post(reverse("registry:profiles_import"), {"file": _upload("title\nx\n")})
    assert response.context["result"].errors == ["line 1: missing column(s) name, region"]


def test_csv_export_neutralises_formulas(people, objects, login):
    objects.profile.name = "=HYPERLINK(\"http://evil\")"
    objects.profile.save()
    exported = login(people.curator).get(reverse("registry:profiles_export")).content.decode()
    assert "'=HYPERLINK" in exported


def test_csv_pages_are_for_curators(people, objects, login):
    for user in (None, people.owner):
        response = login(user).get(reverse("registry:profiles_export"))
        assert response.status_code in (302, 403)


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("profiles.csv", text.encode(), content_type="text/csv")


# ---- API ----------------------------------------------------------------------------------------------------


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}


def test_api_public_reads(objects, client):
    profiles = client.get("/api/registry/profiles").json()
    assert [p["name"] for p in profiles] == ["Paris Health Cluster", "Stuttgart Mobility Cluster"]
    assert profiles[1]["validated"] is True and profiles[1]["categories"] == ["automotive"]
    assert client.get("/api/registry/profiles", {"q": "battery"}).json()[0]["region"] == "DE11"
    assert [r["title"] for r in client.get("/api/registry/requests").json()] == [
        "Battery recycling partners", "Partners for a biotech call"]
    assert client.get(f"/api/registry/events/{objects.event.pk}").json()["title"] == "Matchmaking day"
    missing = client.get("/api/registry/profiles/99999")
    assert missing.status_code == 404 and "id 99999" in missing.json()["error"]["message"]


def test_api_writes_need_a_token_and_follow_site_permissions(people, objects, client):
    body = json.dumps({"name": "API Cluster", "region": "NL33", "categories": ["automotive"]})
    assert client.post("/api/registry/profiles", body, content_type="application/json").status_code == 401
    bad = client.post("/api/registry/profiles", body, content_type="application/json",
                      HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
    created = client.post("/api/registry/profiles", body, content_type="application/json", **_bearer(people.other))
    assert created.status_code == 201 and created.json()["country"] == "NL"
    pk = created.json()["id"]
    assert Organisation.objects.get(pk=pk).owner == people.other
    edit = json.dumps({"name": "Renamed", "region": "NL33"})
    assert client.put(f"/api/registry/profiles/{pk}", edit, content_type="application/json",
                      **_bearer(people.owner)).status_code == 403
    assert client.put(f"/api/registry/profiles/{pk}", edit, content_type="application/json",
                      **_bearer(people.curator)).json()["name"] == "Renamed"
    invalid = client.post("/api/registry/profiles", json.dumps({"name": "X", "region": "QQ1"}),
                          content_type="application/json", **_bearer(people.other))
    assert invalid.status_code == 400 and invalid.json()["error"]["message"].startswith("`region`")
    # requests: only for an organisation one owns
    hijack = json.dumps({"organisation": objects.profile.pk, "title": "Hijack", "description": "x"})
    assert client.post("/api/registry/requests", hijack, content_type="application/json",
                       **_bearer(people.other)).status_code == 400
    assert not PartnershipRequest.objects.filter(title="Hijack").exists()
    assert client.delete(f"/api/registry/events/{objects.event.pk}", **_bearer(people.other)).status_code == 403
    assert client.delete(f"/api/registry/events/{objects.event.pk}", **_bearer(people.owner)).status_code == 204
    assert not Event.objects.exists()


def test_pages_in_french(objects, client):
    page = client.get(reverse("registry:profile", args=[objects.profile.pk]), HTTP_ACCEPT_LANGUAGE="fr").content
    text = page.decode()
    assert "Remplit les critères de validation" in text and "Critères de validation" in text
    index = client.get(reverse("registry:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Trouver des partenaires" in index


def test_examples_are_badged_on_every_page(db, client):
    from clusterobs.web.registry.examples import NEWS, PROGRAMMES, examples_load, examples_remove
    from clusterobs.web.registry.models import NewsItem, Programme

    assert not Organisation.objects.exists() and not Programme.objects.exists() and not NewsItem.objects.exists()
    loaded = examples_load()  # a new install is empty; the loader fills every kind
    assert loaded == {"organisations": 3, "requests": 1, "events": 1, "programmes": 3, "news": 3}
    assert set(examples_load().values()) == {0}  # once only
    assert Programme.objects.filter(is_example=True).count() == len(PROGRAMMES) == 3
    assert NewsItem.objects.filter(is_example=True).count() == len(NEWS) == 3
    assert {n.kind for n in NewsItem.objects.all()} == {"news", "publication"}
    for record in [*Programme.objects.all(), *NewsItem.objects.all()]:  # says it is an example wherever it goes
        assert str(record).endswith("(example)"), record
    org = Organisation.objects.get(acronym="NBC")
    req = PartnershipRequest.objects.get(is_example=True)
    event = Event.objects.get()
    assert event.timezone == "Europe/Paris" and event.start.astimezone(event.zone).hour == 9
    pages = [reverse("registry:index"), reverse("registry:profiles"), org.get_absolute_url(),
             reverse("registry:profile_matches", args=[org.pk]), reverse("registry:requests"), req.get_absolute_url(),
             reverse("registry:events"), event.get_absolute_url(), reverse("registry:programmes"),
             reverse("registry:region", args=["DE11"]), reverse("registry:news"),
             reverse("registry:news") + "?kind=publication",
             reverse("registry:events_month", args=[event.start.year, event.start.month]),
             *(p.get_absolute_url() for p in Programme.objects.all()),
             *(n.get_absolute_url() for n in NewsItem.objects.all())]
    for url in pages:
        assert "Fictitious example" in client.get(url).content.decode(), url
    index = client.get(reverse("registry:index")).content.decode()
    assert "Cluster registry opens its partner search (example)" in index  # news on a new install's front page
    assert "3 cluster programmes" in index
    assert "(example)" in client.get(reverse("registry:news_feed")).content.decode()
    for path in ("/api/registry/events", "/api/registry/programmes", "/api/registry/news"):  # the API says so too
        assert {row["is_example"] for row in client.get(path).json()} == {True}, path
    assert examples_remove() == 3
    assert not Organisation.objects.exists() and not Event.objects.exists() and not Programme.objects.exists()
    assert not NewsItem.objects.exists()


def test_examples_add_programmes_and_news_to_an_install_that_loaded_the_organisations_before(db):
    from clusterobs.web.registry.examples import examples_load
    from clusterobs.web.registry.models import NewsItem, Programme

    examples_load()
    NewsItem.objects.all().delete()
    Programme.objects.all().delete()
    assert examples_load() == {"organisations": 0, "requests": 0, "events": 0, "programmes": 3, "news": 3}
    assert Organisation.objects.filter(is_example=True).count() == 3


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 114, 178)).save(buf, format="PNG")
    return buf.getvalue()


def test_uploads_logo_inline_publication_as_download(people, objects, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clusterobs.web.registry.models import NewsItem

    settings.MEDIA_ROOT = tmp_path
    client = login(people.owner)
    data = {"name": "With Logo", "region": "DE11", "members_sme": "0", "members_large": "0",
            "members_research": "0", "members_public": "0", "management_fte": "0", "label": "none"}
    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("registry:profile_create"), {**data, "logo": fake})
    assert response.status_code == 400 and "logo" in response.context["form"].errors  # not an image
    response = client.post(reverse("registry:profile_create"),
                           {**data, "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png")})
    org = Organisation.objects.get(name="With Logo")
    logo = client.get(org.logo.url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert "sandbox" in logo["Content-Security-Policy"] and "attachment" not in logo.get("Content-Disposition", "")
    curator = login(people.curator)
    html = SimpleUploadedFile("report.html", b"<script>alert(1)</script>", content_type="text/html")
    response = curator.post(reverse("registry:news_create"), {"kind": "publication", "title": "Report",
                                                              "summary": "s", "published": "2026-01-01",
                                                              "file": html})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    curator.post(reverse("registry:news_create"), {"kind": "publication", "title": "Report", "summary": "s",
                                                   "published": "2026-01-01", "file": pdf})
    item = NewsItem.objects.get(title="Report")
    download = client.get(item.file.url)
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert client.get("/registry/media/../portal.sqlite3").status_code == 404
    assert client.get("/registry/media/logos/missing.png").status_code == 404


def test_logo_size_limit(people, login, settings, tmp_path, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clusterobs.web.registry import forms

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(forms, "MAX_LOGO_BYTES", 10)
    response = login(people.owner).post(reverse("registry:profile_create"), {
        "name": "Big Logo", "region": "DE11", "members_sme": "0", "members_large": "0", "members_research": "0",
        "members_public": "0", "management_fte": "0", "label": "none",
        "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png")})
    assert response.status_code == 400 and "larger than" in response.context["form"].errors["logo"][0]
    assert not Organisation.objects.filter(name="Big Logo").exists()
