"""A start keeps what it reads of its exam that only an editor changes (whether
it is private, its course, the courses it requires) under the content version:
a second learner's start reads none of it, and each kind of change an editor
can make is obeyed by the very next start."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts.api import generations
from courses.api import CONTENT_VERSION_KEY, content_changed, content_version
from courses.models import Enrollment
from exams import services
from exams.exam_facts import BLUEPRINTS_KEY, VERSION, exam_facts
from exams.models import Attempt, ExamPage, ExamRequiredCourse
from tests.factories import make_bank, make_course, make_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam(bank=make_bank(questions=10), count=10)


def start(user, exam):
    """The learner's Start pressed: (the response, the SQL it ran)."""
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("exams:start", args=[exam.pk]))
    return response, [query["sql"] for query in captured.captured_queries]


def started(user, exam) -> bool:
    return Attempt.objects.filter(user=user, exam=exam).exists()


def test_a_second_start_reads_six_queries_fewer(exam, user_factory):
    start(user_factory(), exam)  # fills every cache a start uses
    _response, kept = start(user_factory(), exam)
    content_changed()  # an editor's change: the facts are read again
    _response, read = start(user_factory(), exam)

    # The exam page itself, its restrictions, its parent (two), its required
    # courses and its sections with their banks.
    assert len(read) - len(kept) == 6, (read, kept)
    assert not [sql for sql in kept if "exams_examsection" in sql]
    assert not [sql for sql in kept if '"exams_exampage"' in sql]
    assert not [sql for sql in kept if "wagtailcore_pageviewrestriction" in sql]
    assert not [sql for sql in kept if "exams_examrequiredcourse" in sql]
    assert [sql for sql in read if "wagtailcore_pageviewrestriction" in sql]


@pytest.mark.parametrize("on", ["exam", "parent"])
def test_an_exam_made_private_refuses_the_next_start(exam, user_factory, on):
    first, second = user_factory(), user_factory()
    assert start(first, exam)[0].status_code == 302 and started(first, exam)

    page = exam if on == "exam" else exam.get_parent()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Partner engineers"))
    response, _sql = start(second, exam)

    assert response.status_code == 302 and response["Location"] == exam.url
    assert not started(second, exam)
    # Kept as private: a member of the group is let in, checked in the database.
    member = user_factory()
    member.groups.add(Group.objects.get(name="Partner engineers"))
    assert start(member, exam)[0].status_code == 302 and started(member, exam)


def test_a_restriction_removed_lets_the_next_learner_start(exam, user_factory):
    PageViewRestriction.objects.create(
        page=exam, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    refused = user_factory()
    start(refused, exam)
    assert not started(refused, exam)

    PageViewRestriction.objects.filter(page=exam).delete()
    learner, next_learner = user_factory(), user_factory()
    start(learner, exam)
    _response, statements = start(next_learner, exam)
    assert started(learner, exam) and started(next_learner, exam)
    # Kept as public again: the restrictions are no longer read at all.
    assert not [sql for sql in statements if "wagtailcore_pageviewrestriction" in sql]


def test_a_preview_of_a_draft_never_changes_what_learners_are_asked(exam, user_factory):
    """An editor's preview renders an unsaved copy of the exam whose required
    courses are the draft's: the start's check still asks for the live ones."""
    site_tree()
    course = make_course(title="Safety First", modules=1)
    ExamRequiredCourse.objects.create(exam=exam, course=course)
    draft = ExamPage.objects.get(pk=exam.pk)
    draft.required_courses = []  # the draft drops the requirement, unsaved

    assert exam_facts(draft).required == ((course.pk, "Safety First"),)
    with pytest.raises(services.RequirementsNotMet, match="Safety First"):
        services.start_attempt(user=user_factory(), exam=exam)


def test_a_required_course_added_or_removed_counts_at_the_next_start(
    exam, user_factory
):
    site_tree()
    course = make_course(title="Network Basics", modules=1)
    first = user_factory()
    services.start_attempt(user=first, exam=exam)

    # Added as a row (as an import would), not by publishing the exam.
    required = ExamRequiredCourse.objects.create(exam=exam, course=course)
    with pytest.raises(services.RequirementsNotMet, match="Network Basics"):
        services.start_attempt(user=user_factory(), exam=exam)

    required.delete()
    assert services.start_attempt(user=user_factory(), exam=exam)


def test_an_exam_moved_into_a_course_asks_for_its_enrolment(exam, user_factory):
    site_tree()
    course = make_course(title="Incident Handling", modules=0)
    services.start_attempt(user=user_factory(), exam=exam)
    assert exam_facts(exam).course is None

    exam.move(course, pos="last-child")
    exam = ExamPage.objects.get(pk=exam.pk)
    learner = user_factory()
    with pytest.raises(services.RequirementsNotMet, match="Enroll in Incident"):
        services.start_attempt(user=learner, exam=exam)

    Enrollment.objects.create(user=learner, course=course)
    assert services.start_attempt(user=learner, exam=exam)
    assert exam_facts(exam).course.title == "Incident Handling"


def test_something_else_under_the_key_is_read_as_missing(exam, learner):
    numbers = generations([CONTENT_VERSION_KEY, BLUEPRINTS_KEY])
    cache.set(
        f"exams:facts:{VERSION}:{content_version()}:{numbers[BLUEPRINTS_KEY]}:{exam.pk}",
        {"private": 0},
    )
    assert exam_facts(exam).private is False
    assert services.start_attempt(user=learner, exam=exam)


def test_an_edited_time_limit_and_an_unpublished_exam_are_followed_by_the_next_start(
    exam, user_factory
):
    first, second, third = user_factory(), user_factory(), user_factory()
    start(first, exam)  # the live page is kept
    exam.time_limit_minutes = 45
    exam.save_revision().publish()

    response, _sql = start(second, exam)
    attempt = Attempt.objects.get(user=second, exam=exam)
    assert response.status_code == 302
    assert attempt.deadline - attempt.started_at == timedelta(minutes=45)

    exam.unpublish()
    response, _sql = start(third, exam)
    assert response.status_code == 404 and not started(third, exam)


def test_the_attempt_page_reads_its_exam_page_once_and_follows_a_new_title(
    exam, learner
):
    """The attempt page names the exam from the kept page, not a join on every
    request; a title an editor publishes shows on the learner's next page."""
    start(learner, exam)
    attempt = Attempt.objects.get(user=learner, exam=exam)
    client = Client()
    client.force_login(learner)
    url = reverse("exams:attempt", args=[attempt.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert exam.title in response.content.decode()
    assert not [q for q in captured.captured_queries if '"exams_exampage"' in q["sql"]]

    exam.title = "Renamed for exam day"
    exam.save_revision().publish()
    assert "Renamed for exam day" in client.get(url).content.decode()


def test_a_section_added_and_a_bank_unpublished_count_at_the_next_start(
    exam, user_factory
):
    """The kept sections carry whether each bank is live: a section added as a
    row is drawn from at once, and a bank unpublished is not."""
    from exams.models import ExamSection

    services.start_attempt(user=user_factory(), exam=exam)  # the facts are kept
    bank = make_bank(questions=4, topic="extra")
    ExamSection.objects.create(exam=exam, title="Extra", bank=bank, count=4)
    attempt = services.start_attempt(user=user_factory(), exam=exam)
    assert len(attempt.served_questions()) == 14

    bank.unpublish()
    learner = user_factory()
    with pytest.raises(services.BlueprintError):
        services.start_attempt(user=learner, exam=exam)
    assert not started(learner, exam)


def test_a_bank_published_leaves_the_pages_kept(exam, user_factory):
    """A bank's publish changes what a start draws from, not what a page shows:
    the content version (the key of every kept page) stays; the blueprints'
    number moves, and the next start draws the new revision."""
    from exams.models import QuestionBank

    services.start_attempt(user=user_factory(), exam=exam)
    version = content_version()
    bank = QuestionBank.objects.get(pk=exam.sections.get().bank_id)
    before = exam_facts(ExamPage.objects.get(pk=exam.pk)).sections[0].bank

    bank.save_revision().publish()

    assert content_version() == version
    after = exam_facts(ExamPage.objects.get(pk=exam.pk)).sections[0].bank
    assert after.live_revision_id != before.live_revision_id
    assert (
        after.live_revision_id == QuestionBank.objects.get(pk=bank.pk).live_revision_id
    )


def test_a_start_reads_the_cache_three_times_with_its_session(
    exam, user_factory, settings
):
    """The numbers with the learner's session, then the exam page and its facts,
    then the questions' pool: three reads, where each was one of its own."""
    from tests.cache_reads import CacheReads

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    start(user_factory(), exam)  # keeps the page, the facts and the pool
    client = Client()
    client.force_login(user_factory())

    with CacheReads() as cache_calls, CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("exams:start", args=[exam.pk]))

    assert response.status_code == 302 and "/exams/attempts/" in response["Location"]
    assert cache_calls.reads == 3
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
