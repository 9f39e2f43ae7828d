"""Each receiver calls one service: completion when a course is completed or a
certificate issued, and rules asked again when a person's organisation, roles or
cohorts change (after the change commits)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.api import User
from certificates.signals import certificate_issued
from courses.signals import course_completed
from onboarding.api import CohortMember

from . import services
from .models import Assignment


def _sync_later(person_ids) -> None:
    def run():
        if not Assignment.objects.active().exists():
            return
        for person in User.objects.filter(pk__in=list(person_ids), is_active=True):
            services.sync_person(person)

    transaction.on_commit(run)


def on_course_completed(sender, user, course, **kwargs):
    services.record_completions(user)


def on_certificate_issued(sender, certificate, **kwargs):
    services.record_completions(certificate.holder)


def on_user_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not {"organization", "is_active"} & set(
        update_fields
    ):
        return  # a sign-in stamping last_login, a password change…
    _sync_later([instance.pk])


def on_roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    _sync_later(pk_set or [] if reverse else [instance.pk])


def on_cohort_membership(sender, instance, raw=False, **kwargs):
    if not raw:
        _sync_later([instance.hire_id])


def connect() -> None:
    course_completed.connect(
        on_course_completed, dispatch_uid="assignments.course_completed"
    )
    certificate_issued.connect(
        on_certificate_issued, dispatch_uid="assignments.certificate_issued"
    )
    post_save.connect(on_user_saved, sender=User, dispatch_uid="assignments.user")
    m2m_changed.connect(
        on_roles_changed, sender=User.groups.through, dispatch_uid="assignments.roles"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_cohort_membership,
            sender=CohortMember,
            dispatch_uid=f"assignments.cohort.{signal is post_save}",
        )
