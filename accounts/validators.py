"""Validators every app shares, and the time zone of a stored name."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The zone a stored name means (UTC for an empty or unknown one)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def validate_time_zone(value: str) -> None:
    """Accept only IANA time zone names (``Europe/Berlin``), as calendars need."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Berlin."),
            params={"value": value},
        ) from None
