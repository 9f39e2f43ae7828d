"""What the machine did in a load run's worst window (``bench.watch``): the
figures a stall is explained by, read from real ``/proc`` samples and from
samples made up to the tick."""

import subprocess
import sys

from bench import report
from bench.cpu import TICKS
from bench.watch import Sample, Watch, _command, describe

# user nice system idle iowait irq softirq steal
_CPU = [0, 0, 0, 0, 0, 0, 0, 0]


def _sample(at, busy=0, idle=0, iowait=0, steal=0, database=None, processes=()):
    cpu = list(_CPU)
    cpu[0], cpu[3], cpu[4], cpu[7] = busy, idle, iowait, steal
    return Sample(at, cpu, database, dict(processes))


def test_a_window_gives_the_machines_share_checkpoints_and_busiest_commands():
    first = _sample(
        100.0,
        database=(3, 1000.0, 10.0, 5e9),
        processes={
            1: ("gunicorn", 50 * TICKS),
            2: ("gunicorn", 0),
            3: ("locust", 0),
            4: ("kworker", 7 * TICKS),
        },
    )
    last = _sample(
        110.0,
        busy=1000,
        idle=500,
        iowait=400,
        steal=100,
        database=(4, 1900.0, 610.0, 5e9 + 48_000_000),
        processes={
            1: ("gunicorn", 55 * TICKS),  # 5 s more
            2: ("gunicorn", 3 * TICKS),  # and 3: 80 % of one core in all
            3: ("locust", 2 * TICKS),
            4: ("kworker", 7 * TICKS),  # nothing in the window
            5: ("postgres", 5 * TICKS),  # began in the window
        },
    )
    seen = describe([first, last], top=2)
    assert (seen["busy"], seen["iowait"], seen["steal"]) == (50.0, 20.0, 5.0)
    assert (seen["checkpoints"], seen["checkpoint_ms"], seen["checkpoint_sync_ms"]) == (
        1,
        900,
        600,
    )
    assert seen["wal_mb"] == 48.0
    assert seen["top"] == [["gunicorn", 80.0], ["postgres", 50.0]]


def test_the_kernels_workers_are_one_command_whatever_their_work():
    assert _command("kworker/u8:1-writeback") == _command("kworker/0:2") == "kworker"
    assert _command("gunicorn") == "gunicorn"


def test_a_process_that_ended_in_the_window_counts_until_it_did():
    span = [
        _sample(0.0, idle=10, processes={7: ("locust", 0)}),
        _sample(5.0, idle=10, processes={7: ("locust", 4 * TICKS)}),
        _sample(10.0, idle=20, processes={}),  # the load generator has exited
    ]
    assert describe(span)["top"] == [["locust", 40.0]]


def test_around_takes_the_samples_that_cover_the_window():
    watch = Watch()
    watch.samples = [
        _sample(95.0, busy=0, idle=0),
        _sample(101.0, busy=30, idle=30),  # half the ticks busy
        _sample(109.0, busy=40, idle=110),  # 10 of 90
        _sample(112.0, busy=70, idle=110),  # all of them
    ]
    seen = watch.around(100.0, 10.0)
    assert seen["into_run"] == 5  # the window began 5 s after the first sample
    assert seen["seconds"] == 17.0  # 95 to 112: the samples either side
    assert watch.around(200.0, 10.0) is None  # after the run: nothing covers it
    assert Watch().whole() is None
    timeline = watch.timeline()
    assert [second["at"] for second in timeline] == [0.0, 6.0, 14.0]
    assert [second["busy"] for second in timeline] == [50.0, 11.1, 100.0]


def test_a_busy_process_shows_among_the_busiest():
    spin = "import time\nend = time.time() + 1.5\nwhile time.time() < end: pass"
    with Watch(interval=0.25) as watch:
        subprocess.run([sys.executable, "-c", spin], check=True)
    seen = watch.whole(top=5)
    assert seen["busy"] > 0
    names = dict(seen["top"])
    spinner = next(name for name in names if name.startswith("python"))
    assert names[spinner] > 25  # of one core, on a machine also running tests
    assert "checkpoints" not in seen  # no database here: the machine's figures only


def test_the_report_says_what_the_machine_did_in_the_worst_window():
    seen = {
        "into_run": 35,
        "busy": 97.5,
        "iowait": 1.0,
        "steal": 0.0,
        "checkpoints": 1,
        "checkpoint_ms": 269724,  # as PostgreSQL reported a timed one's end
        "checkpoint_sync_ms": 174,
        "wal_mb": 41.5,
        "top": [["gunicorn", 120.0], ["postgres", 60.0]],
    }
    result = {
        "scenarios": {
            "save": {
                "real": {"save": {"p95": 20.0, "p95_worst_window": 670.0}},
                "machine": {"real": {"worst_windows": {"save": seen}}},
            }
        }
    }
    [row] = [line for line in report._worst_windows(result) if "| save |" in line]
    assert row == (
        "| save | save | 20.0 | 670 | at 35 s; 97.5 / 1.0 / 0.0 %; "
        "1 checkpoint(s) began, a checkpoint ended (270 s of writes, 174 ms of "
        "sync), 41.5 MB of WAL; gunicorn 120.0, postgres 60.0 |"
    )
    quiet = {**seen, "checkpoints": 0, "checkpoint_ms": 0, "checkpoint_sync_ms": 0}
    assert "no checkpoint" in report._machine(quiet)
