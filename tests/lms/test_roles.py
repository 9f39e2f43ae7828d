import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from accounts import roles
from lms.models import HomePage

pytestmark = pytest.mark.django_db


def test_every_role_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_training_admins_can_author_pages_but_learners_cannot(user_factory):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    learner = user_factory(roles=[roles.LEARNERS])
    root = Page.get_first_root_node()
    assert admin.has_perm("wagtailadmin.access_admin")
    assert root.permissions_for_user(admin).can_add_subpage()
    page = root.add_child(instance=HomePage(title="Home", slug="home-test"))
    assert page.permissions_for_user(admin).can_publish()
    assert not page.permissions_for_user(learner).can_edit()
    assert not learner.has_perm("wagtailadmin.access_admin")
    assert not root.permissions_for_user(learner).can_add_subpage()


def test_examiners_and_mentors_reach_the_admin_but_cannot_author(user_factory):
    for role in (roles.EXAMINERS, roles.MENTORS):
        person = user_factory(roles=[role])
        assert person.has_perm("wagtailadmin.access_admin")
        assert (
            not Page.get_first_root_node()
            .permissions_for_user(person)
            .can_add_subpage()
        )
