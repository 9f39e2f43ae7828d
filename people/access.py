"""Who may open the people screens of the admin."""

from django.core.exceptions import PermissionDenied

from accounts.api import is_training_admin


def require_training_admin(request) -> None:
    if not is_training_admin(request.user):
        raise PermissionDenied
