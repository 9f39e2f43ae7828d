"""Which requests wait for an editor's lock (see ``lms.edit_lock``): only a POST
to a page's or a snippet's editor, named after the object it edits."""

import pytest
from django.test import RequestFactory
from django.urls import resolve

from lms.edit_lock import lock_name


def request(method, path):
    made = getattr(RequestFactory(), method)(path)
    made.resolver_match = resolve(path)
    return made


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("post", "/admin/pages/12/edit/", "wagtailadmin_pages:edit:12"),
        (
            "post",
            "/admin/snippets/exams/questionbank/edit/7/",
            "wagtailsnippets_exams_questionbank:edit:7",
        ),
        ("get", "/admin/pages/12/edit/", None),
        ("get", "/admin/snippets/exams/questionbank/edit/7/", None),
        ("post", "/admin/pages/12/delete/", None),
        ("post", "/admin/snippets/exams/questionbank/add/", None),
        ("post", "/admin/courses/3/outline/add/", None),
    ],
)
def test_lock_names(method, path, name):
    assert lock_name(request(method, path)) == name
