"""Who listens for an event (webhook subscriptions, learning record stores) is
read on every event, so it is kept in the cache: an event nobody listens to
reads nothing, and a subscription or store that is added, edited, switched off
or deleted is heard (or no longer heard) on the very next event, in every
process."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.api import generation
from accounts.models import Organization
from tests.xapi.test_xapi import queue_once
from webhooks import delivery
from webhooks.models import LISTENING, Delivery, Subscription
from xapi.models import TAKING, RecordStore, Statement

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = "certificate.revoked"


def emit():
    return delivery.emit(EVENT, {"serial": "X-1"})


def subscribe(**fields):
    return Subscription.objects.create(
        **{"url": "http://127.0.0.1:9/hook", "events": [EVENT], **fields}
    )


def reads(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, [q["sql"] for q in ctx.captured_queries]


def test_an_event_nobody_listens_to_reads_nothing_once_kept():
    assert emit() == []
    ids, sql = reads(emit)
    assert ids == []
    assert sql == []


def test_a_new_subscription_hears_the_next_event():
    emit()  # nobody listens: kept
    hook = subscribe()
    ids = emit()
    assert [d.subscription_id for d in Delivery.objects.filter(pk__in=ids)] == [hook.pk]


def test_an_edited_subscription_hears_only_its_new_events():
    hook = subscribe()
    assert len(emit()) == 1
    hook.events = ["person.created"]
    hook.save()
    assert emit() == []


def test_a_subscription_switched_off_for_failing_hears_nothing_more():
    hook = subscribe()
    assert len(emit()) == 1
    delivery._switch_off(hook, 500, "")
    assert emit() == []


def test_a_deleted_subscription_is_not_sent_to():
    hook = subscribe()
    assert len(emit()) == 1
    hook.delete()
    assert emit() == []  # not an insert for a row that is gone


def test_a_deleted_organisation_takes_its_subscriptions_out_of_the_kept_rows():
    org = Organization.objects.create(name="Acme")
    org_id = org.pk
    subscribe(organization=org)
    assert len(delivery.emit(EVENT, {}, organization_id=org_id)) == 1
    org.delete()  # its subscriptions go with it
    assert delivery.emit(EVENT, {}, organization_id=org_id) == []


def test_a_copy_another_process_read_before_the_commit_is_never_used():
    emit()
    with transaction.atomic():
        hook = subscribe()
        # Another process reads now (the row is not committed yet)...
        stale_key = f"{LISTENING.key}:{generation(LISTENING.generation_key)}"
    # ... and keeps what it read only after the commit.
    cache.set(stale_key, [], 300)
    ids = emit()
    assert [d.subscription_id for d in Delivery.objects.filter(pk__in=ids)] == [hook.pk]


class RolledBack(Exception):
    pass


def test_rows_read_in_a_transaction_that_rolls_back_are_not_kept():
    with pytest.raises(RolledBack), transaction.atomic():
        subscribe()
        assert len(emit()) == 1  # this transaction sees its own subscription
        raise RolledBack
    assert not Subscription.objects.exists()
    assert emit() == []  # not an insert for the row that never was


def test_without_the_cache_events_are_still_heard(monkeypatch):
    hook = subscribe()

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "set", "add", "incr"):
        monkeypatch.setattr(cache, name, down)
    ids = emit()
    assert [d.subscription_id for d in Delivery.objects.filter(pk__in=ids)] == [hook.pk]
    hook.events = []
    hook.save()  # a change is saved even while the cache is down
    assert emit() == []


def test_the_kept_copy_holds_no_secret():
    hook = subscribe()
    emit()
    kept = cache.get(f"{LISTENING.key}:{generation(LISTENING.generation_key)}")
    assert kept == [{"pk": hook.pk, "events": [EVENT], "organization_id": None}]
    assert hook.secret not in repr(kept)


def test_record_stores_are_kept_and_a_new_or_switched_off_store_is_heard(
    user_factory,
):
    learner = user_factory()

    def queue():
        return queue_once(learner)

    assert queue() == []
    ids, sql = reads(queue)
    assert (ids, sql) == ([], [])
    store = RecordStore.objects.create(
        name="LRS",
        endpoint="http://127.0.0.1:9/xAPI/",
        username="key",
        password="s3cret-password",
    )
    ids = queue()
    assert [s.store_id for s in Statement.objects.filter(pk__in=ids)] == [store.pk]
    assert "s3cret-password" not in repr(
        cache.get(f"{TAKING.key}:{generation(TAKING.generation_key)}")
    )
    store.active = False
    store.save()
    assert queue() == []
