"""The progress bar every page that shows progress draws (``{% progress_bar %}``):
the markup the include it replaced gave, token for token, escaped."""

import pytest
from django.template import Context, Template

# The include the tag replaced, as it was.
BEFORE = (
    '<div class="progress-wrap">\n'
    '  <progress class="progress" max="100" value="{{ percent }}" '
    "aria-label=\"{{ label|default:'Progress' }}\">{{ percent }}%</progress>\n"
    '  <span class="progress-text">{{ percent }}% {% if detail %}· {{ detail }}'
    "{% endif %}</span>\n"
    "</div>\n"
)


@pytest.mark.parametrize(
    ("percent", "label", "detail"),
    [
        (0, "Course progress", "0 of 3 lessons"),
        (67, "Gateway <basics> & more progress", "2 of 3 lessons"),
        (100, "", ""),
        (50, "Path progress", None),
        (33, 'Quote " progress', "<script>alert(1)</script>"),
    ],
)
def test_the_bar_is_the_old_includes_markup(percent, label, detail):
    context = {"percent": percent, "label": label, "detail": detail}
    before = Template(BEFORE).render(Context(context))

    after = Template(
        "{% load course_cards %}{% progress_bar percent label detail %}"
    ).render(Context(context))

    assert after == before
    assert "<script>" not in after


def test_without_a_label_or_detail_it_says_progress():
    html = Template("{% load course_cards %}{% progress_bar 40 %}").render(Context())

    assert 'aria-label="Progress"' in html
    assert 'value="40"' in html
    assert '<span class="progress-text">40% </span>' in html
