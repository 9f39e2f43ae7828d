from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_receiver_url(url: str) -> None:
    """Outbound messages (webhooks, xAPI statements) go over HTTPS; plain HTTP
    only where settings allow it (development and tests)."""
    if not url.startswith("https://") and not settings.WEBHOOKS_ALLOW_HTTP:
        raise ValidationError(_("Use an HTTPS address (https://…)."))
