"""No number in a URL, however large, makes the server fail: every route that
takes an id answers 404/403/400 or a redirect, for every kind of visitor."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts import roles
from tests.reports.conftest import REPORTS

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
NUMBER_CONVERTERS = ("IntConverter", "BoundedIdConverter")


def routes_with_numbers(patterns=None, prefix=""):
    """Every route (as a path with each number filled with HUGE) that takes a
    number from the URL."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        pattern = entry.pattern
        route = getattr(pattern, "_route", None)
        if route is None:
            continue  # regular-expression routes (Wagtail's page serving)
        converters = getattr(pattern, "converters", {})
        filled = route
        for name, converter in converters.items():
            kind = type(converter).__name__
            value = HUGE if kind in NUMBER_CONVERTERS else _sample(kind)
            filled = _fill(filled, name, value)
        if isinstance(entry, URLResolver):
            yield from routes_with_numbers(entry.url_patterns, prefix + filled)
        elif isinstance(entry, URLPattern) and any(
            type(c).__name__ in NUMBER_CONVERTERS for c in converters.values()
        ):
            yield "/" + prefix + filled


def _fill(route: str, name: str, value: str) -> str:
    import re

    return re.sub(r"<(?:\w+:)?" + name + ">", value, route)


def _sample(kind: str) -> str:
    return {
        "UUIDConverter": "8f1c6a52-7a4e-4b9e-9d3a-0c5d4e2f1a77",
        "SlugConverter": "some-slug",
        "PathConverter": "some/path",
    }.get(kind, "x")


def test_the_walk_finds_the_routes_that_take_numbers():
    routes = list(routes_with_numbers())
    assert len(routes) >= 15
    assert f"/classes/{HUGE}/cancel/" in routes
    assert f"/certificates/experience/{HUGE}/" in routes


@pytest.mark.parametrize("who", ["visitor", "learner", "training admin"])
def test_a_huge_number_in_any_url_never_fails(client, user_factory, who):
    if who != "visitor":
        client.force_login(
            user_factory(
                roles=[roles.TRAINING_ADMINS] if who == "training admin" else [],
                is_superuser=who == "training admin",
            )
        )
    failures = []
    for path in routes_with_numbers():
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code >= 500:
                failures.append((method.__name__, path, response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "query",
    [
        f"?organization={HUGE}",
        f"?course={HUGE}",
        f"?exam={HUGE}",
        f"?level={HUGE}",
        f"?cohort={HUGE}",
        f"?page={HUGE}",
        "?page=-1",
        "?within=99999999999999999999",
    ],
)
def test_a_huge_number_in_a_report_filter_never_fails(client, user_factory, query):
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS], is_superuser=True))
    base = "/admin/training-reports/"
    for report in [*REPORTS, "item-analysis"]:
        response = client.get(f"{base}{report}/{query}")
        assert response.status_code < 500, (report, query)
