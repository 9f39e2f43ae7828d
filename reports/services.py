"""Writes of the reports app: storing item-analysis results."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from exams.api import (
    Attempt,
    AttemptPaper,
    AttemptStatus,
    ExamPage,
    Question,
    item_analysis,
    paper_key,
    question_types,
)

from .models import ExamAnalysis, QuestionAnalysis

# Below this many answers a question's figures are noise, so it is not flagged.
MIN_EXPOSURE_FOR_FLAGS = 5


def _choices(
    qtype: str, response: dict | None, source: dict | None = None
) -> tuple[str, ...]:
    """The options a response chose, named by authoring letter: ``source`` maps an
    attempt's own random option ids to them (older attempts used the letters)."""
    if not isinstance(response, dict) or not response:
        return ()
    try:
        question_type = question_types.get(qtype)
    except ValueError:
        return ()
    return question_type.analysis_choices(response, source or {})


def _options(snapshot: dict) -> tuple[list[dict], list[str]]:
    """(options with their text, keyed option ids) of a question with options."""
    try:
        question_type = question_types.get(snapshot.get("type", ""))
    except ValueError:
        return [], []
    return question_type.analysis_options(snapshot)


@transaction.atomic
def refresh_item_analysis(*, exam_id: int, now=None) -> ExamAnalysis | None:
    """Recompute and store the item analysis of exam ``exam_id`` from its graded
    attempts, replacing the previous result. Returns None if the exam is gone.

    Reads every graded answer of the exam (a handful of queries whatever its size),
    so it belongs in a background task for exams with many attempts. Safe to run
    twice: the second run stores the same figures.
    """
    exam = ExamPage.objects.filter(pk=exam_id).first()
    if exam is None:
        return None
    # Each attempt's paper, oldest first, streamed: the graded ones' answers,
    # and each question's latest snapshot (what the analysis shows of it).
    papers = (
        AttemptPaper.objects.filter(attempt__exam_id=exam_id)
        .order_by("attempt_id")
        .values_list("attempt__status", "questions", "responses", "points")
    )
    latest: dict[int, dict] = {}
    graded: list[list[tuple]] = []
    for status, served, responses, points in papers.iterator(chunk_size=200):
        answers = []
        for item in served:
            question_id = item.get("question_id")
            if question_id is None:
                continue
            snapshot, key = item["snapshot"], paper_key(item["position"])
            latest[question_id] = snapshot
            if status == AttemptStatus.GRADED:
                answers.append(
                    (
                        question_id,
                        points.get(key),
                        snapshot.get("points"),
                        responses.get(key),
                        (snapshot.get("key") or {}).get("source"),
                    )
                )
        if answers:
            graded.append(answers)
    questions = {
        q["pk"]: q
        for q in Question.objects.filter(pk__in=list(latest)).values(
            "pk", "bank_id", "key", "stem"
        )
    }
    # A question deleted from its bank is left out, as it always was.
    latest = {pk: snapshot for pk, snapshot in latest.items() if pk in questions}
    qtypes = {pk: snapshot.get("type", "") for pk, snapshot in latest.items()}
    attempts: list[item_analysis.AttemptItems] = []
    for answers in graded:
        current = [
            item_analysis.ItemScore(
                item=question_id,
                points=float(points or 0),
                max_points=float(max_points or 0),
                choices=_choices(qtypes.get(question_id, ""), response, source),
            )
            for question_id, points, max_points, response, source in answers
            if question_id in questions
        ]
        if current:
            attempts.append(item_analysis.AttemptItems(current))

    options = {pk: _options(snapshot) for pk, snapshot in latest.items()}
    stats = item_analysis.analyse(
        attempts,
        options={pk: [o["id"] for o in opts] for pk, (opts, _key) in options.items()},
        correct_options={pk: key for pk, (_opts, key) in options.items()},
        min_exposure_for_flags=MIN_EXPOSURE_FOR_FLAGS,
    )
    mean_percent = Attempt.objects.filter(
        exam_id=exam_id, status=AttemptStatus.GRADED
    ).aggregate(mean=Avg("percent"))["mean"]
    analysis, _created = ExamAnalysis.objects.update_or_create(
        exam=exam,
        defaults={
            "computed_at": now or timezone.now(),
            "attempts": stats.attempts,
            "mean_percent": mean_percent,
            "items_per_attempt": stats.items_per_attempt,
            "reliability": stats.reliability,
            "reliability_method": stats.reliability_method,
            "sem": stats.sem,
            "flagged_questions": sum(1 for i in stats.items if i.flags),
        },
    )
    analysis.questions.all().delete()
    records = []
    for item in stats.items:
        question = questions.get(item.item, {})
        texts = {o["id"]: o["text"] for o in options.get(item.item, ([], []))[0]}
        records.append(
            QuestionAnalysis(
                analysis=analysis,
                question_id=item.item if question else None,
                bank_id=question.get("bank_id"),
                label=Truncator(
                    f"{question.get('key', item.item)}: "
                    f"{strip_tags(question.get('stem', ''))}"
                ).chars(290),
                question_type=qtypes.get(item.item, ""),
                exposure=item.exposure,
                exposure_rate=item.exposure_rate,
                facility=item.facility,
                discrimination=item.discrimination,
                point_biserial=item.point_biserial,
                options=[
                    {
                        "id": o.option,
                        "text": texts.get(o.option, o.option),
                        "correct": o.correct,
                        "count": o.count,
                        "share": o.share,
                    }
                    for o in item.options
                ],
                unanswered=item.unanswered,
                too_easy=item_analysis.TOO_EASY in item.flags,
                too_hard=item_analysis.TOO_HARD in item.flags,
                low_discrimination=item_analysis.LOW_DISCRIMINATION in item.flags,
                flagged=bool(item.flags),
            )
        )
    QuestionAnalysis.objects.bulk_create(records, batch_size=500)
    return analysis


def schedule_item_analysis(*, exam_ids: Iterable[int]) -> int:
    """Queue a refresh of each exam's item analysis once the transaction commits;
    returns how many were queued."""
    from . import tasks

    exam_ids = list(exam_ids)
    for exam_id in exam_ids:
        transaction.on_commit(
            lambda exam_id=exam_id: tasks.refresh_item_analysis.delay(exam_id)
        )
    return len(exam_ids)


def schedule_all_item_analyses() -> int:
    """Queue a refresh for every exam that has graded attempts (nightly, by beat)."""
    exam_ids = (
        Attempt.objects.filter(status=AttemptStatus.GRADED)
        .order_by()
        .values_list("exam_id", flat=True)
        .distinct()
    )
    return schedule_item_analysis(exam_ids=exam_ids)
