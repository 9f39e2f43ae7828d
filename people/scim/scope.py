"""What a provisioning connection may see and change: one home for the rule."""

from __future__ import annotations

from django.contrib.auth.models import Group

from accounts.api import User, roles

# Roles a customer organisation's identity provider may hand out: only learning.
# The company's own identity provider (a connection with no organisation) manages
# every staff role, training admins included.
ORGANIZATION_ROLES = (roles.LEARNERS,)


def people(connection):
    """People the connection provisions: its organisation's (or staff, with no
    organisation), never superusers (local break-glass accounts) and never people
    it removed."""
    return User.objects.filter(
        organization_id=connection.organization_id,
        is_superuser=False,
        deprovisioned_at__isnull=True,
    )


def role_names(connection) -> tuple[str, ...]:
    return ORGANIZATION_ROLES if connection.organization_id else tuple(roles.ALL_ROLES)


def groups(connection):
    return Group.objects.filter(name__in=role_names(connection))
