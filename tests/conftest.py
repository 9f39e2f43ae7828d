import pytest

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user_factory(db):
    """``user_factory(roles=[...], email_verified=False, ...)`` -> a saved user."""
    return UserFactory


@pytest.fixture
def learner(user_factory):
    return user_factory()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and heartbeats live in the cache: no test sees another's (nor
    the parts and the question pools this process holds)."""
    from django.core.cache import cache

    from courses.content_version import HELD
    from exams.pools import HELD as HELD_POOLS

    cache.clear()
    HELD.clear()
    HELD_POOLS.clear()
    yield
    cache.clear()
    HELD.clear()
    HELD_POOLS.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test databases, with their post-migration snapshot kept on the connection
    class as well as on the connection.

    ``serialized_rollback`` restores that snapshot after each transactional test.
    Playwright's sync API runs the browser tests in another greenlet, where Django
    hands out new connection objects; without this, a browser test that follows an
    ordinary database test would find no snapshot and a flushed, empty database.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    return django_db_setup


def pytest_report_header(config):
    from tests.browser.chromium import CHROMIUM, chromium_missing_reason

    reason = chromium_missing_reason()
    if reason:
        return f"NOTICE: {reason}"
    return f"browser tests: Chromium at {CHROMIUM}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests.browser.chromium import chromium_missing_reason

    reason = chromium_missing_reason()
    if reason:
        terminalreporter.write_line(f"NOTICE: {reason}", yellow=True, bold=True)
