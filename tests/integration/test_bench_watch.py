"""The bench's machine watch reads PostgreSQL's checkpoint counters: a
checkpoint that ends during a load run is counted in the window it ended in."""

import time

from django.db import connection

from bench.watch import Watch

from .conftest import concurrent_transactions

# As every test here that commits: the data the migrations made is restored
# after it (a flush without it would leave the next such test no way back).
pytestmark = concurrent_transactions("the bench's watch")


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
