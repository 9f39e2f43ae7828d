"""RFC 5545 calendars of classes. Pure: takes classes, returns bytes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODUCT_ID = "-//MWRASP Academy//Classes//EN"


def _event(session, *, uid_domain: str, detail_url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"class-{session.pk}@{uid_domain}")
    event.add("dtstamp", stamp.astimezone(UTC))
    # Local wall-clock times with their TZID: calendars then follow DST rules.
    event.add("dtstart", session.local_starts_at)
    event.add("dtend", session.local_ends_at)
    event.add("summary", session.title)
    lines = [session.subject] if session.subject != session.title else []
    if session.description:
        lines.append(session.description)
    if session.meeting_url:
        lines.append(f"Join: {session.meeting_url}")
    lines.append(f"Details: {detail_url}")
    event.add("description", "\n\n".join(lines))
    if session.location:
        event.add("location", session.location)
    elif session.meeting_url:
        event.add("location", session.meeting_url)
    event.add("url", detail_url)
    return event


def build_calendar(
    sessions: Iterable,
    *,
    uid_domain: str,
    detail_url,
    name: str = "",
    now: datetime,
) -> bytes:
    """An iCalendar file with one event per class, with VTIMEZONE definitions.

    ``detail_url(session)`` gives the class page's absolute URL. Only call this
    with classes the reader holds a seat in: it includes the meeting link.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(
            _event(
                session,
                uid_domain=uid_domain,
                detail_url=detail_url(session),
                stamp=now,
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
