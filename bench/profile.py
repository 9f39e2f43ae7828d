"""``make profile``: where each exam-day endpoint's time goes, request by request.

    python -m bench.profile            # 40 requests per endpoint
    python -m bench.profile --repeat 200
    python -m bench.profile --only dashboard,"attempt page"   # B1 and these

Runs in one process under the bench settings (PostgreSQL, Redis sessions and
cache), against its own database (``lms_bench_profile``) filled by the bench's
data builder, through the whole middleware stack with Django's test client. For
every endpoint it records:

* CPU milliseconds per request of this process (the web side; ``process_time``,
  so another job on the machine does not move it), median of an unprofiled run
  that takes the endpoints in turn (a slow spell of the machine falls on B1 too);
* CPU milliseconds per request of the database server process that served it
  (Linux's ``schedstat``), mean of the same run, and the ratio to B1 of web and
  database together, as the bench counts CPU per request;
* SQL statements per request, counted in a separate, unprofiled pass;
* a pyinstrument profile of all the requests together, as text
  (``var/bench/profiles/<endpoint>.txt``, and ``.all.txt`` with every library
  frame shown) and HTML, and the request's SQL
  (``<endpoint>.sql``).

B1 (a signed-in view that reads one row) is profiled the same way, so every figure
has its baseline beside it. ``var/bench/profiles/summary.json`` holds the table that
BENCHMARKS.md quotes.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from .stack import ROOT, environment, flush_redis, log, parse, recreate_database

HOST = "127.0.0.1"


@dataclass
class Endpoint:
    name: str
    # Called once per request with the request's index; returns the response.
    request: Callable[[int], object]
    expect: int = 200


def _call(endpoint: Endpoint, index: int) -> None:
    response = endpoint.request(index)
    if response.status_code != endpoint.expect:
        raise RuntimeError(
            f"{endpoint.name}: HTTP {response.status_code}, expected {endpoint.expect}"
        )


def _statements(endpoint: Endpoint) -> tuple[list[str], list[str]]:
    """Warm up (imports, template loading, first cache fills), then the SQL of
    one request and the commands it sent the cache (each a round trip, a
    pipeline of several one too: the request waits for them, though they cost
    this process little CPU)."""
    from unittest import mock

    from django.db import connection
    from redis import Redis
    from redis.client import Pipeline

    for index in range(3):
        _call(endpoint, index)
    statements: list[str] = []
    commands: list[str] = []
    send, flush = Redis.execute_command, Pipeline.execute

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def count_command(client, *args, **options):
        commands.append(" ".join(str(arg)[:80] for arg in args))
        return send(client, *args, **options)

    def count_pipeline(pipeline, *args, **options):
        queued = "; ".join(
            " ".join(str(arg)[:80] for arg in command[0][:2])
            for command in pipeline.command_stack
        )
        commands.append(f"pipeline: {queued}")
        return flush(pipeline, *args, **options)

    with (
        connection.execute_wrapper(count),
        mock.patch.object(Redis, "execute_command", count_command),
        mock.patch.object(Pipeline, "execute", count_pipeline),
    ):
        _call(endpoint, 3)
    return statements, commands


def _backend_ns() -> tuple[int | None, int]:
    """(the database connection's server process, the nanoseconds it has run
    on a CPU so far: Linux's ``schedstat``, exact where ``/proc``'s ticks are
    10 ms), or (None, 0) when it is not open or not on this machine."""
    from django.db import connection

    if connection.connection is None:
        return None, 0
    pid = connection.connection.info.backend_pid
    try:
        return pid, int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None, 0


def _cpu(
    endpoints: list[Endpoint], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """CPU milliseconds of each request, unprofiled (a profiler's own cost would
    inflate it), the endpoints taken in turn: a slow spell of the machine falls
    on all of them alike, B1 too, so the ratios compare. This process's, and
    the database server process's for the same request (when it kept one
    connection throughout, as the web workers do)."""
    cpu: dict[str, list[float]] = {endpoint.name: [] for endpoint in endpoints}
    database: dict[str, list[float]] = {endpoint.name: [] for endpoint in endpoints}
    for index in range(4, 4 + repeat):
        for endpoint in endpoints:
            backend, ran = _backend_ns()
            began = time.process_time()
            _call(endpoint, index)
            cpu[endpoint.name].append((time.process_time() - began) * 1000)
            after, ran_after = _backend_ns()
            if backend is not None and after == backend:
                database[endpoint.name].append((ran_after - ran) / 1e6)
    return cpu, database


def _profile(endpoint: Endpoint, repeat: int, out_dir: Path) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    for index in range(4 + repeat, 4 + 2 * repeat):
        _call(endpoint, index)
    profiler.stop()
    (out_dir / f"{endpoint.name}.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False)
    )
    # Every frame, Django's and the libraries' too: where a template's time goes.
    (out_dir / f"{endpoint.name}.all.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=True)
    )
    (out_dir / f"{endpoint.name}.html").write_text(profiler.output_html())


def _measure(endpoints: list[Endpoint], repeat: int, out_dir: Path) -> list[dict]:
    counted, trips = {}, {}
    for endpoint in endpoints:
        statements, commands = _statements(endpoint)
        (out_dir / f"{endpoint.name}.sql").write_text("\n\n".join(statements) + "\n")
        (out_dir / f"{endpoint.name}.cache").write_text("\n".join(commands) + "\n")
        counted[endpoint.name] = len(statements)
        trips[endpoint.name] = len(commands)
    cpu, database = _cpu(endpoints, repeat)
    rows = []
    for endpoint in endpoints:
        _profile(endpoint, repeat, out_dir)
        times = sorted(cpu[endpoint.name])
        on_database = database[endpoint.name]
        row = {
            "endpoint": endpoint.name,
            "requests": repeat,
            "cpu_ms_median": round(statistics.median(times), 2),
            "cpu_ms_p90": round(times[int(len(times) * 0.9) - 1], 2),
            # The mean: a statement's cost lands on the request that waits for it.
            "database_cpu_ms": (
                round(statistics.fmean(on_database), 3) if on_database else None
            ),
            "queries": counted[endpoint.name],
            "cache_round_trips": trips[endpoint.name],
        }
        log(
            f"{row['endpoint']}: {row['cpu_ms_median']} ms CPU (p90 "
            f"{row['cpu_ms_p90']}), database {row['database_cpu_ms']} ms, "
            f"{row['queries']} queries, {row['cache_round_trips']} cache round trips"
        )
        rows.append(row)
    return rows


def learners_needed(repeat: int) -> int:
    """Enough learners that every start, submit, first dashboard, page's first
    save and learner's first save is a first one (each of the ``2 * repeat +
    4`` requests), and one who sits the exam throughout."""
    return 5 * (2 * repeat + 4) + 1


def endpoints(built: dict, repeat: int) -> list[Endpoint]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from courses.models import LearningPathPage
    from exams.models import Attempt, ExamPage
    from exams.services import start_attempt

    from . import data as bench_data

    learners = list(
        get_user_model().objects.filter(pk__in=built["learner_ids"]).order_by("pk")
    )
    needed = learners_needed(repeat)
    if len(learners) < needed:
        raise RuntimeError(f"profile needs {needed} learners, has {len(learners)}")
    exam = ExamPage.objects.get(slug=bench_data.EXAM_SLUG)
    each = 2 * repeat + 4
    sitter, starters, submitters, newcomers, page_savers, first_savers = (
        learners[0],
        learners[1 : 1 + each],
        learners[1 + each : 1 + 2 * each],
        learners[1 + 2 * each : 1 + 3 * each],
        learners[1 + 3 * each : 1 + 4 * each],
        learners[1 + 4 * each : needed],
    )

    def client_for(user=None) -> Client:
        client = Client(HTTP_HOST=HOST)
        if user is not None:
            client.force_login(user)
        return client

    attempt = start_attempt(user=sitter, exam=exam)
    served = bench_data.attempts_of([sitter.pk])[str(sitter.pk)]
    sitter_client = client_for(sitter)
    rng = random.Random(7)
    base = f"/exams/attempts/{attempt.public_id}/"
    pages = sorted(served["pages"])

    def post_page(client, url: str, questions: list, page, seq: int):
        """A save of ``page``: every question answered with one of its sample
        answers, as the browser's form posts it."""
        fields = [
            tuple(field)
            for question in questions
            for field in rng.choice(question["samples"])
        ]
        return client.post(
            url,
            urlencode([*fields, ("page", page), ("seq", str(seq))]),
            content_type="application/x-www-form-urlencoded",
        )

    def save(index: int):
        page = pages[index % len(pages)]
        return post_page(
            sitter_client, base + "save/", served["pages"][page], page, index + 1
        )

    def first_saves(users, *, polled: bool):
        """Each request another of ``users``' attempts saved for the first
        time, on page 1, 2, ... in turn; ``polled``: after a poll that kept
        the attempt's state (not its pages)."""
        clients, bases = [], []
        for user in users:
            base_of = (
                f"/exams/attempts/{start_attempt(user=user, exam=exam).public_id}/"
            )
            client = client_for(user)
            if polled:
                client.get(base_of + "status/")
            clients.append(client)
            bases.append(base_of)
        served_to = bench_data.attempts_of([user.pk for user in users])

        def first_save(index: int):
            pages_of = served_to[str(users[index].pk)]["pages"]
            page = sorted(pages_of)[index % len(pages_of)]
            return post_page(
                clients[index], bases[index] + "save/", pages_of[page], page, 1
            )

        return first_save

    # A page's first save: the attempt's state is kept (its page's poll kept
    # it) but not that page's questions, as for most of the bench's saves (a
    # random page of eight, nine saves in 45 s).
    page_first_save = first_saves(page_savers, polled=True)
    # A learner's first save: nothing of the attempt kept yet (no poll, no
    # save before it), as for one save in nine of the bench's save scenario.
    learner_first_save = first_saves(first_savers, polled=False)

    starter_clients = [client_for(user) for user in starters]
    for user in submitters:
        start_attempt(user=user, exam=exam)
    submit_ids = dict(
        Attempt.objects.filter(user__in=submitters).values_list("user_id", "public_id")
    )
    submitter_clients = [client_for(user) for user in submitters]

    def submit(index: int):
        public_id = submit_ids[submitters[index].pk]
        return submitter_clients[index].post(f"/exams/attempts/{public_id}/submit/")

    visitor = client_for()
    # A learner's first dashboard: nothing of theirs kept yet, as for nearly every
    # dashboard of the bench's browse scenario (a page every 10 s for 45 s).
    newcomer_clients = [client_for(user) for user in newcomers]
    course = built["courses"][0]
    path_url = LearningPathPage.objects.live().first().url
    return [
        Endpoint("B1", lambda i: sitter_client.get(f"/bench/b1/?id={sitter.pk}")),
        Endpoint("poll", lambda i: sitter_client.get(base + "status/")),
        Endpoint("save", save),
        Endpoint("first save of a page", page_first_save),
        Endpoint("a learner's first save", learner_first_save),
        Endpoint("attempt page", lambda i: sitter_client.get(base + "?page=1")),
        Endpoint(
            "start",
            lambda i: starter_clients[i].post(reverse("exams:start", args=[exam.pk])),
            expect=302,
        ),
        Endpoint("submit", submit, expect=302),
        Endpoint("visitor catalog", lambda i: visitor.get("/catalog/")),
        Endpoint("visitor course", lambda i: visitor.get(course["url"])),
        Endpoint("visitor lesson", lambda i: visitor.get(course["lesson_url"])),
        Endpoint("dashboard", lambda i: sitter_client.get("/dashboard/")),
        Endpoint("first dashboard", lambda i: newcomer_clients[i].get("/dashboard/")),
        Endpoint("course", lambda i: sitter_client.get(course["url"])),
        Endpoint("lesson", lambda i: sitter_client.get(course["lesson_url"])),
        Endpoint("path", lambda i: sitter_client.get(path_url)),
        Endpoint("catalog", lambda i: sitter_client.get("/catalog/")),
        Endpoint("paths", lambda i: sitter_client.get("/paths/")),
    ]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    repeat = 40
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at : at + 2]
    only = None
    if "--only" in args:
        at = args.index("--only")
        only = {"B1", *args[at + 1].split(",")}
        del args[at : at + 2]
    options = parse([*args, "--quick"])
    database = "lms_bench_profile"
    for key, value in environment(options, database).items():
        os.environ[key] = value
    recreate_database(options, database)
    flush_redis(options)

    import django

    django.setup()
    from . import data as bench_data

    learners = learners_needed(repeat) + 20
    log(f"profile: building data ({learners} learners), {repeat} requests each")
    built = bench_data.build(
        bench_data.DataSize(courses=24, learners=learners), rng=random.Random(2026)
    )
    out_dir = ROOT / "var" / "bench" / "profiles"
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = [
        endpoint
        for endpoint in endpoints(built, repeat)
        if only is None or endpoint.name in only
    ]
    rows = _measure(chosen, repeat, out_dir)
    b1 = rows[0]["cpu_ms_median"]
    b1_both = b1 + (rows[0]["database_cpu_ms"] or 0)
    for row in rows:
        row["x_b1"] = round(row["cpu_ms_median"] / b1, 2) if b1 else None
        # Web and database together, as the bench's CPU per request counts them.
        both = row["cpu_ms_median"] + (row["database_cpu_ms"] or 0)
        row["x_b1_with_database"] = round(both / b1_both, 2) if b1_both else None
    (out_dir / "summary.json").write_text(json.dumps(rows, indent=2))
    lines = [
        "| endpoint | CPU ms (median) | x B1 | database CPU ms (mean) "
        "| x B1, web + database | SQL queries | cache round trips |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {r['endpoint']} | {r['cpu_ms_median']} | {r['x_b1']} "
            f"| {r['database_cpu_ms']} | {r['x_b1_with_database']} | {r['queries']} "
            f"| {r['cache_round_trips']} |"
            for r in rows
        ),
    ]
    (out_dir / "summary.md").write_text("\n".join(lines) + "\n")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
