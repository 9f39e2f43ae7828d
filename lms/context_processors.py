from lms.accounts.permissions import can_access_admin, is_internal_staff


def navigation(request) -> dict:
    """Header links, decided from the user's roles (read once per request)."""
    return {
        "show_admin_link": can_access_admin(request.user),
        "show_onboarding_link": is_internal_staff(request.user),
    }
