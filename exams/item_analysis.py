"""Pure code: classical item analysis of an exam's graded attempts.

No Django here. Plain data in, plain dataclasses out, so the statistics can be
checked by hand and measured without a database.

Input: one :class:`AttemptItems` per graded attempt, holding a :class:`ItemScore` for
every question that attempt drew. Exams draw from banks, so attempts need not share
the same questions; every per-question figure is computed over the attempts that
drew the question.

Definitions (classical test theory, as certification bodies report them):

facility
    mean points earned / the question's points (the share correct for 0/1 items).
discrimination
    upper-lower index: facility among the top 27 % of the attempts that drew the
    question (ranked by total score) minus facility among the bottom 27 %. Ties at
    the boundary are broken by input order.
point-biserial
    Pearson correlation between the question's score and the *rest* score (the
    attempt's total without this question), so an item does not correlate with
    itself.
reliability
    Cronbach's alpha, which equals KR-20 when every question scores 0 or 1. When
    attempts drew different questions, the exact formula has no complete matrix to
    use; the estimate then treats questions as exchangeable:
    ``k / (k - 1) * (1 - k * mean item variance / total variance)`` with ``k`` the
    mean number of questions per attempt.
standard error of measurement
    ``SD(total) * sqrt(1 - reliability)``, in points.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

UPPER_LOWER_SHARE = 0.27
TOO_EASY_ABOVE = 0.95
TOO_HARD_BELOW = 0.2
LOW_DISCRIMINATION_BELOW = 0.1

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
LOW_DISCRIMINATION = "low_discrimination"


@dataclass(frozen=True)
class ItemScore:
    """One question as answered in one attempt.

    ``choices`` are the option ids the learner picked (empty when unanswered or not
    a choice question); they feed the distractor counts.
    """

    item: Hashable
    points: float
    max_points: float = 1.0
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttemptItems:
    items: Sequence[ItemScore]

    @property
    def total(self) -> float:
        return sum(score.points for score in self.items)


@dataclass(frozen=True)
class OptionStatistics:
    option: str
    correct: bool
    count: int
    share: float


@dataclass(frozen=True)
class ItemStatistics:
    item: Hashable
    exposure: int
    exposure_rate: float
    facility: float | None
    discrimination: float | None
    point_biserial: float | None
    options: tuple[OptionStatistics, ...] = ()
    unanswered: int = 0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExamStatistics:
    attempts: int
    mean_score: float | None
    score_variance: float | None
    items_per_attempt: float
    reliability: float | None
    reliability_method: str
    sem: float | None
    items: list[ItemStatistics] = field(default_factory=list)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    """Population variance (divide by n), as KR-20 and alpha use it."""
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def _group_size(count: int) -> int:
    return max(1, round(UPPER_LOWER_SHARE * count))


def flags_for(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility is not None and facility > TOO_EASY_ABOVE:
        flags.append(TOO_EASY)
    if facility is not None and facility < TOO_HARD_BELOW:
        flags.append(TOO_HARD)
    if discrimination is not None and discrimination < LOW_DISCRIMINATION_BELOW:
        flags.append(LOW_DISCRIMINATION)
    return tuple(flags)


def analyse(
    attempts: Sequence[AttemptItems],
    *,
    options: Mapping[Hashable, Iterable[str]] | None = None,
    correct_options: Mapping[Hashable, Iterable[str]] | None = None,
    min_exposure_for_flags: int = 1,
) -> ExamStatistics:
    """Item and exam statistics for ``attempts``.

    ``options`` lists each choice question's option ids (so a distractor nobody
    picked still shows with 0); ``correct_options`` marks the keyed ones. A question
    drawn fewer than ``min_exposure_for_flags`` times is never flagged: a handful of
    answers says nothing about its quality. Figures that need a spread (discrimination,
    point-biserial, reliability) are None when there is none. Runs in
    O(answers + questions * log attempts).
    """
    options = options or {}
    correct_options = {k: set(v) for k, v in (correct_options or {}).items()}
    count = len(attempts)
    if count == 0:
        return ExamStatistics(
            attempts=0,
            mean_score=None,
            score_variance=None,
            items_per_attempt=0.0,
            reliability=None,
            reliability_method="",
            sem=None,
        )
    totals = [attempt.total for attempt in attempts]
    # Per question: (attempt index, score) pairs, in input order.
    drawn: dict[Hashable, list[tuple[int, ItemScore]]] = {}
    for index, attempt in enumerate(attempts):
        for score in attempt.items:
            drawn.setdefault(score.item, []).append((index, score))

    items = [
        _item_statistics(item, rows, totals, count, options, correct_options)
        for item, rows in drawn.items()
    ]
    items = [
        stats if stats.exposure >= min_exposure_for_flags else _without_flags(stats)
        for stats in items
    ]

    total_variance = _variance(totals)
    lengths = [len(attempt.items) for attempt in attempts]
    items_per_attempt = _mean(lengths)
    complete = all(len(rows) == count for rows in drawn.values())
    dichotomous = all(
        score.points in (0, score.max_points)
        for attempt in attempts
        for score in attempt.items
    )
    reliability = None
    if total_variance > 0 and items_per_attempt > 1:
        item_variances = [
            _variance([score.points for _index, score in rows])
            for rows in drawn.values()
        ]
        k = items_per_attempt
        if complete:
            item_variance_sum = sum(item_variances)
        else:
            weights = [len(rows) for rows in drawn.values()]
            mean_item_variance = sum(
                v * w for v, w in zip(item_variances, weights, strict=True)
            ) / sum(weights)
            item_variance_sum = k * mean_item_variance
        reliability = k / (k - 1) * (1 - item_variance_sum / total_variance)
    method = "kr20" if dichotomous else "alpha"
    if not complete:
        method += "_estimate"
    sem = None
    if reliability is not None:
        sem = math.sqrt(total_variance) * math.sqrt(max(0.0, 1 - reliability))
    return ExamStatistics(
        attempts=count,
        mean_score=_mean(totals),
        score_variance=total_variance,
        items_per_attempt=items_per_attempt,
        reliability=reliability,
        reliability_method=method,
        sem=sem,
        items=items,
    )


def _without_flags(stats: ItemStatistics) -> ItemStatistics:
    return ItemStatistics(
        item=stats.item,
        exposure=stats.exposure,
        exposure_rate=stats.exposure_rate,
        facility=stats.facility,
        discrimination=stats.discrimination,
        point_biserial=stats.point_biserial,
        options=stats.options,
        unanswered=stats.unanswered,
        flags=(),
    )


def _item_statistics(
    item: Hashable,
    rows: list[tuple[int, ItemScore]],
    totals: list[float],
    attempt_count: int,
    options: Mapping[Hashable, Iterable[str]],
    correct_options: Mapping[Hashable, set[str]],
) -> ItemStatistics:
    exposure = len(rows)
    max_points = sum(score.max_points for _index, score in rows)
    earned = sum(score.points for _index, score in rows)
    facility = earned / max_points if max_points else None

    discrimination = None
    if exposure >= 2:
        ranked = sorted(rows, key=lambda row: totals[row[0]], reverse=True)
        size = _group_size(exposure)
        discrimination = _facility(ranked[:size]) - _facility(ranked[-size:])
        if totals[ranked[0][0]] == totals[ranked[-1][0]]:
            discrimination = None  # everyone scored the same: nothing to rank

    point_biserial = _correlation(
        [score.points for _index, score in rows],
        [totals[index] - score.points for index, score in rows],
    )

    counts: dict[str, int] = dict.fromkeys(options.get(item, ()), 0)
    unanswered = 0
    for _index, score in rows:
        if not score.choices:
            unanswered += 1
        for choice in score.choices:
            counts[choice] = counts.get(choice, 0) + 1
    keyed = correct_options.get(item, set())
    option_stats = tuple(
        OptionStatistics(
            option=option,
            correct=option in keyed,
            count=number,
            share=number / exposure,
        )
        for option, number in counts.items()
    )
    return ItemStatistics(
        item=item,
        exposure=exposure,
        exposure_rate=exposure / attempt_count,
        facility=facility,
        discrimination=discrimination,
        point_biserial=point_biserial,
        options=option_stats if counts else (),
        unanswered=unanswered if counts else 0,
        flags=flags_for(facility, discrimination),
    )


def _facility(rows: list[tuple[int, ItemScore]]) -> float:
    max_points = sum(score.max_points for _index, score in rows)
    return sum(score.points for _index, score in rows) / max_points if max_points else 0
