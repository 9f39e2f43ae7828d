"""The admin home's "what needs doing": each line a figure, how old the oldest
wait is, and a link to where it is done.

Each line is a function in :data:`LINES`, asked with the signed-in person and
today; it returns ``None`` when the person can't act on it (no permission), or a
:class:`WaitingWork`. Figures come from the same selectors as the reports and queues the
lines link to, so the home and the report never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from exams.api import (
    GRADING_PERMISSION,
    GRADING_QUEUE_URL,
    live_exams_short_of_questions,
    markings_waiting_for,
)
from onboarding.api import ActivityProgress, ProgressStatus

from .models import ExamAnalysis
from .permissions import can_view_item_analysis, can_view_reports
from .selectors.certification import expiring_certificates
from .selectors.classes import class_rows
from .selectors.common import Scope

EXPIRING_DAYS = 30
SHOWN_BY_NAME = 3  # exams named on the home before "and N more"


@dataclass
class WaitingWork:
    label: str
    count: int
    detail: str
    url: str

    @property
    def waiting(self) -> bool:
        return self.count > 0


def _age(since, now) -> str:
    days = (now - since).days
    if days < 1:
        return _("the oldest is from today")
    return ngettext(
        "the oldest has waited %(days)s day",
        "the oldest has waited %(days)s days",
        days,
    ) % {"days": days}


def _waiting(label: str, queryset, since: str, url: str) -> WaitingWork:
    """How many rows wait, and since when (one query)."""
    figures = queryset.aggregate(count=Count("pk"), oldest=Min(since))
    count = figures["count"]
    return WaitingWork(
        label, count, _age(figures["oldest"], timezone.now()) if count else "", url
    )


def markings(user, today: date) -> WaitingWork | None:
    if not user.has_perm(GRADING_PERMISSION):
        return None
    return _waiting(
        _("Practical work waiting for you to grade"),
        markings_waiting_for(user).order_by(),
        "attempt__submitted_at",
        reverse(GRADING_QUEUE_URL),
    )


def sign_offs(user, today: date) -> WaitingWork | None:
    if not can_view_reports(user):
        return None
    return _waiting(
        _("Supervised work waiting for a mentor's sign-off"),
        ActivityProgress.objects.filter(status=ProgressStatus.SUBMITTED),
        "submitted_at",
        reverse("training_reports:onboarding"),
    )


def classes_this_week(user, today: date) -> WaitingWork | None:
    if not can_view_reports(user):
        return None
    week = Scope(date_from=today, date_to=today + timedelta(days=6))
    rows = class_rows(scope=week)
    seats_left = sum(max(row.session.capacity - row.seats_taken, 0) for row in rows)
    waitlisted = sum(row.waitlisted for row in rows)
    return WaitingWork(
        _("Classes in the next 7 days"),
        len(rows),
        _("%(seats)s seats left, %(waiting)s on waiting lists")
        % {"seats": seats_left, "waiting": waitlisted}
        if rows
        else "",
        reverse("training_reports:classes")
        + "?"
        + urlencode(
            {
                "period_from": today.isoformat(),
                "period_to": week.date_to.isoformat(),
            }
        ),
    )


def expiring(user, today: date) -> WaitingWork | None:
    if not can_view_reports(user):
        return None
    certificates = expiring_certificates(
        scope=Scope(), within_days=EXPIRING_DAYS, today=today
    )
    return WaitingWork(
        ngettext(
            "Certificates expiring within %(days)s day",
            "Certificates expiring within %(days)s days",
            EXPIRING_DAYS,
        )
        % {"days": EXPIRING_DAYS},
        certificates.count(),
        "",
        reverse("training_reports:expiring") + f"?within={EXPIRING_DAYS}",
    )


def flagged_exams(user, today: date) -> WaitingWork | None:
    if not can_view_item_analysis(user):
        return None
    return WaitingWork(
        _("Exams with questions flagged by item analysis"),
        ExamAnalysis.objects.filter(flagged_questions__gt=0).count(),
        "",
        reverse("training_reports:item_analysis"),
    )


def exams_short_of_questions(user, today: date) -> WaitingWork | None:
    if not can_view_reports(user):
        return None
    short = live_exams_short_of_questions()
    names = ", ".join(exam.title for exam, _problems in short[:SHOWN_BY_NAME])
    if len(short) > SHOWN_BY_NAME:
        names += " " + _("and %(n)s more") % {"n": len(short) - SHOWN_BY_NAME}
    return WaitingWork(
        _("Live exams that can't be started: not enough questions"),
        len(short),
        names,
        reverse("wagtailadmin_pages:edit", args=[short[0][0].pk])
        if short
        else reverse("wagtailadmin_explore_root"),
    )


def reviews(user, today: date) -> WaitingWork | None:
    from wagtail.models import WorkflowState

    if not can_view_reports(user):
        return None
    return _waiting(
        _("Changes waiting for review"),
        WorkflowState.objects.active(),
        "created_at",
        reverse("wagtailadmin_reports:workflow"),
    )


LINES: list[Callable[[object, date], WaitingWork | None]] = [
    markings,
    sign_offs,
    reviews,
    exams_short_of_questions,
    classes_this_week,
    expiring,
    flagged_exams,
]


def waiting_work(user, today: date | None = None) -> list[WaitingWork]:
    """The lines this person can act on, in order (a fixed number of queries)."""
    today = today or timezone.localdate()
    return [item for line in LINES if (item := line(user, today)) is not None]


class WaitingWorkPanel(Component):
    name = "waiting_work"
    template_name = "reports/admin/home_waiting.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"items": waiting_work(self.user)}
