from functools import partial

from allauth.mfa.utils import is_mfa_enabled
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .auth_backends import keep_signed_in

ADMIN_PREFIX = "/admin/"


def staff_action(view):
    """Mark a view outside the Wagtail admin as staff work (a mentor's sign-off,
    taking attendance): with MFA required, it asks for a second factor as the
    admin does."""
    view.staff_action = True
    return view


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, keeping signed in the sessions that name a sign-in backend's
    old path (``auth_backends.keep_signed_in``) when the person is first read."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _signed_in(request))
        request.auser = partial(_asigned_in, request)


def _signed_in(request):
    if not hasattr(request, "_cached_user"):
        keep_signed_in(request.session)
    return auth_middleware.get_user(request)


async def _asigned_in(request):
    if not hasattr(request, "_acached_user"):
        await sync_to_async(keep_signed_in)(request.session)
    return await auth_middleware.auser(request)


class AdminMFARequiredMiddleware:
    """Send anyone doing staff work to MFA enrolment first: every admin URL for
    those who can open the admin, and every view marked :func:`staff_action`.

    Active when ``LMS_REQUIRE_MFA_FOR_ADMIN`` is true (the production default). The
    check is on the server, before the view runs, so no link or POST skips it and
    a refused request changes nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.LMS_REQUIRE_MFA_FOR_ADMIN:
            return None
        staff_view = getattr(view_func, "staff_action", False)
        # Anything else (a learner's page, an exam's poll and autosave) does not
        # load the person for this check.
        if not staff_view and not request.path.startswith(ADMIN_PREFIX):
            return None
        if not request.user.is_authenticated:
            return None
        staff_work = staff_view or request.user.has_perm("wagtailadmin.access_admin")
        if not staff_work or is_mfa_enabled(request.user):
            return None
        messages.warning(
            request,
            _(
                "Staff work requires two-factor authentication. "
                "Set up an authenticator app to continue."
            ),
        )
        return redirect(reverse("mfa_activate_totp"))
