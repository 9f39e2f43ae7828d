"""Bounds on every number a visitor can send: ids in URLs, query strings and
form choices. A number too large for a column names nothing: 404 or a form error,
never a database error."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# The largest id a database column holds (a signed 64-bit integer): a longer
# number in a URL cannot name anything, so it is a 404 before any query runs.
MAX_ID = 2**63 - 1


class BoundedIdConverter:
    """``<id:name>``: a positive whole number that fits an id column."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(value)  # the route does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def bounded_int(value, *, default: int | None = None, maximum: int = MAX_ID):
    """A whole number from a query string or form, or ``default`` when it is
    missing, not a number or outside 0..``maximum``."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if 0 <= number <= maximum else default


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose submitted id is checked for size before any query."""

    def to_python(self, value):
        if value not in self.empty_values and bounded_int(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
