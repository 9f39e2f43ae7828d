"""Sign-up refuses short and breached passwords and over-long e-mail addresses,
with a message, creating nobody."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, *, email="new.person@example.org", password):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": password,
            "password2": password,
            "first_name": "Nadia",
            "last_name": "Rahman",
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tr0ub4dor&3", "at least 12 characters"),  # 11 characters
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("1qaz2wsx3edc", "too common"),
    ],
)
def test_short_and_breached_passwords_are_refused(client, password, message):
    response = sign_up(client, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_twelve_character_uncommon_passphrase_is_accepted(client):
    assert sign_up(client, password="tangerine-42x").status_code == 302
    assert User.objects.filter(email="new.person@example.org").exists()


def test_an_email_over_254_characters_is_refused_not_cut(client):
    local = "a" * 64
    email = f"{local}@{'b' * 63}.{'c' * 63}.{'d' * 63}.example"
    assert len(email) > 254
    response = sign_up(client, email=email, password="tangerine-42x")
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not User.objects.exists()
