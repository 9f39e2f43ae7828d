"""Demo learners with believable histories: enrollments, progress, exam attempts.

Everything goes through the apps' services, so the demo data obeys the same rules
as real use. Deterministic (fixed seed) and idempotent (existing learners are kept).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from accounts import roles
from accounts.models import Organization
from courses import services as course_services
from courses.models import CoursePage, ModulePage
from exams import services as exam_services
from exams.models import Attempt, ExamPage

from .accounts import ensure_user

ORGANIZATIONS = ["Northwind Logistics", "Contoso Health", "Fabrikam Energy"]
LEARNERS = [
    ("Amara", "Nwosu"),
    ("Bilal", "Haddad"),
    ("Camila", "Reyes"),
    ("Dmitri", "Volkov"),
    ("Elif", "Yilmaz"),
    ("Farah", "Siddiqui"),
    ("Goran", "Petrovic"),
    ("Hana", "Sato"),
    ("Ines", "Carvalho"),
    ("Jonas", "Lindqvist"),
    ("Keira", "O'Neill"),
    ("Luca", "Bianchi"),
    ("Mei", "Chen"),
    ("Nikhil", "Rao"),
    ("Olga", "Kowalczyk"),
    ("Pedro", "Alves"),
    ("Quinn", "Murphy"),
    ("Rania", "Aziz"),
]


def _answer(snapshot: dict, rng: random.Random, skill: float):
    """A learner's answer: right with probability ``skill``, else a plausible miss."""
    key, public, qtype = snapshot["key"], snapshot["public"], snapshot["type"]
    right = rng.random() < skill
    if qtype == "single":
        ids = [c["id"] for c in public["choices"]]
        wrong = [i for i in ids if i not in key["correct"]]
        return {
            "choice": key["correct"][0] if right or not wrong else rng.choice(wrong)
        }
    if qtype == "multiple":
        chosen = list(key["correct"]) if right else list(key["correct"][:1])
        return {"choices": chosen}
    if qtype == "true_false":
        return {"value": key["answer"] if right else not key["answer"]}
    if qtype == "short_answer":
        return {"text": key["accepted"][0] if right else "not sure"}
    if qtype == "numeric":
        return {"value": key["answer"] if right else "0"}
    if qtype == "matching":
        pairs = dict(key["pairs"])
        if not right:
            first, second = list(pairs)[:2]
            pairs[first], pairs[second] = pairs[second], pairs[first]
        return {"matches": pairs}
    order = list(key["order"])
    if not right:
        order[0], order[1] = order[1], order[0]
    return {"order": order}


def take_exam(
    user, exam: ExamPage, *, rng: random.Random, skill: float, when
) -> Attempt:
    """Start, answer and submit one attempt as if it happened at ``when``."""
    attempt = exam_services.start_attempt(
        user=user, exam=exam, now=when, seed=rng.randrange(1_000_000)
    )
    answers = {
        q.position: _answer(q.snapshot, rng, skill) for q in attempt.served_questions()
    }
    used = timedelta(minutes=rng.randint(8, max(9, exam.time_limit_minutes - 2)))
    exam_services.save_answers(
        attempt=attempt, sequence=1, answers=answers, now=when + used
    )
    return exam_services.submit_attempt(attempt=attempt, now=when + used)


def final_exam(course: CoursePage) -> ExamPage | None:
    return ExamPage.objects.child_of(course).live().first()


def work_through(user, course: CoursePage, *, modules: int | None = None) -> None:
    course_services.enroll(user=user, course=course)
    lessons = list(ModulePage.objects.child_of(course).live().order_by("path"))
    for module in lessons[: modules if modules is not None else len(lessons)]:
        course_services.open_module(user=user, module=module)
        course_services.complete_module(user=user, module=module)


def seed_learning() -> int:
    """Create the demo learners and their histories; returns how many were new."""
    rng = random.Random(20261127)  # noqa: S311 - demo data, not secrets
    courses = {c.slug: c for c in CoursePage.objects.live()}
    fundamentals = courses.get("fundamentals")
    advanced = courses.get("advanced-administration")
    if fundamentals is None:
        return 0
    organizations = [
        Organization.objects.get_or_create(
            name=name, defaults={"slug": name.lower().replace(" ", "-")}
        )[0]
        for name in ORGANIZATIONS
    ]
    created_count = 0
    now = timezone.now()
    for index, (first, last) in enumerate(LEARNERS):
        email = f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.com"
        user, created = ensure_user(
            email=email,
            first_name=first,
            last_name=last,
            role_names=[roles.LEARNERS],
            organization=organizations[index % len(organizations)],
            is_organization_admin=index < len(organizations),
        )
        if not created:
            continue
        created_count += 1
        skill = 0.45 + 0.5 * rng.random()
        stage = index % 6
        if stage == 0:
            work_through(user, fundamentals, modules=rng.randint(1, 6))
            continue
        work_through(user, fundamentals)
        exam = final_exam(fundamentals)
        if exam is None or stage == 1:
            continue
        when = now - timedelta(days=rng.randint(20, 200))
        attempt = take_exam(user, exam, rng=rng, skill=skill, when=when)
        if not attempt.passed and stage >= 3:
            attempt = take_exam(
                user,
                exam,
                rng=rng,
                skill=min(0.98, skill + 0.3),
                when=when + timedelta(days=2),
            )
        if attempt.passed and advanced and stage >= 4:
            work_through(
                user, advanced, modules=None if stage == 5 else rng.randint(3, 15)
            )
    created_count += seed_worldwide_learner(fundamentals, rng=rng, now=now)
    return created_count


# A name in three scripts (Latin with a stroked letter, Greek, Chinese): the
# certificate, the verification page and the e-mails must all print it exactly.
WORLDWIDE_LEARNER = ("Łukasz", "Ζωή-李小龙", "lukasz.zoe@example.com")


def seed_worldwide_learner(course: CoursePage, *, rng: random.Random, now) -> int:
    """The learner whose name no standard PDF font can print, with the course
    passed and its completion certificate issued."""
    from certificates import services as certificate_services

    first, last, email = WORLDWIDE_LEARNER
    user, created = ensure_user(
        email=email, first_name=first, last_name=last, role_names=[roles.LEARNERS]
    )
    if not created:
        return 0
    work_through(user, course)
    exam = final_exam(course)
    when = now - timedelta(days=12)
    for retake in range(3):
        if exam is None:
            break
        attempt = take_exam(
            user, exam, rng=rng, skill=0.97, when=when + timedelta(days=retake)
        )
        if attempt.passed:
            break
    certificate_services.issue_course_certificate(user=user, course=course)
    return 1


def _months_ago(today, months: int):
    from certificates.services import add_months

    return add_months(today, -months)


def seed_certificates() -> int:
    """Associate certificates in every state: valid, 90 days from expiry (so the
    reminder job has something to send), expired, revoked, and renewed."""
    from datetime import datetime, time

    from accounts.models import User
    from certificates import services as certificate_services
    from certificates.models import Certificate, CertificationLevelPage

    level = CertificationLevelPage.objects.live().filter(code="associate").first()
    exam = ExamPage.objects.live().filter(slug="associate").first()
    admin = User.objects.filter(email="admin@example.com").first()
    if (
        not (level and exam and admin)
        or Certificate.objects.filter(level=level).exists()
    ):
        return 0
    rng = random.Random(7)  # noqa: S311 - demo data
    today = timezone.localdate()
    plans = [
        ("valid", today - timedelta(days=100)),
        ("expiring", _months_ago(today, level.validity_months) + timedelta(days=90)),
        ("expired", _months_ago(today, level.validity_months + 1)),
        ("revoked", today - timedelta(days=200)),
        ("renewed", _months_ago(today, level.validity_months) + timedelta(days=30)),
    ]
    completed = list(
        User.objects.filter(
            enrollments__course__slug="fundamentals",
            enrollments__completed_at__isnull=False,
        )
        .exclude(certificates__level=level)
        .order_by("pk")[: len(plans)]
    )
    customer = User.objects.filter(email="customer@example.com").first()
    if customer and not customer.certificates.exists():
        # The demo customer's experience is on record, so that passing Fundamentals
        # and the Associate exam is all that stands between them and the certificate.
        attestation = certificate_services.attest_experience(
            user=customer,
            level=level,
            months=8,
            description="Eight months administering MWRASP for Northwind's logistics hubs.",
        )
        certificate_services.review_experience(
            attestation=attestation, reviewer=admin, approve=True
        )
    issued = 0
    for (state, issue_day), user in zip(plans, completed, strict=False):
        attestation = certificate_services.attest_experience(
            user=user,
            level=level,
            months=rng.randint(7, 30),
            description="Runs the company's MWRASP deployment and handles first-line cases.",
        )
        certificate_services.review_experience(
            attestation=attestation, reviewer=admin, approve=True
        )
        when = timezone.make_aware(datetime.combine(issue_day, time(10, 0)))
        take_exam(user, exam, rng=rng, skill=0.97, when=when)
        certificate = (
            certificate_services.issue_certificate_if_eligible(
                user=user, level=level, today=issue_day
            )
            or Certificate.objects.filter(holder=user, level=level).first()
        )
        if certificate is None:
            continue
        issued += 1
        if state == "revoked":
            certificate_services.revoke_certificate(
                certificate=certificate,
                revoked_by=admin,
                reason="Exam taken on behalf of another person (demo record).",
            )
        elif state == "renewed":
            take_exam(
                user,
                exam,
                rng=rng,
                skill=0.97,
                when=timezone.now() - timedelta(hours=2),
            )
            certificate_services.issue_certificate_if_eligible(user=user, level=level)
    return issued
