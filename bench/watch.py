"""What the machine and the database did during a load run, second by second,
so that a stalled window can be told apart: a PostgreSQL checkpoint ending, the
disk (I/O wait), the host taking the CPU back (steal), another process eating
the two cores (the load generator, a job of the machine's own), or a burst of
the database's write-ahead log.

    with Watch() as watch:
        ...the load...
    watch.around(start, WINDOW_SECONDS)   # what happened in that window

Samples read ``/proc`` and ``pg_stat_bgwriter`` once a second on a thread of
their own (a few milliseconds each), with a connection of their own.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cpu import TICKS

# /proc/stat's "cpu" line: user nice system idle iowait irq softirq steal ...
_IDLE, _IOWAIT, _STEAL = 3, 4, 7
_DATABASE_SQL = (
    "SELECT checkpoints_timed + checkpoints_req, "
    "checkpoint_write_time + checkpoint_sync_time, checkpoint_sync_time, "
    "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') "
    "FROM pg_stat_bgwriter"
)


@dataclass
class Sample:
    at: float
    cpu: list[int]  # the machine's ticks by kind, all cores
    # checkpoints begun, their write+sync ms and sync ms, WAL bytes written
    database: tuple[int, float, float, float] | None
    # CPU ticks used so far by each live process: pid -> (command, ticks)
    processes: dict[int, tuple[str, int]] = field(default_factory=dict)


def _machine_ticks() -> list[int]:
    with open("/proc/stat") as stat:
        return [int(n) for n in stat.readline().split()[1:]]


def _command(name: str) -> str:
    """A process's command name, the kernel's worker threads as one (their
    names change with the work they do: ``kworker/u8:1-writeback``)."""
    return "kworker" if name.startswith("kworker/") else name


def _ticks_by_process() -> dict[int, tuple[str, int]]:
    """CPU ticks used so far by each live process, with its command name."""
    used: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name, _, rest = text[text.index("(") + 1 :].rpartition(")")
        fields = rest.split()
        # utime and stime are the 14th and 15th fields; rest starts at the 3rd.
        used[int(entry.name)] = (_command(name), int(fields[11]) + int(fields[12]))
    return used


def _database(cursor) -> tuple[int, float, float, float] | None:
    try:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(_DATABASE_SQL)
        count, busy, sync, wal = cursor.fetchone()
    except Exception:  # noqa: BLE001 — a missed reading is a gap, not a failed run
        return None
    return int(count), float(busy), float(sync), float(wal)


class Watch:
    """Samples once a second from ``__enter__`` to ``__exit__``."""

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        from django.db import connection

        try:
            cursor = connection.cursor()
        except Exception:  # noqa: BLE001 — no database: the machine's figures only
            cursor = None
        try:
            while True:
                self.samples.append(
                    Sample(
                        time.time(),
                        _machine_ticks(),
                        None if cursor is None else _database(cursor),
                        _ticks_by_process(),
                    )
                )
                if self._stop.wait(self.interval):
                    break
        finally:
            connection.close()

    def around(self, start: float, seconds: float, top: int = 3) -> dict | None:
        """What happened between the last sample at or before ``start`` and
        the first at or after ``start + seconds``: how far into the run it
        began, the machine's CPU by kind (percent of all cores), checkpoints
        ended and their write and sync time, and the ``top`` commands by CPU
        (percent of one core). None when no two samples cover it."""
        end = start + seconds
        span = (
            [s for s in self.samples if s.at < start][-1:]
            + [s for s in self.samples if start <= s.at <= end]
            + [s for s in self.samples if s.at > end][:1]
        )
        if len(span) < 2:
            return None
        return {
            "into_run": round(max(0.0, start - self.samples[0].at)),
            **describe(span, top),
        }

    def timeline(self, top: int = 3) -> list[dict]:
        """Second by second (each pair of samples), as :meth:`around` gives a
        window: what to set a run's latencies against after it is over."""
        began = self.samples[0].at if self.samples else 0.0
        return [
            {"at": round(first.at - began, 1), **describe([first, last], top)}
            for first, last in zip(self.samples, self.samples[1:], strict=False)
        ]

    def whole(self, top: int = 3) -> dict | None:
        """:meth:`around` the whole run."""
        if len(self.samples) < 2:
            return None
        return describe(self.samples, top)


def describe(span: list[Sample], top: int = 3) -> dict:
    """What changed from the first of ``span`` to the last (see
    :meth:`Watch.around`)."""
    first, last = span[0], span[-1]
    ticks = [b - a for a, b in zip(first.cpu, last.cpu, strict=False)]
    total = max(1, sum(ticks))

    def share(index: int) -> float:
        return round(100 * ticks[index] / total, 1) if index < len(ticks) else 0.0

    seconds = max(1e-9, last.at - first.at)
    # By process, as last seen: one that began in between counts from nothing,
    # one that ended (the load generator, at the end of its run) until it did.
    latest: dict[int, tuple[str, int]] = {}
    for sample in span:
        latest.update(sample.processes)
    used: dict[str, int] = {}
    for pid, (name, ticks_now) in latest.items():
        spent = ticks_now - first.processes.get(pid, (name, 0))[1]
        used[name] = used.get(name, 0) + spent
    busiest = sorted(used.items(), key=lambda item: -item[1])[:top]
    found = {
        "seconds": round(seconds, 1),
        "busy": round(100 - share(_IDLE) - share(_IOWAIT) - share(_STEAL), 1),
        "iowait": share(_IOWAIT),
        "steal": share(_STEAL),
        "top": [
            [name, round(100 * spent / TICKS / seconds, 1)]
            for name, spent in busiest
            if spent > 0
        ],
    }
    if first.database and last.database:
        begun, busy, sync, wal = (
            b - a for a, b in zip(first.database, last.database, strict=True)
        )
        found["checkpoints"] = begun
        found["checkpoint_ms"] = round(busy)
        found["checkpoint_sync_ms"] = round(sync)
        found["wal_mb"] = round(wal / 1e6, 1)
    return found
