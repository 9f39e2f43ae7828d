"""Every e-mail allauth can send names the site: no "Hello from !"."""

from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from django.core import mail
from django.test import RequestFactory

from accounts.models import OutboundEmail

pytestmark = pytest.mark.django_db

TEMPLATES = Path(allauth.__file__).parent / "templates"
PREFIXES = sorted(
    str(path.relative_to(TEMPLATES)).removesuffix("_message.txt")
    for path in TEMPLATES.glob("*/email/*_message.txt")
    if path.with_name(path.name.replace("_message", "_subject")).exists()
)
EMPTY_PLACEHOLDERS = ("from !", " on .", "using !", "at !")


def test_the_walk_finds_the_account_and_security_emails():
    assert "account/email/email_confirmation_signup" in PREFIXES
    assert "account/email/password_reset_key" in PREFIXES
    assert "mfa/email/totp_activated" in PREFIXES


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_account_email_names_the_site(prefix, learner, settings):
    from allauth.core.context import request_context

    request = RequestFactory().get("/accounts/signup/")
    request.user = learner
    context = {
        "user": learner,
        "activate_url": "https://academy.example/accounts/confirm-email/KEY/",
        "password_reset_url": "https://academy.example/accounts/password/reset/KEY/",
        "signup_url": "https://academy.example/accounts/signup/",
        "code": "ABC123",
        "key": "KEY",
        "from_email": "old@example.com",
        "to_email": "new@example.com",
        "deleted_email": "old@example.com",
    }
    with request_context(request):
        get_adapter().send_mail(prefix, learner.email, context)
    sent = OutboundEmail.objects.get()
    assert settings.WAGTAIL_SITE_NAME in sent.body_text + sent.subject, prefix
    for placeholder in EMPTY_PLACEHOLDERS:
        assert placeholder not in sent.body_text, (prefix, placeholder)
    assert not mail.outbox  # queued for the worker, not sent in the request
