"""The audit itself: it must fail on the defects it claims to find."""

import pytest

from .conftest import audit

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Fixture</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Fixture</h1>{}</main></body></html>"""


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">', "image-alt"),
        ('<p style="color:#aaa;background:#fff">Faint text</p>', "color-contrast"),
        ('<input type="text" name="q">', "label"),
        ('<div style="width:900px">A fixed-width box</div>', "scrolls sideways"),
        (
            '<p style="height:1.2rem;overflow:hidden">A line that will be cut off '
            "when its text is twice as large</p>",
            "text cut off",
        ),
    ],
)
def test_the_audit_finds(page, body, finding):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_content(PAGE.format(body))
    with pytest.raises(AssertionError, match=finding):
        audit(page)


def test_a_clean_page_passes(page):
    page.set_content(PAGE.format("<p>Plain, readable text.</p>"))
    audit(page)
