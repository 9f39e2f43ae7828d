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

Nobody should wait for a page to render on a busy day: after every content change
(and on deploy, ``manage.py warm_pages``) :func:`warm` asks for every visitor's
page once, through the site's own request handler, so that the first visitor
already gets a kept copy. The hosts it warms are the ones visitors used (the
last :data:`HOSTS_REMEMBERED`) and the Wagtail sites' own.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port, validate_host
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
# Kept copies go with the content version; the lifetime only bounds the memory a
# page nobody asks for holds.
TTL = 24 * 60 * 60
CDN_MAX_AGE = 60
HOSTS_KEY = "visitor-pages:hosts"
HOSTS_REMEMBERED = 10
WARMING_KEY = "visitor-pages:warming:{version}"
QUEUED_KEY = "visitor-pages:warm-queued"
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


def host_key(request) -> str:
    """The host in a kept copy's key: the host's name as ``ALLOWED_HOSTS`` checked
    it (lower case, no trailing dot) and the port the request came in on. The Host
    header's own port and spelling are the client's to vary without end, so they
    are left out; Wagtail finds the site from the same two."""
    name, _port = split_domain_port(request.get_host())
    return _spelled(name, request.get_port())


def _spelled(name: str, port) -> str:
    """A host as a Host header names it: the port only when it is not 80 or 443."""
    return name if str(port) in ("80", "443") else f"{name}:{port}"


def _key(request, version: int) -> str:
    return f"visitor-page:{version}:{host_key(request)}:{request.get_full_path()}"


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
            _remember_host(host_key(request))
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


def _remember_host(host: str) -> None:
    """Keep the last few hosts visitors' pages were kept for, for :func:`warm`.
    Only hosts ``ALLOWED_HOSTS`` admits get here (``get_host`` refuses others),
    as :func:`host_key` spells them."""
    hosts = cache.get(HOSTS_KEY) or []
    if host not in hosts:
        cache.set(HOSTS_KEY, [host, *hosts][:HOSTS_REMEMBERED], None)


def warm_hosts() -> list[str]:
    """The hosts visitors used, then the site's address (``SITE_URL``) and each
    Wagtail site's own, leaving out any that ``ALLOWED_HOSTS`` refuses."""
    from urllib.parse import urlsplit

    from wagtail.models import Site

    hosts = list(cache.get(HOSTS_KEY) or [])
    candidates = [urlsplit(settings.SITE_URL).netloc]
    for site in Site.objects.order_by("-is_default_site", "hostname"):
        candidates.append(_spelled(site.hostname, site.port))
    for host in candidates:
        name, _port = split_domain_port(host)
        if host not in hosts and validate_host(name, settings.ALLOWED_HOSTS):
            hosts.append(host)
    return hosts


def visitor_addresses() -> Iterator[str]:
    """Every address a visitor's page is kept under: each live page of a type in
    :data:`VISITOR_PAGES` that everyone may see, and the further addresses its type
    names (``visitor_queries()``, the catalog's page numbers) that are kept."""
    from django.apps import apps
    from django.http import HttpRequest, QueryDict
    from wagtail.models import Page

    models = [apps.get_model(label) for label in VISITOR_PAGES]
    site_roots = HttpRequest()  # holds Wagtail's site roots for every page's URL
    for page in Page.objects.live().public().type(*models).order_by("path"):
        parts = page.get_url_parts(site_roots)
        if parts is None:
            continue
        address = parts[2]
        yield address
        if hasattr(page.specific_class, "visitor_queries"):
            for query in page.specific.visitor_queries():
                if _a_kept_query(QueryDict(query)):
                    yield f"{address}?{query}"


def _visitor_request(handler, host: str, address: str):
    from django.core.handlers.wsgi import WSGIRequest

    path, _, query = address.partition("?")
    name, port = split_domain_port(host)
    secure = settings.SECURE_SSL_REDIRECT
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": host,
            "SERVER_NAME": name,
            "SERVER_PORT": port or ("443" if secure else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_USER_AGENT": "page-cache-warmer",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "https" if secure else "http",
        }
    )
    # Not closed: closing sends request_finished, which would close the worker's
    # database connection after every page (the task's end closes it once).
    response = handler.get_response(request)
    if "public" in response.get("Cache-Control", ""):
        return "kept"
    return "shown, not kept" if response.status_code == 200 else "not shown"


def warm(hosts: Iterable[str] | None = None, budget: float | None = None) -> dict:
    """Ask for every visitor's page once on each host, as a visitor would, so that
    it is kept; a page kept already costs one cache read. Stops as soon as the
    content changes again (the next warm-up, queued by that change, takes over)
    or after ``budget`` seconds (``VISITOR_PAGES_WARM_BUDGET``). Returns what it
    did: the version, the addresses asked for and, per host, how many were kept,
    shown but not kept (something in them belongs to one visitor) and not shown
    to visitors (an internal course: not found)."""
    from django.core.handlers.wsgi import WSGIHandler

    version = content_version()
    budget = settings.VISITOR_PAGES_WARM_BUDGET if budget is None else budget
    ends = time.monotonic() + budget
    handler = WSGIHandler()
    hosts = list(hosts) if hosts is not None else warm_hosts()
    addresses = list(visitor_addresses())
    done = {"version": version, "addresses": len(addresses), "hosts": {}}
    for host in hosts:
        outcomes = done["hosts"][host] = dict.fromkeys(
            ("kept", "shown, not kept", "not shown"), 0
        )
        for address in addresses:
            if content_version() != version:
                done["stopped"] = "the content changed"
                return done
            if time.monotonic() > ends:
                done["stopped"] = f"out of time ({budget:g} s)"
                return done
            outcomes[_visitor_request(handler, host, address)] += 1
    return done


def warm_once() -> dict:
    """:func:`warm` on the usual hosts, unless a warm-up of this content version
    ran already."""
    version = content_version()
    if not cache.add(WARMING_KEY.format(version=version), True, TTL):
        return {"version": version, "skipped": "warmed already"}
    return warm()


def warm_after_change(**kwargs) -> None:
    """Connected to the events that change content: once the change commits, a
    warm-up is queued to run ``VISITOR_PAGES_WARM_DELAY`` seconds later, unless
    one is queued already (it reads the content version when it runs, so it
    covers this change too): a burst of publishes is warmed once. ``None`` turns
    it off (the tests)."""
    delay = settings.VISITOR_PAGES_WARM_DELAY
    if delay is None:
        return

    def queue():
        from .tasks import warm_visitor_pages

        if cache.add(QUEUED_KEY, True, max(1, delay)):
            warm_visitor_pages.apply_async(countdown=delay)

    transaction.on_commit(queue, robust=True)
