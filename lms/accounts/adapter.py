from allauth.account.adapter import DefaultAccountAdapter

from .services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails (verification, password reset) go out through the worker."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
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
