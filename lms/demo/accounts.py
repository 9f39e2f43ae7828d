"""The demo accounts listed in the design (development only)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Organization, User

DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 - documented demo credential

DEMO_ACCOUNTS = [
    {
        "email": "admin@example.com",
        "first_name": "Alex",
        "last_name": "Morgan",
        "is_staff": True,
        "is_superuser": True,
        "roles": [roles.TRAINING_ADMINS, roles.EXAMINERS, roles.LEAD_EXAMINERS],
    },
    {
        "email": "hire@example.com",
        "first_name": "Harper",
        "last_name": "Lee",
        "roles": [roles.LEARNERS, roles.SUPPORT_HIRES],
    },
    {
        "email": "mentor@example.com",
        "first_name": "Maria",
        "last_name": "Garcia",
        "roles": [roles.MENTORS, roles.EXAMINERS],
    },
    {
        "email": "customer@example.com",
        "first_name": "Chris",
        "last_name": "Okafor",
        "organization": "Northwind Logistics",
        "roles": [roles.LEARNERS],
    },
    {
        "email": "manager@example.com",
        "first_name": "Dana",
        "last_name": "Whitfield",
        "roles": [roles.LEARNERS],
    },
    {
        "email": "examiner@example.com",
        "first_name": "Sam",
        "last_name": "Patel",
        "roles": [roles.EXAMINERS],
    },
]


def ensure_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role_names: tuple[str, ...] | list[str] = (),
    organization: Organization | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    is_organization_admin: bool = False,
    manager: User | None = None,
    password: str = DEMO_PASSWORD,
) -> tuple[User, bool]:
    """Create or refresh one demo user with a verified e-mail address."""
    user, created = User.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            "organization": organization,
            "is_organization_admin": is_organization_admin,
            "manager": manager,
        },
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user, created


def seed_accounts() -> dict[str, User]:
    users = {}
    for spec in DEMO_ACCOUNTS:
        spec = dict(spec)
        organization = None
        if name := spec.pop("organization", None):
            organization, _created = Organization.objects.get_or_create(
                name=name, defaults={"slug": name.lower().replace(" ", "-")}
            )
        role_names = spec.pop("roles")
        user, _created = ensure_user(
            role_names=role_names, organization=organization, **spec
        )
        users[spec["email"]] = user
    return users
