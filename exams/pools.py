"""Question pools: what exams draw from, kept per published bank revision.

A start of an 80-question exam used to read its banks' questions twice (light
rows to draw from, then the drawn ones whole) and turn each answer's stored
StreamField into plain data. A bank's published questions only change when the
bank is published again, so each bank's pool (every live question, in bank order,
with its answer as plain data) is kept in the cache under the bank, stamped with
the revision it was built from:

* a task builds it when the bank is published (``on_bank_published``);
* a start whose bank's live revision differs from the stamp, or that finds no
  pool (a restarted cache, an eviction), builds it itself (``pools_for``);
* a question saved or deleted outside a publish forgets its bank's pool.

A start then reads its sections (one query, banks joined) and one cache entry per
bank, and no question rows.

Each process also holds the pools it read or built (:data:`HELD`), under the
blueprints' number (``exam_facts.BLUEPRINTS_KEY``), for a minute at most: a
start of the same bank revision in the same process reads and unpickles
nothing (a 300-question pool took about a millisecond to unpickle). The number
advances with every bank published or unpublished, every section saved or
deleted and every question written outside a publish, so a process never
serves a pool that the cache would no longer give. A held pool is shared by
every start of the process: a start reads it, never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction

from accounts.api import HeldUnderNumber, generation, may_keep

from .exam_facts import BLUEPRINTS_KEY, blueprints_changed
from .models import Question, QuestionBank

# Part of every key: raise it when PoolQuestion changes shape, so that pools kept
# by the code before a deploy are never read by the code after it.
VERSION = 2
# Pools outlive a day only if the cache keeps them; a start rebuilds a missing one.
TIMEOUT = 7 * 24 * 3600
# Each pool is a bank's questions whole: a few hundred of them at most each.
HELD = HeldUnderNumber(bound=64, held_for=60)


@dataclass(frozen=True)
class PoolQuestion:
    """One live question as exams serve it (what ``services.serve`` reads)."""

    pk: int
    topic: str
    sort_order: int | None
    qtype: str
    answer: dict
    stem: str
    explanation: str
    points: Decimal

    def answer_data(self) -> dict:
        return self.answer


def _key(bank_id: int) -> str:
    return f"exams:pool:{VERSION}:{bank_id}"


def _build(bank_id: int, revision: int | None) -> dict:
    questions = [
        PoolQuestion(
            pk=question.pk,
            topic=question.topic,
            sort_order=question.sort_order,
            qtype=question.qtype,
            answer=question.answer_data(),
            stem=question.stem,
            explanation=question.explanation,
            points=question.points,
        )
        for question in Question.objects.filter(bank_id=bank_id).order_by(
            "sort_order", "pk"
        )
    ]
    return {"revision": revision, "questions": questions}


def build(bank_id: int) -> int:
    """Build and keep ``bank_id``'s pool (the task run on publish); its size."""
    bank = (
        QuestionBank.objects.filter(pk=bank_id)
        .only("pk", "live", "live_revision")
        .first()
    )
    if bank is None or not bank.live:
        forget(bank_id)
        return 0
    pool = _build(bank.pk, bank.live_revision_id)
    cache.set(_key(bank.pk), pool, TIMEOUT)
    return len(pool["questions"])


def pools_for(banks) -> dict[int, list[PoolQuestion]]:
    """Each live bank's questions in bank order, from its kept pool; a pool that
    is missing or was built from another revision is built again. ``banks`` are
    QuestionBank rows (``live`` and ``live_revision_id`` read); a bank that is not
    live gives no questions."""
    live = {bank.pk: bank for bank in banks if bank.live}
    number = generation(BLUEPRINTS_KEY)
    held = {
        pk: HELD.get(number, _held_key(pk, bank.live_revision_id))
        for pk, bank in live.items()
    }
    wanted = [pk for pk, questions in held.items() if questions is None]
    kept = cache.get_many([_key(pk) for pk in wanted]) if wanted else {}
    read: dict[str, list[PoolQuestion]] = {}
    for pk in wanted:
        revision = live[pk].live_revision_id
        pool = kept.get(_key(pk))
        if pool is None or pool["revision"] != revision:
            pool = _build(pk, revision)
            cache.set(_key(pk), pool, TIMEOUT)
        held[pk] = read[_held_key(pk, revision)] = pool["questions"]
    # Not while this transaction changed the banks: what it reads is its own.
    if read and may_keep(BLUEPRINTS_KEY):
        HELD.hold(number, read)
    return held


def _held_key(bank_id: int, revision: int | None) -> str:
    return f"{bank_id}:{revision}"


def forget(bank_id: int) -> None:
    cache.delete(_key(bank_id))


# --- receivers (connected in apps.py) --------------------------------------------


def on_bank_published(sender, instance, **kwargs) -> None:
    """Build the published bank's pool once the publish commits."""
    from .tasks import build_pool

    bank_id = instance.pk
    transaction.on_commit(lambda: build_pool.delay(bank_id))


def on_bank_unpublished(sender, instance, **kwargs) -> None:
    bank_id = instance.pk
    transaction.on_commit(lambda: forget(bank_id))


def on_question_changed(sender, instance, **kwargs) -> None:
    """A question written outside a publish (a script, the shell): its bank's pool
    no longer says what the bank holds. Forgotten at once (this transaction's
    next start) and again after the commit (a start elsewhere may have rebuilt it
    from what was there before). The blueprints' number advances too, at once
    and at the commit, so that no process holds the pool either."""
    bank_id = instance.bank_id
    if bank_id is not None:
        forget(bank_id)
        transaction.on_commit(lambda: forget(bank_id))
        # No process holds the pool any longer (:data:`HELD`).
        blueprints_changed()
