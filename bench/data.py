"""Demo-sized data for a benchmark run, built in its own database.

The real curriculum (``content/``) is loaded first, then bulk copies make it the size
of a busy deployment: extra courses in the catalog, thousands of learners with
enrollments, and one 80-question exam that every simulated learner takes. Learners
sign in through sessions written straight into the session store (as a login would),
so the load test measures the exam, not password hashing.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction

BENCH_PASSWORD = "bench-pass-not-secret-42"
EXAM_SLUG = "bench-certification-exam"
EXAM_QUESTIONS = 80
QUESTIONS_PER_PAGE = 10
BANK_SIZE = 120
# Different answers prepared per question; the load test picks among them.
ANSWER_SAMPLES = 5
CSRF_SECRET_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True)
class DataSize:
    courses: int
    learners: int


def build(size: DataSize, *, rng: random.Random) -> dict:
    """Everything the load scenarios need, as plain data for the Locust process."""
    from django.core.management import call_command
    from django.urls import reverse

    from lms.loading import load_content

    call_command("migrate", verbosity=0, interactive=False)
    load_content()
    with transaction.atomic():
        courses = _add_courses(size.courses)
        learners = _add_learners(size.learners, courses=courses, rng=rng)
        exam = _add_exam()
    return {
        "courses": courses,
        "learner_ids": learners,
        # Where the exam page's "Start" form posts.
        "start_url": reverse("exams:start", args=[exam.pk]),
    }


def _add_courses(total: int) -> list[dict]:
    """Top the catalog up to ``total`` courses of three lessons each."""
    from courses.models import CatalogPage, CoursePage, ModulePage

    catalog = CatalogPage.objects.get()
    existing = CoursePage.objects.child_of(catalog).count()
    for n in range(existing + 1, total + 1):
        course = catalog.add_child(
            instance=CoursePage(
                title=f"Operations practice {n}",
                slug=f"operations-practice-{n}",
                code=f"OP-{n}",
                summary=f"Day-to-day operations, part {n}.",
                duration_hours=2,
            )
        )
        for m in range(1, 4):
            course.add_child(
                instance=ModulePage(
                    title=f"Operations practice {n}: lesson {m}",
                    slug=f"lesson-{m}",
                    summary=f"Lesson {m}.",
                    body=[
                        {"type": "heading", "value": f"Lesson {m}"},
                        {
                            "type": "rich_text",
                            "value": "<p>" + "Queues, timeouts and retries. " * 40,
                        },
                    ],
                )
            )
    rows = []
    for course in CoursePage.objects.child_of(catalog).live().order_by("path"):
        module = ModulePage.objects.child_of(course).live().order_by("path").first()
        if course.audience == "internal" or module is None:
            continue
        rows.append({"id": course.pk, "url": course.url, "lesson_url": module.url})
    return rows


def _add_learners(total: int, *, courses: list[dict], rng: random.Random) -> list[int]:
    """``total`` verified customer learners, each enrolled in three courses."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from courses.models import Enrollment

    password = make_password(BENCH_PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=f"bench-learner-{n}@example.org",
            first_name="Learner",
            last_name=f"No. {n}",
            password=password,
        )
        for n in range(1, total + 1)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True)
        for user in users
    )
    course_ids = [course["id"] for course in courses]
    Enrollment.objects.bulk_create(
        Enrollment(user=user, course_id=course_id)
        for user in users
        for course_id in rng.sample(course_ids, min(3, len(course_ids)))
    )
    return [user.pk for user in users]


def _add_exam():
    """One published 80-question exam, ten questions a page, open to everyone."""
    from exams import question_types
    from exams.models import (
        ExamIndexPage,
        ExamPage,
        ExamSection,
        Question,
        QuestionBank,
    )

    # Every type graded on submit, each with its registered example answer.
    auto_types = [t for t in question_types.all_types() if not t.manual]
    bank = QuestionBank(key="bench-bank", title="Benchmark question bank")
    bank.questions = [
        Question(
            key=f"q{i}",
            topic="operations",
            stem=f"<p>Question {i}: which setting applies to case {i}?</p>",
            explanation=f"<p>Because of rule {i}.</p>",
            answer=[
                {
                    "type": auto_types[i % len(auto_types)].code,
                    "value": auto_types[i % len(auto_types)].example_answer(),
                }
            ],
            sort_order=i,
        )
        for i in range(BANK_SIZE)
    ]
    bank.save()
    bank.save_revision().publish()
    exam = ExamIndexPage.objects.get().add_child(
        instance=ExamPage(
            title="Benchmark certification exam",
            slug=EXAM_SLUG,
            time_limit_minutes=120,
            pass_mark=60,
            attempts_allowed=0,
            questions_per_page=QUESTIONS_PER_PAGE,
            shuffle_questions=True,
            shuffle_choices=True,
        )
    )
    ExamSection.objects.create(exam=exam, title="All", bank=bank, count=EXAM_QUESTIONS)
    return exam


def sign_in(user_ids: list[int]) -> list[dict]:
    """A session per learner in the session store, as allauth's login would leave.

    Returns the cookies each simulated browser sends: the session and a CSRF secret
    (Django accepts the bare secret as the token).
    """
    from accounts.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    backend = settings.AUTHENTICATION_BACKENDS[0]
    browsers = []
    for user_id in user_ids:
        user = users[user_id]
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        browsers.append(
            {
                "user_id": user.pk,
                "sessionid": session.session_key,
                "csrftoken": "".join(
                    secrets.choice(CSRF_SECRET_CHARS) for _ in range(32)
                ),
            }
        )
    return browsers


def start_attempts(user_ids: list[int]) -> None:
    """Each learner starts the bench exam, as the storm's start would."""
    from accounts.models import User
    from exams.models import ExamPage
    from exams.services import start_attempt

    exam = ExamPage.objects.get(slug=EXAM_SLUG)
    for user in User.objects.filter(pk__in=user_ids):
        start_attempt(user=user, exam=exam)


def attempts_of(
    user_ids: list[int], *, rng: random.Random | None = None
) -> dict[str, dict]:
    """Each learner's open attempt on the bench exam, page by page, as the browser
    sees it (public question data only), with answers the browser may post."""
    from exams import question_types
    from exams.models import Attempt, AttemptPaper, AttemptStatus

    rng = rng or random.Random(0)

    attempts = {
        a.pk: a
        for a in Attempt.objects.filter(
            user_id__in=user_ids,
            exam__slug=EXAM_SLUG,
            status=AttemptStatus.IN_PROGRESS,
        )
    }
    served: dict[int, dict] = {}
    questions = (
        question
        for paper in AttemptPaper.objects.filter(attempt_id__in=attempts)
        for question in paper.question_list()
    )
    for question in questions:
        attempt = attempts[question.attempt_id]
        entry = served.setdefault(
            attempt.pk,
            {
                "user_id": attempt.user_id,
                "public_id": str(attempt.public_id),
                "seq": attempt.last_save_sequence,
                "pages": {},
            },
        )
        page = (question.position - 1) // QUESTIONS_PER_PAGE + 1
        entry["pages"].setdefault(str(page), []).append(
            {
                "position": question.position,
                "type": question.snapshot["type"],
                "public": question.snapshot["public"],
                # Answers the learner's browser may post, drawn from at run time.
                "samples": [
                    question_types.get(question.snapshot["type"]).sample_form_fields(
                        f"q{question.position}", question.snapshot["public"], rng
                    )
                    for _ in range(ANSWER_SAMPLES)
                ],
            }
        )
    return {str(entry["user_id"]): entry for entry in served.values()}
