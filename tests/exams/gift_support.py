"""Helpers the tests here share."""

from decimal import Decimal
from pathlib import Path

from exams import grading
from exams.gift import parse_gift
from exams.models import Question, QuestionBank

SAMPLE = Path(__file__).resolve().parents[2] / "content/gift/sample-support-basics.gift"


UPLOAD_URL = "/admin/exams/gift-import/"


GOOD = """\
::P1 response::How fast must support answer a P1?{=15 minutes ~1 hour ~4 hours}

::Firewall ports::Which ports must be open? {~%50%8443 ~%50%9443 ~%-100%25}
"""


BROKEN_SECOND = """\
::P1 response::How fast must support answer a P1?{=15 minutes ~1 hour}

::Ports::Which ports must be open? {
  ~8443
  ~25
}
"""


def only(text: str):
    result = parse_gift(text)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def grade(question, response) -> Decimal:
    """Points a learner gets for ``response`` to a stored question."""
    snapshot = grading.build_snapshot(
        qtype=question.qtype,
        answer=question.answer_data(),
        stem=question.stem,
        points=question.points,
    )
    return grading.grade_question(snapshot, response).points


def bank_state(bank):
    """Everything an import may change, to prove that nothing did."""
    bank = QuestionBank.objects.get(pk=bank.pk)
    questions = [
        (q.key, q.topic, q.stem, str(q.answer_data()))
        for q in Question.objects.filter(bank=bank).order_by("sort_order")
    ]
    return questions, bank.revisions.count(), bank.live_revision_id
