"""``make bench`` / ``make bench-quick``: build data, serve, load, verify, report.

    python -m bench.run            # N = 500 learners, demo-sized data, micro-benchmarks
    python -m bench.run --quick    # N = 50, small data: proves the harness, no timings

The run owns everything it starts: its PostgreSQL databases (``lms_bench*``), two
Redis databases (flushed first), a gunicorn and a Celery worker on 127.0.0.1, and
the Locust processes. It stops them all, whatever happens, and exits non-zero on any
request error or lost acknowledged work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


@dataclass
class Options:
    quick: bool
    users: int
    population: int
    courses: int
    duration: float
    port: int
    database: str
    web_workers: int
    worker_concurrency: int
    var_dir: Path
    pg: str = "postgres://postgres@127.0.0.1:5432"
    redis: str = "redis://127.0.0.1:6379"
    redis_db: int = 11
    result_db: int = 12
    reminders: tuple[int, int, int] = (10_000, 1_000_000, 100)

    @property
    def database_url(self) -> str:
        return f"{self.pg}/{self.database}"


@dataclass
class Processes:
    started: list[subprocess.Popen] = field(default_factory=list)

    def start(self, args: list[str], *, env: dict, log: Path) -> subprocess.Popen:
        # Own session: stopping the group stops the children it forked (gunicorn's
        # and Celery's worker processes) and nothing else.
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        self.started.clear()


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--users", type=int)
    parser.add_argument("--population", type=int)
    parser.add_argument("--courses", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("BENCH_PORT", 0))
    )
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    args = parser.parse_args(argv)
    quick = args.quick
    options = Options(
        quick=quick,
        users=args.users or (50 if quick else 500),
        population=args.population or (200 if quick else 5000),
        courses=args.courses or (12 if quick else 300),
        duration=args.duration or (6 if quick else 45),
        port=args.port or (8151 if quick else 8150),
        database="lms_bench_quick" if quick else "lms_bench",
        web_workers=args.web_workers,
        worker_concurrency=args.worker_concurrency,
        var_dir=ROOT / "var" / ("bench-quick" if quick else "bench"),
    )
    if quick:
        options.reminders = (1_000, 5_000, 20)
    return options


def environment(options: Options, database: str | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{options.pg}/{database or options.database}",
        "REDIS_URL": f"{options.redis}/{options.redis_db}",
        "CELERY_BROKER_URL": f"{options.redis}/{options.redis_db}",
        "BENCH_RESULT_URL": f"{options.redis}/{options.result_db}",
        "SECRET_KEY": "bench-only-secret-key-3c1f6a0d9e8b7c6a5f4e3d2c1b0a9f8e",
        "LMS_VAR_DIR": str(options.var_dir),
        "LMS_REQUIRE_MFA_FOR_ADMIN": "0",
    }


def log(message: str) -> None:
    stamp = datetime.now().strftime("%H:%M:%S")
    sys.stdout.write(f"[bench {stamp}] {message}\n")
    sys.stdout.flush()


def recreate_database(options: Options, name: str, *, template: str = "") -> None:
    import psycopg

    assert name.startswith("lms_bench"), name
    with psycopg.connect(f"{options.pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{suffix}')


def flush_redis(options: Options) -> None:
    import redis

    for db in (options.redis_db, options.result_db):
        redis.Redis.from_url(f"{options.redis}/{db}").flushdb()


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become healthy")


def machine() -> dict:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_average": [round(v, 2) for v in load],
    }


# --- serving ----------------------------------------------------------------------------


def start_stack(options: Options, processes: Processes) -> str:
    env = environment(options)
    logs = options.var_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes.start(
        [
            str(BIN / "celery"),
            "-A",
            "lms",
            "worker",
            f"--concurrency={options.worker_concurrency}",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        env=env,
        log=logs / "worker.log",
    )
    host = f"http://127.0.0.1:{options.port}"
    processes.start(
        [
            str(BIN / "gunicorn"),
            "lms.wsgi",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            str(options.web_workers),
            "--backlog",
            "4096",
        ],
        env=env,
        log=logs / "gunicorn.log",
    )
    wait_healthy(f"{host}/healthz")
    return host


# --- load ------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was measured)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(run: dict) -> dict[str, dict]:
    by_name: dict[str, dict] = {}
    for name, milliseconds, error in run["samples"]:
        entry = by_name.setdefault(name, {"times": [], "errors": []})
        entry["times"].append(milliseconds)
        if error:
            entry["errors"].append(error)
    duration = max(run["duration"], 1e-9)
    return {
        name: {
            "count": len(entry["times"]),
            "errors": len(entry["errors"]),
            "first_errors": sorted(set(entry["errors"]))[:3],
            "p50": percentile(entry["times"], 0.50),
            "p95": percentile(entry["times"], 0.95),
            "p99": percentile(entry["times"], 0.99),
            "rps": len(entry["times"]) / duration,
        }
        for name, entry in by_name.items()
    }


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


def database_writes() -> int:
    """Rows inserted, updated or deleted in this database, from PostgreSQL's
    statistics (which backends flush within ten seconds of going idle)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_user_tables"
        )
        return int(cursor.fetchone()[0])


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

SCENARIOS = ("browse", "storm", "save", "poll", "soak", "submit")
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
        "scenarios": {},
    }
    log(f"database {options.database}, Redis DB {options.redis_db}/{options.result_db}")
    recreate_database(options, options.database)
    flush_redis(options)

    import django

    django.setup()
    from django.db import connections

    from courses.models import LearningPathPage

    from . import data as bench_data
    from . import verify

    log(
        f"building data: {options.courses} courses, {options.population} learners, "
        "one 80-question exam"
    )
    built = bench_data.build(
        bench_data.DataSize(courses=options.courses, learners=options.population),
        rng=random.Random(2026),
    )
    active = built["learner_ids"][: options.users]
    shared = {
        "browsers": bench_data.sign_in(active),
        "courses": built["courses"],
        "paths": [p.url for p in LearningPathPage.objects.live()],
        "exam_url": built["exam_url"],
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
        acknowledged: list[dict] = []
        submits: list[dict] = []
        paced = {"users": options.users, "duration": options.duration}
        # bench-quick keeps every behaviour but packs it into fewer seconds.
        pace = 0.4 if options.quick else 1.0
        configs = {
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
        }
        for scenario in SCENARIOS:
            config = configs[scenario]
            data = dict(shared)
            if scenario not in ("browse", "storm"):
                data["attempts"] = bench_data.attempts_of(active)
                connections.close_all()
            results = {"baseline": {"summary": {}}}
            # bench-quick proves correctness only: it needs no baselines to divide by.
            for mode in ("real",) if options.quick else ("baseline", "real"):
                log(f"{scenario}: {mode} run")
                checks_writes = scenario == "poll" and mode == "real"
                if checks_writes:
                    # Earlier scenarios' writes reach the statistics late; let them.
                    time.sleep(STATISTICS_DELAY)
                    writes_before = database_writes()
                results[mode] = run_locust(options, host, scenario, mode, data, config)
                if checks_writes:
                    time.sleep(STATISTICS_DELAY)
                    results[mode]["database_writes"] = database_writes() - writes_before
                connections.close_all()
            acknowledged += results["real"]["acknowledged"]
            submits += results["real"]["submits"]
            report["scenarios"][scenario] = {
                "config": config,
                "baseline": results["baseline"]["summary"],
                "real": results["real"]["summary"],
                "database_writes": results["real"].get("database_writes"),
                "wall_seconds": results["real"]["wall_seconds"],
            }
            for mode, result in results.items():
                for name, figures in result["summary"].items():
                    if figures["errors"]:
                        report["problems"].append(
                            f"{scenario} ({mode}) {name}: {figures['errors']} errors, "
                            f"e.g. {figures['first_errors']}"
                        )
        log("sweep: closing the attempts nobody submitted")
        report["swept"] = sweep_absentees(active)
        checked, problems = verify.check_saves(acknowledged)
        report["verified"] = {
            "acknowledged_saves": len(acknowledged),
            "pages_checked": checked,
            "submits": len(submits),
        }
        report["problems"] += problems
        report["problems"] += verify.check_submits(submits, active)
        report["problems"] += verify.check_swept()
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


def micro(options: Options) -> list[dict]:
    env = environment(options)
    results = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.micro"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )
    reminders_db = f"{options.database}_reminders"
    recreate_database(options, reminders_db, template=options.database)
    small, large, due = options.reminders
    results.append(
        json.loads(
            subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "bench.micro",
                    "reminders",
                    str(small),
                    str(large),
                    str(due),
                ],
                cwd=ROOT,
                env=environment(options, reminders_db),
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()[-1]
        )
    )
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
