from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Organization
from tests.factories import make_course, site_tree

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs what the block queued for after the commit
    (signals, rules asked again, e-mails) as production would at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def organization(db):
    return Organization.objects.create(name="Northwind", slug="northwind")


@pytest.fixture
def other_organization(db):
    return Organization.objects.create(name="Contoso", slug="contoso")


@pytest.fixture
def training_admin(user_factory):
    admin = user_factory()
    admin.groups.add(Group.objects.get_or_create(name=roles.TRAINING_ADMINS)[0])
    return admin


@pytest.fixture
def manager(user_factory):
    return user_factory(first_name="Mona", last_name="Manager")


@pytest.fixture
def course(db):
    site_tree()
    return make_course(title="Security awareness", modules=2)
