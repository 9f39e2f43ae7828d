"""Fixtures the tests here share."""

import pytest

from accounts import roles
from tests.factories import (
    make_practical_exam,
    site_tree,
)


@pytest.fixture
def examiner(user_factory):
    return user_factory(email="examiner@example.com", roles=[roles.EXAMINERS])


@pytest.fixture
def second_examiner(user_factory):
    return user_factory(email="second@example.com", roles=[roles.EXAMINERS])


@pytest.fixture
def lead(user_factory):
    return user_factory(email="lead@example.com", roles=[roles.LEAD_EXAMINERS])


@pytest.fixture
def exam(db):
    site_tree()
    return make_practical_exam(theory=4, tasks=1, pass_mark=70)
