from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from .services import queue_email


class EmailSite:
    """The site as account e-mails name it ("Hello from MWRASP Academy!"), from
    settings rather than from the request's host."""

    def __init__(self):
        self.name = settings.WAGTAIL_SITE_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc or self.name

    def __str__(self) -> str:
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails (verification, password reset, security notices) go out
    through the worker, with the same context allauth gives its own templates."""

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
