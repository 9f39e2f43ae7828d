"""Every published page of the shipped curriculum answers every kind of visitor
without a server error: a missing template or a broken page shows up here. Every
page it answers carries the strict Content-Security-Policy, and nothing in it (an
inline script, a style attribute, an event handler) depends on what the policy
blocks."""

from pathlib import Path

import pytest
from wagtail.models import Page

from accounts import roles
from courses.models import Audience, CoursePage
from lms.loading import load_content
from onboarding.models import OnboardingProgramPage, OnboardingWeekPage
from tests.csp import assert_strict_policy, inline_code

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_every_live_page_answers_visitors_learners_and_staff(client, user_factory):
    load_content(ROOT / "content")
    pages = list(Page.objects.live().filter(depth__gt=1).specific())
    assert len(pages) > 100
    visitors = {
        "visitor": None,
        "learner": user_factory(email="crawl.learner@example.com"),
        "hire": user_factory(
            email="crawl.hire@example.com", roles=[roles.SUPPORT_HIRES]
        ),
    }
    internal = [
        course.path for course in CoursePage.objects.filter(audience=Audience.INTERNAL)
    ]
    assert internal, "the curriculum has an internal staff course"

    def expected(page, who) -> int:
        """What each visitor must get: staff-only pages are hidden (404) from
        customers; onboarding asks visitors to sign in; a week page leads to the
        program page."""
        if isinstance(page, OnboardingWeekPage):
            return 302
        if isinstance(page, OnboardingProgramPage):
            return {"visitor": 302, "learner": 404, "hire": 200}[who]
        if any(page.path.startswith(path) for path in internal):
            return 200 if who == "hire" else 404
        return 200

    failures = []
    blocked = []
    for who, user in visitors.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for page in pages:
            response = client.get(page.url)
            if response.status_code != expected(page, who):
                failures.append((who, page.url, response.status_code))
            if response.status_code == 200:
                assert_strict_policy(response)
                blocked += [(who, page.url, found) for found in inline_code(response)]
    assert failures == []
    assert blocked == []
    listing = client.get("/exams/").content.decode()
    assert "MWRASP Certified Associate exam" in listing
    assert "MWRASP Certified Expert exam" in listing
    assert "180 minutes" in listing
