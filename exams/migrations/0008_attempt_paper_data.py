"""Each attempt's question rows become its paper, and each hand-in names its
attempt and task; backwards, the papers become rows again."""

from django.db import migrations

BATCH = 200


def _key(position) -> str:
    return str(position)


def to_papers(apps, schema_editor):
    """Stream the rows in (attempt, position) order, writing papers in batches;
    an attempt with no rows gets an empty paper. Hand-ins take their attempt
    and position from their question in one statement."""
    from django.db.models import OuterRef, Subquery

    Attempt = apps.get_model("exams", "Attempt")
    AttemptQuestion = apps.get_model("exams", "AttemptQuestion")
    AttemptPaper = apps.get_model("exams", "AttemptPaper")
    AttemptFile = apps.get_model("exams", "AttemptFile")
    waiting: list = []
    done: set[int] = set()
    paper = None

    def flush():
        AttemptPaper.objects.bulk_create(waiting, batch_size=BATCH)
        waiting.clear()

    rows = (
        AttemptQuestion.objects.order_by("attempt_id", "position")
        .values_list(
            "attempt_id",
            "position",
            "section_index",
            "section_title",
            "question_id",
            "snapshot",
            "response",
            "answered_at",
            "flagged",
            "points",
        )
        .iterator(chunk_size=2000)
    )
    for (
        attempt_id,
        position,
        section_index,
        section_title,
        question_id,
        snapshot,
        response,
        answered_at,
        flagged,
        points,
    ) in rows:
        if paper is None or paper.attempt_id != attempt_id:
            if len(waiting) >= BATCH:
                flush()
            paper = AttemptPaper(
                attempt_id=attempt_id,
                questions=[],
                responses={},
                answered_at={},
                flags={},
                points={},
            )
            waiting.append(paper)
            done.add(attempt_id)
        key = _key(position)
        paper.questions.append(
            {
                "position": position,
                "section_index": section_index,
                "section_title": section_title,
                "question_id": question_id,
                "snapshot": snapshot,
            }
        )
        if response is not None:
            paper.responses[key] = response
        if answered_at is not None:
            paper.answered_at[key] = answered_at.isoformat()
        if flagged:
            paper.flags[key] = True
        if points is not None:
            paper.points[key] = f"{points:.2f}"
    flush()
    empty = [
        AttemptPaper(
            attempt_id=pk,
            questions=[],
            responses={},
            answered_at={},
            flags={},
            points={},
        )
        for pk in Attempt.objects.values_list("pk", flat=True)
        if pk not in done
    ]
    AttemptPaper.objects.bulk_create(empty, batch_size=BATCH)
    question = AttemptQuestion.objects.filter(pk=OuterRef("question_id"))
    AttemptFile.objects.update(
        attempt_id=Subquery(question.values("attempt_id")[:1]),
        position=Subquery(question.values("position")[:1]),
    )


def to_rows(apps, schema_editor):
    from datetime import datetime
    from decimal import Decimal

    from django.db.models import OuterRef, Subquery

    AttemptQuestion = apps.get_model("exams", "AttemptQuestion")
    AttemptPaper = apps.get_model("exams", "AttemptPaper")
    AttemptFile = apps.get_model("exams", "AttemptFile")
    Question = apps.get_model("exams", "Question")
    # A bank question deleted since is no longer linked (as SET_NULL did).
    existing = set(Question.objects.values_list("pk", flat=True))
    for paper in AttemptPaper.objects.iterator(chunk_size=BATCH):
        rows = []
        for item in paper.questions:
            key = _key(item["position"])
            when = paper.answered_at.get(key)
            points = paper.points.get(key)
            rows.append(
                AttemptQuestion(
                    attempt_id=paper.attempt_id,
                    position=item["position"],
                    section_index=item["section_index"],
                    section_title=item["section_title"],
                    question_id=item.get("question_id")
                    if item.get("question_id") in existing
                    else None,
                    snapshot=item["snapshot"],
                    response=paper.responses.get(key),
                    flagged=bool(paper.flags.get(key)),
                    answered_at=datetime.fromisoformat(when) if when else None,
                    points=Decimal(points) if points is not None else None,
                )
            )
        AttemptQuestion.objects.bulk_create(rows, batch_size=BATCH)
    row = AttemptQuestion.objects.filter(
        attempt_id=OuterRef("attempt_id"), position=OuterRef("position")
    )
    AttemptFile.objects.update(question_id=Subquery(row.values("pk")[:1]))
    AttemptPaper.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0007_attempt_paper"),
    ]

    operations = [
        migrations.RunPython(to_papers, to_rows),
    ]
