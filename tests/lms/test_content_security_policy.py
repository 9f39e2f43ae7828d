"""The Content-Security-Policy, on every page the demo's people can reach.

The demo's accounts walk the site by its own links (every page they can open,
with the demo's enrolments, attempts, certificates, classes and reports behind
it): outside the admin every page carries the strict policy and contains nothing
that policy would block; the Wagtail admin carries its own policy, which still
forbids plugins, foreign origins and framing by other sites.
"""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from lms.loading import load_content
from tests.csp import assert_strict_policy, directives, inline_code

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = (
    "/accounts/logout",
    "/static/",
    "/media/",
    "/admin/logout",
    "/django-admin/",
)
PAGES_PER_PERSON = 120
ROOT = Path(__file__).resolve().parents[2]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        url = urlsplit(urljoin(base, href))
        if url.netloc not in ("", "testserver") or url.scheme not in ("", "http"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _walk(client, start: list[str], limit: int, within: str = "/"):
    """Breadth-first over the site's own links under ``within``: (path, response)
    for each page. The admin's page tree is entered only from the admin."""
    queue, seen = list(start), set(start)
    while queue and limit:
        path = queue.pop(0)
        response = client.get(path)
        limit -= 1
        yield path, response
        if response.status_code == 200 and "text/html" in response.get(
            "Content-Type", ""
        ):
            for link in _links(path, response.content.decode()):
                if link not in seen and link.startswith(within):
                    seen.add(link)
                    queue.append(link)


PEOPLE = [
    None,
    "customer@example.com",
    "hire@example.com",
    "mentor@example.com",
    "examiner@example.com",
    "admin@example.com",
]


def test_every_page_the_demo_reaches_keeps_the_policy(settings, client):
    load_content(ROOT / "content")
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False
    for email in PEOPLE:
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        _walk_as(client, email)


def _walk_as(client, email):
    start = ["/", "/dashboard/", "/catalog/", "/paths/", "/certifications/"]
    pages = list(_walk(client, start, PAGES_PER_PERSON))
    if email == "admin@example.com":
        pages += _walk(client, ["/admin/"], PAGES_PER_PERSON, within="/admin/")
    errors, site_pages, admin_pages, blocked = [], 0, 0, []
    for path, response in pages:
        if response.status_code >= 500:
            errors.append((path, response.status_code))
        if response.status_code != 200 or "text/html" not in response.get(
            "Content-Type", ""
        ):
            continue
        if path.startswith("/admin/"):
            admin_pages += 1
            policy = directives(response)
            assert policy["object-src"] == ["'none'"], path
            assert policy["frame-ancestors"] == ["'self'"], path
            assert policy["default-src"] == ["'self'"], path
        else:
            site_pages += 1
            assert_strict_policy(response)
            blocked += [(path, found) for found in inline_code(response)]
    assert errors == [], email
    assert blocked == [], email
    assert site_pages >= 10, email
    if email == "admin@example.com":
        assert admin_pages >= 20


def test_the_policy_finder_sees_what_the_policy_blocks(rf):
    from django.http import HttpResponse

    page = HttpResponse(
        '<p style="color:red">x</p><button onclick="go()">Go</button>'
        '<a href="javascript:go()">Go</a><script>go()</script>'
        '<script type="application/json">{"a": 1}</script>'
        '<script src="/static/app.js"></script>'
    )
    page["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    assert inline_code(page) == [
        "<p style='color:red'> (inline style)",
        "<button onclick=…> (inline event handler)",
        "<a href='javascript:go()'> (javascript: URL)",
        "<script> inline without the request's nonce",
    ]
    page = HttpResponse('<script nonce="abc">go()</script>')
    page["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    assert inline_code(page) == []


def test_configured_origins_enter_only_their_directives():
    from lms.settings.csp import admin_policy, origin, site_policy

    policy = site_policy(
        form_targets=[origin("https://login.example.com/realms/acme")],
        media_origins=[origin("https://cdn.example.com/media/")],
    )
    assert policy["form-action"] == ["'self'", "https://login.example.com"]
    assert policy["img-src"] == ["'self'", "data:", "https://cdn.example.com"]
    assert "https://cdn.example.com" not in policy["script-src"]
    assert origin("not a url") == ""
    admin = admin_policy(policy)
    assert admin["form-action"] == policy["form-action"]
    assert admin["object-src"] == ["'none'"]
