"""CPU time a process tree has used (Linux ``/proc``): the web server's and
PostgreSQL's, read before and after a load so that each scenario reports CPU
milliseconds per request, a figure queueing does not inflate.

A process's own user and system time plus what its exited children used
(``cutime``/``cstime``, counted once they are reaped), plus its live children's:
the whole tree, whatever came and went during the load.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _read(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, own ticks, reaped children's ticks), or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    own = int(fields[11]) + int(fields[12])
    reaped = int(fields[13]) + int(fields[14])
    return int(fields[1]), own, reaped


def tree_seconds(root: int) -> float:
    """CPU seconds used by ``root`` and everything below it."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        read = _read(int(entry.name))
        if read is None:
            continue
        parents[int(entry.name)] = read[0]
        ticks[int(entry.name)] = read[1] + read[2]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += ticks.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / TICKS


# A PostgreSQL server process that serves no connection (Debian names them
# "postgres: 15/main: checkpointer", a session "postgres: 15/main: user db …").
_BACKGROUND = re.compile(
    r"postgres: .*(checkpointer|background writer|walwriter|autovacuum|"
    r"logical replication|stats collector|archiver|walsender|walreceiver|startup)"
)


def database_parts(postmaster: int) -> dict[str, float]:
    """PostgreSQL's CPU seconds so far, in two parts: ``sessions``, the server
    processes that serve connections, with what its children used that have
    ended (a connection that closed mid-run moves its time there; so would an
    autovacuum worker), and ``background``, its own processes (the
    checkpointer, the WAL writer, the background writer…)."""
    parts = {"sessions": 0.0, "background": 0.0}
    own = _read(postmaster)
    if own is None:
        return parts
    parts["background"] += own[1] / TICKS
    parts["sessions"] += own[2] / TICKS
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        read = _read(int(entry.name))
        if read is None or read[0] != postmaster:
            continue
        try:
            name = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        part = "background" if _BACKGROUND.match(name) else "sessions"
        parts[part] += read[1] / TICKS
        parts["sessions"] += read[2] / TICKS
    return parts


def postmaster_pid() -> int | None:
    """The PostgreSQL server's main process, if it runs on this machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    read = _read(backend)
    return read[0] if read else None
