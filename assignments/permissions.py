"""Who may assign training to whom, and whose assigned training they see.

- A training admin: anyone, with any audience.
- An organisation admin: the people of their own organisation (chosen people, or
  the whole organisation as a rule).
- A manager: their direct reports (chosen people).
Every view and service asks here; an id outside the actor's people is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.api import User, is_training_admin

from .kept_team import manages_anyone
from .models import AudienceKind


def team_of(actor) -> QuerySet:
    """The active people whose assigned training ``actor`` may see and manage."""
    if not actor.is_authenticated:
        return User.objects.none()
    if is_training_admin(actor):
        return User.objects.filter(is_active=True)
    reach = Q(manager=actor)
    if actor.is_organization_admin and actor.organization_id:
        reach |= Q(organization_id=actor.organization_id)
    return User.objects.filter(reach, is_active=True).exclude(pk=actor.pk)


def has_team(actor) -> bool:
    """Whether ``actor`` has a team view at all (an empty one still counts for a
    training admin or an organisation admin)."""
    if not actor.is_authenticated:
        return False
    if is_training_admin(actor) or (
        actor.is_organization_admin and actor.organization_id
    ):
        return True
    return manages_anyone(actor.pk)


def allowed_audiences(actor) -> list[str]:
    """The audience kinds ``actor`` may assign to."""
    if is_training_admin(actor):
        return list(AudienceKind.values)
    if actor.is_organization_admin and actor.organization_id:
        return [AudienceKind.PEOPLE, AudienceKind.ORGANIZATION]
    return [AudienceKind.PEOPLE]


def may_assign(actor, *, audience: str, people=(), organization=None) -> bool:
    """Whether ``actor`` may make this assignment (the form limits choices too;
    this is the server-side check a tampered form meets)."""
    if audience not in allowed_audiences(actor):
        return False
    if is_training_admin(actor):
        return True
    if audience == AudienceKind.ORGANIZATION:
        return organization is not None and organization.pk == actor.organization_id
    team = set(team_of(actor).values_list("pk", flat=True))
    return bool(people) and all(person.pk in team for person in people)
