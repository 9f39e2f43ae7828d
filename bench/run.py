"""``make bench`` / ``make bench-quick``: build data, serve, load, verify, report.

    python -m bench.run            # N = 500 learners, demo-sized data, micro-benchmarks
    python -m bench.run --quick    # N = 50, small data: proves the harness, no timings

The run owns everything it starts: its PostgreSQL databases (``lms_bench*``), two
Redis databases (flushed first), a gunicorn and a Celery worker on 127.0.0.1, and
the Locust processes. It stops them all, whatever happens, and exits non-zero on any
request error or lost acknowledged work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

from . import cpu
from .stack import (
    BIN,
    PYTHON,
    ROOT,
    Options,
    Processes,
    environment,
    flush_redis,
    log,
    machine,
    parse,
    recreate_database,
    start_stack,
)
from .stats import WINDOW_SECONDS, percentile, summarise
from .watch import Watch


def run_locust(
    options: Options, host: str, scenario: str, mode: str, data: dict, config: dict
) -> dict:
    work = options.var_dir / "runs"
    work.mkdir(parents=True, exist_ok=True)
    data_path = work / f"{scenario}-data.json"
    out_path = work / f"{scenario}-{mode}.json"
    out_path.unlink(missing_ok=True)
    data_path.write_text(json.dumps({**data, "config": config}))
    run_time = int(config.get("duration", 0) + config.get("interval", 0) + 120)
    env = {
        **os.environ,
        "BENCH_SCENARIO": scenario,
        "BENCH_MODE": mode,
        "BENCH_DATA": str(data_path),
        "BENCH_OUT": str(out_path),
    }
    began = time.monotonic()
    subprocess.run(  # our own locustfile, fixed arguments
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(config["users"]),
            "--spawn-rate",
            str(config["users"]),
            "--host",
            host,
            "--run-time",
            f"{run_time}s",
            "--stop-timeout",
            "10",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=(options.var_dir / "logs" / f"locust-{scenario}-{mode}.log").open("w"),
        stderr=subprocess.STDOUT,
        check=False,
        timeout=run_time + 120,
    )
    if not out_path.exists():
        raise RuntimeError(f"Locust wrote no results for {scenario} ({mode})")
    result = json.loads(out_path.read_text())
    result["wall_seconds"] = time.monotonic() - began
    result["summary"] = summarise(result)
    return result


def machine_during(watch: Watch, result: dict) -> dict:
    """The machine and the database over the whole run, second by second, and
    in each endpoint's worst window (``bench.watch``)."""
    return {
        "run": watch.whole(),
        "timeline": watch.timeline(),
        "worst_windows": {
            name: watch.around(figures["worst_window_at"], WINDOW_SECONDS)
            for name, figures in result["summary"].items()
            if figures.get("worst_window_at") is not None
        },
    }


def table_activity() -> tuple[int, int]:
    """Rows inserted, updated or deleted, and table scans (sequential and by
    index), in this database, from PostgreSQL's statistics (which backends flush
    within ten seconds of going idle)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0), "
            "coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) "
            "FROM pg_stat_user_tables"
        )
        writes, scans = cursor.fetchone()
        return int(writes), int(scans)


def web_and_database_cpu(processes, postmaster: int | None) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by
    PostgreSQL, in parts (``cpu.database_parts``)."""
    web = next(p for p in processes.started if "gunicorn" in " ".join(p.args))
    parts = {"web": cpu.tree_seconds(web.pid)}
    if postmaster:
        for part, seconds in cpu.database_parts(postmaster).items():
            parts[f"database {part}"] = seconds
    return parts


def cpu_per_request(
    before: dict[str, float], after: dict[str, float], summary: dict
) -> tuple[float | None, dict[str, float]]:
    """CPU milliseconds per request served between ``before`` and ``after``:
    in all, and each part's."""
    requests = sum(figures["count"] for figures in summary.values())
    if not requests:
        return None, {}
    parts = {
        part: round((after[part] - before.get(part, 0.0)) * 1000 / requests, 2)
        for part in after
    }
    total = sum(after[part] - before.get(part, 0.0) for part in after)
    return round(total * 1000 / requests, 2), parts


def idle_baselines(host: str, user_id: int, count: int) -> dict:
    """B0, B1 and Bq one at a time on an otherwise idle server."""
    import http.client

    from .tasks import noop

    port = int(host.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    results = {}
    for name, path in (("B0", "/bench/b0/"), ("B1", f"/bench/b1/?id={user_id}")):
        times = []
        for _ in range(count):
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{name} answered {response.status}")
        results[name] = times
    connection.close()
    times = []
    for _ in range(count // 2):
        began = time.perf_counter()
        if noop.delay().get(timeout=30) is not True:
            raise RuntimeError("Bq returned something else")
        times.append((time.perf_counter() - began) * 1000)
    results["Bq"] = times
    return {
        name: {
            "count": len(values),
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }
        for name, values in results.items()
    }


def warm_visitor_pages(host: str) -> dict:
    """Keep every visitor's page before the first visit, as a deploy does
    (``manage.py warm_pages``); here the real worker runs it, on the host the
    visitors use. The bench changes no content while it measures, so nothing is
    warmed again."""
    from lms.tasks import warm_visitor_pages as task

    netloc = host.split("//", 1)[1]
    return task.apply_async(([netloc],), ignore_result=False).get(timeout=600)


def sweep_absentees(learner_ids: list[int]) -> int:
    """Move the deadline of attempts nobody submitted into the past (the run cannot
    wait out a real exam), then let the worker's sweep close them."""
    from datetime import timedelta

    from django.utils import timezone

    from exams.models import Attempt, AttemptStatus
    from exams.tasks import close_overdue_attempts

    from .data import EXAM_SLUG

    past = timezone.now() - timedelta(seconds=1)
    open_attempts = Attempt.objects.filter(
        user_id__in=learner_ids, exam__slug=EXAM_SLUG, status=AttemptStatus.IN_PROGRESS
    )
    open_attempts.update(deadline=past, cutoff=past)
    return close_overdue_attempts.apply_async(ignore_result=False).get(timeout=300)


# --- the run ---------------------------------------------------------------------------

SCENARIOS = ("visit", "browse", "storm", "save", "poll", "soak", "submit", "crowd")
# PostgreSQL backends publish their row counts at most ten seconds after going idle.
STATISTICS_DELAY = 11


def run(options: Options) -> dict:
    import random

    options.var_dir.mkdir(parents=True, exist_ok=True)
    (options.var_dir / "logs").mkdir(exist_ok=True)
    for key, value in environment(options).items():
        os.environ[key] = value
    started = time.monotonic()
    report: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": options.quick,
        "users": options.users,
        "population": options.population,
        "courses": options.courses,
        "machine_before": machine(),
        "problems": [],
        "crowd": options.crowd,
        "cpu_hogs": options.cpu_hogs,
        "scenarios": {},
    }
    log(f"database {options.database}, Redis DB {options.redis_db}/{options.result_db}")
    recreate_database(options, options.database)
    flush_redis(options)

    import django

    django.setup()
    from django.db import connections

    from courses.models import LearningPathPage

    from . import cpu, verify
    from . import data as bench_data

    log(
        f"building data: {options.courses} courses, {options.population} learners, "
        "one 80-question exam"
    )
    built = bench_data.build(
        bench_data.DataSize(courses=options.courses, learners=options.population),
        rng=random.Random(2026),
    )
    active = built["learner_ids"][: options.users]
    crowd = built["learner_ids"][options.users : options.users + options.crowd]
    shared = {
        "browsers": bench_data.sign_in(active),
        "courses": built["courses"],
        "paths": [p.url for p in LearningPathPage.objects.live()],
        "start_url": built["start_url"],
    }
    report["build_seconds"] = time.monotonic() - started
    connections.close_all()

    processes = Processes()
    try:
        host = start_stack(options, processes)
        log(f"gunicorn ({options.web_workers} workers) and a Celery worker are up")
        report["idle_baselines"] = idle_baselines(
            host, active[0], 20 if options.quick else 300
        )
        began = time.monotonic()
        warmed = warm_visitor_pages(host)
        [outcomes] = warmed["hosts"].values()
        log(
            f"visitors' pages: {outcomes['kept']} of {warmed['addresses']} kept by "
            f"the worker in {time.monotonic() - began:.0f} s "
            f"({outcomes['not shown']} internal: not shown to visitors)"
        )
        report["visitor_pages_warmed"] = {**warmed, "seconds": time.monotonic() - began}
        if outcomes["shown, not kept"] or not outcomes["kept"]:
            report["problems"].append(f"the warm-up of visitors' pages: {outcomes}")
        acknowledged: list[dict] = []
        submits: list[dict] = []
        paced = {"users": options.users, "duration": options.duration}
        # bench-quick keeps every behaviour but packs it into fewer seconds.
        pace = 0.4 if options.quick else 1.0
        configs = {
            "visit": {**paced, "interval": 10.0 * pace},
            "browse": {**paced, "interval": 10.0 * pace},
            "storm": {"users": options.users},
            "save": {**paced, "interval": 5.0 * pace},
            "poll": {**paced, "interval": 5.0 * pace},
            "soak": {**paced, "interval": 3.0 * pace},
            "submit": {
                "users": options.users,
                "window": 10.0 * pace,
                "twice": 0.1,
                "absent": 0.05,
            },
            # 2,000 more learners mid-exam; the baseline keeps the shape for 2 min.
            "crowd": {
                "users": len(crowd),
                "duration": options.crowd_duration,
                "interval": 15.0,
            },
        }
        postmaster = cpu.postmaster_pid()
        for scenario in SCENARIOS:
            config = configs[scenario]
            data = dict(shared)
            if scenario == "crowd":
                if not crowd:
                    continue
                log(f"crowd: {len(crowd)} learners start the exam")
                data["browsers"] = bench_data.sign_in(crowd)
                bench_data.start_attempts(crowd)
                data["attempts"] = bench_data.attempts_of(crowd)
                connections.close_all()
            elif scenario not in ("visit", "browse", "storm"):
                data["attempts"] = bench_data.attempts_of(active)
                connections.close_all()
            results = {"baseline": {"summary": {}}}
            # bench-quick proves correctness only: it needs no baselines to divide by.
            for mode in ("real",) if options.quick else ("baseline", "real"):
                log(f"{scenario}: {mode} run")
                run_config = config
                if scenario == "crowd" and mode == "baseline":
                    run_config = {**config, "duration": min(config["duration"], 120.0)}
                checks_writes = scenario == "poll" and mode == "real"
                if checks_writes:
                    # Earlier scenarios' writes reach the statistics late; let them.
                    time.sleep(STATISTICS_DELAY)
                    writes_before, scans_before = table_activity()
                cpu_before = web_and_database_cpu(processes, postmaster)
                with Watch() as watch:
                    results[mode] = run_locust(
                        options, host, scenario, mode, data, run_config
                    )
                results[mode]["machine"] = machine_during(watch, results[mode])
                (
                    results[mode]["cpu_ms_per_request"],
                    results[mode]["cpu_parts_ms_per_request"],
                ) = cpu_per_request(
                    cpu_before,
                    web_and_database_cpu(processes, postmaster),
                    results[mode]["summary"],
                )
                if checks_writes:
                    time.sleep(STATISTICS_DELAY)
                    writes, scans = table_activity()
                    results[mode]["database_writes"] = writes - writes_before
                    # The checks' own two statistics reads are not the polls'.
                    results[mode]["database_reads"] = max(0, scans - scans_before)
                connections.close_all()
            acknowledged += results["real"]["acknowledged"]
            submits += results["real"]["submits"]
            report["scenarios"][scenario] = {
                "config": configs[scenario],
                "baseline": results["baseline"]["summary"],
                "real": results["real"]["summary"],
                "database_writes": results["real"].get("database_writes"),
                "database_reads": results["real"].get("database_reads"),
                "cpu_ms_per_request": {
                    mode: result.get("cpu_ms_per_request")
                    for mode, result in results.items()
                },
                "cpu_parts_ms_per_request": {
                    mode: result.get("cpu_parts_ms_per_request")
                    for mode, result in results.items()
                },
                "machine": {
                    mode: result.get("machine") for mode, result in results.items()
                },
                "wall_seconds": results["real"]["wall_seconds"],
                "acknowledged": len(results["real"]["acknowledged"]),
            }
            for mode, result in results.items():
                for name, figures in result["summary"].items():
                    if figures["errors"]:
                        report["problems"].append(
                            f"{scenario} ({mode}) {name}: {figures['errors']} errors, "
                            f"e.g. {figures['first_errors']}"
                        )
        log("sweep: closing the attempts nobody submitted")
        report["swept"] = sweep_absentees(active + crowd)
        checked, problems = verify.check_saves(acknowledged)
        report["verified"] = {
            "acknowledged_saves": len(acknowledged),
            "pages_checked": checked,
            "submits": len(submits),
        }
        report["problems"] += problems
        report["problems"] += verify.check_submits(submits, active)
        report["problems"] += verify.check_swept()
        if "crowd" in report["scenarios"]:
            report["verified"]["crowd_acknowledged_saves"] = report["scenarios"][
                "crowd"
            ]["acknowledged"]
        if report["scenarios"]["poll"]["database_writes"]:
            report["problems"].append(
                f"status polls wrote {report['scenarios']['poll']['database_writes']} rows"
            )
        report["machine_after_load"] = machine()
        connections.close_all()
    finally:
        processes.stop_all()

    log("micro-benchmarks")
    report["micro"] = micro(options)
    report["machine_after"] = machine()
    report["total_seconds"] = time.monotonic() - started
    return report


def _micro_run(env: dict, *arguments: str) -> dict | list:
    """One ``bench.micro`` run in its own process; its last line is the result."""
    return json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.micro", *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )


def micro(options: Options) -> list[dict]:
    results = _micro_run(environment(options))
    reminders_db = f"{options.database}_reminders"
    recreate_database(options, reminders_db, template=options.database)
    small, large, due = options.reminders
    env = environment(options, reminders_db)
    results.append(_micro_run(env, "reminders", str(small), str(large), str(due)))
    # The import runs in the same copy, rolled back: the load data stays untouched.
    results.append(_micro_run(env, "import", str(options.import_rows)))
    return results


def main(argv: list[str] | None = None) -> int:
    from . import report as reporting

    options = parse(sys.argv[1:] if argv is None else argv)
    result = run(options)
    path = options.var_dir / "results.json"
    path.write_text(json.dumps(result, indent=2))
    table = reporting.markdown(result)
    (options.var_dir / "results.md").write_text(table)
    sys.stdout.write("\n" + table + "\n")
    if result["problems"]:
        for problem in result["problems"]:
            log(f"PROBLEM: {problem}")
        return 1
    log(f"no errors, nothing lost ({result['total_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
