"""What an exam's blueprint can draw: the one home for "are there enough questions".

A section draws ``count`` questions from a bank's live questions (optionally one
topic); sections never share a question. The draw at start (``draw_questions``)
picks at random, so an earlier section may take questions a later one could have
used: the check here assumes the worst (each earlier section takes as many of the
later section's questions as it can), so a blueprint that passes can always be
drawn, whatever the dice say.

The same check runs where it matters: publishing an exam (refused, with the
counts), publishing a bank (live exams it leaves short are named), the course
outline and the admin home.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Pools = dict[tuple[int, str], set[int]]


@dataclass(frozen=True)
class SectionPlan:
    """What a section asks for (from stored sections or an editor's form)."""

    title: str
    bank_id: int
    topic: str
    count: int


@dataclass(frozen=True)
class Shortfall:
    section: str
    wanted: int
    eligible: int
    topic: str

    @property
    def message(self) -> str:
        where = (
            _("live questions on topic “%(topic)s”") % {"topic": self.topic}
            if self.topic
            else _("live questions in its bank")
        )
        return ngettext(
            "Section “%(section)s” draws %(wanted)s question, but only "
            "%(eligible)s %(where)s can be drawn for it.",
            "Section “%(section)s” draws %(wanted)s questions, but only "
            "%(eligible)s %(where)s can be drawn for it.",
            self.wanted,
        ) % {
            "section": self.section,
            "wanted": self.wanted,
            "eligible": self.eligible,
            "where": where,
        }


def live_pools(bank_ids: Iterable[int]) -> Pools:
    """Question ids of each live bank, whole and per topic (one query)."""
    from .models import Question

    pools: Pools = {}
    ids = set(bank_ids)
    if not ids:
        return pools
    for pk, bank_id, topic in Question.objects.filter(
        bank_id__in=ids, bank__live=True
    ).values_list("pk", "bank_id", "topic"):
        pools.setdefault((bank_id, ""), set()).add(pk)
        pools.setdefault((bank_id, topic), set()).add(pk)
    return pools


def shortfalls(plans: list[SectionPlan], pools: Pools) -> list[Shortfall]:
    """The sections that could fail to draw, with what each can count on."""
    short = []
    for index, plan in enumerate(plans):
        pool = pools.get((plan.bank_id, plan.topic), set())
        taken = 0
        for earlier in plans[:index]:
            if earlier.bank_id == plan.bank_id:
                overlap = pool & pools.get((earlier.bank_id, earlier.topic), set())
                taken += min(earlier.count, len(overlap))
        eligible = max(len(pool) - taken, 0)
        if eligible < plan.count:
            short.append(Shortfall(plan.title, plan.count, eligible, plan.topic))
    return short


def problems(plans: list[SectionPlan], pools: Pools) -> list[str]:
    """Why these sections can't be published (empty: they can)."""
    if not plans or sum(plan.count for plan in plans) == 0:
        return [_("The exam draws no questions: give a section a number to draw.")]
    return [shortfall.message for shortfall in shortfalls(plans, pools)]


def plans_of(exams) -> dict[int, list[SectionPlan]]:
    """Stored sections of ``exams``, in order (one query)."""
    from .models import ExamSection

    plans: dict[int, list[SectionPlan]] = {exam.pk: [] for exam in exams}
    for section in ExamSection.objects.filter(exam__in=list(plans)).order_by(
        "exam_id", "sort_order", "pk"
    ):
        plans[section.exam_id].append(
            SectionPlan(section.title, section.bank_id, section.topic, section.count)
        )
    return plans


@dataclass(frozen=True)
class Summary:
    sections: int
    draws: int
    eligible: int
    problems: list[str]

    def __str__(self) -> str:
        return ngettext(
            "%(sections)s section, draws %(draws)s of %(eligible)s eligible questions",
            "%(sections)s sections, draws %(draws)s of %(eligible)s eligible questions",
            self.sections,
        ) % {"sections": self.sections, "draws": self.draws, "eligible": self.eligible}


def summaries(exams) -> dict[int, Summary]:
    """Each exam's blueprint in a sentence, and what stops it (two queries)."""
    plans = plans_of(exams)
    pools = live_pools(plan.bank_id for each in plans.values() for plan in each)
    result = {}
    for exam_id, each in plans.items():
        eligible: set[int] = set()
        for plan in each:
            eligible |= pools.get((plan.bank_id, plan.topic), set())
        result[exam_id] = Summary(
            sections=len(each),
            draws=sum(plan.count for plan in each),
            eligible=len(eligible),
            problems=problems(each, pools),
        )
    return result


def live_exams_short_of_questions(*, bank_id=None, pools_override=None):
    """Live exams whose blueprint can't be drawn, each with its problems.

    ``bank_id`` limits the search to exams drawing from that bank;
    ``pools_override`` replaces some banks' pools (a bank about to be published).
    """
    from .models import ExamPage, ExamSection

    exams = ExamPage.objects.live().order_by("title")
    if bank_id is not None:
        exams = exams.filter(
            pk__in=ExamSection.objects.filter(bank_id=bank_id).values("exam")
        )
    exams = list(exams)
    plans = plans_of(exams)
    pools = live_pools(plan.bank_id for each in plans.values() for plan in each)
    if pools_override:
        touched = {bank for bank, _topic in pools_override}
        pools = {key: ids for key, ids in pools.items() if key[0] not in touched}
        pools.update(pools_override)
    found = []
    for exam in exams:
        found_problems = problems(plans[exam.pk], pools)
        if found_problems:
            found.append((exam, found_problems))
    return found


def pools_from_questions(bank_id: int, questions: Iterable[tuple[int, str]]) -> Pools:
    """A bank's pools from (question key or number, topic) pairs about to be saved."""
    pools: Pools = {(bank_id, ""): set()}
    for ident, topic in questions:
        pools[(bank_id, "")].add(ident)
        pools.setdefault((bank_id, topic), set()).add(ident)
    return pools
