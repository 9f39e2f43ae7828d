"""A real Celery worker process, on Redis, reading the test's PostgreSQL database."""

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from redis.client import Pipeline

from accounts.services import queue_stalled_emails
from exams.signals import attempt_passed
from tests.xapi.lrs import lrs  # noqa: F401 - the test LRS, for the xAPI job test

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def concurrent_transactions(what: str) -> list:
    """Marks for a test of concurrent transactions: committed data (threads each
    have a connection; ``serialized_rollback`` restores what the migrations made),
    on PostgreSQL only (SQLite serialises all writers)."""
    return [
        pytest.mark.integration,
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason=f"{what} needs DATABASE_URL on PostgreSQL",
        ),
    ]


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def worker_env(transactional_db, mail_dir) -> dict[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("integration tests need DATABASE_URL on PostgreSQL")
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://") or settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip(
            "integration tests need CELERY_BROKER_URL on Redis and LMS_CELERY_EAGER=0"
        )
    try:
        redis.Redis.from_url(broker).flushdb()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {broker}: {exc}")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": _database_url(),
        "LMS_CELERY_EAGER": "0",
        "CELERY_BROKER_URL": broker,
        "LMS_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "LMS_TEST_EMAIL_FILE_PATH": str(mail_dir),
    }


class WorkerProcess:
    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b"ready." in self.log_path.read_bytes():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError("worker did not start:\n" + self.log_path.read_text())

    def kill(self) -> None:
        """Stop the worker at once (SIGKILL), as a crash or OOM would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def celery_worker_process(worker_env, tmp_path):
    """A started worker; the test may kill() and start() it again."""
    worker = WorkerProcess(worker_env, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()


@pytest.fixture
def passes():
    """Attempt ids in the order the ``attempt_passed`` signal announced them."""
    received = []
    lock = threading.Lock()

    def receiver(sender, attempt, **kwargs):
        with lock:
            received.append(attempt.pk)

    attempt_passed.connect(receiver, weak=False, dispatch_uid="integration-passes")
    yield received
    attempt_passed.disconnect(dispatch_uid="integration-passes")


def delivered_once(mail_dir: Path, count: int) -> bool:
    """Each of ``count`` people got their e-mail once: a worker killed mid-batch
    can at most repeat the one message it was handing to the mail server, and the
    copy carries the same Message-ID, which mail systems collapse."""
    lines = [
        line for path in mail_dir.iterdir() for line in path.read_text().splitlines()
    ]
    recipients = [line for line in lines if line.startswith("To: ")]
    message_ids = [line for line in lines if line.startswith("Message-ID: ")]
    return (
        len(set(recipients)) == count
        and len(set(message_ids)) == count
        and len(recipients) == len(message_ids) <= count + 1
    )


def kill_mid_batch_and_restart(worker, outbox, total: int) -> None:
    """Start ``worker`` on a queued batch of ``total`` e-mails, kill it once a few
    are out, start it again, and wait until every one is marked sent.

    The broker redelivers what the killed worker had taken but not finished.
    One gap is left by the Redis transport: a worker killed between popping a
    message off the queue and recording it as unacknowledged (two commands, not
    one) loses that one message. The periodic sweep of unsent e-mails covers it
    in production, so if the broker's redelivery leaves any unsent, the sweep
    runs here as the scheduler would, and may hand over that one message only.
    """

    def all_sent() -> bool:
        return outbox.filter(sent_at__isnull=False).count() == total

    worker.start()
    assert wait_for(lambda: outbox.filter(sent_at__isnull=False).count() >= 5)
    worker.kill()  # killed in the middle of the batch
    worker.start()
    if not wait_for(all_sent, timeout=30):
        handed_over = queue_stalled_emails(older_than=timedelta(0))
        assert handed_over <= 1, (
            f"the broker lost {handed_over} messages",
            worker.log()[-3000:],
        )
        assert wait_for(all_sent, timeout=30), worker.log()[-3000:]


@pytest.fixture
def round_trips(monkeypatch) -> list[str]:
    """Each command sent to Redis on its own, and each pipeline (one round trip)."""
    trips: list[str] = []
    send, flush = redis.Redis.execute_command, Pipeline.execute

    def command(client, *args, **options):
        if not isinstance(client, Pipeline):
            trips.append(str(args[0]))
        return send(client, *args, **options)

    def pipeline(client, *args, **options):
        trips.append(f"pipeline of {len(client.command_stack)}")
        return flush(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", command)
    monkeypatch.setattr(Pipeline, "execute", pipeline)
    return trips


SCRATCH_REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def scratch_redis() -> str:
    """The address of a Redis database of its own for the test, emptied before
    and after it (skipped when no Redis answers)."""
    try:
        redis.Redis.from_url(SCRATCH_REDIS).ping()
    except redis.RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    redis.Redis.from_url(SCRATCH_REDIS).flushdb()
    yield SCRATCH_REDIS
    redis.Redis.from_url(SCRATCH_REDIS).flushdb()
