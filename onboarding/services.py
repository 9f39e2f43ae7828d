"""Writes for onboarding: cohorts, hires' activities, mentors' sign-offs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import audit_values, is_training_admin, record_audit_event

from .models import (
    ActivityKind,
    ActivityProgress,
    Cohort,
    CohortMember,
    OnboardingActivity,
    ProgressStatus,
)
from .signals import activity_reviewed, activity_submitted


class OnboardingError(Exception):
    """Refused; ``str(error)`` is a message for the person who asked."""


@transaction.atomic
def create_cohort(
    *, name: str, program, start_date, time_zone: str = "UTC", created_by
) -> Cohort:
    """A training admin opens a cohort; raises PermissionDenied for anyone else."""
    if not is_training_admin(created_by):
        raise PermissionDenied(_("Only training admins create cohorts."))
    cohort = Cohort(
        name=name.strip(), program=program, start_date=start_date, time_zone=time_zone
    )
    cohort.full_clean()
    cohort.save()
    return cohort


MEMBER_AUDIT_FIELDS = ["cohort", "hire", "mentor", "start_date"]


def member_problem(*, hire, mentor) -> str:
    """Why this hire and mentor cannot be paired ("" when they can)."""
    if hire is not None and mentor is not None and hire.pk == mentor.pk:
        return _("A hire cannot be their own mentor.")
    return ""


@transaction.atomic
def add_hire(
    *, cohort: Cohort, hire, mentor, start_date=None, added_by=None
) -> CohortMember:
    """Add a hire with their mentor (and an individual start date for a late joiner).
    Adding them again changes their mentor and start date."""
    problem = member_problem(hire=hire, mentor=mentor)
    if problem:
        raise OnboardingError(problem)
    before = audit_values(
        CohortMember.objects.filter(cohort=cohort, hire=hire).first(),
        MEMBER_AUDIT_FIELDS,
    )
    member, _created = CohortMember.objects.update_or_create(
        cohort=cohort, hire=hire, defaults={"mentor": mentor, "start_date": start_date}
    )
    record_audit_event(
        actor=added_by,
        subject=hire,
        action="onboarding.member.set",
        target=member,
        before=before,
        after=audit_values(member, MEMBER_AUDIT_FIELDS),
    )
    return member


@transaction.atomic
def change_member(
    *, member: CohortMember, cohort: Cohort, hire, mentor, start_date, changed_by
) -> CohortMember:
    """A training admin changes a hire's cohort, mentor or start date."""
    problem = member_problem(hire=hire, mentor=mentor)
    if problem:
        raise OnboardingError(problem)
    member = CohortMember.objects.select_for_update().get(pk=member.pk)
    before = audit_values(member, MEMBER_AUDIT_FIELDS)
    member.cohort, member.hire, member.mentor = cohort, hire, mentor
    member.start_date = start_date
    member.save()
    record_audit_event(
        actor=changed_by,
        subject=hire,
        action="onboarding.member.change",
        target=member,
        before=before,
        after=audit_values(member, MEMBER_AUDIT_FIELDS),
    )
    return member


@transaction.atomic
def remove_hire(*, member: CohortMember, removed_by) -> None:
    """Take a hire out of a cohort (their progress goes with the membership)."""
    record_audit_event(
        actor=removed_by,
        subject=member.hire,
        action="onboarding.member.remove",
        target=member,
        before=audit_values(member, MEMBER_AUDIT_FIELDS),
        after=None,
    )
    member.delete()


def _member_for(user, activity: OnboardingActivity) -> CohortMember:
    week = activity.week
    member = (
        CohortMember.objects.select_related("cohort")
        .filter(hire=user, cohort__program_id=week.get_parent().pk)
        .order_by("-cohort__start_date")
        .first()
    )
    if member is None:
        raise OnboardingError(
            _("You are not in an onboarding cohort for this program.")
        )
    return member


@transaction.atomic
def complete_activity(
    *, user, activity: OnboardingActivity, note: str = "", now=None
) -> ActivityProgress:
    """The hire marks an activity done, or hands it in for sign-off when it needs one.

    Refused while the activity's week is still locked, for someone not in a cohort,
    and for exams (an exam counts when it is passed). Handing in again after a
    mentor sent it back resubmits it; a completed activity stays completed.
    """
    member = _member_for(user, activity)
    week = activity.week
    if not member.is_week_open(week.number, now):
        raise OnboardingError(
            _("Week %(n)s opens on %(day)s.")
            % {
                "n": week.number,
                "day": member.week_opens_on(week.number).strftime("%d %B %Y"),
            }
        )
    if activity.kind == ActivityKind.EXAM:
        raise OnboardingError(_("This activity is completed by passing the exam."))
    status = (
        ProgressStatus.SUBMITTED if activity.requires_signoff else ProgressStatus.DONE
    )
    progress = (
        ActivityProgress.objects.select_for_update()
        .filter(member=member, activity=activity)
        .first()
    )
    if progress and progress.complete:
        return progress
    if progress is None:
        progress = ActivityProgress(member=member, activity=activity)
    progress.status = status
    progress.note = note.strip()[:2000]
    progress.submitted_at = now or timezone.now()
    progress.save()
    if status == ProgressStatus.SUBMITTED:
        transaction.on_commit(
            lambda: activity_submitted.send(sender=ActivityProgress, progress=progress)
        )
    _complete_program_if_due(member)
    return progress


@transaction.atomic
def sign_off(
    *, progress: ActivityProgress, reviewer, approve: bool, comment: str = "", now=None
) -> ActivityProgress:
    """A mentor approves or sends back a hire's submitted activity.

    Only the hire's own mentor (or a training admin) may; nobody signs off their
    own work; only submitted work can be reviewed; sending back needs a comment.
    """
    progress = (
        ActivityProgress.objects.select_for_update()
        .select_related("member__cohort")
        .get(pk=progress.pk)
    )
    member = progress.member
    if reviewer.pk == member.hire_id:
        raise PermissionDenied(_("You cannot sign off your own work."))
    if reviewer.pk != member.mentor_id and not is_training_admin(reviewer):
        raise PermissionDenied(_("Only this hire's mentor can sign off their work."))
    if progress.status != ProgressStatus.SUBMITTED:
        raise OnboardingError(_("This activity is not waiting for sign-off."))
    if not approve and not comment.strip():
        raise OnboardingError(_("Say what to improve when you send work back."))
    fields = ["status", "reviewed_by", "comment"]
    before = audit_values(progress, fields)
    progress.status = ProgressStatus.SIGNED_OFF if approve else ProgressStatus.SENT_BACK
    progress.reviewed_by = reviewer
    progress.reviewed_at = now or timezone.now()
    progress.comment = comment.strip()[:2000]
    progress.save()
    record_audit_event(
        actor=reviewer,
        subject=member.hire,
        action="onboarding.activity.sign_off"
        if approve
        else "onboarding.activity.send_back",
        target=progress,
        before=before,
        after=audit_values(progress, fields),
        reason=progress.comment,
    )
    transaction.on_commit(
        lambda: activity_reviewed.send(
            sender=ActivityProgress, progress=progress, approved=approve
        )
    )
    _complete_program_if_due(member)
    return progress


def record_exam_passed(*, user, exam_page_id: int, now=None) -> int:
    """Called by the exams app when ``user`` passes an exam: completes every
    onboarding activity that points at that exam. Returns how many changed."""
    activities = OnboardingActivity.objects.filter(
        kind=ActivityKind.EXAM, page_id=exam_page_id
    )
    changed = 0
    for activity in activities.select_related("week"):
        member = CohortMember.objects.filter(
            hire=user, cohort__program_id=activity.week.get_parent().pk
        ).first()
        if member is None:
            continue
        with transaction.atomic():
            progress, created = ActivityProgress.objects.get_or_create(
                member=member,
                activity=activity,
                defaults={"status": ProgressStatus.DONE},
            )
            if not created and not progress.complete:
                progress.status = ProgressStatus.DONE
                progress.save(update_fields=["status"])
            changed += 1
            _complete_program_if_due(member)
    return changed


def _complete_program_if_due(member: CohortMember) -> None:
    if member.completed_at:
        return
    required = OnboardingActivity.objects.filter(
        week__path__startswith=member.cohort.program.path,
        required=True,
        week__live=True,
    ).values_list("pk", flat=True)
    done = set(
        ActivityProgress.objects.filter(
            member=member,
            status__in=[ProgressStatus.DONE, ProgressStatus.SIGNED_OFF],
        ).values_list("activity_id", flat=True)
    )
    if set(required) and set(required) <= done:
        CohortMember.objects.filter(pk=member.pk).update(completed_at=timezone.now())
        member.completed_at = timezone.now()
