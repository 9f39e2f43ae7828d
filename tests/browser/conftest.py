"""Browser tests: Playwright driving the system's Chromium against a live server.

They run wherever ``/usr/bin/chromium`` exists (CI installs Debian's package) and
are skipped, with the reason printed, where it does not.

Every page a test opens through the ``browse`` fixture is watched: a console error,
an uncaught script error or a request to any host but the test server fails the
test. ``audit(page)`` runs axe-core (vendored, see ``vendor/README.md``) for the
WCAG 2.x A and AA rules, and checks that the page reflows at 320 CSS pixels and
keeps its text when the text is enlarged to 200%.
"""

import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from .chromium import CHROMIUM, chromium_missing_reason

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATime(WSGIServer):
    """The live server answers one request at a time. The fast suite's database
    lives in memory, behind one connection that the server's threads share: two
    requests a page sends together (the admin's editor does) each opened and
    released savepoints on it, and one released the other's ("no such
    savepoint": a 500 that no real server, with a connection per thread, would
    give). Without threads, the server also closes each connection after its
    response, so no browser connection holds it."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # The server's own thread already uses the shared connection.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# --- watching pages: console errors and foreign requests ---------------------------


class Guard:
    """What the pages of one test did wrong: console errors, script errors and
    requests to hosts other than the test server."""

    def __init__(self, origin: str):
        self.host = urlsplit(origin).netloc
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        # Wagtail's admin pings its editing session every few seconds; a ping
        # still in flight when its page navigates away or its dialog's frame is
        # removed is cut off, and Wagtail logs that as an error. A ping the
        # server refused would say its status instead, and is still caught.
        self.allowed: list[re.Pattern] = [
            re.compile(
                r"^Error fetching %s /admin/editing-sessions/\S+ TypeError: Failed to fetch"
            )
        ]

    def allow(self, pattern: str) -> None:
        """Tolerate console errors matching ``pattern`` (e.g. while offline)."""
        self.allowed.append(re.compile(pattern))

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({location})")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self.foreign_requests.append(request.url)

    def problems(self) -> list[str]:
        errors = [
            f"console error: {text}"
            for text in self.console_errors
            if not any(pattern.search(text) for pattern in self.allowed)
        ]
        return errors + [
            f"request to another host: {url}" for url in self.foreign_requests
        ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


_MESSAGES = (
    ".messages li, .error-message, .help-critical, [role=alert], .w-field__errors"
)


def _messages_on(page) -> list[str]:
    """What a failed page tells its user (errors and messages), for the report:
    a screenshot is not kept by every run."""
    try:
        texts = page.locator(_MESSAGES).all_inner_texts()
    except Exception:  # noqa: BLE001 - the page may be gone; the URL is printed
        return []
    return [" ".join(text.split()) for text in texts if text.strip()]


@pytest.fixture
def browse(browser, live_server, request):
    """``browse(**context_options) -> (context, page)``: a fresh browser context
    (no cookies) whose pages are watched; ``browse.guard.allow(...)`` tolerates
    expected console errors. Problems fail the test at teardown."""
    guard = Guard(live_server.url)
    contexts = []

    def open_context(**options):
        options = {"viewport": DESKTOP, "base_url": live_server.url, **options}
        context = browser.new_context(**options)
        context.on("page", guard.watch)
        contexts.append(context)
        return context, context.new_page()

    open_context.guard = guard
    yield open_context
    if getattr(request.node, "call_failed", False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            page.screenshot(path=str(SCREENSHOTS / f"{name}-FAILED-{number}.png"))
            print(f"failed on page {number}: {page.url}")  # noqa: T201
            for said in _messages_on(page):
                print(f"  the page says: {said}")  # noqa: T201
    for context in contexts:
        context.close()
    problems = guard.problems()
    assert not problems, "\n".join(problems)


# --- accessibility -----------------------------------------------------------------

_TEXT_CHECK = """() => {
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .skip-link')) continue;
    const hides = ['hidden', 'clip'];
    const text = (el.innerText || '').trim();
    if (!text) continue;
    if (hides.includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      clipped.push(el.tagName.toLowerCase() + ': ' + text.slice(0, 60));
    else if (hides.includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1)
      clipped.push(el.tagName.toLowerCase() + ': ' + text.slice(0, 60));
  }
  const root = document.documentElement;
  return {clipped, overflow: root.scrollWidth - root.clientWidth};
}"""


def _describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"{violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the debugging protocol, not as a <script>: a page's
        # Content-Security-Policy cannot block it.
        page.evaluate(f"() => {{ {AXE_SOURCE}\n; window.axe = axe; }}")
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return results["violations"]


def _text_problems(page, label: str) -> list[str]:
    result = page.evaluate(_TEXT_CHECK)
    problems = [f"{label}: text cut off in {item}" for item in result["clipped"]]
    if result["overflow"] > 1:
        problems.append(f"{label}: page scrolls sideways by {result['overflow']}px")
    return problems


def audit(page) -> None:
    """Fail unless the page has no axe WCAG A/AA violation, reflows at 320 CSS
    pixels (WCAG 1.4.10) and keeps all its text at 200% text size (1.4.4)."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{_describe(violations)}"
    viewport = page.viewport_size
    problems = []
    try:
        page.set_viewport_size({"width": 320, "height": 640})
        problems += _text_problems(page, "at 320px wide")
        page.set_viewport_size(viewport)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        problems += _text_problems(page, "at 200% text")
    finally:
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        page.set_viewport_size(viewport)
    assert not problems, f"{page.url}\n" + "\n".join(problems)


# --- screenshots -------------------------------------------------------------------


@pytest.fixture
def shoot(request):
    """``shoot(page, "step")``: full-page screenshots at desktop and phone width,
    kept by CI as artifacts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
        viewport = page.viewport_size
        desktop = SCREENSHOTS / f"{name}-{step}.png"
        page.screenshot(path=str(desktop), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(
            path=str(SCREENSHOTS / f"{name}-{step}-phone.png"), full_page=True
        )
        page.set_viewport_size(viewport)
        return desktop

    return take


# --- helpers -----------------------------------------------------------------------


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def totp_code(secret: str) -> str:
    """The current RFC 6238 code, computed with allauth's own helpers; waits out
    the last seconds of a period so the code is still valid when it arrives."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
