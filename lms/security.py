"""The Content-Security-Policy every response carries.

The site's own pages get a strict policy: scripts, styles, images and fonts come
from this origin only, with no inline script, no inline style, no ``eval``, no
plugins, no ``<base>`` rewriting and no framing. A page that needs an inline
``<script>`` gets it through ``request.csp_nonce`` (the nonce enters the header
only when a template asks for it).

The Wagtail admin (and its page previews) is a separate, trusted application whose
own templates and scripts still write inline styles and scripts: under
:data:`ADMIN_PREFIX` it gets ``CONTENT_SECURITY_POLICY_ADMIN``, which keeps every
other limit (same origin only, no plugins, framing by this origin only).

Both policies are built in ``lms.settings.csp``.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

from accounts.middleware import ADMIN_PREFIX


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy under the admin."""

    def process_response(self, request, response):
        # A preview in the admin (an editor's, a reviewer's) renders the page
        # through the middleware once more, as the site would serve it: that
        # inner pass leaves the site's policy (no framing at all), which would
        # stop the admin from showing its own preview. The admin's policy wins.
        if request.path_info.startswith(ADMIN_PREFIX):
            for header in (
                "Content-Security-Policy",
                "Content-Security-Policy-Report-Only",
            ):
                if header in response:
                    del response[header]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIX)
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN
            # 'unsafe-inline' is ignored by browsers when a nonce is present.
            parts.nonce = None
        return parts
