"""Fixtures for classes: an instructor and a factory of scheduled classes. Other
tests import them from here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from classes import services as services
from classes.models import (
    ClassSession,
)
from tests.classes.support import MEETING


@pytest.fixture
def instructor(user_factory):
    return user_factory(email="instructor@example.org", roles=[roles.MENTORS])


@pytest.fixture
def make_session(instructor):
    def make(**fields) -> ClassSession:
        starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=7))
        defaults = {
            "title": "Fundamentals live class",
            "topic": "Fundamentals",
            "instructor": instructor,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3),
            "time_zone": "Europe/Berlin",
            "capacity": 3,
            "meeting_url": MEETING,
            "published": True,
        }
        defaults.update(fields)
        return ClassSession.objects.create(**defaults)

    return make
