"""Known answers for every rate, on the world of conftest.py."""

from datetime import timedelta

import pytest

from certificates.selectors import holder_certificates
from courses.models import Enrollment
from reports import selectors
from reports.selectors import Scope

from .conftest import TODAY


def by_label(rows):
    return {row.label: row for row in rows}


def test_course_completion(world):
    row = by_label(selectors.completion_rows(scope=Scope()))["Gateway basics"]
    assert (row.enrolled, row.completed, row.not_started, row.in_progress) == (
        6,
        4,
        1,
        1,
    )
    assert row.completion_rate == pytest.approx(4 / 6)
    assert row.median_days == pytest.approx(5)  # completed after 2, 4, 6 and 10 days


def test_course_completion_for_one_organization(world):
    rows = selectors.completion_rows(scope=Scope(organization=world["north"]))
    row = by_label(rows)["Gateway basics"]
    assert (row.enrolled, row.completed, row.in_progress) == (4, 3, 1)
    assert row.median_days == pytest.approx(4)


def test_completion_per_organization_and_date_range(world):
    rows = by_label(selectors.completion_rows(scope=Scope(), by="organization"))
    assert rows["North"].completion_rate == pytest.approx(0.75)
    assert rows["South"].completion_rate == pytest.approx(0.5)
    assert (
        selectors.completion_rows(scope=Scope(date_from=TODAY - timedelta(days=10)))
        == []
    )


def test_completion_over_time_counts_per_month(world):
    months = selectors.completion_over_time(scope=Scope())
    assert sum(m["enrolled"] for m in months) == 6
    assert sum(m["completed"] for m in months) == 4


def test_certification_rates_and_states(world):
    row = by_label(selectors.certification_rows(scope=Scope()))["Certified Associate"]
    # Valid: a0, a1 (expiring) and the staff renewal; the staff's first certificate
    # is superseded, b0's expired, a2's revoked.
    assert (row.valid, row.expiring, row.expired, row.revoked, row.superseded) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert row.holders == 3
    # Five people sat the exam (b1 awaits grading); all five were ever certified.
    assert (row.certified, row.candidates) == (5, 5)
    assert row.certification_rate == 1


def test_certification_for_one_organization_leaves_out_staff(world):
    row = selectors.certification_rows(scope=Scope(organization=world["north"]))[0]
    assert (row.holders, row.certified, row.candidates) == (2, 3, 3)
    assert row.superseded == 0


def test_expiring_certificates_with_their_reminders(world):
    certificates = list(selectors.expiring_certificates(scope=Scope(), within_days=90))
    assert [c.holder for c in certificates] == [world["north_people"][1]]
    assert [r.offset_days for r in certificates[0].reminders.all()] == [90]
    assert selectors.expiring_certificates(scope=Scope(), within_days=20).count() == 0
    north = selectors.expiring_certificates(
        scope=Scope(organization=world["north"]), within_days=90
    )
    assert list(north) == [world["expiring"]]


def test_exam_figures(world):
    row = selectors.exam_rows(scope=Scope())[0]
    # Graded: 90, 50, 80, 65, 100, 30 -> 3 passes of 6; one awaiting grading.
    assert (row.attempts, row.graded, row.awaiting_grading, row.passed) == (7, 6, 1, 3)
    assert row.pass_rate == 0.5
    assert row.attempts_per_pass == 2
    assert row.average_percent == pytest.approx(415 / 6)
    assert row.average_minutes == pytest.approx((10 + 20 + 30 + 20 + 20 + 20) / 6)


def test_score_histogram(world):
    bands = {b["band"]: b["attempts"] for b in selectors.score_histogram(scope=Scope())}
    assert bands["90–100"] == 2 and bands["50–59"] == 1 and bands["30–39"] == 1
    assert sum(bands.values()) == 6


def test_learner_figures(world):
    learner = world["north_people"][1]
    figures = selectors.learner_figures(user=learner)
    # The dashboard's figures, from the rows it shows, are the same.
    assert figures == selectors.learner_figures(
        user=learner,
        enrollments=list(Enrollment.objects.filter(user=learner)),
        certificates=holder_certificates(user=learner),
    )
    assert figures["courses_completed"] == 1
    assert figures["certificates_valid"] == 1
    assert figures["certificates_expiring"] == 1
    assert figures["next_expiry"] == TODAY + timedelta(days=30)


def test_learner_figures_want_both_rows_or_neither(world):
    learner = world["north_people"][1]
    with pytest.raises(TypeError):
        selectors.learner_figures(user=learner, enrollments=[])
