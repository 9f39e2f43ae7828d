"""The results table: every endpoint's percentiles and its p95 over the baselines."""

from __future__ import annotations

# (scenario, endpoint) -> (baseline, the largest p95 ratio the issue accepts)
TARGETS = {
    ("storm", "start"): ("B1", 5.0),
    ("save", "save"): ("B1", 2.0),
    ("poll", "status"): ("B0", 1.2),
    ("submit", "submit"): ("B1", 5.0),
    ("crowd", "save"): ("B1", 10.0),
    # Visitors (not signed in) and signed-in learners on the same pages.
    **{
        ("visit", page): ("B0", 2.0)
        for page in ("catalog", "course", "lesson", "paths", "path")
    },
    **{
        ("browse", page): ("B0", 8.0)
        for page in ("catalog", "course", "lesson", "paths", "path", "dashboard")
    },
}
MICRO_TARGETS = {"signed any-script certificate PDF": 10.0, "reminder job": 1.5}


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def target_status(scenario: str, endpoint: str, ratios: dict) -> str:
    target = TARGETS.get((scenario, endpoint))
    if target is None:
        return ""
    baseline, limit = target
    ratio = ratios.get(baseline)
    if ratio is None:
        return f"≤ {limit}× {baseline}: no baseline"
    verdict = "met" if ratio <= limit else "MISSED"
    return f"≤ {limit}× {baseline}: {verdict}"


def markdown(result: dict) -> str:
    lines = [
        f"Run {result['started_at']}: N = {result['users']} simultaneous learners, "
        f"{result['population']:,} learners, {result['courses']} courses"
        + (
            " (bench-quick: correctness only, timings not judged)"
            if result["quick"]
            else ""
        )
        + (
            f"; {result['crowd']:,} more learners in the soak (crowd)"
            if result.get("crowd")
            else ""
        )
        + (
            f"; {result['cpu_hogs']} busy processes share the cores (a slower machine)"
            if result.get("cpu_hogs")
            else ""
        ),
        "",
        f"Machine: {result['machine_before']['cpus']} CPUs, load average before "
        f"{result['machine_before']['load_average']}, after the load "
        f"{result.get('machine_after_load', {}).get('load_average')}.",
        "",
        "Idle baselines (one request at a time), ms: "
        + ", ".join(
            f"{name} p50 {_ms(v['p50'])} / p95 {_ms(v['p95'])}"
            for name, v in result.get("idle_baselines", {}).items()
        ),
        "",
        "| scenario | endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s "
        "| p95 / B0 | p95 / B1 | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for scenario, figures in result["scenarios"].items():
        baseline = figures["baseline"]
        for endpoint, row in sorted(figures["real"].items()):
            ratios = {
                name: row["p95"] / baseline[name]["p95"]
                for name in ("B0", "B1")
                if name in baseline and baseline[name]["p95"] > 0
            }
            lines.append(
                f"| {scenario} | {endpoint} | {row['count']} | {row['errors']} "
                f"| {_ms(row['p50'])} | {_ms(row['p95'])} | {_ms(row['p99'])} "
                f"| {row['rps']:.1f} | {_ratio(ratios.get('B0'))} "
                f"| {_ratio(ratios.get('B1'))} "
                f"| {'' if result['quick'] else target_status(scenario, endpoint, ratios)} |"
            )
        for name in ("B0", "B1"):
            if name in baseline:
                row = baseline[name]
                lines.append(
                    f"| {scenario} | *{name} (same shape)* | {row['count']} "
                    f"| {row['errors']} | {_ms(row['p50'])} | {_ms(row['p95'])} "
                    f"| {_ms(row['p99'])} | {row['rps']:.1f} | | | |"
                )
    lines += _worst_windows(result)
    lines += [
        "",
        "CPU per request, web server and PostgreSQL together (process clocks, so "
        "queueing does not count), ms:",
        "",
        "| scenario | real | baseline (B0/B1 half each) | ratio |",
        "|---|---:|---:|---:|",
    ]
    for scenario, figures in result["scenarios"].items():
        per_request = figures.get("cpu_ms_per_request") or {}
        real, baseline = per_request.get("real"), per_request.get("baseline")
        ratio = real / baseline if real and baseline else None
        lines.append(
            f"| {scenario} | {real if real is not None else '–'} "
            f"| {baseline if baseline is not None else '–'} | {_ratio(ratio)} |"
        )
    lines += _cpu_parts(result)
    poll = result["scenarios"].get("poll", {})
    lines += [
        "",
        f"Rows written by the status polls: {poll.get('database_writes')}; table "
        f"reads (scans) during them: {poll.get('database_reads')} for "
        f"{(poll.get('real') or {}).get('status', {}).get('count')} polls.",
        f"Verified after the load: {result.get('verified')}; attempts closed by the "
        f"sweep: {result.get('swept')}; problems: {len(result['problems'])}.",
        "",
        "| micro-benchmark | median | baseline | ratio | target |",
        "|---|---:|---:|---:|---|",
    ]
    for bench in result.get("micro", []):
        if "skipped" in bench:
            lines.append(f"| {bench['name']} | skipped: {bench['skipped']} | | | |")
            continue
        ratio = bench.get("ratio")
        limit = next(
            (v for k, v in MICRO_TARGETS.items() if bench["name"].startswith(k)), None
        )
        verdict = ""
        if ratio is not None and limit is not None and not result["quick"]:
            verdict = f"≤ {limit}×: {'met' if ratio <= limit else 'MISSED'}"
        lines.append(
            f"| {bench['name']} | {bench['seconds'] * 1000:,.2f} ms "
            f"| {bench['baseline_seconds'] * 1000:,.2f} ms | {ratio:.2f} | {verdict} |"
            if ratio is not None
            else f"| {bench['name']} | {bench['seconds'] * 1000:,.2f} ms | | | |"
        )
    lines.append("")
    lines.append(f"Total time: {result.get('total_seconds', 0):.0f} s.")
    return "\n".join(lines) + "\n"


def _worst_windows(result: dict) -> list[str]:
    """Each target's worst 10-second window beside its p95 (one stall, or slow
    throughout), and what the machine did in it (``bench.watch``)."""
    rows = []
    for scenario, endpoint in TARGETS:
        figures = result["scenarios"].get(scenario, {})
        row = figures.get("real", {}).get(endpoint)
        if row and row.get("p95_worst_window") is not None:
            machine = (
                ((figures.get("machine") or {}).get("real") or {})
                .get("worst_windows", {})
                .get(endpoint)
            )
            rows.append(
                f"| {scenario} | {endpoint} | {_ms(row['p95'])} "
                f"| {_ms(row['p95_worst_window'])} | {_machine(machine)} |"
            )
    if not rows:
        return []
    return [
        "",
        "The targets' p95 against their worst 10-second window's p95 (by when "
        "requests completed), ms, and what the machine did in that window: "
        "seconds into the run, CPU busy / I/O wait / stolen (% of all cores), "
        "PostgreSQL's checkpoints and write-ahead log, the "
        "busiest commands (% of one core):",
        "",
        "| scenario | endpoint | p95 | worst window's p95 | the machine then |",
        "|---|---|---:|---:|---|",
        *rows,
    ]


def _checkpoints(seen: dict) -> str:
    """PostgreSQL counts a checkpoint when it begins and adds its write and
    sync time when it ends (a timed one writes for most of its interval)."""
    events = []
    if seen["checkpoints"]:
        events.append(f"{seen['checkpoints']} checkpoint(s) began")
    if seen["checkpoint_ms"]:
        events.append(
            f"a checkpoint ended ({seen['checkpoint_ms'] / 1000:,.0f} s of writes, "
            f"{seen['checkpoint_sync_ms']:,} ms of sync)"
        )
    events = [", ".join(events) or "no checkpoint"]
    if "wal_mb" in seen:
        events.append(f"{seen['wal_mb']} MB of WAL")
    return ", ".join(events)


def _machine(seen: dict | None) -> str:
    if not seen:
        return "–"
    parts = [
        f"at {seen['into_run']} s",
        f"{seen['busy']} / {seen['iowait']} / {seen['steal']} %",
    ]
    if "checkpoints" in seen:
        parts.append(_checkpoints(seen))
    parts.append(", ".join(f"{name} {share}" for name, share in seen["top"]))
    return "; ".join(parts)


def _cpu_parts(result: dict) -> list[str]:
    """The same CPU per request by where it was spent: the web server, the
    database's sessions (with its processes that ended), its background ones."""
    rows = [
        (scenario, mode, parts)
        for scenario, figures in result["scenarios"].items()
        for mode, parts in (figures.get("cpu_parts_ms_per_request") or {}).items()
        if parts
    ]
    if not rows:
        return []
    names = sorted({name for _s, _m, parts in rows for name in parts})
    return [
        "",
        "The same, by where it was spent (ms per request):",
        "",
        f"| scenario | run | {' | '.join(names)} |",
        f"|---|---|{'---:|' * len(names)}",
        *(
            f"| {scenario} | {mode} | "
            + " | ".join(str(parts.get(name, "–")) for name in names)
            + " |"
            for scenario, mode, parts in rows
        ),
    ]
