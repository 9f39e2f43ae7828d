"""The bench's machine watch reads PostgreSQL's checkpoint counters: a
checkpoint that ends during a load run is counted in the window it ended in."""

import time

import pytest
from django.db import connection

from bench.watch import Watch

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs DATABASE_URL on PostgreSQL"
    ),
]


def test_a_checkpoint_during_the_run_is_counted():
    with Watch(interval=0.2) as watch:
        time.sleep(0.5)
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        time.sleep(0.5)
    seen = watch.whole()
    assert seen["checkpoints"] >= 1  # ours (a timed one may fall in too)
    assert seen["checkpoint_ms"] >= seen["checkpoint_sync_ms"] >= 0
    before = [s for s in watch.samples if s.database][0].database[0]
    assert watch.samples[-1].database[0] >= before + 1
    assert seen["wal_mb"] >= 0
