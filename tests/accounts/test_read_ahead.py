"""Reading ahead: a signed-in page reads the cache entries it will ask for in
two reads at its start; each entry read ahead is given once, an entry dropped is
not given from what was read ahead, and nothing is read ahead outside a request,
for a visitor or for a change."""

from unittest import mock

import pytest
from django.core.cache import cache

from accounts.api import ON_DASHBOARD, ON_EVERY_PAGE, drop_entry, kept_entry, read_ahead
from accounts.generations import read_along, remembered_per_request


def test_an_entry_read_ahead_is_given_once_then_read_from_the_cache():
    cache.set("ahead:a", "as read ahead")
    with remembered_per_request():
        read_along(["ahead:a", "ahead:missing"])
        cache.set("ahead:a", "changed since")
        cache.set("ahead:missing", "kept since")

        assert kept_entry("ahead:a") == "as read ahead"
        assert kept_entry("ahead:a") == "changed since"
        assert kept_entry("ahead:missing") is None  # not kept when read ahead
        assert kept_entry("ahead:missing") == "kept since"


def test_outside_a_request_nothing_is_read_ahead():
    cache.set("ahead:b", 1)
    read_along(["ahead:b"])
    cache.set("ahead:b", 2)
    assert kept_entry("ahead:b") == 2


def test_an_entry_dropped_is_not_given_from_what_was_read_ahead():
    """A request that changes what it read ahead (a notification marked read)
    shows the change, not what it read before."""
    cache.set("ahead:c", 3)
    with remembered_per_request():
        read_along(["ahead:c"])
        drop_entry("ahead:c")
        assert kept_entry("ahead:c") is None
    assert cache.get("ahead:c") is None


def test_a_nested_request_reads_ahead_for_itself():
    cache.set("ahead:d", "outer")
    with remembered_per_request():
        read_along(["ahead:d"])
        cache.set("ahead:d", "inner")
        with remembered_per_request():
            assert kept_entry("ahead:d") == "inner"
        assert kept_entry("ahead:d") == "outer"


def test_the_cache_down_leaves_each_part_to_read_for_itself(learner):
    """A read ahead that fails is no error; each copy is then read by its part
    (the cache's single reads still answer) and is what the database holds."""
    from django.contrib.auth.models import Group

    from accounts.kept_roles import kept_role_names

    learner.groups.add(Group.objects.create(name="Read-ahead testers"))
    with (
        remembered_per_request(),
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("down")),
    ):
        read_ahead(learner.pk, on=[ON_EVERY_PAGE])
        assert kept_role_names(learner.pk) == {"Read-ahead testers"}


@pytest.fixture
def course_url(db):
    from tests.factories import make_course, site_tree

    site_tree()
    return make_course(title="Read ahead", modules=1).url


def test_a_signed_in_page_reads_ahead_a_visitor_and_a_change_do_not(
    client, learner, course_url
):
    with mock.patch("accounts.read_ahead.read_ahead") as reads:
        assert client.get(course_url).status_code == 200
        assert not reads.called  # a visitor: their session is not even loaded
        client.force_login(learner)
        client.post(course_url + "enroll/")
        assert not reads.called  # a change may change what it reads
        assert client.get(course_url).status_code == 200
        assert reads.call_args.args == (learner.pk,)
        # A page reads ahead what it shows: every copy read is unpickled.
        assert ON_DASHBOARD not in reads.call_args.kwargs["on"]
        assert client.get("/dashboard/").status_code == 200
        assert reads.call_count == 2
        assert ON_DASHBOARD in reads.call_args.kwargs["on"]


def test_a_made_up_session_is_read_ahead_for_nobody(client, course_url):
    client.cookies["sessionid"] = "not-a-session-of-anyone"
    with mock.patch("accounts.read_ahead.read_ahead") as reads:
        assert client.get(course_url).status_code == 200
    assert not reads.called


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_a_signed_in_page_reads_the_session_with_the_numbers(
    client, learner, course_url, cached_sessions
):
    """From the second visit this process knows whose the session is: the
    session's data comes in the same read as the numbers (two reads for a
    course page: session and numbers, copies and route; the course's lessons
    are held by this process since the first visit)."""
    from tests.cache_reads import CacheReads

    client.force_login(learner)
    client.get(course_url)
    with CacheReads() as first:
        client.get(course_url)
    with CacheReads() as second:
        page = client.get(course_url)

    assert page.status_code == 200
    assert page.wsgi_request.user == learner
    assert second.reads == 2 <= first.reads


def test_a_session_signed_out_and_replayed_is_nobodys(
    client, learner, course_url, cached_sessions
):
    client.force_login(learner)
    client.get(course_url)
    client.get(course_url)  # this process now knows whose the session was
    old = client.cookies["sessionid"].value
    client.logout()
    client.cookies["sessionid"] = old

    page = client.get(course_url)

    assert page.status_code == 200 and not page.wsgi_request.user.is_authenticated
    assert client.get("/dashboard/").status_code == 302
