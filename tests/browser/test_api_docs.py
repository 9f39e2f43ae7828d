"""The API's documentation renders in a real browser under the site's
Content-Security-Policy, from the app's own files (the browse fixture fails the
test on a console error, a CSP violation or a request to another host)."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_api_docs_render_the_schema(live_server, browse):
    _context, page = browse()

    page.goto("/api/docs/")

    expect(page.get_by_text("MWRASP Academy API").first).to_be_visible(timeout=15000)
    expect(page.locator("text=/api/v1/certificates/").first).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
