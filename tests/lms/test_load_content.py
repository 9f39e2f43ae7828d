import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from lms.loading import ContentInvalid, load_content
from lms.models import HomePage

pytestmark = pytest.mark.django_db

SITE_YAML = """\
site_name: Test Academy
home:
  title: Learn things
  intro: An introduction.
  body: |
    First **bold** paragraph.

    Second paragraph with `code`.
"""


@pytest.fixture
def content_dir(tmp_path) -> Path:
    root = tmp_path / "content"
    root.mkdir()
    (root / "site.yaml").write_text(SITE_YAML)
    return root


def test_load_creates_home_page_and_replaces_the_welcome_page(content_dir):
    report = load_content(content_dir)
    assert report.as_dict()["home page"] == {"created": 1, "updated": 0, "unchanged": 0}
    home = HomePage.objects.get()
    assert home.live
    assert (
        home.body
        == "<p>First <b>bold</b> paragraph.</p><p>Second paragraph with <code>code</code>.</p>"
    )
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert site.site_name == "Test Academy"
    # Wagtail's placeholder page is gone: the home page is the only page below root.
    assert Page.objects.filter(depth=2).count() == 1


def test_loading_twice_gives_identical_counts_and_no_new_revisions(content_dir):
    load_content(content_dir)
    revisions = HomePage.objects.get().revisions.count()
    second = load_content(content_dir)
    third = load_content(content_dir)
    assert second.as_dict() == third.as_dict()
    assert second.total("created") == second.total("updated") == 0
    assert second.total("unchanged") == 5  # site, home, catalog, paths, exams
    assert HomePage.objects.get().revisions.count() == revisions


def test_a_changed_file_updates_in_place(content_dir):
    load_content(content_dir)
    page_id = HomePage.objects.get().pk
    (content_dir / "site.yaml").write_text(
        SITE_YAML.replace("Learn things", "Learn more")
    )
    report = load_content(content_dir)
    assert report.as_dict()["home page"]["updated"] == 1
    home = HomePage.objects.get()
    assert (home.pk, home.title) == (page_id, "Learn more")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("site_name: X\nhome:\n  title: [unclosed\n", "site.yaml:4: invalid YAML"),
        (
            "site_name: X\nhome:\n  title: T\n  intrro: x\n",
            "site.yaml:4 home.intrro: unknown key 'intrro'",
        ),
        (
            "site_name: X\nhome:\n  intro: x\n",
            "site.yaml:2 home: missing required field 'title'",
        ),
        ("- just\n- a list\n", "site.yaml:1: the file must hold a mapping"),
    ],
)
def test_broken_file_is_reported_with_place_and_writes_nothing(
    content_dir, text, expected
):
    load_content(content_dir)
    before = (HomePage.objects.get().title, Page.objects.count())
    (content_dir / "site.yaml").write_text(text)
    with pytest.raises(ContentInvalid) as caught:
        load_content(content_dir)
    assert any(expected in str(error) for error in caught.value.errors), caught.value
    assert (HomePage.objects.get().title, Page.objects.count()) == before


def test_unknown_yaml_file_is_refused(content_dir):
    (content_dir / "misc").mkdir()
    (content_dir / "misc" / "notes.yaml").write_text("a: 1\n")
    with pytest.raises(ContentInvalid, match="not a known kind of content file"):
        load_content(content_dir)
    assert not HomePage.objects.exists()


def test_command_reports_counts_and_fails_cleanly(content_dir, capsys):
    call_command("load_content", str(content_dir))
    call_command("load_content", str(content_dir))
    out = capsys.readouterr().out
    assert "Content loaded: 0 created, 0 updated, 5 unchanged." in out
    (content_dir / "site.yaml").write_text("home: {}\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_content", str(content_dir))


def test_the_project_content_folder_loads(tmp_path):
    """The shipped curriculum is valid and loads twice to the same state."""
    root = Path(__file__).resolve().parents[2] / "content"
    copy = tmp_path / "content"
    shutil.copytree(root, copy)
    first = load_content(copy)
    second = load_content(copy)
    assert second.total("created") == second.total("updated") == 0
    assert second.total("unchanged") == first.total("created") + first.total(
        "updated"
    ) + first.total("unchanged")


COURSE_YAML = """\
key: {key}
title: Course {key}
level: fundamentals
audience: customers
duration_hours: 2
summary: A short course.
prerequisites: {prereqs}
lessons:
  - key: first
    title: First lesson
    minutes: 30
    body:
      - heading: Start here
      - paragraph: Some **bold** text.
      - list: [one, two]
      - check:
          question: Pick one
          choices: [a, b, c]
          answer: 2
"""


def write_course(root, key, prereqs="[]", **replace):
    folder = root / "courses"
    folder.mkdir(exist_ok=True)
    text = COURSE_YAML.format(key=key, prereqs=prereqs)
    for old, new in replace.items():
        text = text.replace(old, new)
    (folder / f"{key}.yaml").write_text(text)


def test_courses_load_with_lessons_and_prerequisites(content_dir):
    from courses.models import CoursePage, CoursePrerequisite, ModulePage

    write_course(content_dir, "basics")
    write_course(content_dir, "deeper", prereqs="[basics]")
    report = load_content(content_dir)
    assert report.as_dict()["course"]["created"] == 2
    assert report.as_dict()["lesson"]["created"] == 2
    deeper = CoursePage.objects.get(slug="deeper")
    assert (
        CoursePrerequisite.objects.get(course=deeper).required_course.slug == "basics"
    )
    module = ModulePage.objects.child_of(deeper).get()
    kinds = [block.block_type for block in module.body]
    assert kinds == ["heading", "rich_text", "knowledge_check"]
    assert "<b>bold</b>" in module.body[1].value.source
    # The third choice (answer: 2, counting from 0) is the one ticked.
    assert [c["correct"] for c in module.body[2].value["choices"]] == [
        False,
        False,
        True,
    ]
    assert load_content(content_dir).total("created") == 0


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"deeper": ("[nowhere]", {})},
            "deeper.yaml:7 prerequisites[0]: unknown course 'nowhere'",
        ),
        (
            {"a": ("[b]", {}), "b": ("[a]", {})},
            "prerequisites form a cycle: a -> b -> a",
        ),
        (
            {"a": ("[]", {"- heading: Start here": "- headline: Start here"})},
            "unknown key 'headline'",
        ),
        ({"a": ("[]", {"answer: 2": "answer: 7"})}, "answer 7 is out of range"),
        ({"a": ("[]", {"key: a": "key: other"})}, "must match the file name"),
        (
            {"a": ("[]", {"level: fundamentals": "level: beginner"})},
            "a.yaml:3 level: Input should be",
        ),
    ],
)
def test_invalid_course_files_are_reported_and_nothing_is_written(
    content_dir, files, expected
):
    from courses.models import CoursePage

    for key, (prereqs, replace) in files.items():
        write_course(content_dir, key, prereqs, **replace)
    with pytest.raises(ContentInvalid) as caught:
        load_content(content_dir)
    assert any(expected in str(error) for error in caught.value.errors), caught.value
    assert not CoursePage.objects.exists()
    assert not HomePage.objects.exists()
