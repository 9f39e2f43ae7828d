"""Guards around allauth's SAML views, which talk to an organisation's identity
provider: its metadata may be out of reach, and an HTTP/1.0 client may send no
``Host`` header (the SAML library reads it directly)."""

from __future__ import annotations

import logging
import re
from urllib.error import URLError

from django.core.exceptions import ImproperlyConfigured
from django.template.response import TemplateResponse
from onelogin.saml2.errors import OneLogin_Saml2_Error

logger = logging.getLogger(__name__)

SAML_PATHS = "/accounts/saml/"
LOGIN_PAGE = re.compile(r"^/accounts/saml/(?P<slug>[^/]+)/login/$")
UNREACHABLE = (
    URLError,
    OSError,
    OneLogin_Saml2_Error,
    ImproperlyConfigured,
    ValueError,
)


class SamlGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_HOST" not in request.META and request.path.startswith(SAML_PATHS):
            request.META["HTTP_HOST"] = request.get_host()
        response = self.get_response(request)
        login = LOGIN_PAGE.match(request.path)
        if login and response.status_code == 200:
            # Its "Continue" form posts here and is redirected to the IdP, which
            # the form-action directive must allow.
            from .saml import form_target

            target = form_target(login["slug"])
            if target:
                response._csp_update = {"form-action": [target]}
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(SAML_PATHS) or not isinstance(
            exception, UNREACHABLE
        ):
            return None
        logger.warning("SAML sign-in failed at %s: %s", request.path, exception)
        response = TemplateResponse(request, "people/sso_unavailable.html", status=502)
        return response.render()
