"""A due message is claimed while another message for the same receiver is being
queued, on PostgreSQL. Inserting a message share-locks its receiver's row; a
claim that locked the joined row too skipped the due message (seen as an xAPI
statement left undelivered until the next retry sweep)."""

import threading
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from webhooks.api import retry
from xapi.models import RecordStore, Statement

from .conftest import concurrent_transactions

pytestmark = concurrent_transactions("the claim race")


def statement(store, verb):
    now = timezone.now()
    return Statement(
        store=store,
        verb=verb,
        body={"verb": verb},
        next_attempt_at=now,
        retry_until=now + timedelta(hours=24),
    )


def test_a_due_statement_is_claimed_while_another_is_being_queued():
    store = RecordStore.objects.create(
        name="LRS", endpoint="http://127.0.0.1:9/xapi/", username="u", password="p"
    )
    due = statement(store, "experienced")
    due.save()
    queued, release = threading.Event(), threading.Event()

    def queue_another():
        try:
            with transaction.atomic():  # still open while the claim runs
                # The key check (deferred to commit, so held only for a moment
                # there) is made at once: its share lock stays until release.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                statement(store, "completed").save()
                queued.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=queue_another)
    thread.start()
    try:
        assert queued.wait(10)
        claimed = retry.claim(
            Statement.objects.select_related("store").filter(store__active=True),
            pk=due.pk,
            now=timezone.now(),
            hold=timedelta(seconds=60),
        )
    finally:
        release.set()
        thread.join(10)
    assert claimed is not None and claimed.pk == due.pk
