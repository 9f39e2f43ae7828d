"""Journey 1: a visitor signs up, confirms the e-mail from the mailbox, signs in,
turns on an authenticator app (TOTP), signs out and back in with a code."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import site_tree

from .conftest import audit, totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "grace.visitor@example.org"
PASSPHRASE = "a-long-unique-passphrase-42"


def test_sign_up_confirm_sign_in_turn_on_totp_and_sign_in_with_a_code(
    live_server, browse, shoot
):
    site_tree()
    _context, page = browse()
    page.goto("/")
    audit(page)
    shoot(page, "1-home")
    page.click("text=Create account")
    audit(page)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=first_name]", "Grace")
    page.fill("input[name=last_name]", "Visitor")
    page.fill("input[name=password1]", PASSPHRASE)
    page.fill("input[name=password2]", PASSPHRASE)
    shoot(page, "2-sign-up")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/signup/" not in url)
    audit(page)

    confirmation = next(m for m in mail.outbox if EMAIL in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body)
    assert link, confirmation.body
    page.goto("/accounts/confirm-email/" + link.group(0).split("/confirm-email/")[1])
    audit(page)
    page.click("main form button[type=submit]:has-text('Confirm')")
    page.wait_for_load_state()

    sign_out(page)
    sign_in_with_password(page)
    page.wait_for_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Welcome, Grace Visitor")).to_be_visible()

    page.click("nav >> text=Account")
    audit(page)
    page.goto("/accounts/2fa/")
    audit(page)
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again
        audit(page)
        page.fill("input[name=password]", PASSPHRASE)
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/totp/activate/"))
    secret = page.input_value("#authenticator_secret")
    audit(page)
    shoot(page, "3-activate-totp")
    page.fill("input[name=code]", "000000")
    page.click("main form button[type=submit]:has-text('Activate')")
    expect(page.locator(".errorlist, [role=alert], .error").first).to_be_visible()
    audit(page)
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button[type=submit]:has-text('Activate')")
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    audit(page)
    shoot(page, "4-totp-on")

    sign_out(page)
    sign_in_with_password(page)
    page.wait_for_url(re.compile(r"/2fa/authenticate/"))
    audit(page)
    shoot(page, "5-code-asked")
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Welcome, Grace Visitor")).to_be_visible()


def sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()
    if page.locator("main form button[type=submit]").count():
        page.click("main form button[type=submit]")  # allauth's "are you sure?"
    page.locator("nav >> text=Sign in").wait_for()


def sign_in_with_password(page) -> None:
    page.goto("/accounts/login/")
    audit(page)
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSPHRASE)
    page.click("main form button[type=submit]")
