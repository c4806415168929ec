"""iCalendar (RFC 5545) text for events, written by hand: CRLF line ends, lines folded at 75 octets, TEXT values
escaped (backslash, semicolon, comma, newline), times in UTC: an event's start and end are stored as instants (read
in the event's own time zone when entered, ``EventForm``), so 10:00 in Brussels in January is written 09:00Z."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from clusterobs.web.registry.models import Event

PRODID = "-//clusterobs//Cluster collaboration registry//EN"


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
            .replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces (continuations start with a space), never inside a character."""
    out, current = [], b""
    for ch in line:
        b = ch.encode()
        limit = 75 if not out else 74
        if len(current) + len(b) > limit:
            out.append(current)
            current = b""
        current += b
    out.append(current)
    return "\r\n ".join(part.decode() for part in out)


def stamp(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(event: Event, *, host: str, url: str) -> list[str]:
    location = ", ".join(p for p in (event.place, "online" if event.online else "") if p)
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{stamp(event.updated)}",
        f"DTSTART:{stamp(event.start)}",
        f"DTEND:{stamp(event.end)}",
        f"SUMMARY:{escape(event.title)}",
        f"DESCRIPTION:{escape(event.description)}",
        f"LOCATION:{escape(location)}",
        f"ORGANIZER;CN={_param(event.organiser)}:mailto:noreply@{host}",
        f"URL:{event.link or url}",
        f"CATEGORIES:{','.join(escape(c.name) for c in event.categories.all())}",
        "END:VEVENT",
    ]
    return [line for line in lines if not line.endswith(":") or line.startswith(("BEGIN", "END"))]


def _param(value: str) -> str:
    """A parameter value: quoted, without the characters RFC 5545 forbids in it."""
    return '"' + value.replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def calendar(events: Iterable[Event], *, host: str, url_for, name: str) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for e in events:
        lines += vevent(e, host=host, url=url_for(e))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
