import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "admin@example.com",
    "hire@example.com",
    "mentor@example.com",
    "customer@example.com",
}


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development settings"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_the_documented_accounts_once(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_EMAILS
    assert User.objects.filter(email__in=DEMO_EMAILS).count() == 4
    assert (
        EmailAddress.objects.filter(email__in=DEMO_EMAILS, verified=True).count() == 4
    )
    hire = User.objects.get(email="hire@example.com")
    assert hire.groups.filter(name=roles.SUPPORT_HIRES).exists()
    customer = User.objects.get(email="customer@example.com")
    assert customer.organization is not None
    response = client.post(
        "/accounts/login/",
        {"login": "customer@example.com", "password": "demo-pass-123"},
    )
    assert response.status_code == 302
