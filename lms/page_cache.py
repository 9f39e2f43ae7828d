"""Pages for visitors (not signed in) served from the cache.

The catalog, course, lesson, learning path and home pages look the same to every
visitor, so the first visitor's page is kept and the next ones get it without
rendering or a database query. A kept page is dropped when any page is saved,
published, unpublished, moved or deleted (the kept pages are keyed by a content
version that those events advance, ``courses.api.content_version``), and after ``TTL`` seconds in any case.

A page is kept only when nothing in it belongs to one visitor, and only for a
few addresses per page (no query, or one filter or page number): the request
carries no session or message cookie, and the response sets no cookie (a CSRF
token on the page sets one), carries no CSP nonce and answers 200. Responses for
visitors say ``Cache-Control: public, max-age=…`` with ``Vary: Cookie``, so a CDN
in front may keep them too and never gives them to someone signed in.

Which page types qualify is the registry :data:`VISITOR_PAGES`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers

from courses.api import content_version

VISITOR_PAGES = frozenset(
    {
        "lms.HomePage",
        "courses.CatalogPage",
        "courses.CoursePage",
        "courses.ModulePage",
        "courses.LearningPathIndexPage",
        "courses.LearningPathPage",
    }
)
TTL = 300
CDN_MAX_AGE = 60
MARK = "_visitor_page"


def mark_if_visitor_page(page, request, serve_args, serve_kwargs) -> None:
    """Wagtail's ``before_serve_page`` hook: note that this page may be kept."""
    label = f"{page._meta.app_label}.{page.__class__.__name__}"
    if label in VISITOR_PAGES:
        setattr(request, MARK, True)


# The query a kept page may have: none, or one catalog filter or page number. A
# search (free text) or anything else is rendered every time, so that nobody can
# fill the cache with made-up addresses.
KEPT_QUERIES = {"page", "role", "level", "audience", "duration"}


def _from_a_visitor(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and _a_kept_query(request.GET)
    )


def _a_kept_query(query) -> bool:
    if not query:
        return True
    if len(query) > 1:
        return False
    (name,) = query.keys()
    values = query.getlist(name)
    if name not in KEPT_QUERIES or len(values) != 1:
        return False
    value = values[0]
    if name == "page":
        return value.isdigit() and 1 <= int(value) <= 99 and value[0] != "0"
    return len(value) <= 20 and value.isascii() and value.replace("-", "").isalnum()


def _key(request, version: int) -> str:
    return f"visitor-page:{version}:{request.get_host()}:{request.get_full_path()}"


class VisitorPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _from_a_visitor(request):
            return self.get_response(request)
        key = _key(request, content_version())
        kept = cache.get(key)
        if kept is not None:
            return kept
        response = self.get_response(request)
        if getattr(request, MARK, False) and self._same_for_everyone(response):
            patch_cache_control(response, public=True, max_age=CDN_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, TTL)
        return response

    @staticmethod
    def _same_for_everyone(response) -> bool:
        policy = response.get("Content-Security-Policy", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "nonce-" not in policy
            and not response.has_header("Cache-Control")
        )
