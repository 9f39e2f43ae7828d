"""The kinds of notification, in one registry: what each is called in the
account's settings and whether a person may switch its e-mail off."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    # Reminders of required training cannot be switched off; the rest can.
    switchable: bool = True


ONBOARDING_SUBMITTED = Kind(
    "onboarding_submitted", _("A hire hands in onboarding work for your sign-off")
)
ONBOARDING_REVIEWED = Kind(
    "onboarding_reviewed", _("Your onboarding work is signed off or sent back")
)
ONBOARDING_WEEK_OPEN = Kind(
    "onboarding_week_open", _("A new week of your onboarding opens")
)
CLASS_TOMORROW = Kind("class_tomorrow", _("A class you booked is tomorrow"))
CERTIFICATE_ISSUED = Kind("certificate_issued", _("You are issued a certificate"))
ASSIGNMENT_REMINDER = Kind(
    "assignment_reminder", _("Training assigned to you is due or overdue"), False
)
OVERDUE_DIGEST = Kind(
    "overdue_digest", _("Your people's overdue training (managers)"), False
)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        ONBOARDING_SUBMITTED,
        ONBOARDING_REVIEWED,
        ONBOARDING_WEEK_OPEN,
        CLASS_TOMORROW,
        CERTIFICATE_ISSUED,
        ASSIGNMENT_REMINDER,
        OVERDUE_DIGEST,
    )
}
