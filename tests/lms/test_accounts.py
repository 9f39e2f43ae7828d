import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse

from accounts import roles
from accounts.models import OutboundEmail, User

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_sends_verification_email_and_confirming_signs_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new.person@example.org",
                "password1": "a-long-unique-passphrase-42",
                "password2": "a-long-unique-passphrase-42",
                "first_name": "Nadia",
                "last_name": "Rahman",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.get_full_name() == "Nadia Rahman"
    assert not EmailAddress.objects.get(user=user).verified
    # The e-mail went through the queue and was delivered exactly once.
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body)
    assert link, message.body

    client.post(reverse("account_logout"))
    confirm = client.post(link.group(1))
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.post(reverse("account_logout"))
    response = login(client, "new.person@example.org", "a-long-unique-passphrase-42")
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_login_is_by_email_and_wrong_password_says_so(client, learner, password):
    response = login(client, learner.email, "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert login(client, learner.email.upper(), password).status_code == 302


def test_eleventh_failed_login_is_refused_even_with_the_right_password(
    client, learner, password
):
    for _attempt in range(10):
        response = login(client, learner.email, "wrong-password")
        assert "Too many failed login attempts" not in response.content.decode()
    response = login(client, learner.email, password)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_totp_enrolment_then_login_needs_a_code(client, learner, password):
    assert login(client, learner.email, password).status_code == 302
    # Turning on MFA is a sensitive change: allauth asks for the password again.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: form shown again
    assert not Authenticator.objects.filter(user=learner).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=learner, type=Authenticator.Type.TOTP
    ).exists()

    client.post(reverse("account_logout"))
    response = login(client, learner.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert (
        client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
    )
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/login/")


def test_admin_login_shares_the_rate_limit(client, user_factory, password):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    for _attempt in range(10):
        login(client, admin.email, "wrong")
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": admin.email, "password": password}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_admin_requires_mfa_when_the_setting_is_on(client, user_factory, settings):
    settings.LMS_REQUIRE_MFA_FOR_ADMIN = True
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    learner = user_factory()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(
        user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client.get("/admin/").status_code == 200
    # A learner without admin access is not sent to MFA set-up (Wagtail says no).
    client.force_login(learner)
    response = client.get("/admin/")
    assert response["Location"] != reverse("mfa_activate_totp")


def test_admin_open_without_mfa_when_the_setting_is_off(client, user_factory, settings):
    settings.LMS_REQUIRE_MFA_FOR_ADMIN = False
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    assert client.get("/admin/").status_code == 200


def test_password_reset_mail(client, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_redelivered_email_carries_the_same_message_id():
    from accounts.services import send_queued_email

    email = OutboundEmail.objects.create(
        to=["someone@example.com"], subject="Hello", body_text="Hi"
    )
    mail.outbox.clear()
    assert send_queued_email(email_id=email.pk)
    assert not send_queued_email(email_id=email.pk)  # already sent: nothing more
    # As if the worker died before recording the send: the task runs again.
    OutboundEmail.objects.filter(pk=email.pk).update(sent_at=None)
    assert send_queued_email(email_id=email.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].startswith(f"<outbound.{email.pk}.")


def test_the_sweep_sends_what_a_broker_lost_and_only_that():
    """E-mails whose task never reached a worker go out on the next sweep; mail
    still in flight, already sent, or days old is left alone."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.services import queue_stalled_emails

    now = timezone.now()

    def row(subject, minutes_old, sent=False):
        email = OutboundEmail.objects.create(
            to=[f"{subject}@example.com"], subject=subject, body_text="Hi"
        )
        OutboundEmail.objects.filter(pk=email.pk).update(
            created_at=now - timedelta(minutes=minutes_old),
            sent_at=now if sent else None,
        )
        return email

    lost = row("lost", 20)
    in_flight = row("in-flight", 2)
    sent = row("sent", 30, sent=True)
    stale = row("stale", 60 * 24 * 3)
    mail.outbox.clear()

    assert queue_stalled_emails() == 1
    assert [message.to for message in mail.outbox] == [["lost@example.com"]]
    assert OutboundEmail.objects.get(pk=lost.pk).sent_at is not None
    for untouched in (in_flight, stale):
        assert OutboundEmail.objects.get(pk=untouched.pk).sent_at is None
    assert OutboundEmail.objects.get(pk=sent.pk).sent_at == now
    assert queue_stalled_emails() == 0  # the next sweep finds nothing
