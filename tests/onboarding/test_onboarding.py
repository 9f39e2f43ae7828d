from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from accounts import roles
from onboarding import services as services
from onboarding.models import (
    ActivityProgress,
    Cohort,
    CohortMember,
    OnboardingActivity,
)
from tests.factories import make_onboarding

pytestmark = pytest.mark.django_db

START = date(2026, 11, 23)  # a Monday


@pytest.fixture
def people(user_factory):
    return {
        "admin": user_factory(roles=[roles.TRAINING_ADMINS]),
        "mentor": user_factory(roles=[roles.MENTORS]),
        "other_mentor": user_factory(roles=[roles.MENTORS]),
        "hire": user_factory(roles=[roles.SUPPORT_HIRES]),
    }


@pytest.fixture
def member(people):
    program = make_onboarding()
    cohort = services.create_cohort(
        name="November hires",
        program=program,
        start_date=START,
        created_by=people["admin"],
    )
    return services.add_hire(
        cohort=cohort, hire=people["hire"], mentor=people["mentor"]
    )


def activity(week, key):
    return OnboardingActivity.objects.get(week__number=week, key=key)


def at(day, hour=12, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_weeks_unlock_on_schedule_by_the_servers_date(member):
    assert member.is_week_open(1, at(START))
    assert not member.is_week_open(2, at(date(2026, 11, 29), 23, 59))
    assert member.is_week_open(2, at(date(2026, 11, 30), 0, 0))
    assert member.week_opens_on(4) == date(2026, 12, 14)


def test_week_unlock_follows_the_cohorts_time_zone(member):
    member.cohort.time_zone = "Pacific/Auckland"  # UTC+13 in November
    member.cohort.save()
    # 11:30 UTC on the 29th is already the 30th in Auckland: week 2 is open there.
    assert member.is_week_open(2, at(date(2026, 11, 29), 11, 30))
    member.cohort.time_zone = "America/Los_Angeles"
    member.cohort.save()
    # 05:00 UTC on the 30th is still the 29th in Los Angeles.
    assert not member.is_week_open(2, at(date(2026, 11, 30), 5, 0))


def test_an_unknown_time_zone_is_refused(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_cohort(
            name="x",
            program=make_onboarding(),
            start_date=START,
            time_zone="Mars/Olympus",
            created_by=people["admin"],
        )
    assert not Cohort.objects.exists()


def test_a_late_joiner_has_their_own_start(member, people, user_factory):
    late = services.add_hire(
        cohort=member.cohort,
        hire=user_factory(),
        mentor=people["mentor"],
        start_date=date(2026, 12, 7),
    )
    assert not late.is_week_open(1, at(date(2026, 12, 6)))
    assert late.week_opens_on(2) == date(2026, 12, 14)


def test_a_locked_week_says_when_it_opens_and_changes_nothing(member, people):
    with pytest.raises(
        services.OnboardingError, match="Week 2 opens on 30 November 2026"
    ):
        services.complete_activity(
            user=people["hire"], activity=activity(2, "read"), now=at(START)
        )
    assert not ActivityProgress.objects.exists()


def test_signoff_rules(member, people):
    hire, mentor = people["hire"], people["mentor"]
    progress = services.complete_activity(
        user=hire, activity=activity(1, "practice"), now=at(START)
    )
    assert progress.status == "submitted"
    with pytest.raises(PermissionDenied):
        services.sign_off(progress=progress, reviewer=hire, approve=True)
    with pytest.raises(PermissionDenied):
        services.sign_off(
            progress=progress, reviewer=people["other_mentor"], approve=True
        )
    with pytest.raises(services.OnboardingError, match="Say what to improve"):
        services.sign_off(
            progress=progress, reviewer=mentor, approve=False, comment=" "
        )
    sent_back = services.sign_off(
        progress=progress, reviewer=mentor, approve=False, comment="Slow down"
    )
    assert sent_back.status == "sent_back"
    again = services.complete_activity(
        user=hire, activity=activity(1, "practice"), now=at(START)
    )
    assert again.status == "submitted"
    signed = services.sign_off(progress=again, reviewer=mentor, approve=True)
    assert (signed.status, signed.reviewed_by) == ("signed_off", mentor)
    assert signed.reviewed_at is not None


def test_training_admin_may_sign_off_any_hire(member, people):
    progress = services.complete_activity(
        user=people["hire"], activity=activity(1, "practice"), now=at(START)
    )
    assert (
        services.sign_off(
            progress=progress, reviewer=people["admin"], approve=True
        ).status
        == "signed_off"
    )


def test_someone_outside_a_cohort_is_refused(member, user_factory):
    with pytest.raises(services.OnboardingError, match="not in an onboarding cohort"):
        services.complete_activity(
            user=user_factory(), activity=activity(1, "read"), now=at(START)
        )


def test_the_program_completes_when_every_required_activity_is_done(member, people):
    hire, mentor = people["hire"], people["mentor"]
    late = at(date(2027, 1, 31))
    for week in range(1, 5):
        for key in ("read", "practice"):
            progress = services.complete_activity(
                user=hire, activity=activity(week, key), now=late
            )
            if progress.status == "submitted":
                services.sign_off(progress=progress, reviewer=mentor, approve=True)
    member.refresh_from_db()
    assert member.completed_at is not None


def test_hire_page_shows_open_and_locked_weeks(client, member, people, time_machine):
    time_machine.move_to(at(date(2026, 11, 25)))
    client.force_login(people["hire"])
    html = client.get("/onboarding/").content.decode()
    assert "Open" in html and "Opens Monday 30 November 2026" in html
    assert "Read week 1" in html and "Read week 2" not in html
    response = client.post(
        f"/onboarding-tasks/activities/{activity(1, 'practice').pk}/complete/",
        follow=True,
    )
    assert "with your mentor for sign-off" in response.content.decode()


def test_customers_cannot_see_the_onboarding_program(client, member, user_factory):
    client.force_login(user_factory())
    assert client.get("/onboarding/").status_code == 404


def test_mentor_view_lists_the_queue_and_signs_off(
    client, member, people, time_machine
):
    time_machine.move_to(at(date(2026, 11, 25)))
    progress = services.complete_activity(
        user=people["hire"], activity=activity(1, "practice")
    )
    client.force_login(people["mentor"])
    html = client.get("/onboarding-tasks/mentor/").content.decode()
    assert "Practice week 1" in html and people["hire"].display_name in html
    client.post(f"/onboarding-tasks/sign-off/{progress.pk}/", {"decision": "approve"})
    progress.refresh_from_db()
    assert progress.status == "signed_off"
    client.force_login(people["other_mentor"])
    assert client.get("/onboarding-tasks/mentor/").status_code == 404
    assert (
        client.post(
            f"/onboarding-tasks/sign-off/{progress.pk}/", {"decision": "approve"}
        ).status_code
        == 404
    )


def test_passing_the_linked_exam_completes_the_exam_activity(member, people):
    from tests.factories import make_exam, pass_exam

    exam = make_exam(count=4)
    final = OnboardingActivity.objects.create(
        week=activity(4, "read").week,
        key="final",
        title="Final exam",
        kind="exam",
        page=exam,
        sort_order=5,
    )
    with pytest.raises(services.OnboardingError):
        services.complete_activity(
            user=people["hire"], activity=final, now=at(date(2027, 1, 1))
        )
    pass_exam(people["hire"], exam)
    assert ActivityProgress.objects.get(activity=final, member=member).status == "done"
    assert (
        CohortMember.objects.get(pk=member.pk).completed_at is None
    )  # others still to do
