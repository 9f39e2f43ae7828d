"""A form posted while its autosave was running names no ids for the inline rows
that autosave wrote; it must not write them a second time (``lms.edit_lock``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils.html import strip_tags

from accounts import roles
from exams.models import ExamPage, ExamSection, Question, QuestionBank
from lms.edit_lock import adopt_autosaved_rows
from tests.editor_form import editor_form
from tests.exams.test_blueprint_guard import bank_form
from tests.factories import UserFactory, make_bank, make_exam, site_tree

pytestmark = pytest.mark.django_db
JSON = {"Accept": "application/json"}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def editing_a_draft_exam(client):
    """An exam never published, whose draft has a section not yet written
    (as the outline's "Create a question bank for this exam" leaves it), open
    in ``client``'s editor: the exam, the editor's address and its form."""
    site_tree()
    exam = make_exam(count=1)
    ExamSection.objects.filter(exam=exam).delete()
    exam.unpublish()
    exam = ExamPage.objects.get(pk=exam.pk)
    bank = make_bank(questions=3)
    exam.sections = [ExamSection(title="Questions", bank=bank, count=0)]
    exam.save_revision()
    url = f"/admin/pages/{exam.pk}/edit/"
    return exam, url, editor_form(client.get(url).content.decode())


def sections(exam):
    return list(
        ExamSection.objects.filter(exam_id=exam.pk).values_list("title", "count")
    )


def test_a_publish_sent_while_the_autosave_wrote_a_section_keeps_one_section():
    author = UserFactory(roles=[roles.TRAINING_ADMINS])
    client = signed_in(author)
    exam, url, form = editing_a_draft_exam(client)
    assert form["sections-0-id"] == ""  # the draft's section has no row yet
    form["sections-0-count"] = "4"

    autosave = client.post(url, form, headers=JSON)
    assert autosave.json()["success"] is True
    assert sections(exam) == [("Questions", 4)]  # a draft page's row is written

    # Publish, pressed before the autosave's answer came back: the same form.
    refused = client.post(url, {**form, "action-publish": "publish"})
    assert "draws 4 questions, but only 3" in refused.content.decode()
    again = editor_form(refused.content.decode())
    assert again["sections-0-id"] != ""  # the form now names the written row

    form["sections-0-count"] = "3"
    published = client.post(url, {**form, "action-publish": "publish"})
    assert published.status_code == 302
    assert sections(exam) == [("Questions", 3)]
    exam = ExamPage.objects.get(pk=exam.pk)
    assert exam.live
    assert [s.count for s in exam.sections.all()] == [3]


def test_a_draft_bank_published_during_its_autosave_has_each_question_once():
    author = UserFactory(roles=[roles.TRAINING_ADMINS])
    client = signed_in(author)
    bank = make_bank(questions=1)
    bank.unpublish()
    bank.save_revision(user=author)
    bank = QuestionBank.objects.get(pk=bank.pk)
    first = bank.questions.get()
    url = f"/admin/snippets/exams/questionbank/edit/{bank.pk}/"
    loaded = editor_form(client.get(url).content.decode(), "w-editor-form")
    questions = [
        {"id": first.pk, "key": first.key, "stem": "First"},
        {"stem": "A second question, just typed."},
    ]
    form = {
        **bank_form(bank.title, questions, key=bank.key, initial=1, action="x"),
        "loaded_revision_id": loaded["loaded_revision_id"],
        "loaded_revision_created_at": loaded["loaded_revision_created_at"],
    }
    assert client.post(url, form, headers=JSON).json()["success"] is True
    assert Question.objects.filter(bank=bank).count() == 2

    published = client.post(url, {**form, "action-publish": "publish"})
    assert published.status_code == 302
    stems = Question.objects.filter(bank=bank).values_list("stem", flat=True)
    assert sorted(strip_tags(stem) for stem in stems) == [
        "A second question, just typed.",
        "First",
    ]


def stale_publish(exam, user, data):
    request = RequestFactory().post(f"/admin/pages/{exam.pk}/edit/", data)
    request.resolver_match = resolve(request.path)
    request.user = user
    return request


def test_rows_another_author_wrote_are_not_taken_over():
    mine = UserFactory(roles=[roles.TRAINING_ADMINS])
    theirs = UserFactory(roles=[roles.TRAINING_ADMINS])
    client = signed_in(theirs)
    exam, url, form = editing_a_draft_exam(client)
    assert client.post(url, form, headers=JSON).json()["success"] is True

    request = stale_publish(exam, mine, form)
    assert adopt_autosaved_rows(request) is False
    assert request.POST["sections-0-id"] == ""
    request = stale_publish(exam, AnonymousUser(), form)
    assert adopt_autosaved_rows(request) is False
    # The author's own revision: the row is named.
    request = stale_publish(exam, theirs, form)
    assert adopt_autosaved_rows(request) is True
    assert request.POST["sections-0-id"] == str(ExamSection.objects.get().pk)


@pytest.mark.parametrize("total", ["many", "-3", ""])
def test_a_tampered_form_count_changes_nothing_and_is_answered(total):
    author = UserFactory(roles=[roles.TRAINING_ADMINS])
    client = signed_in(author)
    exam, url, form = editing_a_draft_exam(client)
    client.post(url, form, headers=JSON)
    form["sections-TOTAL_FORMS"] = total
    response = client.post(url, {**form, "action-publish": "publish"})
    assert response.status_code in (200, 302)
    assert len(sections(exam)) == 1
