import pytest
from django.urls import reverse

from accounts.models import OutboundEmail

from .conftest import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_request_queues_mail_that_a_real_worker_delivers(
    client, celery_worker_process, mail_dir
):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "worker.check@example.org",
            "password1": "a-long-unique-passphrase-42",
            "password2": "a-long-unique-passphrase-42",
            "first_name": "Wren",
            "last_name": "Kowalski",
        },
    )
    assert response.status_code == 302
    queued = OutboundEmail.objects.get(to=["worker.check@example.org"])

    def delivered():
        queued.refresh_from_db()
        return queued.sent_at is not None

    assert wait_for(delivered), celery_worker_process.log()
    files = list(mail_dir.iterdir())
    assert len(files) == 1
    text = files[0].read_text()
    assert "worker.check@example.org" in text
    assert "/accounts/confirm-email/" in text
    assert "send_queued_email" in celery_worker_process.log()


def test_an_email_whose_task_was_lost_goes_out_once_on_the_sweep(
    celery_worker_process, mail_dir
):
    """A task the broker lost (none was ever queued for this row) is made good by
    the periodic sweep, run here by the real worker, and sent exactly once."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tasks import queue_stalled_emails

    lost = OutboundEmail.objects.create(
        to=["lost.task@example.org"], subject="Your reminder", body_text="Hi"
    )
    OutboundEmail.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(minutes=20)
    )

    queue_stalled_emails.delay()
    queue_stalled_emails.delay()  # two sweeps at once still send it once

    def delivered():
        lost.refresh_from_db()
        return lost.sent_at is not None

    assert wait_for(delivered), celery_worker_process.log()
    assert wait_for(lambda: celery_worker_process.log().count("succeeded") >= 4)
    files = list(mail_dir.iterdir())
    assert len(files) == 1
    assert "lost.task@example.org" in files[0].read_text()
