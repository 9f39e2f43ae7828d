"""Summaries of a load run's timings."""

from __future__ import annotations


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
