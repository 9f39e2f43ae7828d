"""The parts of courses and paths that are the same for every learner are kept
under the content version: a learner's dashboard, catalog and path pages read
them once for everyone, an editor's change shows at once, and a page made with
nothing kept still runs a fixed number of queries however large the catalog."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.api import content_version
from courses.models import LearningPathPage, LearningPathStep, ModulePage
from tests.factories import make_course, site_tree

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _cold(client, url) -> int:
    """Queries of a page made with nothing kept (after a deploy or a change)."""
    cache.clear()
    return _queries(client, url)


@pytest.fixture
def on_a_path(client, learner):
    _home, _catalog, paths = site_tree()
    path = paths.add_child(
        instance=LearningPathPage(
            title="Admin path", role="administrator", summary="s", slug="admin-path"
        )
    )
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    cover = get_image_model().objects.create(title="Cover", file=get_test_image_file())
    courses = [
        make_course(title=f"Step {n}", modules=2, cover_image=cover) for n in range(3)
    ]
    for index, course in enumerate(courses):
        LearningPathStep.objects.create(path=path, course=course, sort_order=index)
    services.enroll(user=learner, course=courses[0])
    client.force_login(learner)
    return path, courses


@pytest.mark.parametrize("url", ["/dashboard/", "/catalog/", "/paths/", "path"])
def test_a_page_made_with_nothing_kept_does_not_grow_with_the_catalog(
    client, on_a_path, url
):
    path, _courses = on_a_path
    url = path.url if url == "path" else url
    client.get(url)  # the covers' renditions are made on the first view
    before = _cold(client, url)

    more = [make_course(modules=3) for _ in range(12)]
    for index, course in enumerate(more):
        LearningPathStep.objects.create(path=path, course=course, sort_order=10 + index)

    assert _cold(client, url) == before


@pytest.mark.parametrize("url", ["/dashboard/", "/catalog/", "/paths/", "path"])
def test_the_shared_parts_are_read_once_for_everyone(
    client, on_a_path, url, user_factory
):
    path, _courses = on_a_path
    url = path.url if url == "path" else url
    cold = _cold(client, url)

    client.force_login(user_factory())  # another learner: the parts are kept
    kept = _queries(client, url)

    # The courses' lessons and prerequisites, and the path's steps.
    assert cold - kept >= 2, (cold, kept)


def test_a_new_lesson_shows_on_the_dashboard_at_once(client, on_a_path):
    _path, courses = on_a_path
    assert "0 of 2 modules" in client.get("/dashboard/").content.decode()

    courses[0].add_child(
        instance=ModulePage(title="Step 0: lesson 3", slug="lesson-3", summary="s")
    )

    assert "0 of 3 modules" in client.get("/dashboard/").content.decode()


def test_a_course_taken_off_a_path_leaves_the_path_page_at_once(client, on_a_path):
    path, courses = on_a_path
    assert "Step 2" in client.get(path.url).content.decode()

    courses[2].unpublish()

    assert "Step 2" not in client.get(path.url).content.decode()


def test_a_changed_image_advances_the_content_version(db):
    """A course's cover is kept with its path's steps and in visitors' pages."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    before = content_version()
    image = get_image_model().objects.create(title="Cover", file=get_test_image_file())
    assert content_version() > before

    created = content_version()
    image.focal_point_x = 10
    image.save()
    assert content_version() > created


def _course_reads(client, url) -> list[str]:
    """The queries of a visit that read course pages."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries if "courses_coursepage" in q["sql"]]


def test_a_second_catalog_visit_reads_no_course_and_follows_a_publish(
    client, on_a_path, user_factory
):
    _path, courses = on_a_path
    assert _course_reads(client, "/catalog/?page=1")
    client.force_login(user_factory())  # another learner, another page number

    assert _course_reads(client, "/catalog/") == []
    assert _course_reads(client, "/catalog/?page=1") == []
    html = client.get("/catalog/").content.decode()
    assert "Step 1" in html and "Locked" not in html

    courses[1].title = "Step 1, revised"
    courses[1].save_revision().publish()
    locked = make_course(title="Needs step 2", prerequisites=[courses[2]])
    html = client.get("/catalog/").content.decode()
    assert "Step 1, revised" in html
    assert "Needs step 2" in html and "Locked" in html

    courses[0].unpublish()
    assert "Step 0" not in client.get("/catalog/").content.decode()
    assert locked.title in client.get("/catalog/").content.decode()


def test_staff_and_customers_never_share_a_kept_catalog(client, user_factory):
    from accounts import roles
    from courses.models import Audience

    site_tree()
    make_course(title="Public Course")
    make_course(title="Staff Only Course", audience=Audience.INTERNAL)
    staff = user_factory(roles=[roles.SUPPORT_HIRES])
    customer = user_factory()
    for first, second in ((staff, customer), (customer, staff)):
        cache.clear()
        for viewer in (first, second, first):
            client.force_login(viewer)
            html = client.get("/catalog/").content.decode()
            assert "Public Course" in html
            assert ("Staff Only Course" in html) == (viewer == staff)
            assert ("2 courses" in html) == (viewer == staff)


def test_the_kept_filter_fields_are_the_blank_form_and_a_filled_one_is_shown(
    client, learner
):
    from courses.forms import CatalogFilterForm

    site_tree()
    make_course(title="Public Course")
    client.force_login(learner)
    blank = client.get("/catalog/?page=1").content.decode()
    for field in CatalogFilterForm().fields:
        assert f'name="{field}"' in blank
    assert 'value="' not in blank.split('name="q"')[1].split(">")[0]
    assert "errorlist" not in blank

    searched = client.get("/catalog/?q=public").content.decode()
    assert 'value="public"' in searched
    assert (
        '<option value="advanced" selected>'
        in client.get("/catalog/?level=advanced").content.decode()
    )
    refused = client.get("/catalog/?role=nobody").content.decode()
    assert "errorlist" in refused and "Public Course" in refused
    # The blank form again, after filled ones: nothing carried over.
    again = client.get("/catalog/").content.decode()
    assert again.count("selected") == blank.count("selected")
    assert "public" not in again.split('name="q"')[1].split(">")[0]


@pytest.mark.parametrize("url", ["/catalog/", "path"])
def test_kept_card_heads_make_the_same_page_and_follow_a_change(client, on_a_path, url):
    path, courses = on_a_path
    url = path.url if url == "path" else url
    locked = make_course(title="After step 2", prerequisites=[courses[2]])
    LearningPathStep.objects.create(path=path, course=locked, sort_order=9)
    client.get(url)  # the covers' renditions are made on the first view
    cache.clear()
    cold = client.get(url).content.decode()

    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url).content.decode()

    # The same page, but for the sign-out form's masked token.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", kept) == token.sub("", cold)
    assert cold.count('class="course-card__image"') == 3
    assert "Locked" in cold and "0 of 2 modules" in cold
    assert not [q for q in queries if "wagtailimages_rendition" in q["sql"]]

    courses[1].title = "Step 1, revised"
    courses[1].save_revision().publish()
    html = client.get(url).content.decode()
    assert "Step 1, revised" in html and ">Step 1<" not in html


def test_who_sees_a_kept_course_is_the_querys_rule(db, user_factory):
    """``shown_to`` (for kept courses) and ``visible_courses`` (the query) agree,
    for staff and customers, on courses of every audience."""
    from accounts import roles
    from accounts.api import is_internal_staff
    from courses.models import Audience, CoursePage
    from courses.selectors import shown_to, visible_courses

    site_tree()
    for audience in Audience.values:
        make_course(title=f"For {audience}", audience=audience)
    for user in (user_factory(), user_factory(roles=[roles.SUPPORT_HIRES])):
        staff = is_internal_staff(user)
        kept = {
            course.pk
            for course in CoursePage.objects.live()
            if shown_to(course, internal_staff=staff)
        }
        assert kept == set(visible_courses(user).values_list("pk", flat=True))
        assert len(kept) == (3 if staff else 2)


def test_the_dashboard_shows_a_started_course_only_while_the_learner_may_see_it(
    client, on_a_path
):
    """The dashboard's courses are kept for everyone: a course the learner
    started that was made internal, or unpublished, leaves their dashboard at
    once (the kept course is only what they may see)."""
    from courses.models import Audience

    _path, courses = on_a_path
    assert "Step 0" in client.get("/dashboard/").content.decode()
    course = courses[0].specific
    course.audience = Audience.INTERNAL
    course.save_revision().publish()
    # Gone from "Continue learning", and from the path (no longer started).
    html = client.get("/dashboard/").content.decode()
    assert "Step 0" not in html and "Admin path" not in html

    course.audience = Audience.CUSTOMERS
    course.save_revision().publish()
    assert "Step 0" in client.get("/dashboard/").content.decode()
    course.unpublish()
    assert "Step 0" not in client.get("/dashboard/").content.decode()


def test_the_live_paths_are_kept_and_follow_a_publish_at_once(
    client, on_a_path, user_factory
):
    path, courses = on_a_path
    assert "Admin path" in client.get("/paths/").content.decode()
    client.force_login(user_factory())  # another learner: the paths are kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/paths/").status_code == 200
    assert not [q for q in queries if "courses_learningpathpage" in q["sql"]]

    index = path.get_parent()
    newer = index.add_child(
        instance=LearningPathPage(
            title="Security path", role="security_analyst", summary="s", slug="sec"
        )
    )
    assert "Security path" in client.get("/paths/").content.decode()
    newer.unpublish()
    assert "Security path" not in client.get("/paths/").content.decode()
    path.unpublish()
    assert "Admin path" not in client.get("/paths/").content.decode()


def test_the_courses_building_on_a_started_one_are_kept_and_follow_a_new_one(
    client, on_a_path
):
    """The dashboard's "locked courses and why" lists the courses that require
    one the learner started: those links are content, kept like the rest."""
    _path, courses = on_a_path
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/")
    assert not [q for q in queries if "courses_courseprerequisite" in q["sql"]]

    make_course(title="Builds on step 0", prerequisites=[courses[0]])

    html = client.get("/dashboard/").content.decode()
    assert "Builds on step 0" in html.split("Locked courses and why")[1]
