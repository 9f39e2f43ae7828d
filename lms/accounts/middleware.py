from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"


class AdminMFARequiredMiddleware:
    """Send anyone who can open the Wagtail admin to MFA enrolment first.

    Active when ``LMS_REQUIRE_MFA_FOR_ADMIN`` is true (the production default). The
    check is on the server, for every admin URL, so no link can be used to skip it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.LMS_REQUIRE_MFA_FOR_ADMIN
            and request.path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and request.user.has_perm("wagtailadmin.access_admin")
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request,
                _(
                    "The administration area requires two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
