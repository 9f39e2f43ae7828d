"""Who may see which report."""

from accounts.api import is_training_admin, role_names, roles


def can_view_reports(user) -> bool:
    """Training admins (and superusers) see every training report."""
    return is_training_admin(user)


def can_view_item_analysis(user) -> bool:
    """Examiners also see the exam quality figures they act on."""
    return is_training_admin(user) or (
        user.is_authenticated and roles.EXAMINERS in role_names(user)
    )


def administered_organization(user):
    """The customer organization whose figures ``user`` may see, or None."""
    if not user.is_authenticated or not user.is_organization_admin:
        return None
    return user.organization
