"""Synthetic history for the reports: many learners across the demo organizations,
enrolments, graded exam attempts with varied answers, certificates in every state.

Written in bulk (not through the services) so that seeding stays fast; the rows
are the ones the services would write. Answers follow a simple ability model, so
score histograms and item statistics look like real ones; a few questions are
made too easy, too hard or non-discriminating on purpose, so the item analysis
has something to flag. Deterministic and idempotent: nothing is added once the
synthetic learners exist.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Organization, User
from certificates.models import Certificate, CertificationLevelPage, ReminderSent
from classes.models import Booking, BookingStatus
from courses.models import Audience, CoursePage, Enrollment
from exams import grading, policy
from exams.models import (
    Attempt,
    AttemptPaper,
    AttemptStatus,
    ExamPage,
    paper_item,
    paper_key,
    stored_points,
)
from exams.services import draw_questions

from .learning import ORGANIZATIONS, _answer

LEARNER_COUNT = 150
EMAIL = "learner{:03d}@analytics.example.com"


def _correct_probability(ability: float, difficulty: float, slope: float) -> float:
    return 0.15 + 0.85 / (1 + math.exp(-slope * (ability - difficulty)))


def _question_traits(position: int, rng: random.Random) -> tuple[float, float]:
    """(difficulty, slope) of the n-th question drawn from a bank: most are
    ordinary; the first is too easy, the second does not discriminate and the
    third is too hard."""
    if position == 0:
        return -6.0, 1.5
    if position == 1:
        return 0.0, 0.0
    if position == 2:
        return 4.5, 1.5
    return rng.uniform(-1.5, 1.5), rng.uniform(0.8, 2.2)


def seed_analytics() -> int:
    """Create the synthetic learners and their histories; returns how many."""
    if User.objects.filter(email=EMAIL.format(0)).exists():
        return 0
    rng = random.Random(8)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    today = timezone.localdate()
    organizations = [
        Organization.objects.get_or_create(
            name=name, defaults={"slug": name.lower().replace(" ", "-")}
        )[0]
        for name in ORGANIZATIONS
    ]
    password = make_password(None)
    people = User.objects.bulk_create(
        [
            User(
                email=EMAIL.format(i),
                first_name=f"Learner {i:03d}",
                last_name=organizations[i % len(organizations)].name.split()[0],
                organization=organizations[i % len(organizations)],
                password=password,
                date_joined=now - timedelta(days=rng.randint(30, 400)),
            )
            for i in range(LEARNER_COUNT)
        ]
    )
    ability = {person.pk: rng.gauss(0, 1) for person in people}

    courses = list(CoursePage.objects.live().filter(audience=Audience.CUSTOMERS)[:4])
    enrollments, history = [], []
    for person in people:
        for course in courses[: rng.randint(1, len(courses) or 1)]:
            enrolled_at = now - timedelta(days=rng.randint(5, 360))
            completed = rng.random() < 0.35 + 0.2 * ability[person.pk]
            started = completed or rng.random() < 0.7
            completed_at = (
                min(now, enrolled_at + timedelta(days=rng.randint(3, 60)))
                if completed
                else None
            )
            history.append((enrolled_at, completed_at))
            enrollments.append(
                Enrollment(
                    user=person,
                    course=course,
                    last_activity_at=enrolled_at + timedelta(days=1)
                    if started
                    else None,
                )
            )
    # The people are new, so no row can conflict (and none of their rows can be
    # kept in the cache, which a bulk write would not forget): every created
    # row comes back with its id. auto_now_add stamps each with today, so the dates of the past
    # (enrolment, then completion) are written in one update afterwards.
    created = Enrollment.objects.bulk_create(enrollments)
    for enrollment, (enrolled_at, completed_at) in zip(created, history, strict=True):
        enrollment.enrolled_at, enrollment.completed_at = enrolled_at, completed_at
    Enrollment.objects.bulk_update(
        created, ["enrolled_at", "completed_at"], batch_size=500
    )

    exams = list(ExamPage.objects.live().filter(sections__isnull=False).distinct())
    for exam in exams:
        _seed_attempts(exam, people, ability, rng, now)

    _seed_certificates(people, rng, today, now)
    _mark_attendance(now)
    return len(people)


def _seed_attempts(exam, people, ability, rng, now) -> None:
    takers = rng.sample(people, k=min(len(people), rng.randint(60, 110)))
    try:
        sample = draw_questions(exam, rng=rng)
    except Exception:  # noqa: BLE001 - an exam whose blueprint cannot be drawn is skipped
        return
    if any(question.qtype in grading.MANUAL_TYPES for _i, _t, question in sample):
        return  # practical work is graded by examiners; its demo story is elsewhere
    traits: dict[int, tuple[float, float]] = {}
    answers_of: dict[int, dict] = {}
    attempts, questions_of = [], []
    for person in takers:
        for number in (1, 2) if rng.random() < 0.3 else (1,):
            drawn = draw_questions(exam, rng=rng)
            started = now - timedelta(days=rng.randint(2, 300), hours=rng.randint(0, 9))
            used = timedelta(minutes=rng.randint(6, max(7, exam.time_limit_minutes)))
            served = []
            for position, (section_index, title, question) in enumerate(drawn, 1):
                if question.pk not in traits:
                    traits[question.pk] = _question_traits(question.sort_order, rng)
                    answers_of[question.pk] = question.answer_data()
                snapshot = grading.build_snapshot(
                    qtype=question.qtype,
                    answer=answers_of[question.pk],
                    stem=question.stem,
                    points=question.points,
                    rng=rng,
                )
                difficulty, slope = traits[question.pk]
                skill = _correct_probability(
                    ability[person.pk] + 0.4 * (number - 1), difficulty, slope
                )
                response = _answer(snapshot, rng, skill)
                served.append(
                    (position, section_index, title, question, snapshot, response)
                )
            result = grading.grade_attempt(
                ((s[1], s[2], s[4], s[5]) for s in served), pass_mark=exam.pass_mark
            )
            awaiting = rng.random() < 0.03
            attempts.append(
                Attempt(
                    user=person,
                    exam=exam,
                    number=number,
                    status=AttemptStatus.SUBMITTED
                    if awaiting
                    else AttemptStatus.GRADED,
                    started_at=started,
                    deadline=started + timedelta(minutes=exam.time_limit_minutes),
                    cutoff=started + timedelta(minutes=exam.time_limit_minutes),
                    deadline_policy=exam.deadline_policy,
                    pass_mark=exam.pass_mark,
                    question_count=len(served),
                    questions_per_page=exam.page_size,
                    sequential=policy.is_sequential(exam),
                    submitted_at=started + used,
                    graded_at=None if awaiting else started + used,
                    points=None if awaiting else result.points,
                    max_points=result.max_points,
                    percent=None if awaiting else result.percent,
                    passed=None if awaiting else result.passed,
                )
            )
            questions_of.append((served, result))
            if result.passed:
                break
    Attempt.objects.bulk_create(attempts, batch_size=500)
    papers = []
    for attempt, (served, result) in zip(attempts, questions_of, strict=True):
        paper = AttemptPaper(attempt=attempt, questions=[])
        when = attempt.submitted_at.isoformat()
        for (
            position,
            section_index,
            title,
            question,
            snapshot,
            response,
        ), outcome in zip(served, result.questions, strict=True):
            key = paper_key(position)
            paper.questions.append(
                paper_item(position, section_index, title, question.pk, snapshot)
            )
            paper.responses[key] = response
            paper.answered_at[key] = when
            paper.points[key] = stored_points(outcome.points)
        papers.append(paper)
    AttemptPaper.objects.bulk_create(papers, batch_size=200)


def _seed_certificates(people, rng, today, now) -> None:
    """Certificates of each level in every state, with the reminders they drew."""
    levels = list(CertificationLevelPage.objects.live().order_by("path"))
    certificates, reminders = [], []
    serial = 0
    for level in levels:
        holders = rng.sample(people, k=min(len(people), 30))
        for index, person in enumerate(holders):
            state = ["valid", "valid", "expiring", "expired", "revoked", "renewed"][
                index % 6
            ]
            days_left = {
                "valid": rng.randint(120, 900),
                "expiring": rng.randint(5, 89),
                "expired": -rng.randint(5, 300),
                "revoked": rng.randint(120, 900),
                "renewed": rng.randint(10, 80),
            }[state]
            expires = today + timedelta(days=days_left)
            issued = expires - timedelta(days=30 * level.validity_months)
            serial += 1
            certificate = Certificate(
                serial=f"DEMO-{level.code.upper()}-{serial:05d}",
                holder=person,
                holder_name=str(person),
                kind="certification",
                level=level,
                title=level.title,
                issued_on=issued,
                expires_on=expires,
                cycle=1,
                revoked_at=now if state == "revoked" else None,
                revocation_reason="Demo record." if state == "revoked" else "",
            )
            certificates.append((state, certificate))
    Certificate.objects.bulk_create([c for _state, c in certificates])
    renewals = []
    for state, certificate in certificates:
        if state == "expiring":
            reminders.append(ReminderSent(certificate=certificate, offset_days=90))
            if certificate.days_to_expiry(today) <= 30:
                reminders.append(ReminderSent(certificate=certificate, offset_days=30))
        if state == "renewed":
            serial += 1
            renewals.append(
                Certificate(
                    serial=f"DEMO-R-{serial:05d}",
                    holder=certificate.holder,
                    holder_name=certificate.holder_name,
                    kind="certification",
                    level=certificate.level,
                    title=certificate.title,
                    issued_on=today - timedelta(days=rng.randint(1, 60)),
                    expires_on=certificate.expires_on
                    + timedelta(days=30 * certificate.level.validity_months),
                    cycle=2,
                    supersedes=certificate,
                )
            )
    Certificate.objects.bulk_create(renewals)
    ReminderSent.objects.bulk_create(reminders, ignore_conflicts=True)


def _mark_attendance(now) -> None:
    """Past classes: most booked learners came, one did not."""
    past = Booking.objects.filter(
        session__ends_at__lt=now, status=BookingStatus.BOOKED
    ).order_by("pk")
    ids = list(past.values_list("pk", flat=True))
    Booking.objects.filter(pk__in=ids[:-1]).update(
        status=BookingStatus.ATTENDED, attendance_marked_at=now
    )
    Booking.objects.filter(pk__in=ids[-1:]).update(
        status=BookingStatus.NO_SHOW, attendance_marked_at=now
    )
