from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_access_admin, is_internal_staff
from assignments.api import Standing
from certificates.api import CertificateKind, CertificateStatus
from classes.api import BookingStatus
from courses.api import Audience, CardStatus
from exams.api import AttemptStatus, MarkingRole
from onboarding.api import ActivityState

# The header's links: (path, label, who sees it). The link to the page the
# visitor is on carries aria-current="page".
MAIN_LINKS = [
    ("/catalog/", _("Catalog"), "everyone"),
    ("/paths/", _("Learning paths"), "everyone"),
    ("/certifications/", _("Certifications"), "everyone"),
    ("/classes/", _("Classes"), "everyone"),
    ("/dashboard/", _("Dashboard"), "signed_in"),
    ("/onboarding/", _("Onboarding"), "staff"),
    ("/admin/", _("Admin"), "admin"),
]


def navigation(request) -> dict:
    """Header links, decided from the user's roles (read once per request)."""
    user = request.user
    audience = {
        "everyone": True,
        "signed_in": user.is_authenticated,
        "staff": is_internal_staff(user),
        "admin": can_access_admin(user),
    }
    links = [
        {"url": url, "label": label, "current": request.path.startswith(url)}
        for url, label, who in MAIN_LINKS
        if audience[who]
    ]
    return {"main_links": links}


# The choice classes templates compare values against, by their class names:
# ``{% if attempt.status == AttemptStatus.ABANDONED %}``, never a bare string.
TEMPLATE_CHOICES = {
    choices.__name__: choices
    for choices in (
        ActivityState,
        AttemptStatus,
        Audience,
        BookingStatus,
        CardStatus,
        CertificateKind,
        CertificateStatus,
        MarkingRole,
        Standing,
    )
}


def choices(request) -> dict:
    """The choice classes, for every template rendered with a request."""
    return TEMPLATE_CHOICES
