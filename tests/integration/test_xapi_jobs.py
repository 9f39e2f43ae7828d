"""xAPI with real parts: the statement is written in the change's PostgreSQL
transaction, a Celery worker process on Redis sends it after commit to a real
LRS (Ralph's, on 127.0.0.1), and the LRS gives it back."""

import pytest
from django.db import transaction

from courses import services as course_services
from tests.factories import make_course, modules_of, study_module
from tests.xapi.lrs import PASSWORD, USERNAME
from webhooks.api import retry
from xapi.models import RecordStore, Statement

from .conftest import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_sends_the_statements_after_commit_and_the_lrs_keeps_them(
    worker_env, celery_worker_process, user_factory, lrs
):
    RecordStore.objects.create(
        name="LRS", endpoint=lrs.endpoint, username=USERNAME, password=PASSWORD
    )
    learner = user_factory(email="worker-xapi@example.com")
    course = make_course(modules=1, title="Routing 101")

    with transaction.atomic():
        course_services.enroll(user=learner, course=course)
        assert lrs.statements(learner.email) == []  # nothing leaves before commit
    study_module(user=learner, module=modules_of(course)[0])

    assert wait_for(
        lambda: (
            Statement.objects.filter(status=retry.DeliveryStatus.DELIVERED).count() == 3
        ),
        timeout=30,
    ), celery_worker_process.log()
    stored = lrs.statements(learner.email)
    assert sorted(s["verb"]["display"]["en-US"] for s in stored) == [
        "completed",
        "experienced",
        "registered",
    ]
    assert {s["object"]["definition"]["name"]["en-US"] for s in stored} >= {
        "Routing 101"
    }
    assert {s["id"] for s in stored} == {
        str(i) for i in Statement.objects.values_list("statement_id", flat=True)
    }
