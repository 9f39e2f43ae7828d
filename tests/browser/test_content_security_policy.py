"""The browser enforces the strict policy: a script injected into a page (as a
stored cross-site script would be) does not run, while the site's own scripts do."""

import pytest

from tests.factories import site_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_injected_inline_script_does_not_run(live_server, browse):
    site_tree()
    # Chromium's words for it: "Executing inline script violates ... 'script-src'".
    browse.guard.allow(r"inline script .*script-src 'self'")
    browse.guard.allow(r"inline style .*style-src 'self'")
    _context, page = browse()
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.appendChild(script);
          const box = document.createElement('div');
          box.id = 'injected-style';
          box.setAttribute('style', 'width: 321px');
          document.body.appendChild(box);
        }"""
    )
    assert page.evaluate("() => window.injected === true") is False
    width = page.evaluate(
        "() => document.getElementById('injected-style').getBoundingClientRect().width"
    )
    assert width != 321
    assert browse.guard.console_errors, "the browser reported no blocked script"
