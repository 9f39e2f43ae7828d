"""Who an assignment reaches: chosen people, an organisation, a role or a cohort.

Each kind of audience answers both ways round: the people an assignment reaches
now, and the assignments a given person falls under. A rule ("keeps matching")
is the same question asked again when people change.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.db.models import Q, QuerySet

from accounts.api import User
from onboarding.api import CohortMember

from .models import Assignment, AudienceKind


class Audience(ABC):
    @abstractmethod
    def members(self, assignment: Assignment) -> QuerySet:
        """The people ``assignment`` reaches now."""

    @abstractmethod
    def matching(self, person) -> Q:
        """The assignments of this audience kind that reach ``person`` (on Assignment)."""


class ChosenPeople(Audience):
    def members(self, assignment):
        return User.objects.filter(pk__in=assignment.people.values("pk"))

    def matching(self, person):
        return Q(audience=AudienceKind.PEOPLE, people=person)


class InOrganization(Audience):
    def members(self, assignment):
        return User.objects.filter(organization_id=assignment.organization_id)

    def matching(self, person):
        if person.organization_id is None:
            return Q(pk__in=[])
        return Q(
            audience=AudienceKind.ORGANIZATION,
            organization_id=person.organization_id,
        )


class WithRole(Audience):
    def members(self, assignment):
        return User.objects.filter(groups=assignment.role_id)

    def matching(self, person):
        return Q(audience=AudienceKind.ROLE, role__in=person.groups.all())


class InCohort(Audience):
    def members(self, assignment):
        return User.objects.filter(cohort_memberships__cohort_id=assignment.cohort_id)

    def matching(self, person):
        return Q(
            audience=AudienceKind.COHORT,
            cohort__in=CohortMember.objects.filter(hire=person).values("cohort_id"),
        )


AUDIENCES: dict[str, Audience] = {
    AudienceKind.PEOPLE: ChosenPeople(),
    AudienceKind.ORGANIZATION: InOrganization(),
    AudienceKind.ROLE: WithRole(),
    AudienceKind.COHORT: InCohort(),
}


def members(assignment: Assignment) -> QuerySet:
    """Active people ``assignment`` reaches now."""
    return (
        AUDIENCES[assignment.audience]
        .members(assignment)
        .filter(is_active=True)
        .distinct()
    )


def assignments_reaching(person) -> QuerySet:
    """Active assignments that reach ``person`` now: chosen ones, and rules that
    keep matching."""
    query = Q(pk__in=[])
    for kind, audience in AUDIENCES.items():
        condition = audience.matching(person)
        if kind != AudienceKind.PEOPLE:
            condition &= Q(keeps_matching=True)
        query |= condition
    return Assignment.objects.active().filter(query).distinct()
