"""Each person's assigned training rows, which their dashboard reads on every
visit, kept per person (:class:`accounts.api.KeptPerPerson`) instead of a query
per visit.

A copy is kept under three numbers:

- the content version: each row carries its item's page (title, address, kind);
- every rule's: a rule saved or deleted (withdrawn, its dates or reminders
  changed) advances it;
- the person's own: a save or delete of one of their rows, and the bulk writes
  through :class:`~assignments.models.PersonAssignmentQuerySet` (``update`` and
  ``bulk_create`` name the people they touched: assigning, asking a rule again,
  recording a completion).

What is kept is the rows: each visit works out, on its own day, what is due,
overdue or done. Reminders, the team's view and the reports read the database.
"""

from __future__ import annotations

from accounts.api import ON_DASHBOARD, KeptPerPerson
from courses.api import CONTENT_VERSION_KEY

ROWS = KeptPerPerson(
    "assignments:rows",
    also_under=(CONTENT_VERSION_KEY,),
    everyone="assignments:rules",
    read_ahead_on=(ON_DASHBOARD,),
)


def connect() -> None:
    from .models import Assignment, PersonAssignment

    ROWS.listen(PersonAssignment, "person_id")
    ROWS.listen_to_everyone(Assignment)
