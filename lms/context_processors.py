from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_access_admin, is_internal_staff

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
