"""Wagtail's route to a page, kept in the cache.

Before Wagtail serves a page it finds the site for the request's host and walks
the page tree from the site's root down the address, a read or two for each
level (five for a lesson). The answer is the same for everyone until the content
changes, so it is kept under the content version (``courses.api.content_version``,
advanced by every page saved, published, unpublished, moved or deleted, by a
page's privacy settings and by the sites themselves) with the host and the
address. What is kept is the site, Wagtail's site root paths (which links to
pages are made from) and the route: the page, as routing read it,
and the page's own view with its arguments, and for the catalog, courses, lessons
and learning paths the page's privacy rules (read with the route; privacy
settings advance the version too; a password rule is never kept). Nothing of a visitor or learner is in it, and the checks that do
depend on who asks (privacy, the page's own permission checks) still run for
each request, after routing.

Only a fixed set of addresses is kept, so that nobody can fill the cache with
made-up ones: an address that finds no page is not kept, nor one whose last part
is an argument of the page's own view (a knowledge check's block id), which
anyone could vary without end.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from accounts.api import (
    ON_COURSE_PAGES,
    ON_DASHBOARD,
    ON_EVERY_PAGE,
    kept_entry,
    read_ahead_signed_in,
)
from courses.api import CONTENT_VERSION_KEY, content_version

from .page_cache import TTL, host_key


def _key(request, path: str, version: int) -> str:
    return f"page-route:2:{version}:{host_key(request)}:{path}"


def _root_paths_kept(root_paths, *holders) -> None:
    """Wagtail's site root paths (every link to a page is made from them, a
    cache read of their own) as kept with the site, given to where Wagtail
    looks first: the request (``{% pageurl %}``) and the page served
    (``page.url``)."""
    for holder in holders:
        holder._wagtail_cached_site_root_paths = root_paths


class KeptRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or hasattr(
            request, "_wagtail_route_for_request"
        ):
            return None
        (path,) = view_args or (view_kwargs["path"],)
        _read_ahead(
            request,
            lambda: _key(request, path, content_version()),
            on=(ON_EVERY_PAGE, ON_COURSE_PAGES),
        )
        key = _key(request, path, content_version())
        kept = kept_entry(key)
        if kept is not None:
            request._wagtail_site, route, root_paths = kept
            request._wagtail_route_for_request = route
            _root_paths_kept(root_paths, request, route.page)
            return None
        route = Page.route_for_request(request, path)
        if route is not None and not _takes_arguments(route):
            # A page that can keeps its privacy rules with the route.
            keep_view_restrictions = getattr(route.page, "keep_view_restrictions", None)
            if keep_view_restrictions is not None:
                keep_view_restrictions()
            root_paths = Site.get_site_root_paths()
            cache.set(key, (request._wagtail_site, route, root_paths), TTL)
        return None


def keep_site(request) -> None:
    """The Wagtail site for the request's host, from the cache, for a view of
    ours (not a page) whose template links to pages (``{% pageurl %}`` asks for
    the site first): one cache read instead of a query. Kept under the content
    version, which sites advance; Wagtail's site root paths with it. Only the
    dashboard asks for it, and it reads ahead what the dashboard shows."""
    if hasattr(request, "_wagtail_site"):
        return
    _read_ahead(
        request,
        lambda: _site_key(request),
        on=(ON_EVERY_PAGE, ON_COURSE_PAGES, ON_DASHBOARD),
    )
    key = _site_key(request)
    kept = kept_entry(key)
    if kept is not None:
        request._wagtail_site, root_paths = kept
        _root_paths_kept(root_paths, request)
        return
    site = Site.find_for_request(request)
    if site is not None:
        cache.set(key, (site, Site.get_site_root_paths()), TTL)


def _site_key(request) -> str:
    return f"page-site:2:{content_version()}:{host_key(request)}"


def _read_ahead(request, route_key: Callable[[], str], *, on) -> None:
    """A signed-in person's page reads ahead what the pages ``on`` ask the
    cache for, its route or site among them, with the session
    (``accounts.api``)."""
    read_ahead_signed_in(
        request, on=on, numbers=[CONTENT_VERSION_KEY], also=lambda: [route_key()]
    )


def _takes_arguments(route) -> bool:
    """Does the address carry arguments for the page's view (a routable page's
    sub-address with a value in it)?"""
    if not route.args:  # a page served as it is
        return False
    _view, args, kwargs = route.args
    return bool(args or kwargs or route.kwargs)
