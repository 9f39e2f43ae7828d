"""Who counts as what, in one place."""

from . import roles
from .kept_roles import kept_role_names

STAFF_ROLES = (
    roles.SUPPORT_HIRES,
    roles.MENTORS,
    roles.EXAMINERS,
    roles.LEAD_EXAMINERS,
    roles.TRAINING_ADMINS,
)


def role_names(user) -> set[str]:
    """The user's role (group) names: kept in the shared cache until their roles
    change (:mod:`accounts.kept_roles`), and remembered on the user object for
    the rest of the request."""
    if not user.is_authenticated or user.pk is None:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(kept_role_names(user.pk))
        user._role_names = cached
    return cached


def is_internal_staff(user) -> bool:
    """Company staff see internal courses; customers and visitors never do."""
    if not user.is_authenticated:
        return False
    return user.is_staff or bool(role_names(user) & set(STAFF_ROLES))


def is_training_admin(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or roles.TRAINING_ADMINS in role_names(user)
    )


ADMIN_ROLES = (
    roles.TRAINING_ADMINS,
    roles.EXAMINERS,
    roles.LEAD_EXAMINERS,
    roles.MENTORS,
)


def can_access_admin(user) -> bool:
    """Whether the header offers the Wagtail admin (Wagtail checks it again)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(role_names(user) & set(ADMIN_ROLES))


def can_review_staff_work(user) -> bool:
    """Examiners, mentors and training admins approve attestations and proofs."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(role_names(user) & set(ADMIN_ROLES))


CERTIFICATE_REVOKING_ROLES = (
    roles.TRAINING_ADMINS,
    roles.EXAMINERS,
    roles.LEAD_EXAMINERS,
)


def can_revoke_certificates(user) -> bool:
    """Examiners and training admins withdraw certificates; mentors, who review
    hires' work, do not."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(role_names(user) & set(CERTIFICATE_REVOKING_ROLES))
