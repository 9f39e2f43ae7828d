"""Visitors' pages from the cache: the second visitor gets the catalog, a course,
a lesson or a path without a database query and with the same content; an
editor's publish, unpublish or move shows at once; nobody signed in, and no
visitor with a session, ever gets a kept page; CDNs are told what may be kept."""

import pytest
from django.test import Client

from courses.models import CatalogPage, LearningPathIndexPage
from tests.factories import make_course, modules_of, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def catalog():
    site_tree()
    return CatalogPage.objects.get()


def test_a_second_visitor_gets_the_course_page_without_a_query(
    visitor, catalog, django_assert_num_queries
):
    course = make_course(catalog, title="Routing basics", modules=2)
    first = visitor.get(course.url)
    assert first.status_code == 200 and "Routing basics" in first.content.decode()

    with django_assert_num_queries(0):
        second = Client().get(course.url)

    assert second.status_code == 200
    assert second.content == first.content
    assert (
        "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    )
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize("courses", [2, 20])
def test_the_catalog_costs_nothing_however_large(
    visitor, catalog, django_assert_num_queries, courses
):
    for n in range(courses):
        make_course(catalog, title=f"Course {n}", modules=1)
    visitor.get(catalog.url)
    visitor.get(catalog.url + "?page=2")

    with django_assert_num_queries(0):
        assert Client().get(catalog.url).status_code == 200
        assert Client().get(catalog.url + "?page=2").status_code in (200, 404)


def test_each_address_is_kept_on_its_own(visitor, catalog):
    make_course(catalog, title="Alpha course", level="fundamentals")
    make_course(catalog, title="Omega course", level="advanced")
    everything = visitor.get(catalog.url).content.decode()
    filtered = visitor.get(catalog.url + "?level=advanced").content.decode()

    assert "Alpha course" in everything and "Omega course" in everything
    assert "Omega course" in filtered and "Alpha course" not in filtered


def test_publishing_shows_at_once(visitor, catalog):
    course = make_course(catalog, title="Old title", modules=1)
    assert "Old title" in visitor.get(course.url).content.decode()

    course.title = "New title"
    course.save_revision().publish()

    page = visitor.get(course.url).content.decode()
    assert "<title>New title" in page and "<title>Old title" not in page


def test_unpublishing_shows_at_once(visitor, catalog):
    course = make_course(catalog, title="Soon gone", modules=1)
    [lesson] = modules_of(course)
    assert visitor.get(lesson.url).status_code == 200
    assert "Soon gone" in visitor.get(catalog.url).content.decode()

    lesson.unpublish()
    course.unpublish()

    assert visitor.get(lesson.url).status_code == 404
    assert "Soon gone" not in visitor.get(catalog.url).content.decode()


def test_a_moved_course_is_found_at_its_new_address(visitor, catalog):
    course = make_course(catalog, title="Wanderer", modules=1)
    other = make_course(catalog, title="Host", modules=0)
    old_url = course.url
    assert visitor.get(old_url).status_code == 200

    course.move(other, pos="last-child")

    # Wagtail's redirect to the new address, not the kept page.
    moved = visitor.get(old_url)
    assert moved.status_code == 301 and moved["Location"].endswith(
        f"/{other.slug}/{course.slug}/"
    )


def test_nobody_signed_in_gets_a_kept_page(client, visitor, catalog, learner):
    course = make_course(catalog, title="Shared", modules=1)
    assert "Sign in to enroll" in visitor.get(course.url).content.decode()

    client.force_login(learner)
    page = client.get(course.url)

    body = page.content.decode()
    assert "Enroll in this course" in body and "Sign in to enroll" not in body
    assert "public" not in page.get("Cache-Control", "")


def test_a_page_that_carries_a_form_token_is_never_kept(
    client, visitor, catalog, learner
):
    # A signed-in page has a CSRF token; a visitor with a session cookie (signed
    # out, a message waiting) is served fresh too.
    course = make_course(catalog, title="Tokens", modules=1)
    client.force_login(learner)
    client.get(course.url)
    client.logout()
    client.cookies["sessionid"] = "stale"

    page = client.get(course.url)

    assert page.status_code == 200 and "Sign in to enroll" in page.content.decode()
    assert "public" not in page.get("Cache-Control", "")


def test_learning_paths_are_kept_too(visitor, catalog, django_assert_num_queries):
    paths = LearningPathIndexPage.objects.get()
    visitor.get(paths.url)
    with django_assert_num_queries(0):
        assert Client().get(paths.url).status_code == 200


def test_a_new_course_appears_in_the_catalog_at_once(visitor, catalog):
    visitor.get(catalog.url)

    make_course(catalog, title="Brand new", modules=1)

    assert "Brand new" in visitor.get(catalog.url).content.decode()


def test_saving_anything_but_a_page_keeps_the_kept_pages(
    visitor, catalog, learner, django_assert_num_queries
):
    course = make_course(catalog, title="Steady", modules=1)
    visitor.get(course.url)

    learner.first_name = "Changed"
    learner.save()

    with django_assert_num_queries(0):
        assert Client().get(course.url).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?q=routing",
        "?page=2&level=advanced",
        "?utm_source=mail",
        "?page=007",
        "?page=100",
        "?level=a&level=b",
        "?level=<script>",
    ],
)
def test_made_up_addresses_are_rendered_not_kept(visitor, catalog, query):
    make_course(catalog, title="Only one", modules=1)
    first = visitor.get(catalog.url + query)
    assert first.status_code == 200
    assert "public" not in first.get("Cache-Control", "")

    second = Client().get(catalog.url + query)
    assert second.status_code == 200 and "public" not in second.get("Cache-Control", "")


@pytest.mark.parametrize("restriction", ["login", "password"])
def test_a_page_made_private_is_not_served_from_the_cache(
    visitor, catalog, restriction
):
    """Privacy is set in the editor without saving the page: the kept copy must
    still go at once (a login or password page is never served to visitors)."""
    from wagtail.models import PageViewRestriction

    course = make_course(catalog, title="Members only soon", modules=1)
    assert visitor.get(course.url).status_code == 200  # kept

    rule = PageViewRestriction.objects.create(
        page=course, restriction_type=restriction, password="s3cret-pass"
    )
    hidden = Client().get(course.url)
    if restriction == "login":
        assert hidden.status_code == 302 and "login" in hidden["Location"]
    else:
        assert 'name="password"' in hidden.content.decode()
        assert "Members only soon" not in hidden.content.decode()

    rule.delete()  # public again: shown at once
    shown = Client().get(course.url)
    assert shown.status_code == 200 and "Members only soon" in shown.content.decode()


def test_a_copy_made_before_a_publish_commits_is_not_read_after_it(
    visitor, catalog, django_capture_on_commit_callbacks
):
    """A visitor's request that renders while an editor's publish is still in
    its transaction reads the old rows and keeps them under the number the
    publish advanced to (``during``); the commit advances it again, so that
    copy is never served."""
    from django.db import transaction

    from courses.api import content_version

    course = make_course(catalog, title="Old title", modules=1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        course.title = "New title"
        course.save_revision().publish()
        during = content_version()

    assert content_version() > during
