"""The processes and databases a benchmark run owns: options, environment,
PostgreSQL and Redis set-up, and the gunicorn + worker stack."""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
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
    # The soak: this many more learners mid-exam, saving every 15 s (0: none).
    crowd: int
    crowd_duration: float
    port: int
    # Busy processes beside the stack, to run the bench on a slower machine.
    cpu_hogs: int
    database: str
    web_workers: int
    worker_concurrency: int
    var_dir: Path
    pg: str = "postgres://postgres@127.0.0.1:5432"
    redis: str = "redis://127.0.0.1:6379"
    redis_db: int = 11
    result_db: int = 12
    reminders: tuple[int, int, int] = (10_000, 1_000_000, 100)
    import_rows: int = 10_000

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
    parser.add_argument("--crowd", type=int, help="learners in the soak (0: skip it)")
    parser.add_argument("--crowd-duration", type=float, default=600.0)
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("BENCH_PORT", 0))
    )
    parser.add_argument(
        "--cpu-hogs",
        type=int,
        default=0,
        help="busy processes that share the cores with the run (a slower machine)",
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
        crowd=(0 if quick else 2000) if args.crowd is None else args.crowd,
        crowd_duration=args.crowd_duration,
        port=args.port or (8151 if quick else 8150),
        cpu_hogs=args.cpu_hogs,
        database="lms_bench_quick" if quick else "lms_bench",
        web_workers=args.web_workers,
        worker_concurrency=args.worker_concurrency,
        var_dir=ROOT
        / "var"
        / (
            ("bench-quick" if quick else "bench")
            + (f"-hogs{args.cpu_hogs}" if args.cpu_hogs else "")
        ),
    )
    if quick:
        options.reminders = (1_000, 5_000, 20)
        options.import_rows = 500
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
    for _ in range(options.cpu_hogs):
        # Always runnable at the same priority: each takes its share of a core.
        processes.start(
            [PYTHON, "-c", "while True: pass"], env=env, log=logs / "cpu-hogs.log"
        )
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
