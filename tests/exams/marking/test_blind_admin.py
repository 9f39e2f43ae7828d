"""Blind grading holds on every admin screen an examiner can open: lists,
searches, inspect pages and the grading queue name a candidate by number until
the result is released."""

import pytest
from django.urls import reverse

from accounts import roles
from exams.models import Marking, MarkingRole
from tests.exams.marking.support import grade, sit
from tests.factories import make_practical_exam, site_tree

pytestmark = pytest.mark.django_db

NAME, SURNAME, EMAIL = "Casey", "Quillfeather", "casey.quillfeather@example.com"


@pytest.fixture
def exam(db):
    site_tree()
    return make_practical_exam(theory=2, tasks=1, pass_mark=70)


@pytest.fixture
def candidate(user_factory):
    return user_factory(email=EMAIL, first_name=NAME, last_name=SURNAME)


@pytest.fixture(params=[roles.EXAMINERS, roles.TRAINING_ADMINS])
def examiner(request, user_factory):
    return user_factory(email="erin@example.com", roles=[request.param])


def screens(attempt, marking):
    return {
        "attempts": reverse("attempts:index"),
        "attempts, searched by surname": reverse("attempts:index") + f"?q={SURNAME}",
        "attempts, searched by e-mail": reverse("attempts:index") + f"?q={EMAIL}",
        "attempts, results": reverse("attempts:index_results") + f"?q={SURNAME}",
        "attempt": reverse("attempts:inspect", args=[attempt.pk]),
        "grades": reverse("practical-grades:index"),
        "grades, searched": reverse("practical-grades:index") + f"?q={EMAIL}",
        "grade": reverse("practical-grades:inspect", args=[marking.pk]),
        "queue": reverse("exams_grading_queue"),
        "grading page": reverse("exams_grade_marking", args=[marking.pk]),
        "audit log": reverse("audit-log:index"),
        "audit log, searched": reverse("audit-log:index") + f"?q={SURNAME}",
    }


def test_no_screen_names_a_candidate_while_grading_is_blind(
    client, exam, candidate, examiner
):
    attempt = sit(candidate, exam)
    marking = Marking.objects.get(attempt=attempt, role=MarkingRole.FIRST)
    client.force_login(examiner)
    for screen, url in screens(attempt, marking).items():
        response = client.get(url)
        if screen.startswith("audit log") and not examiner.has_perm(
            "accounts.view_auditevent"
        ):
            # Examiners do not read the audit log at all.
            assert response.status_code in (302, 403), screen
            continue
        assert response.status_code == 200, (screen, response.status_code)
        # The search box repeats what the examiner typed: that is no leak.
        html = response.content.decode().replace(f'value="{SURNAME}"', "")
        html = html.replace(f'value="{EMAIL}"', "")
        for secret in (SURNAME, EMAIL):
            assert secret not in html, (screen, secret)
    listing = client.get(reverse("attempts:index")).content.decode()
    assert attempt.candidate_number in listing


def test_once_released_the_candidate_is_named(client, exam, candidate, examiner):
    attempt = sit(candidate, exam)
    attempt = grade(attempt, MarkingRole.FIRST, examiner)
    assert not attempt.is_blind
    client.force_login(examiner)
    html = client.get(reverse("attempts:index") + f"?q={SURNAME}").content.decode()
    assert SURNAME in html
