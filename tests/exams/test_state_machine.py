"""The attempt lifecycle as a state machine: start, save, submit, sweep, and time.

Hypothesis drives one exam (five questions, ten minutes, one deadline policy per
example) for one or two learners, with a simulated clock passed to every service.
The test keeps its own model of what each attempt should hold, and after every step
the database must agree with it.

pytest-django wraps the whole run in one transaction. The exams are built once
(one per deadline policy); each example works inside a savepoint that is rolled
back at its end, so every example starts with no learners and no attempts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from exams import grading, services
from exams.models import (
    Attempt,
    AttemptPaper,
    AttemptQuestion,
    AttemptStatus,
    DeadlinePolicy,
    ExamPage,
)
from tests.factories import (
    UserFactory,
    correct_response,
    make_bank,
    make_exam,
    site_tree,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TIME_LIMIT = timedelta(minutes=10)
ATTEMPTS_ALLOWED = 3
POSITIONS = (1, 2, 3, 4, 5)
POLICIES = {
    "auto_submit": (DeadlinePolicy.AUTO_SUBMIT, 0),
    "grace": (DeadlinePolicy.GRACE, 2),
    "abandon": (DeadlinePolicy.ABANDON, 0),
}
TEXT_ANSWERS = st.sampled_from(["QT-001", "  qt-001 ", "NET-002", "no idea"]) | st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=30
).filter(str.strip)


def exam_with_policy(policy: str) -> ExamPage:
    """The exam for ``policy``, built on first use and kept for the whole run."""
    exam = ExamPage.objects.filter(slug=f"lifecycle-{policy}").first()
    if exam is None:
        deadline_policy, grace_minutes = POLICIES[policy]
        exam = make_exam(
            # Seven questions, one of each type; an attempt draws five of them.
            bank=make_bank(questions=7, types=grading.AUTO_TYPES),
            count=len(POSITIONS),
            slug=f"lifecycle-{policy}",
            time_limit_minutes=10,
            deadline_policy=deadline_policy,
            grace_minutes=grace_minutes,
            attempts_allowed=ATTEMPTS_ALLOWED,
        )
    return exam


def well_formed_response(snapshot: dict) -> st.SearchStrategy:
    """Any answer a learner's browser could send for the question, already in the
    form the server stores (so "stored == sent" is the right expectation)."""
    public = snapshot["public"]
    qtype = snapshot["type"]
    if qtype == "single":
        ids = [choice["id"] for choice in public["choices"]]
        return st.sampled_from(ids).map(lambda choice: {"choice": choice})
    if qtype == "multiple":
        ids = [choice["id"] for choice in public["choices"]]
        return st.lists(st.sampled_from(ids), min_size=1, unique=True).map(
            lambda chosen: {"choices": sorted(chosen)}
        )
    if qtype == "true_false":
        return st.booleans().map(lambda value: {"value": value})
    if qtype == "short_answer":
        return TEXT_ANSWERS.map(lambda text: {"text": text})
    if qtype == "numeric":
        values = st.sampled_from(["15", "15.0", "14", "1,5"])
        return values.map(lambda value: {"value": value})
    if qtype == "matching":
        prompts = [prompt["id"] for prompt in public["prompts"]]
        options = [option["id"] for option in public["options"]]
        return st.dictionaries(
            st.sampled_from(prompts), st.sampled_from(options), min_size=1
        ).map(lambda matches: {"matches": matches})
    if qtype == "ordering":
        ids = [item["id"] for item in public["items"]]
        return st.permutations(ids).map(lambda order: {"order": list(order)})
    raise AssertionError(f"no strategy for {qtype}")


@dataclass
class ExpectedAttempt:
    """What one attempt should hold, kept by the test independently of the code."""

    pk: int
    learner: int
    deadline: datetime
    cutoff: datetime
    sections: dict[int, tuple[int, str]]
    snapshots: dict[int, dict]
    responses: dict[int, dict | None]
    sequence: int = 0
    status: str = AttemptStatus.IN_PROGRESS
    # Everything a learner or an examiner sees of a closed attempt, frozen at closing.
    closed_view: tuple | None = None
    history: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def expected_result(self, pass_mark) -> grading.AttemptResult:
        """Grade what the model says was saved (not what the database holds)."""
        return grading.grade_attempt(
            (
                (*self.sections[position], self.snapshots[position], response)
                for position, response in sorted(self.responses.items())
            ),
            pass_mark=pass_mark,
        )


def view_of(attempt: Attempt, questions: list[AttemptQuestion] | None = None):
    if questions is None:
        questions = attempt.served_questions()
    return (
        attempt.status,
        attempt.points,
        attempt.max_points,
        attempt.percent,
        attempt.passed,
        attempt.auto_submitted,
        attempt.submitted_at,
        attempt.graded_at,
        attempt.last_save_sequence,
        tuple(
            (q.position, q.response, q.answered_at, q.points)
            for q in sorted(questions, key=lambda q: q.position)
        ),
    )


class AttemptLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        site_tree()
        for policy in POLICIES:
            exam_with_policy(policy)
        self._example = transaction.atomic()
        self._example.__enter__()
        self.now = T0
        self.exam = None
        self.learners = []
        self.attempts: dict[int, ExpectedAttempt] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    # --- setup -------------------------------------------------------------------

    @initialize(
        policy=st.sampled_from(sorted(POLICIES)),
        learner_count=st.integers(min_value=1, max_value=2),
        seed=st.integers(0, 2**16),
    )
    def create_learners_and_start(self, policy, learner_count, seed):
        self.exam = exam_with_policy(policy)
        self.policy = self.exam.deadline_policy
        self.grace = timedelta(minutes=self.exam.grace_minutes)
        self.learners = [UserFactory() for _ in range(learner_count)]
        # Everyone starts at once, so saves and submits have a target from step one.
        for learner in range(learner_count):
            self.start(learner=learner, seed=seed + learner)

    # --- rules ---------------------------------------------------------------------

    @rule(learner=st.integers(min_value=0, max_value=1), seed=st.integers(0, 2**16))
    def start(self, learner, seed):
        index = learner % len(self.learners)
        mine = [a for a in self.attempts.values() if a.learner == index]
        already_open = next((a for a in mine if a.is_open), None)
        try:
            attempt = services.start_attempt(
                user=self.learners[index], exam=self.exam, now=self.now, seed=seed
            )
        except services.NoAttemptsLeft:
            assert already_open is None and len(mine) >= ATTEMPTS_ALLOWED
            return
        if already_open is not None:
            # Starting again serves the open attempt and never resets its clock.
            assert attempt.pk == already_open.pk
            assert (attempt.deadline, attempt.cutoff) == (
                already_open.deadline,
                already_open.cutoff,
            )
            return
        assert len(mine) < ATTEMPTS_ALLOWED
        assert attempt.pk not in self.attempts
        assert attempt.number == len(mine) + 1
        assert attempt.deadline == self.now + TIME_LIMIT
        assert attempt.cutoff == attempt.deadline + self.grace
        served = attempt.served_questions()
        assert sorted(q.position for q in served) == list(POSITIONS)
        assert all(q.response is None for q in served)
        self.attempts[attempt.pk] = ExpectedAttempt(
            pk=attempt.pk,
            learner=index,
            deadline=attempt.deadline,
            cutoff=attempt.cutoff,
            sections={q.position: (q.section_index, q.section_title) for q in served},
            snapshots={q.position: q.snapshot for q in served},
            responses=dict.fromkeys(POSITIONS),
        )

    @precondition(lambda self: self.attempts)
    @rule(data=st.data())
    def save(self, data):
        expected = self._pick_attempt(data)
        position = data.draw(st.sampled_from(POSITIONS), label="position")
        snapshot = expected.snapshots[position]
        response = data.draw(
            st.just(correct_response(snapshot))
            | well_formed_response(snapshot)
            | st.none(),
            label="response",
        )
        # Newer than, equal to or older than the last accepted save; or a form post.
        offset = data.draw(st.integers(min_value=-2, max_value=3), label="offset")
        plain_post = data.draw(st.booleans(), label="plain_post")
        sequence = None if plain_post else max(0, expected.sequence + offset)
        self.save_answer(expected, position, response, sequence)

    @precondition(lambda self: self.attempts)
    @rule(data=st.data(), twice=st.booleans())
    def submit(self, data, twice):
        self.submit_attempt(self._pick_attempt(data), twice=twice)

    @rule()
    def sweep(self):
        due = [a for a in self.attempts.values() if a.is_open and a.cutoff < self.now]
        closed = services.close_overdue_attempts(now=self.now)
        assert closed == len(due)
        for expected in due:
            self._record_close(expected, Attempt.objects.get(pk=expected.pk), "sweep")

    @rule(seconds=st.integers(min_value=0, max_value=400))
    def advance_clock(self, seconds):
        self.now += timedelta(seconds=seconds)

    # --- what each action must do -----------------------------------------------------

    def save_answer(self, expected: ExpectedAttempt, position, response, sequence):
        def stored():
            return AttemptPaper.questions_of(expected.pk, [position])[0]

        before = stored()
        result = services.save_answers(
            attempt=Attempt.objects.get(pk=expected.pk),
            sequence=sequence,
            answers={position: response},
            now=self.now,
        )
        after = stored()
        last_sequence = Attempt.objects.get(pk=expected.pk).last_save_sequence
        in_time = expected.is_open and self.now <= expected.cutoff
        newer = sequence is None or sequence > expected.sequence
        # (d) nothing is accepted after the cutoff or once the attempt is closed.
        assert result.accepted is in_time, (self.now, expected.cutoff)
        if not in_time:
            assert "Time is up" in result.message
        assert result.applied is (in_time and newer)
        if result.applied:
            # (c) an applied save stores exactly what was sent, under its sequence.
            expected.sequence = expected.sequence + 1 if sequence is None else sequence
            expected.responses[position] = response
            assert after.response == response
            assert after.answered_at == self.now
            assert last_sequence == expected.sequence == result.sequence
        else:
            # (c) a stale or refused save changes nothing.
            assert (after.response, after.answered_at) == (
                before.response,
                before.answered_at,
            )
            assert last_sequence == expected.sequence == result.sequence
        expected.history.append(f"save {sequence} -> {result} at {self.now:%X}")

    def submit_attempt(self, expected: ExpectedAttempt, *, twice: bool):
        was_open = expected.is_open
        result = services.submit_attempt(
            attempt=Attempt.objects.get(pk=expected.pk), now=self.now
        )
        if was_open:
            self._record_close(expected, result, "submit")
        else:
            assert view_of(result) == expected.closed_view, expected.history
        if twice:  # a double click, a second tab or a retry
            again = services.submit_attempt(
                attempt=Attempt.objects.get(pk=expected.pk), now=self.now
            )
            assert view_of(again) == expected.closed_view, expected.history

    def _record_close(self, expected: ExpectedAttempt, closed: Attempt, how: str):
        """Check a just-closed attempt against the deadline policy, then freeze it."""
        assert expected.is_open
        in_time = how == "submit" and self.now <= expected.cutoff
        if not in_time and self.policy == DeadlinePolicy.ABANDON:
            assert closed.status == AttemptStatus.ABANDONED
            assert closed.submitted_at is None and closed.graded_at is None
            assert closed.percent is None and closed.passed is None
        else:
            result = expected.expected_result(self.exam.pass_mark)
            assert closed.status == AttemptStatus.GRADED
            assert closed.graded_at == self.now
            assert closed.auto_submitted is (not in_time)
            assert closed.submitted_at == (self.now if in_time else expected.cutoff)
            assert (closed.points, closed.percent, closed.passed) == (
                result.points,
                result.percent,
                result.passed,
            )
        expected.status = closed.status
        expected.closed_view = view_of(Attempt.objects.get(pk=expected.pk))
        expected.history.append(f"{how} -> {closed.status} at {self.now:%X}")

    def _pick_attempt(self, data) -> ExpectedAttempt:
        pk = data.draw(st.sampled_from(sorted(self.attempts)), label="attempt")
        return self.attempts[pk]

    # --- invariants ------------------------------------------------------------------

    def _stored(self) -> dict[int, tuple[Attempt, list[AttemptQuestion]]]:
        attempts = {a.pk: (a, []) for a in Attempt.objects.filter(exam=self.exam)}
        for paper in AttemptPaper.objects.filter(attempt__exam=self.exam):
            attempts[paper.attempt_id][1].extend(paper.question_list())
        return attempts

    @invariant()
    def at_most_one_open_attempt_per_learner(self):
        # (b) checked in the database, not only in the model.
        open_learners = list(
            Attempt.objects.filter(
                exam=self.exam, status=AttemptStatus.IN_PROGRESS
            ).values_list("user_id", flat=True)
        )
        assert len(open_learners) == len(set(open_learners))

    @invariant()
    def the_database_matches_the_model(self):
        stored = self._stored()
        assert set(stored) == set(self.attempts)
        for expected in self.attempts.values():
            attempt, questions = stored[expected.pk]
            assert attempt.status == expected.status, expected.history
            assert attempt.last_save_sequence == expected.sequence
            assert {q.position: q.response for q in questions} == expected.responses
            if expected.closed_view is not None:
                # (a) a closed attempt never changes: graded once, answers frozen.
                assert view_of(attempt, questions) == expected.closed_view, (
                    expected.history
                )

    @invariant()
    def a_grade_is_what_the_stored_answers_earn(self):
        for attempt, questions in self._stored().values():
            if attempt.status != AttemptStatus.GRADED:
                assert attempt.graded_at is None and attempt.percent is None
                continue
            questions.sort(key=lambda q: q.position)
            # (e) recomputed from the frozen snapshots and the stored responses.
            result = grading.grade_attempt(
                (
                    (q.section_index, q.section_title, q.snapshot, q.response)
                    for q in questions
                ),
                pass_mark=attempt.pass_mark,
            )
            assert (
                attempt.points,
                attempt.max_points,
                attempt.percent,
                attempt.passed,
            ) == (result.points, result.max_points, result.percent, result.passed)
            assert [q.points for q in questions] == [r.points for r in result.questions]


AttemptLifecycle.TestCase.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None
)
TestAttemptLifecycle = AttemptLifecycle.TestCase


# --- fixed walks through the same model ---------------------------------------------
# Hypothesis turns rules off at random per example, so 25 examples may never submit
# late, or sweep inside a grace period, under some policy. This walk does both for
# every policy in every run, with the same checks as the machine after each step.


def check_invariants(machine: AttemptLifecycle) -> None:
    machine.at_most_one_open_attempt_per_learner()
    machine.the_database_matches_the_model()
    machine.a_grade_is_what_the_stored_answers_earn()


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_every_policy_at_and_after_the_deadline(policy):
    machine = AttemptLifecycle()
    try:
        # Three learners (Ada, Ben, Cy) start at 09:00; the deadline is 09:10.
        machine.create_learners_and_start(policy=policy, learner_count=3, seed=7)
        ada, ben, cy = machine.attempts.values()

        def right(attempt, position):
            return correct_response(attempt.snapshots[position])

        steps = [
            *(
                lambda p=p: machine.save_answer(ada, p, right(ada, p), p)
                for p in POSITIONS
            ),
            lambda: machine.save_answer(ada, 1, None, 3),  # stale: ignored
            lambda: machine.save_answer(ben, 2, right(ben, 2), None),
            lambda: machine.advance_clock(400),
            lambda: machine.start(learner=1, seed=9),  # a reload: same clock
            lambda: machine.save_answer(ben, 3, None, 5),
            lambda: machine.advance_clock(200),  # 09:10:00, the deadline itself
            lambda: machine.save_answer(cy, 1, right(cy, 1), 1),  # still in time
            machine.sweep,  # nothing is past its cutoff yet
            lambda: machine.advance_clock(60),  # 09:11:00, inside the grace period
            lambda: machine.save_answer(cy, 2, right(cy, 2), 2),
            lambda: machine.submit_attempt(ada, twice=True),
            machine.sweep,  # grace: closes nothing; otherwise Ben's and Cy's
            lambda: machine.advance_clock(340),  # 09:16:40, past every cutoff
            lambda: machine.save_answer(ben, 4, right(ben, 4), 9),  # refused
            lambda: machine.submit_attempt(cy, twice=True),
            machine.sweep,
            lambda: machine.submit_attempt(ben, twice=True),  # already closed
            lambda: machine.start(learner=0, seed=8),  # Ada's second attempt
            lambda: machine.save_answer(
                machine.attempts[max(machine.attempts)], 4, None, None
            ),
            lambda: machine.submit_attempt(
                machine.attempts[max(machine.attempts)], twice=True
            ),
        ]
        for step in steps:
            step()
            check_invariants(machine)

        late = AttemptStatus.ABANDONED if policy == "abandon" else AttemptStatus.GRADED
        ada_in_time = policy == "grace"  # submitted at 09:11, inside the grace
        assert [a.status for a in machine.attempts.values()] == [
            AttemptStatus.GRADED if ada_in_time else late,
            late,
            late,
            AttemptStatus.GRADED,
        ]
        if policy != "abandon":
            # Everything Ada saved in time counts, even if she submitted late.
            first = Attempt.objects.get(pk=ada.pk)
            assert first.percent == 100 and first.auto_submitted is not ada_in_time
    finally:
        machine.teardown()
