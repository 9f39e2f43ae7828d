"""Every word a person reads on a page or in an e-mail goes through the translation
machinery: templates write their text inside ``translate`` or ``blocktranslate``,
so the strings are ready for translators."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.template_text import untranslated, untranslated_attributes

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "classes",
    "onboarding",
    "courses",
    "exams",
    "certificates",
    "reports",
    "lms",
)
TEMPLATES = sorted(
    path
    for app in APPS
    for path in (ROOT / app / "templates").rglob("*")
    if path.suffix in (".html", ".txt")
)


def test_the_templates_are_found():
    assert len(TEMPLATES) > 60


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_goes_through_translation(path):
    source = path.read_text()
    found = untranslated(source, lines_apart=path.suffix == ".txt")
    found += untranslated_attributes(source)
    assert not found, f"{path.relative_to(ROOT)} writes text outside translate: {found}"


def test_the_check_finds_bare_text_and_passes_translated_text():
    assert untranslated("<p>Hello {{ name }}</p>") == ["Hello {{ name }}"]
    assert untranslated('<p>{% translate "Hello" %}</p>') == []
    assert (
        untranslated(
            "<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>"
        )
        == []
    )
    assert untranslated("<td>{{ row.score }} %</td>") == []
    assert untranslated_attributes('<a aria-label="Close">x</a>') == [
        'aria-label="Close"'
    ]
    assert untranslated_attributes("<a aria-label=\"{% translate 'Close' %}\">") == []
