from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .services import queue_email
from .sso import sso_organization_for


class EmailSite:
    """The site as account e-mails name it ("Hello from MWRASP Academy!"), from
    settings rather than from the request's host."""

    def __init__(self):
        self.name = settings.WAGTAIL_SITE_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc or self.name

    def __str__(self) -> str:
        return self.name


# RFC 5321 limits a deliverable address to 254 characters; so does the column.
MAX_EMAIL_LENGTH = 254


def _refuse_if_sso_only(email) -> None:
    organization = sso_organization_for(email or "")
    if organization is not None:
        raise ValidationError(
            _(
                "%(name)s signs in through its company sign-in: use “Sign in "
                "with your company” instead of a password."
            )
            % {"name": organization.name}
        )


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails (verification, password reset, security notices) go out
    through the worker, with the same context allauth gives its own templates."""

    def clean_email(self, email: str) -> str:
        """Refuse an address too long to deliver, instead of storing it cut, and
        a password account for an organisation that signs in through SSO."""
        email = super().clean_email(email)
        if len(email) > MAX_EMAIL_LENGTH:
            raise ValidationError(
                _("An e-mail address has at most %(max)s characters.")
                % {"max": MAX_EMAIL_LENGTH}
            )
        _refuse_if_sso_only(email)
        return email

    def pre_authenticate(self, request, **credentials):
        """Password sign-in is refused for people who must use single sign-on."""
        _refuse_if_sso_only(credentials.get("email") or credentials.get("username"))
        super().pre_authenticate(request, **credentials)

    def send_mail(self, template_prefix, email, context):
        full_context = {
            "request": allauth_context.request,
            "email": email,
            "current_site": EmailSite(),
        }
        full_context.update(context)
        message = self.render_mail(template_prefix, email, full_context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(
            to=list(message.to),
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            from_email=message.from_email,
        )
