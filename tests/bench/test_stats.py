"""The bench's summary tells one stall apart from an endpoint slow throughout:
each endpoint's worst 10-second window, by when its requests completed."""

from bench import report
from bench.stats import summarise, worst_window


def _run(samples, duration=60.0) -> dict:
    return {"samples": samples, "duration": duration}


def test_one_stalled_window_shows_beside_a_calm_p95():
    # 60 s of saves, 10 a second, at 8 ms; 20 of them in the fourth window
    # waited 600 ms (a stall).
    samples = [("save", 8.0, None, 1000 + n / 10) for n in range(600)]
    for n in range(300, 320):
        samples[n] = ("save", 600.0, None, 1000 + n / 10)

    summary = summarise(_run(samples))["save"]

    assert summary["p95"] == 8.0  # 20 of 600: under the whole run's p95
    assert summary["p95_worst_window"] == 600.0  # 20 of the window's 100
    assert summary["worst_window_at"] == 1030.0  # when to look at the machine


def test_slow_throughout_has_its_worst_window_near_its_p95():
    samples = [("save", 20.0 + n % 10, None, n / 10) for n in range(600)]
    summary = summarise(_run(samples))["save"]
    assert summary["p95"] == summary["p95_worst_window"] == 29.0


def test_too_few_samples_in_every_window_say_nothing():
    assert worst_window([(n * 11.0, 5.0) for n in range(50)]) is None
    assert worst_window([]) is None


def test_samples_without_their_completion_time_are_still_summarised():
    """Runs recorded before the time was kept: their figures, no window."""
    summary = summarise(_run([("poll", 4.0, None), ("poll", 6.0, "boom")]))["poll"]
    assert (summary["count"], summary["errors"], summary["p95_worst_window"]) == (
        2,
        1,
        None,
    )


def test_the_report_lists_each_targets_worst_window():
    calm = summarise(_run([("save", 8.0, None, n / 10) for n in range(600)]))
    result = {"scenarios": {"save": {"real": calm}, "poll": {"real": {}}}}
    lines = report._worst_windows(result)
    assert "| save | save | 8.0 | 8.0 | – |" in lines  # no machine figures kept
    assert not any("| poll |" in line for line in lines)
    assert report._worst_windows({"scenarios": {}}) == []
