"""Micro-benchmarks: grading, certificate PDFs, item analysis and the reminder job.

Each returns plain data (median seconds per call, and a ratio where there is a
baseline). The reminder job runs against its own database (``python -m
bench.micro reminders`` with ``DATABASE_URL`` pointing at it), filled with bulk SQL.
"""

from __future__ import annotations

import importlib
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal


def median_seconds(function, *, repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def _served_exam(rng: random.Random, questions: int = 80) -> list[tuple]:
    """An 80-question attempt across every auto-graded type, each answered with a
    random well-formed answer as a browser would post it."""
    from django.utils.datastructures import MultiValueDict

    from exams import grading, question_types

    auto_types = [t for t in question_types.all_types() if not t.manual]
    items = []
    for i in range(questions):
        question_type = auto_types[i % len(auto_types)]
        snapshot = grading.build_snapshot(
            qtype=question_type.code,
            answer=question_type.example_answer(),
            stem=f"<p>Q{i}</p>",
            rng=rng,
        )
        public = snapshot["public"]
        posted = MultiValueDict()
        for field, value in question_type.sample_form_fields("q", public, rng):
            posted.appendlist(field, value)
        response = question_type.clean(
            public, question_type.parse_form("q", public, posted)
        )
        items.append((i // 20, f"Section {i // 20}", snapshot, response))
    return items


def grading_benchmark() -> dict:
    from exams import grading

    items = _served_exam(random.Random(7))
    seconds = median_seconds(
        lambda: grading.grade_attempt(iter(items), pass_mark=70), repeat=200
    )
    return {"name": "grade an 80-question attempt", "seconds": seconds}


def pdf_benchmark() -> dict:
    from certificates import pdf
    from certificates.credentials import pdf_signature

    # A name in three scripts: the bare page needs the same embedded fonts to print
    # it, so both sides draw the same characters.
    data = pdf.CertificateData(
        holder_name="Łukasz Ζωή-李小龙",
        title="MWRASP Certified Professional",
        kind=pdf.KIND_CERTIFICATION,
        issued_on=date(2026, 11, 27),
        expires_on=date(2029, 11, 27),
        serial="MWR-PRO-2026-000417",
        verification_url="https://academy.example.com/verify/3fZkq0d1Rz8sXyQpTq2w/",
        score_percent=Decimal("86.5"),
    )
    # The certificate as issued: shaped, laid out, then signed by the issuer.
    designed = median_seconds(
        lambda: pdf_signature.sign(pdf.render_certificate_pdf(data)), repeat=30
    )
    plain = median_seconds(lambda: pdf.render_plain_page(data), repeat=30)
    return {
        "name": "signed any-script certificate PDF vs a bare reportlab page with the same text",
        "seconds": designed,
        "baseline_seconds": plain,
        "ratio": designed / plain,
    }


def item_analysis_benchmark(attempts: int = 2000, questions: int = 80) -> dict:
    """Item analysis on ``attempts`` x ``questions`` scored answers, with choices.

    Each attempt draws 80 of a 120-question bank, as the bench exam does; skipped
    (not failed) in a tree without ``exams.item_analysis``.
    """
    name = f"item analysis on {attempts:,} attempts x {questions} questions"
    try:
        module = importlib.import_module("exams.item_analysis")
    except ImportError:
        return {"name": name, "skipped": "exams.item_analysis is not in this tree"}
    rng = random.Random(11)
    bank = [f"q{i}" for i in range(questions * 3 // 2)]
    difficulty = {item: rng.uniform(0.3, 0.95) for item in bank}
    rows = []
    for _ in range(attempts):
        skill = rng.uniform(-0.2, 0.2)
        scores = []
        for item in rng.sample(bank, questions):
            right = rng.random() < difficulty[item] + skill
            scores.append(
                module.ItemScore(
                    item=item,
                    points=1.0 if right else 0.0,
                    choices=("a",) if right else (rng.choice("bcd"),),
                )
            )
        rows.append(module.AttemptItems(items=scores))
    options = dict.fromkeys(bank, "abcd")
    correct = dict.fromkeys(bank, "a")
    seconds = median_seconds(
        lambda: module.analyse(rows, options=options, correct_options=correct),
        repeat=5,
    )
    return {"name": name, "seconds": seconds}


# --- the reminder job ------------------------------------------------------------------

_INSERT_CERTIFICATES = """
INSERT INTO certificates_certificate (
    serial, verification_code, holder_id, holder_name, kind, level_id, title,
    issued_on, expires_on, score, cycle, pdf, created_at, revocation_reason
)
SELECT 'BENCH-' || g, 'bench-' || g,
       (%(users)s::bigint[])[1 + (g / %(levels_n)s) %% %(users_n)s],
       'Bench Holder', 'certification',
       (%(levels)s::bigint[])[1 + g %% %(levels_n)s],
       'Bench certification', %(today)s::date - 1000,
       CASE WHEN g <= %(due)s THEN %(today)s::date + 30
            ELSE %(today)s::date + 400 + g %% 2000 END,
       NULL, 1 + g / (%(levels_n)s * %(users_n)s), '', now(), ''
FROM generate_series(%(first)s, %(last)s) AS g
"""


def _fill(cursor, *, first: int, last: int, due: int, users, levels, today) -> None:
    cursor.execute(
        _INSERT_CERTIFICATES,
        {
            "first": first,
            "last": last,
            "due": due,
            "users": users,
            "users_n": len(users),
            "levels": levels,
            "levels_n": len(levels),
            "today": today,
        },
    )
    cursor.execute("ANALYZE certificates_certificate")


def reminders_benchmark(*, small: int, large: int, due: int) -> dict:
    """The daily reminder job with ``due`` certificates due among ``small``, then
    among ``large`` certificates. Each run is rolled back, so both see the same
    ``due`` certificates; what changes is only how many are not due."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from certificates.models import CertificationLevelPage
    from certificates.services import send_expiry_reminders

    today = timezone.localdate()
    users = list(User.objects.order_by("pk").values_list("pk", flat=True)[:5000])
    levels = list(CertificationLevelPage.objects.values_list("pk", flat=True))
    sent = []

    def run_once():
        with transaction.atomic():
            sent.append(send_expiry_reminders(today=today))
            transaction.set_rollback(True)

    timings = {}
    with connection.cursor() as cursor:
        filled = 0
        for total in (small, large):
            began = time.perf_counter()
            _fill(
                cursor,
                first=filled + 1,
                last=total,
                due=due,
                users=users,
                levels=levels,
                today=today,
            )
            filled = total
            fill_seconds = time.perf_counter() - began
            timings[total] = (median_seconds(run_once, repeat=5), fill_seconds)
    return {
        "name": f"reminder job, {due} due among {small:,} vs {large:,} certificates",
        "small": small,
        "large": large,
        "sent_per_run": sorted(set(sent)),
        "seconds": timings[large][0],
        "baseline_seconds": timings[small][0],
        "ratio": timings[large][0] / timings[small][0],
        "fill_seconds": timings[large][1],
        "today": (today + timedelta(0)).isoformat(),
    }


def import_benchmark(rows: int) -> dict:
    """Importing ``rows`` new people from one CSV file (names, organisation, role,
    time zone): planned and written in one transaction, then rolled back."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from accounts import roles
    from accounts.models import Organization, User
    from people.importing import ImportOptions, apply

    organizations = list(Organization.objects.values_list("name", flat=True)[:3]) or [
        ""
    ]
    lines = ["email,first name,last name,organisation,roles,time zone"]
    lines += [
        f"imported{n}@example.net,Person,Number {n},"
        f"{organizations[n % len(organizations)]},Learners,Europe/Berlin"
        for n in range(rows)
    ]
    data = "\n".join(lines).encode()
    plan_sizes = []

    def run_once():
        with transaction.atomic():
            Group.objects.get_or_create(name=roles.LEARNERS)
            admin = User.objects.create(email="bench.importer@example.net")
            admin.groups.add(Group.objects.get_or_create(name=roles.TRAINING_ADMINS)[0])
            plan = apply(data, "people.csv", ImportOptions(), actor=admin)
            plan_sizes.append(plan.created)
            transaction.set_rollback(True)

    seconds = median_seconds(run_once, repeat=3)
    return {
        "name": f"import {rows:,} people from one CSV file",
        "seconds": seconds,
        "created_per_run": sorted(set(plan_sizes)),
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[:1] == ["import"]:
        result = import_benchmark(int(argv[1]))
    elif argv[:1] == ["reminders"]:
        small, large, due = (int(v) for v in argv[1:4])
        result = reminders_benchmark(small=small, large=large, due=due)
    else:
        result = [grading_benchmark(), pdf_benchmark(), item_analysis_benchmark()]
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
