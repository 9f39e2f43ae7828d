"""``{{ value|duration }}``: a length of time as people write it: "7 s",
"12 min 5 s", "1 h 30 min"."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def format_duration(value: timedelta | float | int | None) -> str:
    """Seconds (or a timedelta) in words, to the second below an hour and to the
    minute from an hour on; fractions of a second are dropped, never shown."""
    if value is None:
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        if minutes:
            return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
        return _("%(h)s h") % {"h": hours}
    if minutes:
        if seconds:
            return _("%(m)s min %(s)s s") % {"m": minutes, "s": seconds}
        return _("%(m)s min") % {"m": minutes}
    return _("%(s)s s") % {"s": seconds}


register.filter("duration", format_duration)
