from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread(request) -> dict:
    """The bell's count, for signed-in people: read only by pages that show the
    bell (the admin does not), and cached (no query on most pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
