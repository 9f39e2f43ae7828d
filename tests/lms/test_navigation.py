"""The header leads to every part of the product a person may use, and the
dashboard's next step is a link."""

import re

import pytest

from accounts import roles
from tests.factories import make_course, site_tree

pytestmark = pytest.mark.django_db


def header(client, path="/dashboard/") -> str:
    html = client.get(path).content.decode()
    return re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)


def test_a_visitor_sees_catalog_paths_certifications_and_classes(client):
    site_tree()
    nav = header(client, "/classes/")
    for url in ("/catalog/", "/paths/", "/certifications/", "/classes/"):
        assert f'href="{url}"' in nav, url
    assert 'href="/classes/" aria-current="page"' in nav
    assert "/admin/" not in nav and "/dashboard/" not in nav


def test_a_learner_and_staff_see_their_links(client, user_factory):
    site_tree()
    client.force_login(user_factory())
    nav = header(client)
    assert 'href="/dashboard/" aria-current="page"' in nav
    assert "/onboarding/" not in nav and "/admin/" not in nav
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    nav = header(client)
    assert 'href="/onboarding/"' in nav and 'href="/admin/"' in nav


def test_the_dashboard_links_the_next_step_to_a_certification_exam(
    client, user_factory
):
    from django.utils import timezone

    from courses.models import Enrollment

    site_tree()
    learner = user_factory()
    enrollment = Enrollment.objects.create(user=learner, course=make_course(modules=1))
    Enrollment.objects.filter(pk=enrollment.pk).update(
        completed_at=timezone.now() + timezone.timedelta(minutes=1)
    )
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    assert '<a href="/certifications/">Take a certification exam</a>' in html


@pytest.mark.parametrize(
    "url", ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]
)
def test_account_pages_use_the_sites_buttons(client, url):
    site_tree()
    html = client.get(url).content.decode()
    buttons = re.findall(r"<button[^>]*>", html)
    form_buttons = [b for b in buttons if 'type="submit"' in b]
    assert form_buttons, url
    assert all('class="button' in b for b in form_buttons), form_buttons


def test_the_email_confirmation_page_uses_the_sites_button(client, user_factory):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    user = user_factory(email_verified=False)
    address = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": False}
    )[0]
    key = EmailConfirmationHMAC(address).key
    html = client.get(f"/accounts/confirm-email/{key}/").content.decode()
    submit = re.findall(r"<button[^>]*type=\"submit\"[^>]*>", html)
    assert submit and all('class="button' in b for b in submit)


def test_a_refused_page_says_why_in_the_site_layout(client, learner):
    client.force_login(learner)
    response = client.get("/organization/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot open this page" in html
    assert 'href="/dashboard/"' in html
