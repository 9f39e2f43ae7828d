"""Wagtail's route to a page, kept: a learner's second visit to a lesson finds the
site and the page without reading them; every content change is followed at once;
who may see a page is still decided on each request; made-up addresses are not
kept."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CatalogPage
from tests.factories import make_course, modules_of, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    site_tree()
    return CatalogPage.objects.get()


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def _reads(client, url) -> tuple[int, list[str]]:
    """The response's status and the statements it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, [q["sql"] for q in queries.captured_queries]


def _route_keys() -> list[str]:
    return [key for key in cache._cache if "page-route:" in key]


def test_a_second_visit_finds_the_lesson_without_routing_reads(signed_in, catalog):
    course = make_course(catalog, title="Routing basics", modules=2)
    lesson = modules_of(course)[1]
    status, first = _reads(signed_in, lesson.url)
    assert status == 200

    status, second = _reads(signed_in, lesson.url)

    assert status == 200
    # The site, the home, the catalog, the course and the lesson were read on
    # the first visit; the page's own reads (the learner's state) stay.
    assert any('FROM "wagtailcore_site"' in sql for sql in first)
    assert not any('FROM "wagtailcore_site"' in sql for sql in second)
    assert len(first) - len(second) >= 4, (len(first), len(second))
    assert "Routing basics: lesson 2" in signed_in.get(lesson.url).content.decode()


def test_an_unpublished_lesson_is_gone_at_once_for_a_learner(signed_in, catalog):
    course = make_course(catalog, title="Soon gone", modules=1)
    [lesson] = modules_of(course)
    assert signed_in.get(lesson.url).status_code == 200

    lesson.unpublish()

    assert signed_in.get(lesson.url).status_code == 404


def test_a_moved_course_is_routed_to_its_new_address(signed_in, catalog):
    course = make_course(catalog, title="Wanderer", modules=1)
    other = make_course(catalog, title="Host", modules=0)
    old_url = course.url
    assert signed_in.get(old_url).status_code == 200

    course.move(other, pos="last-child")
    course.refresh_from_db()

    assert signed_in.get(old_url).status_code in (301, 404)
    assert "Wanderer" in signed_in.get(course.url).content.decode()


def test_a_new_site_root_is_followed_at_once(signed_in, catalog):
    from wagtail.models import Site

    course = make_course(catalog, title="At the catalog", modules=0)
    assert signed_in.get(course.url).status_code == 200

    site = Site.objects.get(is_default_site=True)
    site.root_page = catalog  # the catalog becomes the site's home
    site.save()

    assert signed_in.get(f"/{course.slug}/").status_code == 200


def test_who_may_see_a_page_is_still_decided_for_each_request(
    client, catalog, user_factory
):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    course = make_course(catalog, title="Partners only", modules=0)
    partners = Group.objects.create(name="Partners")
    rule = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    rule.groups.add(partners)
    partner, outsider = user_factory(), user_factory()
    partner.groups.add(partners)

    client.force_login(partner)
    assert client.get(course.url).status_code == 200  # routed, the route kept
    assert _route_keys()

    client.force_login(outsider)
    refused = client.get(course.url)
    assert refused.status_code in (302, 403)
    assert "Partners only" not in refused.content.decode()


def _privacy_reads(statements) -> list[str]:
    return [sql for sql in statements if "wagtailcore_pageviewrestriction" in sql]


def test_privacy_rules_are_kept_with_the_route_and_a_change_counts_at_once(
    client, catalog, user_factory
):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    course = make_course(catalog, title="Partners only", modules=1)
    [lesson] = modules_of(course)
    partners = Group.objects.create(name="Partners")
    partner, outsider = user_factory(), user_factory()
    partner.groups.add(partners)
    client.force_login(outsider)
    status, first = _reads(client, lesson.url)
    assert status == 200 and _privacy_reads(first)
    status, second = _reads(client, lesson.url)
    assert status == 200 and not _privacy_reads(second)

    # The course (above the lesson) is made private to a group: the lesson's
    # kept rules are out of date at once.
    rule = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    rule.groups.add(partners)
    refused = client.get(lesson.url)
    assert refused.status_code in (302, 403)
    assert "Partners only: lesson 1" not in refused.content.decode()
    client.force_login(partner)
    assert client.get(lesson.url).status_code == 200
    status, kept = _reads(client, lesson.url)
    assert status == 200 and not _privacy_reads(kept)

    # The group is taken off the rule (no save of the rule itself) and another
    # given: the partner is refused at once.
    others = Group.objects.create(name="Others")
    rule.groups.set([others])
    assert client.get(lesson.url).status_code in (302, 403)

    # Privacy lifted: everyone again.
    rule.delete()
    client.force_login(outsider)
    assert client.get(lesson.url).status_code == 200


def test_a_page_made_private_to_signed_in_people_refuses_a_visitor_at_once(
    client, catalog, learner
):
    from wagtail.models import PageViewRestriction

    course = make_course(catalog, title="Members", modules=0)
    client.force_login(learner)
    assert client.get(course.url).status_code == 200
    client.logout()
    assert client.get(course.url).status_code == 200

    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )

    assert client.get(course.url).status_code == 302
    client.force_login(learner)
    assert client.get(course.url).status_code == 200


def test_a_password_rule_is_never_kept_and_is_asked_for_every_time(signed_in, catalog):
    from wagtail.models import PageViewRestriction

    course = make_course(catalog, title="Behind a password", modules=0)
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        status, statements = _reads(signed_in, course.url)
        assert _privacy_reads(statements)
    asked = signed_in.get(course.url)
    assert asked.status_code == 200
    assert "Behind a password" not in asked.content.decode()
    assert 'name="password"' in asked.content.decode()
    assert not any("s3cret" in repr(value) for value in cache._cache.values())


def test_made_up_addresses_are_not_kept(signed_in, catalog):
    make_course(catalog, title="Real", modules=0)
    for n in range(5):
        assert signed_in.get(f"/catalog/made-up-{n}/").status_code == 404

    assert _route_keys() == []


def test_an_argument_in_the_address_is_never_kept(signed_in, catalog):
    """A knowledge check's address carries its block id: anyone could make up
    new ones without end, so those routes are found each time, not kept."""
    course = make_course(catalog, title="Checks", modules=1)
    [lesson] = modules_of(course)
    assert signed_in.get(lesson.url).status_code == 200
    kept = len(_route_keys())

    for n in range(5):
        assert signed_in.get(f"{lesson.url}check/made-up-{n}/").status_code < 500

    assert len(_route_keys()) == kept


def test_the_host_headers_spelling_and_port_keep_one_route(client, learner, catalog):
    course = make_course(catalog, title="Once", modules=0)
    client.force_login(learner)
    assert client.get(course.url).status_code == 200
    kept = _route_keys()

    for host in ["TESTSERVER", "testserver.", "testserver:1", "testserver:0001"]:
        assert client.get(course.url, HTTP_HOST=host).status_code == 200

    assert _route_keys() == kept


def test_the_dashboard_links_to_pages_without_reading_the_site(
    signed_in, learner, catalog
):
    """The dashboard is our view, not a page: its links to courses asked for the
    site on every visit; it is kept like a route's, and a new site root is
    followed at once."""
    from wagtail.models import Site

    from courses.models import Enrollment

    course = make_course(catalog, title="Linked from the dashboard", modules=1)
    Enrollment.objects.create(user=learner, course=course)
    status, first = _reads(signed_in, "/dashboard/")
    status, second = _reads(signed_in, "/dashboard/")

    assert status == 200
    assert any('FROM "wagtailcore_site"' in sql for sql in first)
    assert not any('FROM "wagtailcore_site"' in sql for sql in second)
    assert f'href="{course.url}"' in signed_in.get("/dashboard/").content.decode()

    site = Site.objects.get()
    site.hostname = "elsewhere.example"
    site.is_default_site = False
    site.save()
    status, after = _reads(signed_in, "/dashboard/")
    assert any('FROM "wagtailcore_site"' in sql for sql in after)


def _root_paths_reads(client, url) -> int:
    """How often the request read Wagtail's site root paths from the cache."""
    from unittest import mock

    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

    get = cache.get
    keys: list[str] = []

    def counted(key, *args, **kwargs):
        keys.append(key)
        return get(key, *args, **kwargs)

    with mock.patch.object(cache, "get", side_effect=counted):
        assert client.get(url).status_code == 200
    return keys.count(SITE_ROOT_PATHS_CACHE_KEY)


def test_a_second_visit_reads_no_site_root_paths_of_its_own(
    signed_in, learner, catalog
):
    """Links to pages are made from Wagtail's site root paths, a cache read of
    their own on every page: they are kept with the route and the site."""
    from courses.models import Enrollment

    course = make_course(catalog, title="Rooted", modules=1)
    Enrollment.objects.create(user=learner, course=course)
    [lesson] = modules_of(course)
    for url in (lesson.url, course.url, "/dashboard/"):
        _root_paths_reads(signed_in, url)
        assert _root_paths_reads(signed_in, url) == 0, url


def test_links_follow_a_new_site_root_at_once(signed_in, learner, catalog):
    from wagtail.models import Site

    from courses.models import Enrollment

    course = make_course(catalog, title="Re-rooted", modules=1)
    Enrollment.objects.create(user=learner, course=course)
    [lesson] = modules_of(course)
    assert f'href="{course.url}"' in signed_in.get("/dashboard/").content.decode()
    assert (
        f'action="{lesson.url}complete/"' in signed_in.get(lesson.url).content.decode()
    )

    site = Site.objects.get(is_default_site=True)
    site.root_page = catalog
    site.save()

    assert f'href="/{course.slug}/"' in signed_in.get("/dashboard/").content.decode()
    # The lesson's own forms post to its new address too.
    page = signed_in.get(f"/{course.slug}/{lesson.slug}/").content.decode()
    assert f'action="/{course.slug}/{lesson.slug}/complete/"' in page
