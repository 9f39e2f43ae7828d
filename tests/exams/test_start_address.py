"""A start has its own address (``exams:start``), outside Wagtail's page routing:
the same rules as the exam page's own "start/" route, in fewer queries."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from exams.models import Attempt
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam(bank=make_bank(questions=10), count=10)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def start_url(exam_id):
    return reverse("exams:start", args=[exam_id])


def test_a_start_from_its_address_opens_the_attempt(exam, learner):
    client = signed_in(learner)
    response = client.post(start_url(exam.pk))
    attempt = Attempt.objects.get(user=learner, exam=exam)
    assert response.status_code == 302
    assert response["Location"] == reverse("exams:attempt", args=[attempt.public_id])
    assert client.post(start_url(exam.pk))["Location"] == response["Location"]
    assert Attempt.objects.filter(user=learner).count() == 1  # the open one again


def test_the_exam_page_starts_from_the_address(exam, learner):
    page = signed_in(learner).get(exam.url).content.decode()
    assert f'action="{start_url(exam.pk)}"' in page


def test_it_reads_fewer_rows_than_the_page_route(exam, user_factory):
    counts = {}
    for route, url in (("page", exam.url + "start/"), ("own", start_url(exam.pk))):
        client = signed_in(user_factory())
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url).status_code == 302
        counts[route] = len(captured)
    assert counts["own"] <= counts["page"] - 4, counts


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_a_post_starts(exam, learner, method):
    response = getattr(signed_in(learner), method)(start_url(exam.pk))
    assert response.status_code == 405
    assert not Attempt.objects.exists()


def test_unknown_unpublished_and_out_of_range_exams_are_not_found(exam, learner):
    client = signed_in(learner)
    exam.unpublish()
    for path in (
        start_url(exam.pk),
        start_url(exam.pk + 1000),
        f"/exams/attempts/new/{10**30}/",
        "/exams/attempts/new/-1/",
        "/exams/attempts/new/one/",
    ):
        assert client.post(path).status_code == 404, path
    assert not Attempt.objects.exists()


def test_a_visitor_is_asked_to_sign_in(exam):
    response = Client().post(start_url(exam.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "restriction",
    [
        {"restriction_type": PageViewRestriction.PASSWORD, "password": "s3cret"},
        {"restriction_type": PageViewRestriction.GROUPS},
    ],
    ids=["password", "groups"],
)
def test_the_pages_view_restrictions_hold(exam, learner, restriction):
    """On the exam's parent, as an editor would set it for a whole section."""
    made = PageViewRestriction.objects.create(page=exam.get_parent(), **restriction)
    if restriction["restriction_type"] == PageViewRestriction.GROUPS:
        made.groups.add(Group.objects.create(name="Partner engineers"))
    response = signed_in(learner).post(start_url(exam.pk))
    assert response.status_code == 302 and response["Location"] == exam.url
    assert not Attempt.objects.exists()


def test_a_start_without_the_csrf_token_is_refused(exam, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(start_url(exam.pk)).status_code == 403
    assert not Attempt.objects.exists()
