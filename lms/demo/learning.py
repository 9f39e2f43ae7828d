"""Demo learners with believable histories: enrollments, progress, exam attempts.

Everything goes through the apps' services, so the demo data obeys the same rules
as real use. Deterministic (fixed seed) and idempotent (existing learners are kept).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from courses import services as course_services
from courses.models import CoursePage, ModulePage
from exams import services as exam_services
from exams.models import Attempt, ExamPage
from lms.accounts import roles
from lms.accounts.models import Organization

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
        return {"choice": key["correct"][0] if right or not wrong else rng.choice(wrong)}
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


def take_exam(user, exam: ExamPage, *, rng: random.Random, skill: float, when) -> Attempt:
    """Start, answer and submit one attempt as if it happened at ``when``."""
    attempt = exam_services.start_attempt(
        user=user, exam=exam, now=when, seed=rng.randrange(1_000_000)
    )
    answers = {
        q.position: _answer(q.snapshot, rng, skill) for q in attempt.questions.all()
    }
    used = timedelta(minutes=rng.randint(8, max(9, exam.time_limit_minutes - 2)))
    exam_services.save_answers(attempt=attempt, sequence=1, answers=answers, now=when + used)
    return exam_services.submit_attempt(attempt=attempt, now=when + used)


def final_exam(course: CoursePage) -> ExamPage | None:
    return ExamPage.objects.child_of(course).live().first()


def work_through(user, course: CoursePage, *, modules: int | None = None) -> None:
    course_services.enroll(user=user, course=course)
    lessons = list(ModulePage.objects.child_of(course).live().order_by("path"))
    for module in lessons[: modules if modules is not None else len(lessons)]:
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
                user, exam, rng=rng, skill=min(0.98, skill + 0.3), when=when + timedelta(days=2)
            )
        if attempt.passed and advanced and stage >= 4:
            work_through(user, advanced, modules=None if stage == 5 else rng.randint(3, 15))
    return created_count
