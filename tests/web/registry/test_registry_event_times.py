"""Event times: a start and end are local times in the event's own time zone (Europe/Brussels unless given), stored
as instants and written in UTC in the iCal files, so a 10:00 meeting in Brussels in January reads 09:00Z (it read
10:00Z, an hour late in every calendar in CET)."""

from __future__ import annotations

import json

from django.urls import reverse

from clusterobs.web.accounts.services import token_create
from clusterobs.web.registry.models import Event

FORM = {"title": "Winter matchmaking", "place": "Brussels", "organiser": "SMC", "description": ""}


def _ics(client) -> str:
    return client.get(reverse("registry:events_ics")).content.decode().replace("\r\n ", "")


def test_an_event_at_10_in_brussels_in_winter_reads_09_utc_in_the_feed(people, login):
    member = login(people.owner)
    response = member.post(reverse("registry:event_create"), {
        **FORM, "start": "2027-01-15T10:00", "end": "2027-01-15T12:30", "timezone": "Europe/Brussels"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Winter matchmaking")
    assert event.timezone == "Europe/Brussels"
    feed = _ics(member)
    assert "DTSTART:20270115T090000Z\r\n" in feed and "DTEND:20270115T113000Z\r\n" in feed
    page = member.get(event.get_absolute_url()).content.decode()
    assert "15 Jan 2027 10:00 – 15 Jan 2027 12:30 (Europe/Brussels, CET)" in page
    edit = member.get(reverse("registry:event_edit", args=[event.pk])).content.decode()
    assert 'value="2027-01-15T10:00"' in edit  # shown back as the local time it was given in
    # saved again unchanged from the edit form, it stays at 09:00Z
    member.post(reverse("registry:event_edit", args=[event.pk]), {
        **FORM, "start": "2027-01-15T10:00", "end": "2027-01-15T12:30", "timezone": "Europe/Brussels"})
    assert "DTSTART:20270115T090000Z\r\n" in _ics(member)


def test_summer_time_and_other_zones(people, login):
    member = login(people.owner)
    for title, start, zone in (("Summer day", "2027-07-15T10:00", "Europe/Brussels"),
                               ("Lisbon day", "2027-01-15T10:00", "Europe/Lisbon"),
                               ("Helsinki day", "2027-01-15T10:00", "Europe/Helsinki")):
        assert member.post(reverse("registry:event_create"), {
            **FORM, "title": title, "start": start, "end": start[:11] + "18:00", "timezone": zone}).status_code == 302
    feed = _ics(member)
    assert "DTSTART:20270715T080000Z" in feed  # CEST is UTC+2
    assert "DTSTART:20270115T100000Z" in feed  # Lisbon is on UTC in winter
    assert "DTSTART:20270115T080000Z" in feed  # Helsinki, UTC+2
    # without a zone (an older form, a script): Europe/Brussels; editing keeps the event's own
    assert member.post(reverse("registry:event_create"), {
        **FORM, "title": "No zone given", "start": "2027-01-20T10:00", "end": "2027-01-20T11:00"}).status_code == 302
    lisbon = Event.objects.get(title="Lisbon day")
    assert Event.objects.get(title="No zone given").timezone == "Europe/Brussels"
    assert member.post(reverse("registry:event_edit", args=[lisbon.pk]), {
        **FORM, "title": "Lisbon day", "start": "2027-01-15T11:00", "end": "2027-01-15T18:00"}).status_code == 302
    lisbon.refresh_from_db()
    assert lisbon.timezone == "Europe/Lisbon" and "DTSTART:20270115T110000Z" in _ics(member)
    assert "DTSTART:20270120T090000Z" in _ics(member)
    bad = member.post(reverse("registry:event_create"), {
        **FORM, "title": "Nowhere", "start": "2027-01-15T10:00", "end": "2027-01-15T11:00", "timezone": "Mars/Base"})
    assert bad.status_code == 400 and not Event.objects.filter(title="Nowhere").exists()
    assert "Select a valid choice. Mars/Base is not one of the available choices." in bad.content.decode()


def test_the_api_reads_local_times_in_the_event_zone_and_keeps_given_offsets(people, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=people.owner)}"}
    local = client.post("/api/registry/events", json.dumps({
        "title": "API winter day", "start": "2027-01-15T10:00:00", "end": "2027-01-15T11:00:00",
        "place": "Brussels", "organiser": "SMC"}), content_type="application/json", **auth)
    assert local.status_code == 201, local.content
    out = local.json()
    assert out["timezone"] == "Europe/Brussels" and out["start"] == "2027-01-15T10:00:00+01:00"
    assert "DTSTART:20270115T090000Z" in _ics(client)
    given = client.post("/api/registry/events", json.dumps({
        "title": "API offset day", "start": "2027-01-15T10:00:00Z", "end": "2027-01-15T11:00:00Z",
        "timezone": "Europe/Athens", "place": "Athens", "organiser": "SMC"}), content_type="application/json", **auth)
    assert given.status_code == 201 and given.json()["start"] == "2027-01-15T12:00:00+02:00"
    assert "DTSTART:20270115T100000Z" in _ics(client)
    bad = client.post("/api/registry/events", json.dumps({
        "title": "API bad zone", "start": "2027-01-15T10:00:00", "end": "2027-01-15T11:00:00", "timezone": "CET+1",
        "place": "x", "organiser": "SMC"}), content_type="application/json", **auth)
    assert bad.status_code == 400 and bad.json()["error"]["message"].startswith("`timezone`")
