"""After the load: prove that nothing a learner did was lost.

* every save the server acknowledged is what the database holds (the newest
  acknowledged save of each page, as the server itself would have parsed it);
* every submit produced exactly one graded attempt, and a double submit did not
  open or grade a second one;
* after the sweep, no attempt is still open past its cutoff.

Each check returns a list of problems; an empty list means it holds.
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from .data import EXAM_SLUG


def check_saves(acknowledged: list[dict]) -> tuple[int, list[str]]:
    """(pages checked, problems) for the newest acknowledged save of every page."""
    from exams.models import Attempt, AttemptPaper, AttemptQuestion
    from exams.selectors import served
    from exams.services import clean_response
    from exams.views import parse_answers

    newest: dict[tuple[str, int], dict] = {}
    for save in acknowledged:
        key = (save["attempt"], save["page"])
        if key not in newest or save["seq"] > newest[key]["seq"]:
            newest[key] = save
    attempts = {
        str(a.public_id): a
        for a in Attempt.objects.filter(public_id__in={k[0] for k in newest})
    }
    stored: dict[int, dict[int, AttemptQuestion]] = {}
    for paper in AttemptPaper.objects.filter(attempt__in=attempts.values()):
        stored[paper.attempt_id] = {q.position: q for q in paper.question_list()}
    problems = []
    for (public_id, page), save in newest.items():
        attempt = attempts.get(public_id)
        if attempt is None:
            problems.append(f"attempt {public_id} is gone")
            continue
        if attempt.last_save_sequence < save["seq"]:
            problems.append(
                f"attempt {public_id}: acknowledged sequence {save['seq']} but the "
                f"database has {attempt.last_save_sequence}"
            )
        questions = [
            served(q)
            for position, q in sorted(stored[attempt.pk].items())
            if attempt.page_of(position) == page
        ]
        data = QueryDict(mutable=True)
        for name, value in save["fields"]:
            data.appendlist(name, value)
        answers, flags = parse_answers(questions, data)
        for question in questions:
            row = stored[attempt.pk][question.position]
            expected = clean_response(
                question.qtype, question.public, answers[question.position]
            )
            if row.response != expected:
                problems.append(
                    f"attempt {public_id} question {question.position}: acknowledged "
                    f"{expected!r}, stored {row.response!r}"
                )
            if row.flagged != flags[question.position]:
                problems.append(
                    f"attempt {public_id} question {question.position}: flag lost"
                )
    return len(newest), problems


def check_submits(submits: list[dict], learner_ids: list[int]) -> list[str]:
    """Every submitted attempt is graded once; nobody got a second attempt."""
    from django.db.models import Count

    from exams.grading import MANUAL_TYPES
    from exams.models import Attempt, AttemptPaper, AttemptStatus

    problems = []
    submitted = {entry["attempt"] for entry in submits}
    attempts = Attempt.objects.filter(public_id__in=submitted)
    for attempt in attempts:
        if attempt.status != AttemptStatus.GRADED or attempt.graded_at is None:
            problems.append(
                f"attempt {attempt.public_id} submitted but {attempt.status}"
            )
        if attempt.auto_submitted:
            problems.append(f"attempt {attempt.public_id} graded as auto-submitted")
    if attempts.count() != len(submitted):
        problems.append(
            f"{len(submitted) - attempts.count()} submitted attempts missing"
        )
    ungraded = sum(
        1
        for paper in AttemptPaper.objects.filter(attempt__public_id__in=submitted)
        for question in paper.question_list()
        if question.qtype not in MANUAL_TYPES and question.points is None
    )
    if ungraded:
        problems.append(f"{ungraded} questions of submitted attempts have no points")
    repeated = (
        Attempt.objects.filter(user_id__in=learner_ids, exam__slug=EXAM_SLUG)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    if repeated:
        problems.append(f"{repeated} learners have more than one attempt")
    return problems


def check_swept() -> list[str]:
    from exams.models import Attempt, AttemptStatus

    late = Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, cutoff__lt=timezone.now()
    ).count()
    return [f"{late} attempts still open past their cutoff"] if late else []
