"""What the other apps may use of assignments.

- ``assigned_to(person)``: a person's assigned training as their dashboard shows it.
- ``team_matrix(people)``: the people × assignment matrix of the team view;
  ``with_overdue_training(people, today=…)``: its "overdue only" filter.
- ``Standing``, ``COMPLIANT``: where a person stands with one cycle.
- ``has_team(actor)``, ``team_of(actor)``: who sees a team view, of whom;
  ``teams_changed()``: a bulk write of managers (which sends no signal) was made.
- ``cycles_for_report``, ``cycle_on``, ``standing``, ``person_zone``,
  ``PersonAssignment``: for the compliance report (standing on past days too).
- ``create_assignment``, ``assignable_pages``, ``assigned_pairs``, ``sync_rules``:
  for assigning on someone's behalf (the people import).
- ``assignment_overdue``: a signal, once per person and cycle that falls overdue.
- ``due_phrase(days)``: "due in 3 days" / "due today" / "overdue by 2 days".
"""

from .emails import due_phrase
from .kept_team import teams_changed
from .kinds import assignable_pages
from .models import AudienceKind, PersonAssignment
from .permissions import has_team, team_of
from .schedule import COMPLIANT, Standing, person_zone, standing
from .selectors import (
    assigned_pairs,
    assigned_to,
    cycle_on,
    cycles_for_report,
    team_matrix,
    with_overdue_training,
)
from .services import create_assignment, sync_rules
from .signals import assignment_overdue

__all__ = [
    "assignment_overdue",
    "COMPLIANT",
    "AudienceKind",
    "PersonAssignment",
    "Standing",
    "assignable_pages",
    "assigned_pairs",
    "assigned_to",
    "create_assignment",
    "sync_rules",
    "cycle_on",
    "cycles_for_report",
    "person_zone",
    "standing",
    "due_phrase",
    "has_team",
    "team_matrix",
    "team_of",
    "teams_changed",
    "with_overdue_training",
]
