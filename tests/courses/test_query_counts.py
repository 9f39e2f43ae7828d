"""Every learner-facing course page runs a fixed number of queries, and makes a
fixed number of round trips to the cache, however large the catalog or the
learner's history (tests grow the data and compare counts)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.models import (
    Enrollment,
    LearningPathPage,
    LearningPathStep,
    ModulePage,
    ModuleProgress,
)
from tests.cache_reads import CacheReads
from tests.factories import make_course, modules_of, site_tree

pytestmark = pytest.mark.django_db

# The dashboard's budget includes its assigned training and the team link (2).
MAX_QUERIES = 17
# Each page reads ahead what it will ask the cache for (the numbers, then the
# copies); the parts of courses and paths kept under the content version are
# held by the process once read (sessions are in the database here).
MAX_CACHE_READS = 2


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def cache_reads(client, url) -> int:
    with CacheReads() as counted:
        assert client.get(url).status_code == 200, url
    return counted.reads


def measure(client, urls) -> dict[str, int]:
    for url in urls.values():
        client.get(url)  # warm caches (site root paths, content types)
    return {name: count_queries(client, url) for name, url in urls.items()}


def measure_cache_reads(client, urls) -> dict[str, int]:
    return {name: cache_reads(client, url) for name, url in urls.items()}


def test_page_query_counts_do_not_grow_with_catalog_or_history(client, learner):
    _home, catalog, paths = site_tree()
    focus = make_course(title="Focus Course", modules=3)
    locked = make_course(title="Locked Course", prerequisites=[focus])
    small = [make_course(modules=2) for _ in range(8)]
    path = paths.add_child(
        instance=LearningPathPage(
            title="Admin path", role="administrator", summary="s", slug="admin-path"
        )
    )
    for index, course in enumerate([focus, locked, *small[:3]]):
        LearningPathStep.objects.create(path=path, course=course, sort_order=index)
    services.enroll(user=learner, course=focus)
    client.force_login(learner)
    urls = {
        "catalog": "/catalog/",
        "catalog search": "/catalog/?q=course&level=fundamentals",
        "course": focus.url,
        "locked course": locked.url,
        "module": modules_of(focus)[0].url,
        "path": path.url,
        "paths": paths.url,
        "dashboard": "/dashboard/",
    }
    before = measure(client, urls)
    reads_before = measure_cache_reads(client, urls)

    # Grow: 290 more courses (250 with two modules), the learner completes 500.
    grown = [make_course(modules=2 if n < 250 else 0) for n in range(290)]
    # Completed a minute after enrolling (enrolment is stamped on insert).
    now = timezone.now() + timedelta(minutes=1)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=learner, course=course, completed_at=now)
        for course in grown[:250]
    )
    by_course = {e.course_id: e for e in enrollments}
    ModuleProgress.objects.bulk_create(
        ModuleProgress(
            enrollment=by_course[module.get_parent().pk],
            module=module,
            completed_at=now,
        )
        for module in ModulePage.objects.filter(depth=focus.depth + 1)
        .exclude(pk__in=[m.pk for m in modules_of(focus)])
        .exclude(pk__in=[m.pk for c in [locked, *small] for m in modules_of(c)])
    )
    assert (
        ModuleProgress.objects.filter(
            enrollment__user=learner, completed_at__isnull=False
        ).count()
        == 500
    )
    for index, course in enumerate(grown[:40]):
        LearningPathStep.objects.create(path=path, course=course, sort_order=10 + index)

    after = measure(client, urls)
    assert after == before
    assert max(after.values()) <= MAX_QUERIES, after
    reads_after = measure_cache_reads(client, urls)
    assert reads_after == reads_before
    for name, reads in reads_after.items():
        assert reads <= MAX_CACHE_READS, (name, reads_after)


def test_anonymous_catalog_and_course_pages_are_fixed_too(client):
    _home, catalog, _paths = site_tree()
    course = make_course(modules=2)
    urls = {
        "catalog": "/catalog/",
        "course": course.url,
        "module": modules_of(course)[0].url,
    }
    before = measure(client, urls)
    for _ in range(40):
        make_course(modules=1)
    assert measure(client, urls) == before
