"""The e-mails (and notifications) assigned training sends: a person's reminder and the overdue digests
for managers and organisation admins. Callers record what was sent (the unique rows
that make each e-mail go out once) in the same transaction."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.api import site_url
from notifications.api import kinds, notify

from . import schedule
from .models import PersonAssignment


def due_phrase(days: int | None) -> str:
    """ "due in 3 days", "due today", "overdue by 2 days": one wording everywhere."""
    if days is None:
        return _("no due date")
    if days > 0:
        return ngettext("due in %(days)d day", "due in %(days)d days", days) % {
            "days": days
        }
    if days == 0:
        return _("due today")
    return ngettext("overdue by %(days)d day", "overdue by %(days)d days", -days) % {
        "days": -days
    }


def send_reminder(row: PersonAssignment, *, today: date, sent_by=None) -> None:
    item = row.assignment.item
    context = {
        "person": row.person,
        "title": item.title,
        "due_on": row.due_on,
        "when": due_phrase(schedule.days_left(row, today=today)),
        "link": site_url(item.url or "/dashboard/"),
        "sent_by": sent_by,
    }
    subject = render_to_string("assignments/email/reminder_subject.txt", context)
    notify(
        row.person,
        kinds.ASSIGNMENT_REMINDER,
        title=subject.strip(),
        link=item.url or "/dashboard/",
        email={
            "subject": subject,
            "body_text": render_to_string("assignments/email/reminder.txt", context),
            "body_html": render_to_string("assignments/email/reminder.html", context),
        },
    )


def send_digest(recipient, rows: list[PersonAssignment], *, today: date) -> None:
    """One e-mail listing ``rows`` (overdue cycles of the recipient's people)."""
    lines = [
        {
            "person": row.person.display_name,
            "title": row.assignment.item.title,
            "due_on": row.due_on,
            "when": due_phrase(schedule.days_left(row, today=today)),
        }
        for row in rows
    ]
    people = len({row.person_id for row in rows})
    context = {
        "recipient": recipient,
        "lines": lines,
        "people": people,
        "team_url": site_url("/team/?overdue=on"),
    }
    subject = render_to_string("assignments/email/digest_subject.txt", context)
    notify(
        recipient,
        kinds.OVERDUE_DIGEST,
        title=subject.strip(),
        link="/team/?overdue=on",
        email={
            "subject": subject,
            "body_text": render_to_string("assignments/email/digest.txt", context),
            "body_html": render_to_string("assignments/email/digest.html", context),
        },
    )
