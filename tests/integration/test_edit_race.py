"""An editor's autosave racing its own Publish, on PostgreSQL.

Wagtail writes the whole row of a page that is not live when it saves a draft,
as the request loaded it. An autosave that loaded the page before a Publish
committed used to write it back as unpublished with the older draft (seen in the
outline journey). Each POST to an editor now waits for the one before it.
"""

import threading
import time

from django.db import connection, transaction
from django.test import Client

from accounts import roles
from courses.models import CoursePage
from lms.edit_lock import hold
from tests.factories import UserFactory, course_form, make_course, site_tree

from .conftest import concurrent_transactions

pytestmark = concurrent_transactions("the editor race")


def autosave_form(course, summary):
    """What the editor's autosave posts: the form, no action, the loaded revision."""
    revision = course.latest_revision
    return course_form(
        course,
        publish=False,
        summary=summary,
        loaded_revision_id=revision.pk,
        loaded_revision_created_at=revision.created_at.isoformat(),
    )


def test_an_autosave_waits_for_a_publish_and_does_not_unpublish_the_page():
    site_tree()
    course = make_course(title="Race course", summary="Published summary.")
    course.unpublish()  # a draft: Wagtail saves drafts into the page row itself
    course = CoursePage.objects.get(pk=course.pk)
    course.save_revision()
    admin = UserFactory(roles=[roles.TRAINING_ADMINS])
    client = Client()
    client.force_login(admin)
    data = autosave_form(course, "An older draft, typed before Publish.")
    answer = {}

    def autosave():
        try:
            answer["response"] = client.post(
                f"/admin/pages/{course.pk}/edit/", data, HTTP_ACCEPT="application/json"
            )
        finally:
            connection.close()

    name = f"wagtailadmin_pages:edit:{course.pk}"
    with transaction.atomic():  # the Publish, holding the page's editor lock
        hold(name)
        thread = threading.Thread(target=autosave)
        thread.start()
        time.sleep(1.5)
        assert thread.is_alive(), "the autosave did not wait for the publish"
        course.save_revision(user=admin).publish(user=admin)
    thread.join(30)
    assert not thread.is_alive()

    course = CoursePage.objects.get(pk=course.pk)
    assert course.live and course.live_revision_id == course.latest_revision_id
    assert course.summary == "Published summary."
    response = answer["response"]
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"


def test_other_pages_and_reads_do_not_wait():
    site_tree()
    course = make_course(title="Free course")
    course.save_revision()
    client = Client()
    client.force_login(UserFactory(roles=[roles.TRAINING_ADMINS]))
    name = f"wagtailadmin_pages:edit:{course.pk + 1}"  # another page's lock
    with transaction.atomic():
        hold(name)
        done = {}

        def edit():
            try:
                done["get"] = client.get(f"/admin/pages/{course.pk}/edit/").status_code
                done["post"] = client.post(
                    f"/admin/pages/{course.pk}/edit/",
                    autosave_form(course, "A new summary."),
                    HTTP_ACCEPT="application/json",
                ).status_code
            finally:
                connection.close()

        thread = threading.Thread(target=edit)
        thread.start()
        thread.join(20)
        assert not thread.is_alive(), "an unrelated lock held the editor"
    assert done == {"get": 200, "post": 200}
