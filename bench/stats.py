"""Summaries of a load run's timings."""

from __future__ import annotations


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was measured)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


# A stall is looked for in windows of this many seconds, each with at least
# this many samples (fewer say nothing about a p95).
WINDOW_SECONDS = 10.0
WINDOW_SAMPLES = 20


def worst_window(timed: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(start in seconds, p95) of the ``WINDOW_SECONDS`` window of ``timed``
    samples (completion time in seconds, milliseconds) with the highest p95, by
    when they completed; None when no window holds ``WINDOW_SAMPLES``. Beside
    the whole run's p95, it tells one stall (a single bad window) from a slow
    endpoint (all windows); its start says when to look at the machine."""
    windows: dict[int, list[float]] = {}
    for completed, milliseconds in timed:
        windows.setdefault(int(completed // WINDOW_SECONDS), []).append(milliseconds)
    p95s = [
        (percentile(times, 0.95), number * WINDOW_SECONDS)
        for number, times in windows.items()
        if len(times) >= WINDOW_SAMPLES
    ]
    if not p95s:
        return None
    p95, start = max(p95s)
    return start, p95


def summarise(run: dict) -> dict[str, dict]:
    by_name: dict[str, dict] = {}
    for name, milliseconds, error, *completed in run["samples"]:
        entry = by_name.setdefault(name, {"times": [], "errors": [], "timed": []})
        entry["times"].append(milliseconds)
        if completed:
            entry["timed"].append((completed[0], milliseconds))
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
            **_worst(entry["timed"]),
        }
        for name, entry in by_name.items()
    }


def _worst(timed: list[tuple[float, float]]) -> dict:
    worst = worst_window(timed)
    if worst is None:
        return {"p95_worst_window": None}
    return {"p95_worst_window": worst[1], "worst_window_at": worst[0]}
