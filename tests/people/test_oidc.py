"""OpenID Connect sign-in end to end against a real OpenID provider: a separate
django-oauth-toolkit project running in its own process on 127.0.0.1 (discovery,
authorisation code with PKCE, token, ID token, user info), with the refusals an
attacker would try: an ID token for another client, one that expired on the way,
and a replayed callback."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db

CLIENT_ID = "academy-test-client"
CLIENT_SECRET = "academy-test-secret-0123456789"
CALLBACK = "http://testserver/accounts/oidc/company/login/callback/"
PEOPLE = {
    "ada": ("ada@corp.example", "Ada", "Lovelace"),
    "other-audience": ("mallory@corp.example", "Mal", "Lory"),
}
PASSWORD = "idp-password-42"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    directory = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    env = {
        **os.environ,
        "IDP_DATABASE": str(directory / "idp.sqlite3"),
        "IDP_RSA_KEY": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        "IDP_CLIENT_ID": CLIENT_ID,
        "IDP_CLIENT_SECRET": CLIENT_SECRET,
        "IDP_REDIRECT_URI": CALLBACK,
        "IDP_PEOPLE": ";".join(
            f"{name}:{PASSWORD}:{email}:{first}:{last}"
            for name, (email, first, last) in PEOPLE.items()
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.people.oidc_provider.serve"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("ready "), f"the OpenID provider did not start: {line!r}"
    yield f"http://127.0.0.1:{line.split()[1]}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def company_sign_in(settings, provider):
    """The academy configured as in production (OIDC_* variables), pointing at
    the provider."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "company",
                    "name": "Company sign-in",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": f"{provider}/o"},
                }
            ],
        }
    }
    return provider


def at_the_provider(client, provider, username):
    """Press the button, sign in at the provider, come back with a code: the
    callback URL the browser would open."""
    to_provider = client.post("/accounts/oidc/company/login/")
    assert to_provider.status_code == 302
    assert to_provider["Location"].startswith(provider)
    browser = requests.Session()
    sign_in_page = browser.get(to_provider["Location"], allow_redirects=False)
    assert sign_in_page.status_code == 302  # to the provider's password page
    login_url = urljoin(provider, sign_in_page.headers["Location"])
    signed = browser.post(
        login_url,
        data={
            "username": username,
            "password": PASSWORD,
            "next": urlsplit(to_provider["Location"]).path
            + "?"
            + urlsplit(to_provider["Location"]).query,
        },
        allow_redirects=False,
    )
    back = browser.get(
        urljoin(provider, signed.headers["Location"]), allow_redirects=False
    )
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK)
    return back.headers["Location"].replace("http://testserver", "")


def signed_in(client) -> bool:
    return client.get("/dashboard/").status_code == 200


def test_company_sign_in_creates_and_signs_in_the_person(client, company_sign_in):
    assert "Company sign-in" in client.get("/accounts/login/").content.decode()
    callback = at_the_provider(client, company_sign_in, "ada")

    done = client.get(callback)

    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert signed_in(client)
    person = User.objects.get(email="ada@corp.example")
    assert (person.first_name, person.last_name) == ("Ada", "Lovelace")
    assert not person.has_usable_password()


def test_an_existing_account_is_signed_in_not_duplicated(
    client, company_sign_in, user_factory
):
    existing = user_factory(email="ada@corp.example")

    client.get(at_the_provider(client, company_sign_in, "ada"))

    assert signed_in(client)
    assert client.get("/dashboard/").context["user"].pk == existing.pk
    assert User.objects.filter(email__iexact="ada@corp.example").count() == 1


def test_an_id_token_for_another_client_is_refused(client, company_sign_in):
    callback = at_the_provider(client, company_sign_in, "other-audience")

    client.get(callback)

    assert not signed_in(client)
    assert not User.objects.filter(email="mallory@corp.example").exists()


def test_an_id_token_that_expired_on_the_way_is_refused(client, company_sign_in):
    callback = at_the_provider(client, company_sign_in, "ada")

    # The provider's ID tokens live two minutes; the academy's sign-in state ten.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        client.get(callback)
        assert not signed_in(client)
    assert not User.objects.filter(email="ada@corp.example").exists()


def test_a_replayed_callback_is_refused(client, company_sign_in):
    callback = at_the_provider(client, company_sign_in, "ada")
    client.get(callback)
    assert signed_in(client)
    client.logout()

    client.get(callback)  # the same code and state again
    assert not signed_in(client)

    from django.test import Client

    other = Client()
    at_the_provider(other, company_sign_in, "ada")  # a pending sign-in of its own
    other.get(callback)
    assert not signed_in(other)
