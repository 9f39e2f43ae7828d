"""Assigning training: who it reaches (now and later), due dates in the person's
calendar, completion (also from before), repeat cycles, exemptions and new dates."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from accounts.models import AuditEvent
from assignments import schedule, services
from assignments.models import AudienceKind, DueFrom, PersonAssignment
from certificates.api import add_months
from courses.models import Enrollment
from tests.assignments.conftest import NOW
from tests.assignments.support import assign, complete_course, rows_of
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_assigning_a_course_enrols_the_person_and_sets_the_due_date(
    training_admin, user_factory, course
):
    person = user_factory()
    assignment = assign(training_admin, course, people=[person], due_days=30, now=NOW)

    [row] = rows_of(person, assignment)
    assert row.due_on == date(2027, 1, 3)
    assert row.cycle == 1 and row.completed_at is None
    assert Enrollment.objects.filter(user=person, course=course).exists()


def test_the_due_date_counts_in_the_persons_own_calendar(
    training_admin, user_factory, course
):
    late_evening_utc = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    auckland = user_factory(time_zone="Pacific/Auckland")  # already 5 December
    london = user_factory(time_zone="Europe/London")  # still 4 December
    assign(
        training_admin,
        course,
        people=[auckland, london],
        due_days=7,
        now=late_evening_utc,
    )

    assert rows_of(auckland)[0].due_on == date(2026, 12, 12)
    assert rows_of(london)[0].due_on == date(2026, 12, 11)


def test_days_are_calendar_days_across_a_daylight_saving_change(
    training_admin, user_factory, course
):
    # New York leaves daylight saving on 1 November 2026: 23 hours that day.
    person = user_factory(time_zone="America/New_York")
    reached = datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
    assign(training_admin, course, people=[person], due_days=2, now=reached)

    assert rows_of(person)[0].due_on == date(2026, 11, 2)


def test_a_fixed_due_date_is_the_same_for_everyone(
    training_admin, user_factory, course
):
    people = [user_factory(time_zone=zone) for zone in ("Asia/Tokyo", "America/Lima")]
    assign(training_admin, course, people=people, due_on=date(2027, 1, 31), now=NOW)

    assert {rows_of(p)[0].due_on for p in people} == {date(2027, 1, 31)}


def test_due_after_the_start_date_counts_from_the_hire_date(
    training_admin, user_factory, course
):
    from tests.factories import make_onboarding

    program = make_onboarding()
    hire, mentor = user_factory(), user_factory()
    from onboarding.models import Cohort, CohortMember

    cohort = Cohort.objects.create(
        name="January", program=program, start_date=date(2027, 1, 11)
    )
    CohortMember.objects.create(cohort=cohort, hire=hire, mentor=mentor)
    assign(
        training_admin,
        course,
        people=[hire],
        due_days=21,
        due_from=DueFrom.HIRE_DATE,
        now=NOW,
    )

    assert rows_of(hire)[0].due_on == date(2027, 2, 1)


def test_a_rule_reaches_people_who_join_the_organisation_later(
    training_admin, user_factory, course, organization, other_organization, committed
):
    early = user_factory(organization=organization)
    assignment = assign(
        training_admin,
        course,
        audience=AudienceKind.ORGANIZATION,
        organization=organization,
        due_days=14,
        now=NOW,
    )
    newcomer = user_factory(organization=other_organization)
    assert rows_of(newcomer) == []

    newcomer.organization = organization
    with committed():
        newcomer.save()

    assert len(rows_of(early, assignment)) == 1
    assert len(rows_of(newcomer, assignment)) == 1


def test_someone_who_stops_matching_keeps_their_history_but_is_no_longer_asked(
    training_admin, user_factory, course, organization, other_organization, committed
):
    person = user_factory(organization=organization)
    assignment = assign(
        training_admin,
        course,
        audience=AudienceKind.ORGANIZATION,
        organization=organization,
        now=NOW,
    )
    person.organization = other_organization
    with committed():
        person.save()

    [row] = rows_of(person, assignment)
    assert row.left_audience_at is not None  # kept, not deleted
    from assignments.api import assigned_to

    assert assigned_to(person) == []

    person.organization = organization
    with committed():
        person.save()
    assert rows_of(person, assignment)[0].left_audience_at is None


def test_a_role_rule_reaches_someone_given_the_role(
    training_admin, user_factory, course, committed
):
    support = Group.objects.get_or_create(name=roles.SUPPORT_HIRES)[0]
    assignment = assign(
        training_admin, course, audience=AudienceKind.ROLE, role=support, now=NOW
    )
    person = user_factory()
    assert rows_of(person) == []

    with committed():
        person.groups.add(support)

    assert len(rows_of(person, assignment)) == 1


def test_a_cohort_rule_reaches_a_hire_added_to_the_cohort(
    training_admin, user_factory, course, committed
):
    from onboarding.models import Cohort, CohortMember
    from tests.factories import make_onboarding

    cohort = Cohort.objects.create(
        name="March", program=make_onboarding(), start_date=date(2027, 3, 1)
    )
    assignment = assign(
        training_admin, course, audience=AudienceKind.COHORT, cohort=cohort, now=NOW
    )
    hire = user_factory()
    mentor = user_factory()
    with committed():
        CohortMember.objects.create(cohort=cohort, hire=hire, mentor=mentor)

    assert len(rows_of(hire, assignment)) == 1


def test_completing_the_course_completes_the_assignment(
    training_admin, user_factory, course, committed
):
    person = user_factory()
    assignment = assign(training_admin, course, people=[person], due_days=30)

    with committed():
        complete_course(person, course)

    [row] = rows_of(person, assignment)
    assert row.completed_at is not None


def test_a_completion_from_before_the_assignment_counts(
    training_admin, user_factory, course
):
    person = user_factory()
    complete_course(person, course)

    assignment = assign(training_admin, course, people=[person], due_days=30)

    assert rows_of(person, assignment)[0].completed_at is not None


def test_an_old_certificate_does_not_count_for_a_yearly_assignment(
    training_admin, user_factory
):
    from certificates.models import Certificate
    from tests.factories import make_exam, make_level, site_tree

    site_tree()
    level = make_level(exams=[make_exam(count=4)], code="associate")
    old, recent = user_factory(), user_factory()
    for person, issued in ((old, date(2025, 6, 1)), (recent, date(2026, 6, 1))):
        certificate = Certificate.objects.create(
            serial=f"MWR-T-{person.pk}",
            holder=person,
            holder_name=person.display_name,
            kind="certification",
            level=level,
            title=level.title,
            issued_on=issued,
            expires_on=date(2027, 12, 31),  # both still valid
        )
        Certificate.objects.filter(pk=certificate.pk).update(
            created_at=datetime(issued.year, issued.month, issued.day, tzinfo=UTC)
        )

    assignment = assign(
        training_admin,
        level,
        people=[old, recent],
        due_days=30,
        recur_months=12,
        now=NOW,
    )

    assert rows_of(old, assignment)[0].completed_at is None  # 18 months ago
    first, following = rows_of(recent, assignment)
    assert first.completed_at is not None  # 6 months ago: still counts
    assert following.due_on == date(2027, 6, 1)


def test_a_course_or_path_cannot_repeat(training_admin, user_factory, course):
    with pytest.raises(ValidationError, match="Only a certification repeats"):
        assign(
            training_admin,
            course,
            people=[user_factory()],
            recur_months=12,
            now=NOW,
        )
    assert not PersonAssignment.objects.exists()


def test_a_repeating_assignment_opens_its_next_cycle_after_completion(
    training_admin, user_factory
):
    from tests.factories import make_exam, make_level, pass_exam, site_tree

    site_tree()
    level = make_level(exams=[make_exam(count=4)], code="associate")
    person = user_factory()
    assignment = assign(
        training_admin,
        level,
        people=[person],
        due_days=60,
        recur_months=12,
        window_days=30,
    )

    pass_exam(person, level.required_exams.get().exam)

    first, second = rows_of(person, assignment)
    assert first.completed_at is not None
    done_on = schedule.local_date(first.completed_at, person)
    assert second.cycle == 2 and second.completed_at is None
    assert second.due_on == add_months(done_on, 12)
    assert second.opens_on == second.due_on - timedelta(days=30)
    assert schedule.standing(second, today=done_on) == schedule.Standing.UPCOMING
    assert schedule.standing(second, today=second.opens_on) == schedule.Standing.DUE


def test_month_ends_clamp_in_repeat_cycles():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 2, 28), 12) == date(2028, 2, 28)


def test_standing_on_the_due_day_and_the_day_after(
    training_admin, user_factory, course
):
    person = user_factory()
    assignment = assign(
        training_admin, course, people=[person], due_on=date(2026, 12, 10), now=NOW
    )
    [row] = rows_of(person, assignment)

    assert schedule.standing(row, today=date(2026, 12, 10)) == schedule.Standing.DUE
    assert schedule.days_left(row, today=date(2026, 12, 10)) == 0
    assert schedule.standing(row, today=date(2026, 12, 11)) == schedule.Standing.OVERDUE


def test_an_exemption_needs_a_reason_ends_and_is_audited(
    training_admin, user_factory, course
):
    person = user_factory()
    assignment = assign(
        training_admin, course, people=[person], due_on=date(2026, 12, 10), now=NOW
    )
    [row] = rows_of(person, assignment)

    with pytest.raises(ValidationError):
        services.exempt(
            actor=training_admin, row_id=row.pk, reason=" ", until=date(2027, 1, 1)
        )
    with time_machine.travel(NOW):
        services.exempt(
            actor=training_admin,
            row_id=row.pk,
            reason="Covered by the vendor's own course",
            until=date(2027, 1, 1),
        )

    row.refresh_from_db()
    assert schedule.standing(row, today=date(2026, 12, 20)) == schedule.Standing.EXEMPT
    assert schedule.standing(row, today=date(2027, 1, 2)) == schedule.Standing.OVERDUE
    event = AuditEvent.objects.get(action="assignment.exempt")
    assert event.reason == "Covered by the vendor's own course"
    assert event.subject == person


def test_a_new_due_date_needs_a_reason_and_keeps_the_old_one_in_the_audit_log(
    training_admin, user_factory, course
):
    person = user_factory()
    assign(training_admin, course, people=[person], due_on=date(2026, 12, 10), now=NOW)
    [row] = rows_of(person)

    with time_machine.travel(NOW):
        with pytest.raises(ValidationError, match="reason"):
            services.extend(
                actor=training_admin, row_id=row.pk, due_on=date(2027, 1, 10), reason=""
            )
        with pytest.raises(ValidationError, match="later"):
            services.extend(
                actor=training_admin,
                row_id=row.pk,
                due_on=date(2026, 12, 9),
                reason="Sick leave",
            )
        services.extend(
            actor=training_admin,
            row_id=row.pk,
            due_on=date(2027, 1, 10),
            reason="Sick leave",
        )

    row.refresh_from_db()
    assert row.due_on == date(2027, 1, 10)
    event = AuditEvent.objects.get(action="assignment.extend")
    assert event.before["due_on"] == "2026-12-10"
    assert event.after["due_on"] == "2027-01-10"


def test_a_manager_assigns_only_to_direct_reports(manager, user_factory, course):
    report = user_factory(manager=manager)
    stranger = user_factory()

    assign(manager, course, people=[report], now=NOW)
    with pytest.raises(PermissionDenied):
        assign(manager, course, people=[report, stranger], now=NOW)
    with pytest.raises(PermissionDenied):
        assign(
            manager,
            course,
            audience=AudienceKind.ROLE,
            role=Group.objects.get_or_create(name=roles.LEARNERS)[0],
            now=NOW,
        )
    assert rows_of(stranger) == []


def test_an_organisation_admin_assigns_only_within_their_organisation(
    user_factory, course, organization, other_organization
):
    admin = user_factory(organization=organization, is_organization_admin=True)
    colleague = user_factory(organization=organization)
    outsider = user_factory(organization=other_organization)

    assign(
        admin,
        course,
        audience=AudienceKind.ORGANIZATION,
        organization=organization,
        now=NOW,
    )
    assert len(rows_of(colleague)) == 1
    with pytest.raises(PermissionDenied):
        assign(
            admin,
            course,
            audience=AudienceKind.ORGANIZATION,
            organization=other_organization,
            now=NOW,
        )
    with pytest.raises(PermissionDenied):
        assign(admin, course, people=[outsider], now=NOW)


def test_changing_someone_elses_cycle_is_refused(manager, user_factory, course):
    report = user_factory(manager=manager)
    stranger = user_factory()
    admin_assignment_owner = user_factory()
    admin_assignment_owner.groups.add(
        Group.objects.get_or_create(name=roles.TRAINING_ADMINS)[0]
    )
    assign(admin_assignment_owner, course, people=[report, stranger], due_days=5)
    theirs = rows_of(stranger)[0]

    for change in (
        lambda: services.exempt(
            actor=manager, row_id=theirs.pk, reason="x", until=date(2030, 1, 1)
        ),
        lambda: services.extend(
            actor=manager, row_id=theirs.pk, due_on=date(2030, 1, 1), reason="x"
        ),
        lambda: services.remind_now(actor=manager, row_id=theirs.pk),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert PersonAssignment.objects.get(pk=theirs.pk).exempt_until is None


def test_prerequisites_still_apply_and_are_reported(training_admin, user_factory):
    first = make_course(title="Basics")
    second = make_course(title="Advanced", prerequisites=[first])
    person = user_factory()

    _assignment, refusals = services.create_assignment(
        actor=training_admin,
        item=second,
        audience=AudienceKind.PEOPLE,
        people=[person],
        now=NOW,
    )

    assert not Enrollment.objects.filter(user=person, course=second).exists()
    assert len(refusals) == 1 and "Basics" in refusals[0]
    assert len(rows_of(person)) == 1  # assigned all the same
