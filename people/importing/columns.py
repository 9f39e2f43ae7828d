"""The columns an import understands, and the header names that mean each one.

Headers match loosely: case, spaces, hyphens, underscores and dots are ignored, so
"E-mail", "email", "Email Address" and "e_mail" are all the e-mail column.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

COLUMNS = {
    "email": (_("E-mail"), ("email", "emailaddress", "mail", "workemail")),
    "first_name": (_("First name"), ("firstname", "givenname", "forename")),
    "last_name": (_("Last name"), ("lastname", "surname", "familyname")),
    "organization": (
        _("Organisation"),
        ("organization", "organisation", "company", "org", "customer"),
    ),
    "manager": (
        _("Manager's e-mail"),
        ("manager", "manageremail", "manageremailaddress", "reportsto"),
    ),
    "mentor": (_("Mentor's e-mail"), ("mentor", "mentoremail")),
    "roles": (_("Roles"), ("roles", "role", "groups")),
    "cohort": (_("Cohort"), ("cohort", "onboardingcohort")),
    "start_date": (_("Start date"), ("startdate", "hiredate", "start", "started")),
    "assignments": (
        _("Assignments"),
        (
            "assignments",
            "assignment",
            "enrolments",
            "enrollments",
            "courses",
            "training",
        ),
    ),
    "time_zone": (_("Time zone"), ("timezone", "tz", "zone")),
    "language": (_("Language"), ("language", "locale", "lang")),
}
REQUIRED = ("email",)
_NOT_LETTERS = re.compile(r"[\s\-_.]+")
_SPELLINGS = {
    spelling: column
    for column, (_label, spellings) in COLUMNS.items()
    for spelling in spellings
}


def squash(header: str) -> str:
    return _NOT_LETTERS.sub("", (header or "").strip().casefold())


def canonical_header(header: str) -> str | None:
    """The column ``header`` names, or None for one this import does not know."""
    return _SPELLINGS.get(squash(header))


def label(column: str) -> str:
    return str(COLUMNS[column][0])
