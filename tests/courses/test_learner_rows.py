"""A learner's own rows (enrollments, lessons done, exemptions) are kept per
learner: a second visit to a course page or the dashboard reads none of them,
and whatever the learner or an admin changes shows on the very next page, in
every process. What decides (enrolling) reads the database, never the copy.

These tests commit (a transaction that changed a learner's rows keeps nothing
it reads of them, so a test inside one transaction would never keep)."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import roles
from courses import services
from courses.learner_rows import kept_rows, read_rows
from courses.models import Enrollment, ModulePage, PrerequisiteExemption
from tests.factories import make_course, site_tree

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEARNER_TABLES = (
    "courses_enrollment",
    "courses_moduleprogress",
    "courses_prerequisiteexemption",
)


def _learner_reads(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [
        q["sql"]
        for q in queries
        if any(f'FROM "{table}"' in q["sql"] for table in LEARNER_TABLES)
    ]


def _lessons(course) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


@pytest.fixture
def enrolled(client, learner):
    site_tree()
    course = make_course(title="Gateway basics", modules=2)
    services.enroll(user=learner, course=course)
    client.force_login(learner)
    return course


@pytest.mark.parametrize("where", ["/dashboard/", "course", "lesson", "/catalog/"])
def test_a_second_visit_reads_none_of_the_learners_rows(client, enrolled, where):
    url = {"course": enrolled.url, "lesson": _lessons(enrolled)[0].url}.get(
        where, where
    )
    client.get(url)  # a lesson's first visit is remembered (a write)
    cache.clear()
    assert _learner_reads(client, url)  # nothing kept: read

    assert _learner_reads(client, url) == []


def test_completing_a_lesson_shows_at_once_on_the_dashboard_and_the_course(
    client, enrolled
):
    first, second = _lessons(enrolled)
    client.get("/dashboard/")
    client.get(enrolled.url)  # both kept, with no lesson done

    client.get(first.url)
    client.post(first.url + "complete/")

    dashboard = client.get("/dashboard/").content.decode()
    assert "1 of 2 modules" in dashboard
    # The dashboard resumes at the lesson not done yet.
    assert f'href="{second.url}"' in dashboard
    assert 'max="100" value="50"' in client.get(enrolled.url).content.decode()

    client.get(second.url)
    client.post(second.url + "complete/")
    assert "Completed" in client.get(enrolled.url).content.decode()
    assert (
        "Gateway basics"
        in client.get("/dashboard/").content.decode().split("Completed courses")[1]
    )


def test_opening_another_lesson_moves_the_resume_point_at_once(client, learner):
    """Opening a lesson is a bulk update (no signal): it forgets the copy itself."""
    site_tree()
    course = make_course(title="Three lessons", modules=3)
    services.enroll(user=learner, course=course)
    client.force_login(learner)
    first, _second, third = _lessons(course)
    client.get(first.url)
    client.get(third.url)
    assert (
        "Resume: Three lessons: lesson 3" in client.get("/dashboard/").content.decode()
    )

    client.get(first.url)  # opened before: only the enrollment's update

    assert (
        "Resume: Three lessons: lesson 1" in client.get("/dashboard/").content.decode()
    )
    assert Enrollment.objects.get().last_module_id == first.pk


def test_an_enrollment_elsewhere_shows_on_the_next_dashboard(client, enrolled, learner):
    other = make_course(title="Routing advanced")
    assert "Routing advanced" not in client.get("/dashboard/").content.decode()

    # As another process would: the service, not this client.
    services.enroll(user=learner, course=other)

    assert "Routing advanced" in client.get("/dashboard/").content.decode()


def test_an_exemption_granted_and_taken_back_shows_at_once(
    client, learner, user_factory
):
    site_tree()
    basics = make_course(title="Basics first")
    locked = make_course(title="Needs basics", prerequisites=[basics])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(learner)
    assert "Enroll in this course" not in client.get(locked.url).content.decode()

    services.grant_exemption(
        user=learner, course=locked, granted_by=admin, reason="Did it elsewhere"
    )
    assert "Enroll in this course" in client.get(locked.url).content.decode()

    PrerequisiteExemption.objects.filter(user=learner).delete()
    assert "Enroll in this course" not in client.get(locked.url).content.decode()
    assert client.post(locked.url + "enroll/").status_code in (302, 403)
    assert not Enrollment.objects.filter(user=learner, course=locked).exists()


def test_enrolling_decides_from_the_database_not_the_kept_copy(learner, user_factory):
    site_tree()
    basics = make_course(title="Basics first")
    locked = make_course(title="Needs basics", prerequisites=[basics])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    services.grant_exemption(
        user=learner, course=locked, granted_by=admin, reason="Did it elsewhere"
    )
    assert locked.pk in kept_rows(learner).exemptions  # kept
    # A bulk change sends no signal: the kept copy still holds the exemption.
    PrerequisiteExemption.objects.filter(user=learner).update(course=basics)
    assert locked.pk in kept_rows(learner).exemptions

    with pytest.raises(services.PrerequisitesNotMet):
        services.enroll(user=learner, course=locked)


def test_a_rolled_back_change_is_never_kept(learner):
    site_tree()
    course = make_course()
    assert kept_rows(learner).enrollments == {}

    with pytest.raises(RuntimeError), transaction.atomic():
        Enrollment.objects.create(user=learner, course=course)
        # This transaction sees its own enrollment: it must not keep it.
        assert course.pk in kept_rows(learner).enrollments
        raise RuntimeError("rolled back")

    assert kept_rows(learner).enrollments == {}
    assert read_rows(learner).enrollments == {}


def test_the_rows_are_read_from_the_database_when_the_cache_is_down(
    learner, monkeypatch
):
    site_tree()
    course = make_course()
    services.enroll(user=learner, course=course)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    assert course.pk in kept_rows(learner).enrollments


def test_the_transaction_that_changed_them_reads_them_from_the_database(learner):
    """Another process may keep what it saw before this transaction's change
    under the number the change advanced: the transaction never reads that."""
    from accounts.api import generations
    from courses.content_version import VERSION_KEY
    from courses.learner_rows import LearnerRows

    site_tree()
    course = make_course()
    name = f"courses:learner-rows:{learner.pk}"
    with transaction.atomic():
        Enrollment.objects.create(user=learner, course=course)
        numbers = generations([VERSION_KEY, name])
        before = LearnerRows(enrollments={}, completed={}, exemptions=frozenset())
        cache.set(f"{name}:{numbers[VERSION_KEY]}:{numbers[name]}", before, 600)

        assert course.pk in kept_rows(learner).enrollments


def test_the_rows_are_read_in_one_statement_as_the_query_builder_reads_them(
    learner, user_factory
):
    """Enrollments field for field, the live lessons done counted (a lesson
    unpublished since keeps its row but no longer counts), every lesson done
    listed, the exemptions; nobody else's rows."""
    from django.db.models import Count, Q

    site_tree()
    done = make_course(title="Done twice", modules=3)
    untouched = make_course(title="Not started", modules=2)
    exempted = make_course(title="Exempted", prerequisites=[untouched])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    other = user_factory()
    for person in (learner, other):
        services.enroll(user=person, course=done)
    services.enroll(user=learner, course=untouched)
    first, second, _third = _lessons(done)
    for person, lesson in ((learner, first), (learner, second), (other, _third)):
        services.open_module(user=person, module=lesson)
        services.complete_module(user=person, module=lesson)
    services.grant_exemption(
        user=learner, course=exempted, granted_by=admin, reason="Did it elsewhere"
    )
    second.unpublish()

    with CaptureQueriesContext(connection) as queries:
        rows = read_rows(learner)

    assert len(queries) == 1
    expected = {
        e.course_id: e
        for e in Enrollment.objects.filter(user=learner).annotate(
            live_done=Count(
                "module_progress",
                filter=Q(
                    module_progress__completed_at__isnull=False,
                    module_progress__module__live=True,
                ),
            )
        )
    }
    assert set(rows.enrollments) == {done.pk, untouched.pk}
    fields = [field.attname for field in Enrollment._meta.concrete_fields]
    for course_id, enrollment in rows.enrollments.items():
        for field in fields:
            assert getattr(enrollment, field) == getattr(expected[course_id], field)
        assert enrollment.completed_modules == expected[course_id].live_done
        assert not enrollment._state.adding
    assert rows.enrollments[done.pk].completed_modules == 1
    assert rows.enrollments[untouched.pk].completed_modules == 0
    assert rows.completed == {done.pk: frozenset({first.pk, second.pk})}
    assert rows.exemptions == frozenset({exempted.pk})


def test_a_learner_with_no_rows_reads_empty_rows_in_one_statement(learner):
    with CaptureQueriesContext(connection) as queries:
        rows = read_rows(learner)

    assert len(queries) == 1
    assert (rows.enrollments, rows.completed, rows.exemptions) == ({}, {}, frozenset())
