from datetime import timedelta

import pytest

from lms.templatetags.durations import format_duration


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (timedelta(seconds=7, microseconds=453593), "7 s"),
        (0, "0 s"),
        (59.9, "59 s"),
        (60, "1 min"),
        (725, "12 min 5 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h"),
        (5400, "1 h 30 min"),
        (timedelta(hours=3, seconds=59), "3 h"),
        (-4, "0 s"),
        (None, ""),
    ],
)
def test_a_duration_reads_as_people_write_it(value, shown):
    assert format_duration(value) == shown
