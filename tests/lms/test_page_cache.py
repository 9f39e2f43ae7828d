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


# --- warming: the first visitor already gets a kept page ---------------------------


def _no_query_for_a_visitor(url, django_assert_num_queries, host="testserver"):
    with django_assert_num_queries(0):
        response = Client(HTTP_HOST=host).get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    return response.content.decode()


def test_a_warm_up_keeps_every_visitors_page_before_the_first_visit(
    catalog, django_assert_num_queries
):
    from lms.page_cache import warm

    courses = [
        make_course(catalog, title=f"Warm course {n}", modules=2) for n in range(14)
    ]
    paths = LearningPathIndexPage.objects.get()

    done = warm(["testserver"])

    # home, catalog, paths index, 14 courses and 28 lessons, the catalog's pages 1 and 2
    assert done["addresses"] == 3 + 14 + 28 + 2
    assert done["hosts"] == {
        "testserver": {"kept": done["addresses"], "shown, not kept": 0, "not shown": 0}
    }
    _no_query_for_a_visitor(courses[0].url, django_assert_num_queries)
    lesson = modules_of(courses[13])[1]
    assert "lesson 2" in _no_query_for_a_visitor(lesson.url, django_assert_num_queries)
    assert "Warm course" in _no_query_for_a_visitor(
        catalog.url + "?page=2", django_assert_num_queries
    )
    _no_query_for_a_visitor(catalog.url, django_assert_num_queries)
    _no_query_for_a_visitor(paths.url, django_assert_num_queries)


def test_a_warm_up_leaves_out_drafts_private_pages_and_other_hosts(catalog):
    from wagtail.models import PageViewRestriction

    from lms.page_cache import visitor_addresses, warm

    shown = make_course(catalog, title="Shown", modules=0)
    private = make_course(catalog, title="Members", modules=0)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = make_course(catalog, title="Draft", modules=0)
    draft.unpublish()

    addresses = list(visitor_addresses())
    assert shown.url in addresses
    assert private.url not in addresses and draft.url not in addresses

    warm(["testserver"])
    other_host = Client(HTTP_HOST="learn.example.com").get(shown.url)
    assert other_host.status_code == 200  # rendered for its own host, then kept
    again = warm(["learn.example.com"])["hosts"]["learn.example.com"]
    assert again["kept"] == len(addresses)


def test_the_hosts_visitors_use_are_warmed_with_the_sites_own(
    visitor, catalog, settings
):
    from wagtail.models import Site

    from lms.page_cache import HOSTS_REMEMBERED, warm_hosts

    settings.SITE_URL = "https://academy.example.com"
    settings.ALLOWED_HOSTS = [".example.com", "testserver"]
    # A site whose host this deployment does not answer is left out.
    Site.objects.create(hostname="intranet.local", root_page=catalog.get_parent())
    course = make_course(catalog, title="Anywhere", modules=0)
    assert warm_hosts() == ["academy.example.com", "testserver"]

    Client(HTTP_HOST="learn.example.com").get(course.url)
    assert warm_hosts() == ["learn.example.com", "academy.example.com", "testserver"]

    for n in range(HOSTS_REMEMBERED + 3):
        Client(HTTP_HOST=f"h{n}.example.com").get(course.url)
    hosts = warm_hosts()
    assert len(hosts) == HOSTS_REMEMBERED + 2  # the last ten, and the site's own
    assert hosts[0] == f"h{HOSTS_REMEMBERED + 2}.example.com"


def test_the_host_headers_spelling_and_port_make_no_new_copies(visitor, catalog):
    """Only the host's name (as ALLOWED_HOSTS checks it) and the port the request
    came in on tell kept copies apart: a client cannot multiply them."""
    from django.core.cache import cache

    course = make_course(catalog, title="Once", modules=0)
    assert visitor.get(course.url).status_code == 200
    kept = [key for key in cache._cache if "visitor-page:" in key]

    for host in ["TESTSERVER", "testserver.", "testserver:1", "testserver:0001"]:
        response = Client(HTTP_HOST=host).get(course.url)
        assert response.status_code == 200 and "public" in response["Cache-Control"]

    assert [key for key in cache._cache if "visitor-page:" in key] == kept


def test_a_warm_up_stops_when_the_content_changes_under_it(catalog, monkeypatch):
    from courses.api import content_changed
    from lms import page_cache

    for n in range(3):
        make_course(catalog, title=f"Course {n}", modules=0)
    asked = []
    ask = page_cache._visitor_request

    def an_editor_publishes_during_the_first(handler, host, address):
        asked.append(address)
        kept = ask(handler, host, address)
        content_changed()
        return kept

    monkeypatch.setattr(
        page_cache, "_visitor_request", an_editor_publishes_during_the_first
    )
    done = page_cache.warm(["testserver"])

    assert done["stopped"] == "the content changed" and len(asked) == 1


def test_a_warm_up_stops_when_its_time_is_up(catalog, monkeypatch):
    """A warm-up gives the worker back after its budget; the pages it did not
    reach are kept by their first visitor."""
    from types import SimpleNamespace

    from lms import page_cache

    for n in range(3):
        make_course(catalog, title=f"Course {n}", modules=0)
    clock = [0.0]
    ask = page_cache._visitor_request

    def each_page_takes_a_second(handler, host, address):
        clock[0] += 1
        return ask(handler, host, address)

    monkeypatch.setattr(page_cache, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(page_cache, "_visitor_request", each_page_takes_a_second)
    done = page_cache.warm(["testserver"], budget=2.5)

    assert done["stopped"] == "out of time (2.5 s)"
    assert sum(done["hosts"]["testserver"].values()) == 3 < done["addresses"]


def test_a_content_version_is_warmed_once(catalog):
    from lms.page_cache import warm_once

    make_course(catalog, title="Once", modules=0)
    first = warm_once()
    assert first["hosts"]["testserver"]["kept"] == first["addresses"]
    assert warm_once()["skipped"] == "warmed already"


def test_a_burst_of_publishes_queues_one_warm_up_that_keeps_the_new_page(
    catalog,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    """The worker runs the warm-up ``VISITOR_PAGES_WARM_DELAY`` seconds after the
    first publish commits; the test stands in for the queue's wait, then runs
    what was queued."""
    from django.core.cache import cache

    from lms import page_cache
    from lms.tasks import warm_visitor_pages

    course = make_course(catalog, title="Old title", modules=1)
    settings.VISITOR_PAGES_WARM_DELAY = 30
    cache.delete(page_cache.QUEUED_KEY)
    queued = []
    monkeypatch.setattr(
        warm_visitor_pages, "apply_async", lambda **options: queued.append(options)
    )
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "New title"
        course.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Newer title"
        course.save_revision().publish()
    assert queued == [{"countdown": 30}]

    done = warm_visitor_pages.run()  # what the worker runs, 30 s later

    assert done["hosts"]["testserver"]["kept"] == done["addresses"]
    page = _no_query_for_a_visitor(course.url, django_assert_num_queries)
    assert "<title>Newer title" in page


def test_warm_pages_command_reports_what_it_kept(catalog, capsys):
    from django.core.management import call_command

    from courses.api import content_version

    make_course(catalog, title="Deployed", modules=1)
    before = content_version()

    # home, catalog, paths, the course and its lesson, the catalog's page 1; an
    # internal course and its lesson are answered "not found" to visitors
    make_course(catalog, title="Staff only", modules=1, audience="internal")
    call_command("warm_pages", "--host", "testserver")

    assert (
        "testserver: 6 of 8 visitors' addresses kept, 0 shown but not kept, "
        "2 not shown to visitors"
    ) in capsys.readouterr().out
    # What was kept before the deploy is not used again.
    assert content_version() > before
