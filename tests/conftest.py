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
    """Rate limits and heartbeats live in the cache: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
