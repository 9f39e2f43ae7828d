"""What each notification says, and to whom. Scheduled ones (a week opening, a
class tomorrow) carry a key so that each happens once, whatever reruns."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import site_url, zone_named
from classes.api import SEAT_STATUSES, Booking
from onboarding.api import CohortMember, OnboardingWeekPage, schedule

from . import kinds
from .services import notice_email, notify


def certificate_issued(certificate) -> None:
    holder = certificate.holder
    title = _("Your certificate: %(title)s") % {"title": certificate.title}
    pdf = site_url(reverse("certificates:pdf", args=[certificate.serial]))
    verify = certificate.verification_url
    lines = [
        _("Certificate No. %(serial)s, issued to %(name)s.")
        % {"serial": certificate.serial, "name": certificate.holder_name}
    ]
    if certificate.expires_on:
        lines.append(
            _("Valid until %(date)s. We will remind you before it expires.")
            % {"date": certificate.expires_on.strftime("%d %B %Y")}
        )
    notify(
        holder,
        kinds.CERTIFICATE_ISSUED,
        title=title,
        link="/dashboard/",
        email=notice_email(
            holder,
            title,
            lines=lines,
            links=[(_("Download the PDF"), pdf), (_("Verification page"), verify)],
        ),
    )


def activity_submitted(progress) -> None:
    member = progress.member
    mentor = member.mentor
    title = _("%(hire)s handed in “%(activity)s” for your sign-off") % {
        "hire": member.hire.display_name,
        "activity": progress.activity.title,
    }
    link = reverse("onboarding:mentor")
    notify(
        mentor,
        kinds.ONBOARDING_SUBMITTED,
        title=title,
        link=link,
        email=notice_email(
            mentor,
            title,
            lines=[progress.note] if progress.note else [],
            links=[(_("Review it"), site_url(link))],
        ),
    )


def activity_reviewed(progress, *, approved: bool) -> None:
    hire = progress.member.hire
    values = {"activity": progress.activity.title}
    title = (
        _("Signed off: “%(activity)s”") % values
        if approved
        else _("Sent back: “%(activity)s”") % values
    )
    notify(
        hire,
        kinds.ONBOARDING_REVIEWED,
        title=title,
        link="/onboarding/",
        email=notice_email(
            hire,
            title,
            lines=[progress.comment] if progress.comment else [],
            links=[(_("Open your onboarding"), site_url("/onboarding/"))],
        ),
    )


def weeks_opening(*, now: datetime | None = None) -> int:
    """Tell each hire on the day (their cohort's) one of their weeks opens."""
    now = now or timezone.now()
    members = list(
        CohortMember.objects.filter(completed_at__isnull=True).select_related(
            "hire", "cohort__program"
        )
    )
    weeks = {}
    for member in members:
        program = member.cohort.program
        if program.pk not in weeks:
            weeks[program.pk] = {
                week.number: week
                for week in OnboardingWeekPage.objects.child_of(program).live()
            }
    sent = 0
    for member in members:
        today = member.local_today(now)
        for number, week in weeks[member.cohort.program_id].items():
            if schedule.week_opens_on(member.starts_on, number) != today:
                continue
            title = _("Week %(number)s of your onboarding is open: %(title)s") % {
                "number": number,
                "title": week.title,
            }
            done = notify(
                member.hire,
                kinds.ONBOARDING_WEEK_OPEN,
                title=title,
                link="/onboarding/",
                key=f"week:{member.pk}:{number}",
                email=notice_email(
                    member.hire,
                    title,
                    links=[(_("Start the week"), site_url("/onboarding/"))],
                ),
            )
            sent += done is not None
    return sent


def classes_tomorrow(*, now: datetime | None = None) -> int:
    """Tell each learner with a seat, the day before their class (their day)."""
    now = now or timezone.now()
    bookings = Booking.objects.filter(
        status__in=SEAT_STATUSES,
        cancelled_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lt=now + timedelta(days=3),
    ).select_related("user", "session__course")
    sent = 0
    for booking in bookings:
        zone = zone_named(booking.user.time_zone)
        session = booking.session
        starts = timezone.localtime(session.starts_at, zone)
        if starts.date() != timezone.localtime(now, zone).date() + timedelta(days=1):
            continue
        title = _("Tomorrow at %(time)s: %(title)s") % {
            "time": starts.strftime("%H:%M"),
            "title": session.title,
        }
        link = reverse("classes:detail", args=[session.pk])
        lines = [value for value in (session.location, session.meeting_url) if value]
        done = notify(
            booking.user,
            kinds.CLASS_TOMORROW,
            title=title,
            link=link,
            key=f"booking:{booking.pk}",
            email=notice_email(
                booking.user,
                title,
                lines=lines,
                links=[(_("The class"), site_url(link))],
            ),
        )
        sent += done is not None
    return sent
